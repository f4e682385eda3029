package aws

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambdatune/lambdatune/internal/clock"
)

// TestReadOnlyBlocksWritesBeforeTheWire points a read-only client at a server
// that counts every request and calls every write the console can make, and
// the raw SDK writes too: none of them may reach the server.
func TestReadOnlyBlocksWritesBeforeTheWire(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.Error(w, "unexpected", http.StatusTeapot)
	}))
	defer srv.Close()
	ctx := context.Background()
	c, err := New(ctx, Options{EndpointURL: srv.URL, StaticCredentials: true, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	name := sdkaws.String("product-api")
	writes := map[string]func() error{
		"SetMemory":         func() error { _, err := c.SetMemory(ctx, "product-api", 1024, nil); return err },
		"RemoveReserved":    func() error { return c.RemoveReserved(ctx, "product-api") },
		"RemoveProvisioned": func() error { return c.RemoveProvisioned(ctx, "product-api", "live") },
		"Invoke":            func() error { _, err := c.Lambda().Invoke(ctx, &lambda.InvokeInput{FunctionName: name}); return err },
		"PublishVersion": func() error {
			_, err := c.Lambda().PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: name})
			return err
		},
		"CreateAlias": func() error {
			_, err := c.Lambda().CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: name, Name: sdkaws.String("live"), FunctionVersion: sdkaws.String("1")})
			return err
		},
		"PutFunctionConcurrency": func() error {
			_, err := c.Lambda().PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: name, ReservedConcurrentExecutions: sdkaws.Int32(5)})
			return err
		},
		"PutProvisionedConcurrencyConfig": func() error {
			_, err := c.Lambda().PutProvisionedConcurrencyConfig(ctx, &lambda.PutProvisionedConcurrencyConfigInput{FunctionName: name, Qualifier: sdkaws.String("live"), ProvisionedConcurrentExecutions: sdkaws.Int32(5)})
			return err
		},
		"DeleteFunction": func() error {
			_, err := c.Lambda().DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: name})
			return err
		},
	}
	for op, call := range writes {
		if err := call(); !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s in read-only mode returned %v, want ErrReadOnly", op, err)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Fatalf("%d requests reached the server in read-only mode", n)
	}
	// A read still goes out (and fails at this server), proving the guard is not
	// simply blocking everything.
	if _, err := c.AccountSettings(ctx); err == nil || errors.Is(err, ErrReadOnly) {
		t.Fatalf("read in read-only mode: %v", err)
	}
	if requests.Load() == 0 {
		t.Fatal("read request did not reach the server")
	}
}

func TestUnreachableEndpointFailsFast(t *testing.T) {
	l := httptest.NewServer(http.NotFoundHandler())
	url := l.URL
	l.Close() // nothing listens there now
	c, err := New(context.Background(), Options{EndpointURL: url, StaticCredentials: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = c.AccountSettings(ctx)
	if err == nil {
		t.Fatal("no error from an endpoint nobody listens on")
	}
	if ctx.Err() != nil {
		t.Fatalf("gave up only at the deadline: %v", err)
	}
	if msg := Explain(err); msg == "" || !strings.Contains(msg, "cannot reach") {
		t.Fatalf("Explain = %q, want a 'cannot reach' message", msg)
	}
}

func TestIsReadOperation(t *testing.T) {
	for op, want := range map[string]bool{
		"ListFunctions": true, "GetFunction": true, "GetMetricData": true, "GetAccountSettings": true,
		"UpdateFunctionConfiguration": false, "Invoke": false, "PutFunctionConcurrency": false,
		"DeleteProvisionedConcurrencyConfig": false, "PublishVersion": false, "": false,
	} {
		if got := IsReadOperation(op); got != want {
			t.Errorf("IsReadOperation(%q) = %v, want %v", op, got, want)
		}
	}
}

// TestConfigInSight: what decided the mode is reported, variable or file.
func TestConfigInSight(t *testing.T) {
	home := t.TempDir()
	none := func(string) string { return "" }
	if got := ConfigInSight(none, home); got.Found() || got.String() != "" {
		t.Fatalf("empty environment and home: %q in sight", got)
	}
	keyOnly := func(k string) string {
		if k == "AWS_ACCESS_KEY_ID" || k == "AWS_DEFAULT_REGION" {
			return "x"
		}
		return ""
	}
	if got := ConfigInSight(keyOnly, home); got.String() != "AWS_ACCESS_KEY_ID is set" {
		t.Fatalf("AWS_ACCESS_KEY_ID set: %q", got)
	}
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(home, ".aws", "config")
	if err := os.WriteFile(config, []byte("[default]\nregion = eu-west-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := ConfigInSight(none, home); !got.Found() || got.String() != config+" exists" {
		t.Fatalf("~/.aws/config exists: %q", got)
	}
}

func TestLambdaTimeAndARNs(t *testing.T) {
	got := parseLambdaTime("2026-11-27T10:00:00.000+0000")
	if !got.Equal(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("parseLambdaTime = %v", got)
	}
	arn := "arn:aws:lambda:us-east-1:123456789012:function:product-api:live"
	if q := qualifierOf(arn); q != "live" {
		t.Fatalf("qualifierOf = %q", q)
	}
	if q := qualifierOf("arn:aws:lambda:us-east-1:123456789012:function:product-api"); q != "" {
		t.Fatalf("unqualified qualifierOf = %q", q)
	}
	if id := AccountIDFromARN(arn); id != "123456789012" {
		t.Fatalf("AccountIDFromARN = %q", id)
	}
}

// TestPacerWaitsOnTheClientsClock: the control-plane pacer sleeps on the
// injected clock, exactly until the next token.
func TestPacerWaitsOnTheClientsClock(t *testing.T) {
	start := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	clk := clock.NewManual(start)
	p := newPacer(clk, 5)
	ctx := t.Context()
	for i := range 5 { // the burst
		if err := p.Take(ctx); err != nil {
			t.Fatalf("take %d: %v", i, err)
		}
	}
	done := make(chan error, 1)
	go func() { done <- p.Take(ctx) }()
	if err := clk.WaitForSleepers(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if next, _ := clk.NextDeadline(); next.Sub(start) != 200*time.Millisecond {
		t.Fatalf("sixth request waits %v, want 200ms at 5/s", next.Sub(start))
	}
	clk.Advance(200 * time.Millisecond)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	unpaced := newPacer(clk, -1)
	for i := range 1000 {
		if err := unpaced.Take(ctx); err != nil {
			t.Fatalf("unpaced take %d: %v", i, err)
		}
	}
}
