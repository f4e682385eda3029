package sandbox

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

func TestPublishVersionSnapshotsLatest(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := aws.String(fx.plainFunction())
	v1, err := fx.client.PublishVersion(fx.ctx, &lambda.PublishVersionInput{FunctionName: name, Description: aws.String("first")})
	mustNoErr(t, err, "PublishVersion")
	if *v1.Version != "1" || *v1.FunctionArn != fx.arn(*name)+":1" || *v1.Description != "first" || v1.State != types.StateActive {
		t.Fatalf("published %+v", v1)
	}
	again, err := fx.client.PublishVersion(fx.ctx, &lambda.PublishVersionInput{FunctionName: name})
	mustNoErr(t, err, "PublishVersion unchanged")
	if *again.Version != "1" {
		t.Fatalf("publishing an unchanged $LATEST made version %s", *again.Version)
	}
	_, err = fx.client.UpdateFunctionConfiguration(fx.ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: name, MemorySize: aws.Int32(2048)})
	mustNoErr(t, err, "UpdateFunctionConfiguration")
	fx.clock.Advance(Fast().UpdateDelay)
	v2, err := fx.client.PublishVersion(fx.ctx, &lambda.PublishVersionInput{FunctionName: name})
	mustNoErr(t, err, "PublishVersion after update")
	if *v2.Version != "2" || *v2.MemorySize != 2048 {
		t.Fatalf("version 2 = %s %d MB", *v2.Version, *v2.MemorySize)
	}
	old, err := fx.client.GetFunctionConfiguration(fx.ctx, &lambda.GetFunctionConfigurationInput{FunctionName: name, Qualifier: aws.String("1")})
	mustNoErr(t, err, "GetFunctionConfiguration version 1")
	if *old.MemorySize != *v1.MemorySize || *old.MemorySize == 2048 {
		t.Fatalf("version 1 changed to %d MB", *old.MemorySize)
	}
	list, err := fx.client.ListVersionsByFunction(fx.ctx, &lambda.ListVersionsByFunctionInput{FunctionName: name})
	mustNoErr(t, err, "ListVersionsByFunction")
	if len(list.Versions) != 3 || *list.Versions[0].Version != "$LATEST" || *list.Versions[2].Version != "2" {
		t.Fatalf("versions = %d", len(list.Versions))
	}
	fx.sb.mu.Lock()
	v := fx.sb.acct.functions[*name].versions
	fx.sb.mu.Unlock()
	if v[0].config.Revision != 1 || v[1].config.Revision != 2 {
		t.Fatalf("versions keep revisions %d and %d, want 1 and 2", v[0].config.Revision, v[1].config.Revision)
	}
}

func TestAliasLifecycle(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := aws.String(fx.plainFunction())
	_, err := fx.client.PublishVersion(fx.ctx, &lambda.PublishVersionInput{FunctionName: name})
	mustNoErr(t, err, "PublishVersion")

	created, err := fx.client.CreateAlias(fx.ctx, &lambda.CreateAliasInput{FunctionName: name, Name: aws.String("live"), FunctionVersion: aws.String("1")})
	mustNoErr(t, err, "CreateAlias")
	if *created.AliasArn != fx.arn(*name)+":live" || *created.FunctionVersion != "1" {
		t.Fatalf("alias = %+v", created)
	}
	_, err = fx.client.CreateAlias(fx.ctx, &lambda.CreateAliasInput{FunctionName: name, Name: aws.String("live"), FunctionVersion: aws.String("1")})
	expectAPIError[*types.ResourceConflictException](t, err, "ResourceConflictException", "Alias already exists: "+fx.arn(*name)+":live")
	_, err = fx.client.CreateAlias(fx.ctx, &lambda.CreateAliasInput{FunctionName: name, Name: aws.String("beta"), FunctionVersion: aws.String("9")})
	expectAPIError[*types.ResourceNotFoundException](t, err, "ResourceNotFoundException", "Function not found: "+fx.arn(*name)+":9")
	_, err = fx.client.CreateAlias(fx.ctx, &lambda.CreateAliasInput{FunctionName: name, Name: aws.String("42"), FunctionVersion: aws.String("1")})
	expectGenericError(t, err, "ValidationException",
		"1 validation error detected: Value '42' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)")

	viaAlias, err := fx.client.GetFunction(fx.ctx, &lambda.GetFunctionInput{FunctionName: aws.String(*name + ":live")})
	mustNoErr(t, err, "GetFunction via alias")
	if *viaAlias.Configuration.Version != "1" || *viaAlias.Configuration.FunctionArn != fx.arn(*name)+":live" {
		t.Fatalf("GetFunction via alias = %s %s", *viaAlias.Configuration.Version, *viaAlias.Configuration.FunctionArn)
	}

	updated, err := fx.client.UpdateAlias(fx.ctx, &lambda.UpdateAliasInput{FunctionName: name, Name: aws.String("live"),
		FunctionVersion: aws.String("$LATEST"), Description: aws.String("follows head")})
	mustNoErr(t, err, "UpdateAlias")
	if *updated.FunctionVersion != "$LATEST" || *updated.RevisionId == *created.RevisionId {
		t.Fatalf("updated alias = %+v", updated)
	}
	_, err = fx.client.UpdateAlias(fx.ctx, &lambda.UpdateAliasInput{FunctionName: name, Name: aws.String("live"), RevisionId: created.RevisionId})
	expectAPIError[*types.PreconditionFailedException](t, err, "PreconditionFailedException",
		"The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")

	list, err := fx.client.ListAliases(fx.ctx, &lambda.ListAliasesInput{FunctionName: name})
	mustNoErr(t, err, "ListAliases")
	if len(list.Aliases) != 1 || *list.Aliases[0].Description != "follows head" {
		t.Fatalf("aliases = %+v", list.Aliases)
	}
	_, err = fx.client.DeleteAlias(fx.ctx, &lambda.DeleteAliasInput{FunctionName: name, Name: aws.String("live")})
	mustNoErr(t, err, "DeleteAlias")
	_, err = fx.client.GetAlias(fx.ctx, &lambda.GetAliasInput{FunctionName: name, Name: aws.String("live")})
	expectAPIError[*types.ResourceNotFoundException](t, err, "ResourceNotFoundException", "Cannot find alias arn: "+fx.arn(*name)+":live")
}
