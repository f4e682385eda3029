package sandbox

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// Bad Invoke input gets AWS's answers, through the SDK.
func TestInvokeBadInput(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.plainFunction()
	invoke := func(in lambda.InvokeInput) error {
		_, err := fx.client.Invoke(fx.ctx, &in)
		return err
	}
	arn := fx.arn(name)
	expectAPIError[*types.ResourceNotFoundException](t, invoke(lambda.InvokeInput{FunctionName: aws.String("ghost")}),
		"ResourceNotFoundException", "Function not found: "+fx.arn("ghost"))
	expectAPIError[*types.ResourceNotFoundException](t, invoke(lambda.InvokeInput{FunctionName: aws.String(name), Qualifier: aws.String("9")}),
		"ResourceNotFoundException", "Function not found: "+arn+":9")
	expectAPIError[*types.ResourceNotFoundException](t, invoke(lambda.InvokeInput{FunctionName: aws.String(name), Qualifier: aws.String("prod")}),
		"ResourceNotFoundException", "Function not found: "+arn+":prod")
	expectAPIError[*types.InvalidRequestContentException](t, invoke(lambda.InvokeInput{FunctionName: aws.String(name), Payload: []byte("abc")}),
		"InvalidRequestContentException", "Could not parse request body into json: Could not parse payload into json: Unrecognized token 'abc': "+
			"was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 4]")
	expectAPIError[*types.InvalidRequestContentException](t, invoke(lambda.InvokeInput{FunctionName: aws.String(name), Payload: []byte(`{"a":1 "b":2}`)}),
		"InvalidRequestContentException", "Could not parse request body into json: Could not parse payload into json: Unexpected character ('\"' (code 34)): "+
			"was expecting comma to separate Object entries\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 8]")
	big := append(append([]byte(`{"data":"`), bytes.Repeat([]byte("x"), maxSyncPayload)...), '"', '}')
	expectGenericError(t, invoke(lambda.InvokeInput{FunctionName: aws.String(name), Payload: big}),
		"RequestEntityTooLargeException", "Request must be smaller than 6291456 bytes for the InvokeFunction operation")
	async := append(append([]byte(`{"data":"`), bytes.Repeat([]byte("x"), 1_048_566)...), '"', '}')
	expectGenericError(t, invoke(lambda.InvokeInput{FunctionName: aws.String(name), Payload: async, InvocationType: types.InvocationTypeEvent}),
		"RequestEntityTooLargeException", "1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)")
	expectGenericError(t, invoke(lambda.InvokeInput{FunctionName: aws.String(name), InvocationType: "Later"}),
		"ValidationException", "1 validation error detected: Value 'Later' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]")
	expectGenericError(t, invoke(lambda.InvokeInput{FunctionName: aws.String(name), LogType: "Everything"}),
		"ValidationException", "1 validation error detected: Value 'Everything' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]")
	expectAPIError[*types.InvalidParameterValueException](t, invoke(lambda.InvokeInput{FunctionName: aws.String(name + ":1"), Qualifier: aws.String("2")}),
		"InvalidParameterValueException", "The derived qualifier from the function name does not match the specified qualifier.")
}

func TestInvokeDryRunAndEvent(t *testing.T) {
	obs := &recorder{}
	cfg := testConfig()
	cfg.Observer = obs
	fx := newFixture(t, cfg)
	name := fx.plainFunction()
	dry, err := fx.client.Invoke(fx.ctx, &lambda.InvokeInput{FunctionName: aws.String(name), InvocationType: types.InvocationTypeDryRun})
	mustNoErr(t, err, "DryRun")
	if dry.StatusCode != http.StatusNoContent {
		t.Fatalf("DryRun answered %d", dry.StatusCode)
	}
	event, err := fx.client.Invoke(fx.ctx, &lambda.InvokeInput{FunctionName: aws.String(name), InvocationType: types.InvocationTypeEvent, Payload: []byte(`{"id":"1"}`)})
	mustNoErr(t, err, "Event")
	if event.StatusCode != http.StatusAccepted || len(event.Payload) != 0 {
		t.Fatalf("Event answered %d %q", event.StatusCode, event.Payload)
	}
	for deadline := time.Now().Add(5 * time.Second); ; {
		if invocations, _, _ := obs.snapshot(); len(invocations) == 1 {
			if !invocations[0].Async || invocations[0].FunctionError != "" {
				t.Fatalf("the event ran as %+v", invocations[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the event never ran")
		}
		if d, ok := fx.clock.NextDeadline(); ok {
			fx.clock.Set(d)
		}
		time.Sleep(time.Millisecond)
	}
}

// An Event invocation of a throttled function is accepted and retried in
// the model's time until it runs.
func TestEventRetriedAfterThrottle(t *testing.T) {
	obs := &recorder{}
	cfg := testConfig()
	cfg.Observer = obs
	fx := newFixture(t, cfg)
	name := fx.plainFunction()
	fx.reserve(name, 0)
	_, err := fx.client.Invoke(fx.ctx, &lambda.InvokeInput{FunctionName: aws.String(name), InvocationType: types.InvocationTypeEvent})
	mustNoErr(t, err, "Event to a throttled function")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		if _, throttles, _ := obs.snapshot(); len(throttles) >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the throttled event was not retried")
		}
		if d, ok := fx.clock.NextDeadline(); ok {
			fx.clock.Set(d)
		}
	}
	_, err = fx.client.DeleteFunctionConcurrency(fx.ctx, &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String(name)})
	mustNoErr(t, err, "DeleteFunctionConcurrency")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		if invocations, throttles, _ := obs.snapshot(); len(invocations) == 1 {
			if !strings.HasPrefix(throttles[0].Reason, "ReservedFunctionConcurrent") || !throttles[0].Async {
				t.Fatalf("throttle %+v", throttles[0])
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the event never ran after the reservation was removed")
		}
		if d, ok := fx.clock.NextDeadline(); ok {
			fx.clock.Set(d)
		}
	}
}

// Invoke is data plane: the control plane's request quota does not apply.
func TestInvokeIsNotThrottledByTheControlPlaneQuota(t *testing.T) {
	cfg := testConfig()
	cfg.ControlPlaneRate = 1
	fx := newFixture(t, cfg)
	name := fx.plainFunction()
	for i := range 5 {
		_, err := fx.invoke(&lambda.InvokeInput{FunctionName: aws.String(name)})
		mustNoErr(t, err, "Invoke "+strconv.Itoa(i))
	}
	_, err := fx.client.ListFunctions(fx.ctx, &lambda.ListFunctionsInput{})
	mustNoErr(t, err, "the first control-plane call")
	_, err = fx.client.ListFunctions(fx.ctx, &lambda.ListFunctionsInput{})
	expectAPIError[*types.TooManyRequestsException](t, err, "TooManyRequestsException", "Rate exceeded")
}

// AWS takes Event payloads up to 1 MB (raised from 256 KB): exactly 1 MB is
// accepted and runs.
func TestEventInvokeTakesOneMegabyte(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.plainFunction()
	payload := append(append([]byte(`{"data":"`), bytes.Repeat([]byte("x"), maxAsyncPayload-11)...), '"', '}')
	if len(payload) != 1<<20 {
		t.Fatalf("payload is %d bytes", len(payload))
	}
	out, err := fx.client.Invoke(fx.ctx, &lambda.InvokeInput{FunctionName: aws.String(name), InvocationType: types.InvocationTypeEvent, Payload: payload})
	mustNoErr(t, err, "Event invoke of 1 MB")
	if out.StatusCode != http.StatusAccepted {
		t.Fatalf("status = %d, want 202", out.StatusCode)
	}
}
