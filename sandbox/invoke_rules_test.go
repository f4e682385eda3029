package sandbox

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The rules that show on the wire, through the real SDK client over loopback.

// genericAnswer is what the seeded functions' code returns.
type genericAnswer struct {
	InitializationType string
	ColdStart          bool
}

func decodeGeneric(t *testing.T, payload []byte) genericAnswer {
	t.Helper()
	var a genericAnswer
	mustNoErr(t, json.Unmarshal(payload, &a), "decode the function's answer")
	return a
}

func TestProvisionedServedFirstThenSpillover(t *testing.T) {
	obs := &recorder{}
	cfg := testConfig()
	cfg.Observer = obs
	fx := newFixture(t, cfg)
	name := fx.plainFunction()
	version := fx.provision(name, "live", 2)
	a, b := fx.mustBegin(name, "live"), fx.mustBegin(name, "live")
	if !a.provisioned || !b.provisioned || a.cold || b.cold || !a.firstInvoke {
		t.Fatalf("provisioned environments come first, pre-initialised (no cold start, first-invoke penalty only): %+v %+v", a.placement, b.placement)
	}
	in := &lambda.InvokeInput{FunctionName: aws.String(name), Qualifier: aws.String("live"), LogType: types.LogTypeTail}
	spill, err := fx.invoke(in)
	mustNoErr(t, err, "Invoke while both provisioned environments are busy")
	if r := parseLog(t, spill.LogResult, version); !r.cold || aws.ToString(spill.ExecutedVersion) != version {
		t.Fatalf("spillover should be an on-demand cold start of version %s: %+v", version, r)
	}
	if got := decodeGeneric(t, spill.Payload); got.InitializationType != "on-demand" {
		t.Fatalf("spillover runs with AWS_LAMBDA_INITIALIZATION_TYPE %q", got.InitializationType)
	}
	fx.end(a)
	fx.end(b)
	pc, err := fx.invoke(in)
	mustNoErr(t, err, "Invoke with a provisioned environment free")
	if r := parseLog(t, pc.LogResult, version); r.cold {
		t.Fatalf("a provisioned environment never shows Init Duration: %s", r.raw)
	}
	if got := decodeGeneric(t, pc.Payload); got.InitializationType != "provisioned-concurrency" || got.ColdStart {
		t.Fatalf("provisioned invocation: %+v", got)
	}
	invocations, _, _ := obs.snapshot()
	spilled, provisioned := 0, 0
	for _, r := range invocations {
		if r.Spillover {
			spilled++
		}
		if r.Provisioned {
			provisioned++
		}
	}
	if spilled != 1 || provisioned != 3 {
		t.Fatalf("observer saw %d spillover and %d provisioned invocations, want 1 and 3", spilled, provisioned)
	}
}

func TestAliasMoveMovesProvisionedEnvironments(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.plainFunction()
	v1 := fx.provision(name, "live", 2)
	fx.configure(&lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(name), Description: aws.String("second release")})
	v2, err := fx.client.PublishVersion(fx.ctx, &lambda.PublishVersionInput{FunctionName: aws.String(name)})
	mustNoErr(t, err, "PublishVersion 2")
	_, err = fx.client.UpdateAlias(fx.ctx, &lambda.UpdateAliasInput{FunctionName: aws.String(name), Name: aws.String("live"), FunctionVersion: v2.Version})
	mustNoErr(t, err, "UpdateAlias live → 2")
	if old := fx.mustBegin(name, v1); old.provisioned || !old.cold {
		t.Fatal("version 1 kept provisioned environments after its alias moved away")
	}
	if early := fx.mustBegin(name, "live"); early.provisioned || early.pool.version != *v2.Version {
		t.Fatalf("live → %s while its allocation is IN_PROGRESS must run on demand", early.pool.version)
	}
	fx.clock.Advance(Fast().ProvisionedAllocationDelay)
	if ready := fx.mustBegin(name, "live"); !ready.provisioned {
		t.Fatal("after the allocation the new version's environments serve live")
	}
}

func TestTimeoutEndsTheInvocationAndResetsTheEnvironment(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.functionOfKind(imageKind)
	fx.configure(&lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(name), MemorySize: aws.Int32(128), Timeout: aws.Int32(3)})
	// 12 megapixels ≈ 3.6 vCPU-s, ≈ 50 s at 128 MB: far past the 3 s timeout.
	out, err := fx.invoke(&lambda.InvokeInput{FunctionName: aws.String(name), LogType: types.LogTypeTail, Payload: []byte(`{"width":4000,"height":3000}`)})
	mustNoErr(t, err, "Invoke")
	r := parseLog(t, out.LogResult, "$LATEST")
	var payload struct{ ErrorMessage, ErrorType string }
	mustNoErr(t, json.Unmarshal(out.Payload, &payload), "decode the timeout")
	if aws.ToString(out.FunctionError) != "Unhandled" || payload.ErrorType != "Sandbox.Timedout" ||
		payload.ErrorMessage != "RequestId: "+r.requestID+" Error: Task timed out after 3.00 seconds" {
		t.Fatalf("X-Amz-Function-Error %q, payload %s", aws.ToString(out.FunctionError), out.Payload)
	}
	if r.duration != 3000 || !r.timedOut || !r.cold || r.billed != math.Ceil(r.duration+r.init) {
		t.Fatalf("REPORT of a timeout: %+v", r)
	}
	if !strings.Contains(r.userLines, r.requestID+" Task timed out after 3.00 seconds") {
		t.Fatalf("log has no timeout line:\n%s", r.raw)
	}
	next, err := fx.invoke(&lambda.InvokeInput{FunctionName: aws.String(name), LogType: types.LogTypeTail, Payload: []byte(`{"width":64,"height":64}`)})
	mustNoErr(t, err, "Invoke after the timeout")
	if n := parseLog(t, next.LogResult, "$LATEST"); !n.cold || next.FunctionError != nil {
		t.Fatalf("a timeout resets its environment, so the next invocation starts cold: %+v", n)
	}
}

func TestThrottlesOnTheWire(t *testing.T) {
	cfg := testConfig()
	cfg.AccountConcurrency = 10
	fx := newFixture(t, cfg)
	name := fx.plainFunction()
	for range 10 {
		fx.mustBegin(name, "")
	}
	_, err := fx.client.Invoke(fx.ctx, &lambda.InvokeInput{FunctionName: aws.String(name)})
	throttled := expectAPIError[*types.TooManyRequestsException](t, err, "TooManyRequestsException", "Rate Exceeded.")
	if throttled.Reason != types.ThrottleReasonConcurrentInvocationLimitExceeded || aws.ToString(throttled.RetryAfterSeconds) != "1" || aws.ToString(throttled.Type) != "User" {
		t.Fatalf("Reason %q, Retry-After %q, Type %q", throttled.Reason, aws.ToString(throttled.RetryAfterSeconds), aws.ToString(throttled.Type))
	}
	var httpErr *smithyhttp.ResponseError
	if !errors.As(err, &httpErr) || httpErr.HTTPStatusCode() != http.StatusTooManyRequests {
		t.Fatalf("status: %v", err)
	}

	other := fx.functionOfKind(imageKind)
	fx.reserve(other, 0)
	_, err = fx.client.Invoke(fx.ctx, &lambda.InvokeInput{FunctionName: aws.String(other)})
	throttled = expectAPIError[*types.TooManyRequestsException](t, err, "TooManyRequestsException", "Rate Exceeded.")
	if throttled.Reason != types.ThrottleReasonReservedFunctionConcurrentInvocationLimitExceeded {
		t.Fatalf("reserved 0: Reason %q", throttled.Reason)
	}
	resp, err := http.Post(fx.url+"/2015-03-31/functions/"+other+"/invocations", "application/json", nil)
	mustNoErr(t, err, "POST invocations")
	defer resp.Body.Close()
	var body map[string]string
	mustNoErr(t, json.NewDecoder(resp.Body).Decode(&body), "decode the throttle")
	if body["Reason"] != "ReservedFunctionConcurrentInvocationLimitExceeded" || body["Type"] != "User" || body["message"] != "Rate Exceeded." || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("throttle body %v, Retry-After %q", body, resp.Header.Get("Retry-After"))
	}
}
