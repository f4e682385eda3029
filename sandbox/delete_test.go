package sandbox

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

func (fx *fixture) deleteFunction(name string, qualifier *string) error {
	_, err := fx.client.DeleteFunction(fx.ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(name), Qualifier: qualifier})
	return err
}

func (fx *fixture) functionCount() int64 {
	fx.t.Helper()
	out, err := fx.client.GetAccountSettings(fx.ctx, &lambda.GetAccountSettingsInput{})
	mustNoErr(fx.t, err, "GetAccountSettings")
	return out.AccountUsage.FunctionCount
}

// TestDeleteFunctionReleasesEverything deletes the lab function with reserved
// and provisioned concurrency set: the account gets its concurrency back, and
// every call naming the function is answered as AWS answers an unknown one.
func TestDeleteFunctionReleasesEverything(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.sb.ProductFunctionName()
	before, count := fx.unreserved(), fx.functionCount()
	fx.reserve(name, 50)
	fx.provision(name, "live", 10)
	if _, err := fx.invoke(&lambda.InvokeInput{FunctionName: aws.String(name), Qualifier: aws.String("live")}); err != nil {
		t.Fatalf("Invoke live: %v", err)
	}
	mustNoErr(t, fx.deleteFunction(name, nil), "DeleteFunction")
	if got := fx.unreserved(); got != before {
		t.Fatalf("unreserved concurrency after the delete = %d, want %d back", got, before)
	}
	if got := fx.functionCount(); got != count-1 {
		t.Fatalf("FunctionCount = %d, want %d", got, count-1)
	}
	notFound := "Function not found: " + fx.arn(name)
	_, err := fx.client.GetFunction(fx.ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
	expectAPIError[*types.ResourceNotFoundException](t, err, "ResourceNotFoundException", notFound)
	_, err = fx.invoke(&lambda.InvokeInput{FunctionName: aws.String(name)})
	expectAPIError[*types.ResourceNotFoundException](t, err, "ResourceNotFoundException", notFound)
	_, err = fx.invoke(&lambda.InvokeInput{FunctionName: aws.String(name), Qualifier: aws.String("live")})
	expectAPIError[*types.ResourceNotFoundException](t, err, "ResourceNotFoundException", notFound)
	expectAPIError[*types.ResourceNotFoundException](t, fx.deleteFunction(name, nil), "ResourceNotFoundException", notFound)
	_, err = fx.client.ListTags(fx.ctx, &lambda.ListTagsInput{Resource: aws.String(fx.arn(name))})
	expectAPIError[*types.ResourceNotFoundException](t, err, "ResourceNotFoundException", notFound)
	fx.call(http.MethodGet, "/products", "").expect(t, http.StatusInternalServerError, `{"message": "Internal server error"}`)
}

// TestDeleteFunctionWhileItRuns: an invocation running when its function is
// deleted finishes; its environment dies with it and the account's
// in-flight counts return to zero.
func TestDeleteFunctionWhileItRuns(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.plainFunction()
	inv := fx.mustBegin(name, "")
	mustNoErr(t, fx.deleteFunction(name, nil), "DeleteFunction while an invocation runs")
	fx.clock.Advance(inv.latency())
	fx.end(inv)
	fx.sb.mu.Lock()
	defer fx.sb.mu.Unlock()
	if fx.sb.inflight != 0 || fx.sb.unreservedInflight != 0 || inv.f.exec.inflight != 0 {
		t.Fatalf("in flight after the end: account %d, unreserved %d, function %d", fx.sb.inflight, fx.sb.unreservedInflight, inv.f.exec.inflight)
	}
	if len(inv.f.exec.pools) != 0 || len(inv.pool.idle) != 0 {
		t.Fatalf("the deleted function still holds %d pools, %d idle environments", len(inv.f.exec.pools), len(inv.pool.idle))
	}
}

func TestDeleteAVersion(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.plainFunction()
	before := fx.unreserved()
	version := fx.provision(name, "live", 5)
	_, err := fx.client.CreateAlias(fx.ctx, &lambda.CreateAliasInput{FunctionName: aws.String(name), Name: aws.String("blue"), FunctionVersion: aws.String(version)})
	mustNoErr(t, err, "CreateAlias blue")
	expectAPIError[*types.ResourceConflictException](t, fx.deleteFunction(name, aws.String(version)), "ResourceConflictException",
		"Unable to delete version because the following aliases reference it: [blue, live]")
	for _, alias := range []string{"blue", "live"} {
		_, err = fx.client.DeleteAlias(fx.ctx, &lambda.DeleteAliasInput{FunctionName: aws.String(name), Name: aws.String(alias)})
		mustNoErr(t, err, "DeleteAlias "+alias)
	}
	mustNoErr(t, fx.deleteFunction(name, aws.String(version)), "DeleteFunction version "+version)
	mustNoErr(t, fx.deleteFunction(name, aws.String("7")), "DeleteFunction of a version that never was")
	if got := fx.unreserved(); got != before {
		t.Fatalf("unreserved = %d, want %d", got, before)
	}
	_, err = fx.invoke(&lambda.InvokeInput{FunctionName: aws.String(name), Qualifier: aws.String(version)})
	expectAPIError[*types.ResourceNotFoundException](t, err, "ResourceNotFoundException", "Function not found: "+fx.arn(name)+":"+version)
	versions, err := fx.client.ListVersionsByFunction(fx.ctx, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String(name)})
	mustNoErr(t, err, "ListVersionsByFunction")
	if len(versions.Versions) != 1 || *versions.Versions[0].Version != "$LATEST" {
		t.Fatalf("versions after the delete: %d, want $LATEST alone", len(versions.Versions))
	}
	next, err := fx.client.PublishVersion(fx.ctx, &lambda.PublishVersionInput{FunctionName: aws.String(name)})
	mustNoErr(t, err, "PublishVersion")
	if *next.Version == version {
		t.Fatalf("PublishVersion reused deleted version number %s", version)
	}
	if _, err := fx.invoke(&lambda.InvokeInput{FunctionName: aws.String(name)}); err != nil {
		t.Fatalf("$LATEST no longer runs: %v", err)
	}
}

func TestDeleteFunctionRefusals(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.sb.ProductFunctionName()
	expectAPIError[*types.InvalidParameterValueException](t, fx.deleteFunction(name, aws.String("$LATEST")), "InvalidParameterValueException",
		"$LATEST version cannot be deleted without deleting the function.")
	expectAPIError[*types.InvalidParameterValueException](t, fx.deleteFunction(name, aws.String("live")), "InvalidParameterValueException",
		"Deletion of aliases is not currently supported.")
	expectAPIError[*types.ResourceNotFoundException](t, fx.deleteFunction("no-such-function", aws.String("3")), "ResourceNotFoundException",
		"Function not found: "+fx.arn("no-such-function"))
}
