package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

func TestListFunctionsPagesAtMost50(t *testing.T) {
	fx := newFixture(t, testConfig())
	var pages, total int
	seen := map[string]bool{}
	p := lambda.NewListFunctionsPaginator(fx.client, &lambda.ListFunctionsInput{MaxItems: aws.Int32(200)})
	for p.HasMorePages() {
		out, err := p.NextPage(fx.ctx)
		mustNoErr(t, err, "ListFunctions")
		if len(out.Functions) > 50 {
			t.Fatalf("page of %d functions, want at most 50", len(out.Functions))
		}
		pages++
		for _, f := range out.Functions {
			if seen[*f.FunctionName] {
				t.Fatalf("function %s listed twice", *f.FunctionName)
			}
			seen[*f.FunctionName] = true
			if f.State != "" || f.LastUpdateStatus != "" {
				t.Fatalf("ListFunctions returned State %q / LastUpdateStatus %q; AWS leaves them out", f.State, f.LastUpdateStatus)
			}
		}
		total += len(out.Functions)
	}
	if total != seededFunctions+1 || pages != 2 {
		t.Fatalf("listed %d functions in %d pages, want %d in 2", total, pages, seededFunctions+1)
	}
	if !seen[fx.sb.ProductFunctionName()] {
		t.Fatalf("product function %s not listed", fx.sb.ProductFunctionName())
	}
}

func TestListFunctionsSmallPagesAndVersions(t *testing.T) {
	fx := newFixture(t, testConfig())
	out, err := fx.client.ListFunctions(fx.ctx, &lambda.ListFunctionsInput{MaxItems: aws.Int32(7)})
	mustNoErr(t, err, "ListFunctions")
	if len(out.Functions) != 7 || out.NextMarker == nil {
		t.Fatalf("got %d functions, marker %v; want 7 and a marker", len(out.Functions), out.NextMarker)
	}
	next, err := fx.client.ListFunctions(fx.ctx, &lambda.ListFunctionsInput{MaxItems: aws.Int32(7), Marker: out.NextMarker})
	mustNoErr(t, err, "ListFunctions page 2")
	if *next.Functions[0].FunctionName <= *out.Functions[6].FunctionName {
		t.Fatalf("page 2 starts at %s, not after %s", *next.Functions[0].FunctionName, *out.Functions[6].FunctionName)
	}
	all, err := fx.client.ListFunctions(fx.ctx, &lambda.ListFunctionsInput{FunctionVersion: types.FunctionVersionAll, MaxItems: aws.Int32(50)})
	mustNoErr(t, err, "ListFunctions ALL")
	if !strings.HasSuffix(*all.Functions[0].FunctionArn, ":$LATEST") {
		t.Fatalf("FunctionVersion=ALL lists %s, want qualified ARNs", *all.Functions[0].FunctionArn)
	}
	_, err = fx.client.ListFunctions(fx.ctx, &lambda.ListFunctionsInput{Marker: aws.String("not-a-marker")})
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException",
		`The marker "not-a-marker" is not valid: pass the NextMarker of the previous page.`)
}

// The raw wire form: ListFunctions has no state fields at all, GetFunction has
// them populated.
func TestListFunctionsWireOmitsState(t *testing.T) {
	fx := newFixture(t, testConfig())
	body := httpGet(t, fx.url+"/2015-03-31/functions/?MaxItems=3")
	if strings.Contains(body, "LastUpdateStatus") || strings.Contains(body, `"State"`) {
		t.Fatalf("ListFunctions body has state fields: %s", body)
	}
	body = httpGet(t, fx.url+"/2015-03-31/functions/"+fx.sb.ProductFunctionName())
	if !strings.Contains(body, `"State":"Active"`) || !strings.Contains(body, `"LastUpdateStatus":"Successful"`) {
		t.Fatalf("GetFunction body lacks State/LastUpdateStatus: %s", body)
	}
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	mustNoErr(t, err, "GET "+url)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	mustNoErr(t, err, "read body")
	return string(data)
}

func TestGetFunctionProductAPI(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.sb.ProductFunctionName()
	out, err := fx.client.GetFunction(fx.ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
	mustNoErr(t, err, "GetFunction")
	c := out.Configuration
	if c.Runtime != types.RuntimePython312 || *c.MemorySize != 128 || *c.Timeout != 3 || *c.Handler != "app.lambda_handler" ||
		c.Architectures[0] != types.ArchitectureX8664 || *c.FunctionArn != fx.arn(name) || *c.Version != "$LATEST" {
		t.Fatalf("product function configuration = %+v", c)
	}
	if c.State != types.StateActive || c.LastUpdateStatus != types.LastUpdateStatusSuccessful {
		t.Fatalf("State %q LastUpdateStatus %q, want Active/Successful", c.State, c.LastUpdateStatus)
	}
	if out.Code == nil || *out.Code.RepositoryType != "S3" || out.Concurrency != nil {
		t.Fatalf("Code %+v Concurrency %+v", out.Code, out.Concurrency)
	}
	if out.Tags["aws:cloudformation:stack-name"] != "product-api" {
		t.Fatalf("tags = %v", out.Tags)
	}
	cfg, err := fx.client.GetFunctionConfiguration(fx.ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(fx.arn(name))})
	mustNoErr(t, err, "GetFunctionConfiguration by ARN")
	if *cfg.RevisionId != *c.RevisionId || cfg.State != types.StateActive {
		t.Fatalf("GetFunctionConfiguration = %+v", cfg)
	}
}

func TestUnknownFunction(t *testing.T) {
	fx := newFixture(t, testConfig())
	_, err := fx.client.GetFunction(fx.ctx, &lambda.GetFunctionInput{FunctionName: aws.String("no-such-function")})
	expectAPIError[*types.ResourceNotFoundException](t, err, "ResourceNotFoundException",
		"Function not found: arn:aws:lambda:us-east-1:123456789012:function:no-such-function")
	_, err = fx.client.UpdateFunctionConfiguration(fx.ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("no-such-function"), MemorySize: aws.Int32(256)})
	expectAPIError[*types.ResourceNotFoundException](t, err, "ResourceNotFoundException",
		"Function not found: arn:aws:lambda:us-east-1:123456789012:function:no-such-function")
	_, err = fx.client.GetFunction(fx.ctx, &lambda.GetFunctionInput{FunctionName: aws.String(fx.sb.ProductFunctionName()), Qualifier: aws.String("7")})
	expectAPIError[*types.ResourceNotFoundException](t, err, "ResourceNotFoundException",
		"Function not found: "+fx.arn(fx.sb.ProductFunctionName())+":7")
}

func TestUpdateFunctionConfigurationLifecycle(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.sb.ProductFunctionName()
	before, err := fx.client.GetFunction(fx.ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
	mustNoErr(t, err, "GetFunction")

	fx.clock.Advance(time.Minute)
	up, err := fx.client.UpdateFunctionConfiguration(fx.ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String(name), MemorySize: aws.Int32(3008), Timeout: aws.Int32(10)})
	mustNoErr(t, err, "UpdateFunctionConfiguration")
	if *up.MemorySize != 3008 || *up.Timeout != 10 || up.LastUpdateStatus != types.LastUpdateStatusInProgress ||
		up.LastUpdateStatusReasonCode != "Creating" || *up.RevisionId == *before.Configuration.RevisionId ||
		*up.LastModified != "2026-11-27T09:01:00.000+0000" {
		t.Fatalf("update answer = %+v", up)
	}

	conflict := "The operation cannot be performed at this time. An update is in progress for resource: " + fx.arn(name)
	_, err = fx.client.UpdateFunctionConfiguration(fx.ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String(name), MemorySize: aws.Int32(512)})
	expectAPIError[*types.ResourceConflictException](t, err, "ResourceConflictException", conflict)
	_, err = fx.client.PublishVersion(fx.ctx, &lambda.PublishVersionInput{FunctionName: aws.String(name)})
	expectAPIError[*types.ResourceConflictException](t, err, "ResourceConflictException", conflict)

	// Invocations keep the old configuration until the update completes.
	fx.clock.Advance(299 * time.Millisecond)
	if cfg := fx.appliedConfig(name); cfg.MemorySize != 128 || cfg.Revision != 1 {
		t.Fatalf("applied during update = %d MB revision %d, want the old 128 MB revision 1", cfg.MemorySize, cfg.Revision)
	}
	fx.clock.Advance(time.Millisecond)
	got, err := fx.client.GetFunctionConfiguration(fx.ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name)})
	mustNoErr(t, err, "GetFunctionConfiguration")
	if got.LastUpdateStatus != types.LastUpdateStatusSuccessful || *got.MemorySize != 3008 || got.LastUpdateStatusReason != nil {
		t.Fatalf("after the update delay: %s %d MB", got.LastUpdateStatus, *got.MemorySize)
	}
	if cfg := fx.appliedConfig(name); cfg.MemorySize != 3008 || cfg.Revision != 2 {
		t.Fatalf("applied after update = %d MB revision %d, want 3008 MB revision 2", cfg.MemorySize, cfg.Revision)
	}
}

// appliedConfig is what an invocation would run with now.
func (fx *fixture) appliedConfig(name string) functionConfig {
	fx.sb.mu.Lock()
	defer fx.sb.mu.Unlock()
	f := fx.sb.acct.functions[name]
	f.settle(fx.clock.Now())
	return f.applied
}

func TestUpdateFunctionConfigurationValidation(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := aws.String(fx.sb.ProductFunctionName())
	cases := []struct {
		in      lambda.UpdateFunctionConfigurationInput
		message string
	}{
		{lambda.UpdateFunctionConfigurationInput{FunctionName: name, MemorySize: aws.Int32(10241)},
			"1 validation error detected: Value '10241' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240"},
		{lambda.UpdateFunctionConfigurationInput{FunctionName: name, MemorySize: aws.Int32(64)},
			"1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128"},
		{lambda.UpdateFunctionConfigurationInput{FunctionName: name, Timeout: aws.Int32(901)},
			"1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"},
		{lambda.UpdateFunctionConfigurationInput{FunctionName: name, MemorySize: aws.Int32(20000), Timeout: aws.Int32(0)},
			"2 validation errors detected: Value '20000' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240; " +
				"Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1"},
	}
	for _, tc := range cases {
		_, err := fx.client.UpdateFunctionConfiguration(fx.ctx, &tc.in)
		expectGenericError(t, err, "ValidationException", tc.message)
	}
	_, err := fx.client.UpdateFunctionConfiguration(fx.ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: name, Runtime: types.Runtime("cobol85")})
	var invalid *types.InvalidParameterValueException
	if !asError(err, &invalid) || !strings.Contains(invalid.ErrorMessage(), "Value cobol85 at 'runtime'") {
		t.Fatalf("bad runtime error = %v", err)
	}
	_, err = fx.client.UpdateFunctionConfiguration(fx.ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: name, MemorySize: aws.Int32(256), RevisionId: aws.String("stale")})
	expectAPIError[*types.PreconditionFailedException](t, err, "PreconditionFailedException",
		"The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	_, err = fx.client.UpdateFunctionConfiguration(fx.ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: name, VpcConfig: &types.VpcConfig{SubnetIds: []string{"subnet-1"}}})
	expectAPIError[*types.InvalidParameterValueException](t, err, "InvalidParameterValueException",
		"The lambdatune sandbox does not model VpcConfig; it supports MemorySize, Timeout, Description, Handler, Runtime, Role, Environment and EphemeralStorage.")
	if cfg := fx.appliedConfig(*name); cfg.MemorySize != 128 || cfg.Revision != 1 {
		t.Fatalf("a refused update changed the function: %+v", cfg)
	}
}

func TestUpdateFunctionWaiterSeesSuccessful(t *testing.T) {
	cfg := testConfig()
	cfg.Clock = nil // the SDK waiter sleeps on the wall clock
	fx := newFixture(t, cfg)
	name := aws.String(fx.sb.ProductFunctionName())
	_, err := fx.client.UpdateFunctionConfiguration(fx.ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: name, MemorySize: aws.Int32(1024)})
	mustNoErr(t, err, "UpdateFunctionConfiguration")
	w := lambda.NewFunctionUpdatedV2Waiter(fx.client, func(o *lambda.FunctionUpdatedV2WaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, 200*time.Millisecond
	})
	out, err := w.WaitForOutput(fx.ctx, &lambda.GetFunctionInput{FunctionName: name}, 10*time.Second)
	mustNoErr(t, err, "FunctionUpdatedV2 waiter")
	if *out.Configuration.MemorySize != 1024 {
		t.Fatalf("memory after wait = %d", *out.Configuration.MemorySize)
	}
}

// The environment is returned like AWS returns it; the JSON shape matters to
// botocore and the SDK alike.
func TestEnvironmentShape(t *testing.T) {
	fx := newFixture(t, testConfig())
	var out struct {
		Environment struct{ Variables map[string]string }
	}
	body := httpGet(t, fx.url+"/2015-03-31/functions/"+fx.sb.ProductFunctionName()+"/configuration")
	mustNoErr(t, json.Unmarshal([]byte(body), &out), "decode")
	if out.Environment.Variables["POWERTOOLS_SERVICE_NAME"] != "products" {
		t.Fatalf("environment = %v", out.Environment)
	}
}
