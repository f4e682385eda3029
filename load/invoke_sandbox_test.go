package load_test

// The Invoke target end to end: the real aws client invoking the sandbox's
// product function over loopback with API Gateway proxy events.

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/load"
	"github.com/lambdatune/lambdatune/sandbox"
)

func invokeSandbox(t *testing.T) (*aws.Client, string) {
	t.Helper()
	cfg := sandbox.Fast()
	cfg.ZeroLatency = true // the model runs in full; nobody waits out its latencies
	cfg.ControlPlaneRate, cfg.GetFunctionRate = -1, -1
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(func() { sb.Close(); srv.Close() })
	client, err := aws.New(t.Context(), aws.Options{EndpointURL: srv.URL, StaticCredentials: true, ControlPlaneRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	return client, sb.ProductFunctionName()
}

func runInvoke(t *testing.T, client *aws.Client, function string, requests uint64) load.Snapshot {
	t.Helper()
	run, err := load.Start(context.Background(), load.Config{
		Target:      load.NewInvokeTarget(client, function, ""),
		Scenario:    load.NewProductsScenario(load.DefaultProductWeights),
		Users:       8,
		RunTime:     30 * time.Second,
		MaxRequests: requests,
		Seed:        42,
	})
	if err != nil {
		t.Fatal(err)
	}
	return run.Wait()
}

func TestInvokeTargetAgainstTheSandbox(t *testing.T) {
	client, product := invokeSandbox(t)
	snap := runInvoke(t, client, product, 400)
	total := snap.Total
	if total.Requests != 400 || total.Failures != 0 {
		t.Fatalf("%d requests, %d failures (%v); want 400 and none", total.Requests, total.Failures, total.Errors)
	}
	server := total.Server
	if server.Invocations != 400 {
		t.Fatalf("REPORT lines read for %d invocations, want 400", server.Invocations)
	}
	// Eight users start at once: each needs its own environment, so each of
	// the first eight calls is a cold start with an Init Duration.
	if server.ColdStarts < 1 || server.ColdStarts > 8 || server.AverageInitDuration <= 0 {
		t.Fatalf("cold starts %d, average init %v", server.ColdStarts, server.AverageInitDuration)
	}
	if server.AverageDuration <= 0 || server.AverageBilledDuration < server.AverageDuration || server.MaxMemoryUsedMB <= 0 {
		t.Fatalf("server stats %+v", server)
	}
	for _, e := range snap.Endpoints {
		if e.Requests == 0 {
			t.Errorf("%s %s never ran", e.Method, e.Name)
		}
	}
}

// TestInvokeTargetCountsThrottles sets reserved concurrency 0: every call is
// throttled, and the run counts throttles apart, as failures, not errors.
func TestInvokeTargetCountsThrottles(t *testing.T) {
	client, product := invokeSandbox(t)
	_, err := client.Lambda().PutFunctionConcurrency(t.Context(), &lambda.PutFunctionConcurrencyInput{
		FunctionName: sdkaws.String(product), ReservedConcurrentExecutions: sdkaws.Int32(0)})
	if err != nil {
		t.Fatal(err)
	}
	snap := runInvoke(t, client, product, 50)
	if snap.Total.Requests != 50 || snap.Total.Throttles != 50 || snap.Total.Failures != 50 {
		t.Fatalf("requests %d, throttles %d, failures %d; want 50 of each", snap.Total.Requests, snap.Total.Throttles, snap.Total.Failures)
	}
	if snap.Total.Server.Invocations != 0 {
		t.Fatalf("%d invocations ran under reserved concurrency 0", snap.Total.Server.Invocations)
	}
}

// TestInvokeAtAClosedEndpointIsUnreachable: the real SDK client pointed at a
// loopback port where nothing listens; the Invoke target marks its failures
// as connect failures, so the run stops as unreachable.
func TestInvokeAtAClosedEndpointIsUnreachable(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(nil)
	endpoint := srv.URL
	srv.Close() // nothing listens there now
	client, err := aws.New(t.Context(), aws.Options{EndpointURL: endpoint, StaticCredentials: true, ControlPlaneRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	run, err := load.Start(context.Background(), load.Config{
		Target: load.NewInvokeTarget(client, "product-api", ""), Scenario: load.GetScenario{},
		Users: 2, RunTime: 30 * time.Second, UnreachableAfter: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	snap := run.Wait()
	if snap.Reason != load.StopUnreachable || !snap.Unreachable || snap.Total.Requests == 0 || snap.Total.Requests > 2*7 {
		t.Fatalf("reason %q, unreachable %v, %d requests: %v", snap.Reason, snap.Unreachable, snap.Total.Requests, snap.Total.Errors)
	}
}
