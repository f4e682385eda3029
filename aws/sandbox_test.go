package aws_test

// These tests run the aws package's real aws-sdk-go-v2 clients against the
// sandbox over loopback HTTP: the code a real-account user runs, against a
// server that answers as AWS does. The sandbox is started in-process here but
// reached only over the wire.

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/sandbox"
)

// recorder counts what reaches the sandbox: every request by method, and the
// throttles it answered.
type recorder struct {
	mu        sync.Mutex
	methods   map[string]int
	paths     []string
	throttled int
	// onThrottle, when set, runs after each throttle is answered.
	onThrottle func()
}

func (rec *recorder) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.methods[r.Method]++
		rec.paths = append(rec.paths, r.Method+" "+r.URL.Path)
		if sw.status == http.StatusTooManyRequests {
			rec.throttled++
			if rec.onThrottle != nil {
				rec.onThrottle()
			}
		}
	})
}

// writes is how many requests that could change state reached the sandbox.
func (rec *recorder) writes() int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.methods[http.MethodPut] + rec.methods[http.MethodPost] + rec.methods[http.MethodDelete]
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

type env struct {
	sb     *sandbox.Sandbox
	client *aws.Client
	rec    *recorder
	ctx    context.Context
}

// product is the lab's function.
func (e env) product() string { return e.sb.ProductFunctionName() }

func newEnv(t *testing.T, cfg sandbox.Config, opts aws.Options) env {
	t.Helper()
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{methods: map[string]int{}}
	srv := httptest.NewServer(rec.wrap(sb.Handler()))
	t.Cleanup(srv.Close)
	opts.EndpointURL, opts.StaticCredentials = srv.URL, true
	if opts.PollInterval == 0 {
		opts.PollInterval = 100 * time.Millisecond
	}
	if opts.ControlPlaneRate == 0 {
		opts.ControlPlaneRate = -1
	}
	client, err := aws.New(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return env{sb: sb, client: client, rec: rec, ctx: t.Context()}
}

// fastSandbox applies changes quickly and does not throttle, so each test sees
// only what it exercises.
func fastSandbox() sandbox.Config {
	cfg := sandbox.Fast()
	cfg.ProvisionedAllocationDelay = 500 * time.Millisecond
	cfg.ControlPlaneRate, cfg.GetFunctionRate = -1, -1
	return cfg
}

func expectError[T error](t *testing.T, err error, message string) {
	t.Helper()
	var typed T
	if !errors.As(err, &typed) {
		t.Fatalf("error %v (%T) is not a %T", err, err, typed)
	}
	if !strings.Contains(err.Error(), message) {
		t.Fatalf("error %q does not carry AWS's message %q", err.Error(), message)
	}
}

func TestListFunctionsEveryPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fastSandbox(), aws.Options{})
	first, err := e.client.ListFunctionsPage(e.ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Functions) != 50 || first.NextMarker == "" {
		t.Fatalf("first page: %d functions, marker %q; want 50 and a marker", len(first.Functions), first.NextMarker)
	}
	all, err := e.client.ListFunctions(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 61 {
		t.Fatalf("listed %d functions, want at least 61", len(all))
	}
	var product *aws.Function
	for i := range all {
		if all[i].Name == e.product() {
			product = &all[i]
		}
	}
	if product == nil {
		t.Fatalf("%s not listed", e.product())
	}
	if product.Runtime != "python3.12" || product.MemoryMB != 128 || product.TimeoutSec != 3 || product.Architecture != "x86_64" {
		t.Fatalf("product function listed as %+v", *product)
	}
	if id := aws.AccountIDFromARN(product.ARN); id != sandbox.DefaultAccountID {
		t.Fatalf("account id from ARN %q = %q", product.ARN, id)
	}
}

// TestList300FunctionsThroughThrottling lists a 300-function account and reads
// every function's concurrency while the sandbox throttles the control plane
// the way AWS does. The client here is not paced at all, and the sandbox's
// clock stands still, so its quota cannot refill on its own: once the burst
// is spent the next requests are throttled however slowly this machine runs.
// Each throttle moves the sandbox's clock a second on, refilling the quota;
// the client's retries must absorb every throttle.
func TestList300FunctionsThroughThrottling(t *testing.T) {
	t.Parallel()
	cfg := fastSandbox()
	clk := clock.NewManual(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	cfg.Clock = clk
	cfg.ExtraFunctions = 300 - 65
	cfg.ControlPlaneRate, cfg.GetFunctionRate = 150, 1000 // 6 + 300 control-plane calls against a burst of 150
	e := newEnv(t, cfg, aws.Options{ControlPlaneRate: -1})
	e.rec.onThrottle = func() { clk.Advance(time.Second) }
	all, err := e.client.ListFunctions(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 300 {
		t.Fatalf("listed %d functions, want 300", len(all))
	}
	names := make([]string, len(all))
	for i, f := range all {
		names[i] = f.Name
	}
	got := 0
	for r := range e.client.FillConcurrency(e.ctx, names, 16) {
		if r.Concurrency.Err != nil {
			t.Fatalf("concurrency of %s: %v", r.Name, r.Concurrency.Err)
		}
		got++
	}
	if got != 300 {
		t.Fatalf("concurrency arrived for %d functions, want 300", got)
	}
	if e.rec.throttled == 0 {
		t.Fatal("the sandbox never throttled: the test did not exercise retries")
	}
	t.Logf("300 functions listed with concurrency; %d throttles retried", e.rec.throttled)
}

func TestPacedClientStaysUnderTheThrottle(t *testing.T) {
	t.Parallel()
	cfg := fastSandbox()
	cfg.ControlPlaneRate, cfg.GetFunctionRate = 150, 1000
	e := newEnv(t, cfg, aws.Options{ControlPlaneRate: 100}) // paced at 2/3 of the quota
	all, err := e.client.ListFunctions(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(all))
	for i, f := range all {
		names[i] = f.Name
	}
	for r := range e.client.FillConcurrency(e.ctx, names, 16) {
		if r.Concurrency.Err != nil {
			t.Fatalf("concurrency of %s: %v", r.Name, r.Concurrency.Err)
		}
	}
	if e.rec.throttled != 0 {
		t.Fatalf("a paced client was throttled %d times", e.rec.throttled)
	}
}

func TestUnknownFunction(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fastSandbox(), aws.Options{})
	_, err := e.client.FunctionDetail(e.ctx, "no-such-function")
	expectError[*types.ResourceNotFoundException](t, err,
		"Function not found: arn:aws:lambda:us-east-1:123456789012:function:no-such-function")
	if msg := aws.Explain(err); !strings.HasPrefix(msg, "not found: Function not found") {
		t.Fatalf("Explain = %q", msg)
	}
	_, err = e.client.SetMemory(e.ctx, "no-such-function", 512, nil)
	expectError[*types.ResourceNotFoundException](t, err, "Function not found")
}

func TestAccountSettings(t *testing.T) {
	t.Parallel()
	cfg := fastSandbox()
	cfg.AccountConcurrency = 10
	e := newEnv(t, cfg, aws.Options{})
	acct, err := e.client.AccountSettings(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if acct.ConcurrencyLimit != 10 || acct.Unreserved != 10 || acct.Floor() != 10 || acct.Reservable() != 0 {
		t.Fatalf("new account settings = %+v (floor %d)", acct, acct.Floor())
	}
	if acct.FunctionCount < 61 {
		t.Fatalf("function count %d", acct.FunctionCount)
	}
}
