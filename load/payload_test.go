package load_test

import (
	"context"
	"strings"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambdatune/lambdatune/load"
)

func runPayload(t *testing.T, target *load.PayloadTarget, requests uint64) load.Snapshot {
	t.Helper()
	run, err := load.Start(context.Background(), load.Config{Target: target, Scenario: load.PayloadScenario{},
		Users: 2, RunTime: 30 * time.Second, MaxRequests: requests, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return run.Wait()
}

// The payload target invokes with the payload as is and reads REPORT lines;
// a function that times out counts as a timed-out failure.
func TestPayloadTargetReportsAndTimeouts(t *testing.T) {
	client, product := invokeSandbox(t)
	snap := runPayload(t, load.NewPayloadTarget(client, product, "", []byte(`{}`)), 6)
	if snap.Total.Requests != 6 || snap.Total.Server.Invocations != 6 {
		t.Fatalf("%d requests, %d REPORT lines", snap.Total.Requests, snap.Total.Server.Invocations)
	}
	// An image resize at 128 MB with a 1 s timeout times out for certain.
	fns, err := client.ListFunctions(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range fns {
		if !strings.Contains(strings.ReplaceAll(strings.ToLower(fn.Name), "-", ""), "resizer") {
			continue
		}
		if _, err := client.Lambda().UpdateFunctionConfiguration(t.Context(), &lambda.UpdateFunctionConfigurationInput{
			FunctionName: sdkaws.String(fn.Name), Timeout: sdkaws.Int32(1), MemorySize: sdkaws.Int32(128)}); err != nil {
			t.Fatal(err)
		}
		if _, err := client.WaitUpdated(t.Context(), fn.Name, nil); err != nil {
			t.Fatal(err)
		}
		snap := runPayload(t, load.NewPayloadTarget(client, fn.Name, "", []byte(`{"width":2000,"height":1500}`)), 2)
		for text, n := range snap.Total.Errors {
			if strings.Contains(text, load.FunctionTimeout) && n == 2 {
				return
			}
		}
		t.Fatalf("errors %v: want 2 timeouts", snap.Total.Errors)
	}
	t.Skip("no image resizer among the seeded functions")
}
