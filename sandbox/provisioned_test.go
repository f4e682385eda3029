package sandbox

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// publishedWithAlias publishes the next version of a plain function and
// points alias at it.
func (fx *fixture) publishedWithAlias(alias string) *string {
	fx.t.Helper()
	name := aws.String(fx.plainFunction())
	v, err := fx.client.PublishVersion(fx.ctx, &lambda.PublishVersionInput{FunctionName: name})
	mustNoErr(fx.t, err, "PublishVersion")
	_, err = fx.client.CreateAlias(fx.ctx, &lambda.CreateAliasInput{FunctionName: name, Name: aws.String(alias), FunctionVersion: v.Version})
	mustNoErr(fx.t, err, "CreateAlias")
	return name
}

func (fx *fixture) getProvisioned(name *string, qualifier string) *lambda.GetProvisionedConcurrencyConfigOutput {
	fx.t.Helper()
	out, err := fx.client.GetProvisionedConcurrencyConfig(fx.ctx, &lambda.GetProvisionedConcurrencyConfigInput{FunctionName: name, Qualifier: aws.String(qualifier)})
	mustNoErr(fx.t, err, "GetProvisionedConcurrencyConfig "+qualifier)
	return out
}

func TestProvisionedConcurrencyAllocatesAllAtOnce(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.publishedWithAlias("live")
	before := fx.unreserved()
	put, err := fx.client.PutProvisionedConcurrencyConfig(fx.ctx, &lambda.PutProvisionedConcurrencyConfigInput{
		FunctionName: name, Qualifier: aws.String("live"), ProvisionedConcurrentExecutions: aws.Int32(40)})
	mustNoErr(t, err, "PutProvisionedConcurrencyConfig")
	if put.Status != types.ProvisionedConcurrencyStatusEnumInProgress || *put.RequestedProvisionedConcurrentExecutions != 40 ||
		*put.AllocatedProvisionedConcurrentExecutions != 0 || *put.AvailableProvisionedConcurrentExecutions != 0 {
		t.Fatalf("put answered %+v", put)
	}
	if fx.unreserved() != before-40 {
		t.Fatalf("unreserved = %d, want %d: provisioned concurrency of an unreserved function comes out of the pool", fx.unreserved(), before-40)
	}
	fx.clock.Advance(Fast().ProvisionedAllocationDelay - time.Millisecond)
	if got := fx.getProvisioned(name, "live"); got.Status != types.ProvisionedConcurrencyStatusEnumInProgress || *got.AvailableProvisionedConcurrentExecutions != 0 {
		t.Fatalf("just before the allocation delay: %s, %d available", got.Status, *got.AvailableProvisionedConcurrentExecutions)
	}
	fx.clock.Advance(time.Millisecond)
	got := fx.getProvisioned(name, "live")
	if got.Status != types.ProvisionedConcurrencyStatusEnumReady || *got.AllocatedProvisionedConcurrentExecutions != 40 || *got.AvailableProvisionedConcurrentExecutions != 40 {
		t.Fatalf("after the allocation delay: %+v", got)
	}
	list, err := fx.client.ListProvisionedConcurrencyConfigs(fx.ctx, &lambda.ListProvisionedConcurrencyConfigsInput{FunctionName: name})
	mustNoErr(t, err, "ListProvisionedConcurrencyConfigs")
	if len(list.ProvisionedConcurrencyConfigs) != 1 || *list.ProvisionedConcurrencyConfigs[0].FunctionArn != fx.arn(*name)+":live" {
		t.Fatalf("list = %+v", list.ProvisionedConcurrencyConfigs)
	}
	_, err = fx.client.DeleteProvisionedConcurrencyConfig(fx.ctx, &lambda.DeleteProvisionedConcurrencyConfigInput{FunctionName: name, Qualifier: aws.String("live")})
	mustNoErr(t, err, "DeleteProvisionedConcurrencyConfig")
	_, err = fx.client.GetProvisionedConcurrencyConfig(fx.ctx, &lambda.GetProvisionedConcurrencyConfigInput{FunctionName: name, Qualifier: aws.String("live")})
	expectAPIError[*types.ProvisionedConcurrencyConfigNotFoundException](t, err, "ProvisionedConcurrencyConfigNotFoundException",
		"No Provisioned Concurrency Config found for this function")
	if fx.unreserved() != before {
		t.Fatalf("unreserved after delete = %d, want %d", fx.unreserved(), before)
	}
}

func TestProvisionedConcurrencyRules(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.publishedWithAlias("live")
	put := func(qualifier string, n int32) error {
		_, err := fx.client.PutProvisionedConcurrencyConfig(fx.ctx, &lambda.PutProvisionedConcurrencyConfigInput{
			FunctionName: name, Qualifier: aws.String(qualifier), ProvisionedConcurrentExecutions: aws.Int32(n)})
		return err
	}
	expectAPIError[*types.InvalidParameterValueException](t, put("$LATEST", 5), "InvalidParameterValueException",
		"Provisioned Concurrency Configs cannot be applied to unpublished function versions.")
	_, err := fx.client.CreateAlias(fx.ctx, &lambda.CreateAliasInput{FunctionName: name, Name: aws.String("head"), FunctionVersion: aws.String("$LATEST")})
	mustNoErr(t, err, "CreateAlias head")
	expectAPIError[*types.InvalidParameterValueException](t, put("head", 5), "InvalidParameterValueException",
		"Provisioned Concurrency Configs cannot be applied to unpublished function versions.")
	expectAPIError[*types.ResourceNotFoundException](t, put("nope", 5), "ResourceNotFoundException",
		"Cannot find alias arn: "+fx.arn(*name)+":nope")
	expectGenericError(t, put("live", 0), "ValidationException",
		"1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1")

	// One config per version: the alias holds it, so neither the version nor
	// a second alias on the same version may provision it.
	mustNoErr(t, put("live", 5), "provision live")
	_, err = fx.client.CreateAlias(fx.ctx, &lambda.CreateAliasInput{FunctionName: name, Name: aws.String("blue"), FunctionVersion: aws.String("1")})
	mustNoErr(t, err, "CreateAlias blue")
	expectAPIError[*types.ResourceConflictException](t, put("blue", 5), "ResourceConflictException",
		"Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version")
	expectAPIError[*types.ResourceConflictException](t, put("1", 5), "ResourceConflictException",
		"Version is pointed by a Provisioned Concurrency alias")

	_, err = fx.client.GetProvisionedConcurrencyConfig(fx.ctx, &lambda.GetProvisionedConcurrencyConfigInput{FunctionName: name, Qualifier: aws.String("$LATEST")})
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException",
		"The function resource provided must be an alias or a published version.")
	_, err = fx.client.GetProvisionedConcurrencyConfig(fx.ctx, &lambda.GetProvisionedConcurrencyConfigInput{FunctionName: name, Qualifier: aws.String("1")})
	expectAPIError[*types.ProvisionedConcurrencyConfigNotFoundException](t, err, "ProvisionedConcurrencyConfigNotFoundException",
		"No Provisioned Concurrency Config found for this function")
}

func TestProvisionedConcurrencyWithinReserved(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.publishedWithAlias("live")
	_, err := fx.client.PutFunctionConcurrency(fx.ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: name, ReservedConcurrentExecutions: aws.Int32(20)})
	mustNoErr(t, err, "PutFunctionConcurrency")
	before := fx.unreserved()
	_, err = fx.client.PutProvisionedConcurrencyConfig(fx.ctx, &lambda.PutProvisionedConcurrencyConfigInput{
		FunctionName: name, Qualifier: aws.String("live"), ProvisionedConcurrentExecutions: aws.Int32(21)})
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException",
		"Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function")
	_, err = fx.client.PutProvisionedConcurrencyConfig(fx.ctx, &lambda.PutProvisionedConcurrencyConfigInput{
		FunctionName: name, Qualifier: aws.String("live"), ProvisionedConcurrentExecutions: aws.Int32(20)})
	mustNoErr(t, err, "provision all of the reserved concurrency")
	if fx.unreserved() != before {
		t.Fatalf("provisioned concurrency inside reserved changed unreserved from %d to %d", before, fx.unreserved())
	}
	_, err = fx.client.PutFunctionConcurrency(fx.ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: name, ReservedConcurrentExecutions: aws.Int32(10)})
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException",
		" ReservedConcurrentExecutions  10 should not be lower than function's total provisioned concurrency [20].")
}

func TestProvisionedConcurrencyFloor(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.publishedWithAlias("live")
	unreserved := fx.unreserved()
	_, err := fx.client.PutProvisionedConcurrencyConfig(fx.ctx, &lambda.PutProvisionedConcurrencyConfigInput{
		FunctionName: name, Qualifier: aws.String("1"), ProvisionedConcurrentExecutions: aws.Int32(unreserved - 99)})
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException",
		"Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].")
}

// Moving an alias moves its provisioned concurrency: the new version is
// allocated from scratch, the old one released.
func TestUpdateAliasMovesProvisionedConcurrency(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.publishedWithAlias("live")
	_, err := fx.client.PutProvisionedConcurrencyConfig(fx.ctx, &lambda.PutProvisionedConcurrencyConfigInput{
		FunctionName: name, Qualifier: aws.String("live"), ProvisionedConcurrentExecutions: aws.Int32(8)})
	mustNoErr(t, err, "PutProvisionedConcurrencyConfig")
	fx.clock.Advance(Fast().ProvisionedAllocationDelay)
	_, err = fx.client.UpdateFunctionConfiguration(fx.ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: name, MemorySize: aws.Int32(3008)})
	mustNoErr(t, err, "UpdateFunctionConfiguration")
	fx.clock.Advance(Fast().UpdateDelay)
	v2, err := fx.client.PublishVersion(fx.ctx, &lambda.PublishVersionInput{FunctionName: name})
	mustNoErr(t, err, "PublishVersion 2")

	_, err = fx.client.UpdateAlias(fx.ctx, &lambda.UpdateAliasInput{FunctionName: name, Name: aws.String("live"), FunctionVersion: v2.Version})
	mustNoErr(t, err, "UpdateAlias to 2")
	if got := fx.getProvisioned(name, "live"); got.Status != types.ProvisionedConcurrencyStatusEnumInProgress || *got.AvailableProvisionedConcurrentExecutions != 0 {
		t.Fatalf("after moving the alias: %s with %d available, want IN_PROGRESS with 0", got.Status, *got.AvailableProvisionedConcurrentExecutions)
	}
	fx.sb.mu.Lock()
	_, onOld := fx.sb.acct.functions[*name].provisioned[1]
	_, onNew := fx.sb.acct.functions[*name].provisioned[2]
	fx.sb.mu.Unlock()
	if onOld || !onNew {
		t.Fatalf("provisioned on version 1: %v, on version 2: %v; want it moved to 2", onOld, onNew)
	}
	fx.clock.Advance(Fast().ProvisionedAllocationDelay)
	if got := fx.getProvisioned(name, "live"); got.Status != types.ProvisionedConcurrencyStatusEnumReady {
		t.Fatalf("after allocation on version 2: %s", got.Status)
	}
	_, err = fx.client.UpdateAlias(fx.ctx, &lambda.UpdateAliasInput{FunctionName: name, Name: aws.String("live"), FunctionVersion: aws.String("$LATEST")})
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException",
		"Provisioned Concurrency Configs cannot be applied to unpublished function versions.")
}

// The default allocation delay is 60–120 s, drawn from the seed.
func TestDefaultAllocationDelay(t *testing.T) {
	cfg := testConfig()
	cfg.ProvisionedAllocationDelay = 0
	fx := newFixture(t, cfg)
	name := fx.publishedWithAlias("live")
	_, err := fx.client.PutProvisionedConcurrencyConfig(fx.ctx, &lambda.PutProvisionedConcurrencyConfigInput{
		FunctionName: name, Qualifier: aws.String("live"), ProvisionedConcurrentExecutions: aws.Int32(3)})
	mustNoErr(t, err, "PutProvisionedConcurrencyConfig")
	fx.clock.Advance(59 * time.Second)
	if got := fx.getProvisioned(name, "live"); got.Status != types.ProvisionedConcurrencyStatusEnumInProgress {
		t.Fatalf("READY after 59 s")
	}
	fx.clock.Advance(61 * time.Second)
	if got := fx.getProvisioned(name, "live"); got.Status != types.ProvisionedConcurrencyStatusEnumReady {
		t.Fatalf("not READY after 120 s")
	}
}
