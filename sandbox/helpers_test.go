package sandbox

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/smithy-go"

	"github.com/lambdatune/lambdatune/internal/clock"
)

// epoch is where every test's Manual clock starts.
var epoch = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// fixture is a sandbox on a Manual clock served over loopback HTTP, with a
// real aws-sdk-go-v2 Lambda client pointed at it.
type fixture struct {
	t      *testing.T
	clock  *clock.Manual
	sb     *Sandbox
	url    string
	client *lambda.Client
	ctx    context.Context
	// apiURL is the products API front with its stage, like Server.APIURL.
	apiURL string
}

// testConfig is Fast() on a Manual clock with throttling off, so tests see
// only the behaviour they exercise.
func testConfig() Config {
	cfg := Fast()
	cfg.Clock = clock.NewManual(epoch)
	cfg.Seed = 7
	cfg.ControlPlaneRate, cfg.GetFunctionRate = -1, -1
	return cfg
}

func newFixture(t *testing.T, cfg Config) *fixture {
	t.Helper()
	sb, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(sb.Handler())
	api := httptest.NewServer(sb.APIHandler())
	t.Cleanup(func() {
		sb.Close()
		srv.Close()
		api.Close()
	})
	manual, _ := cfg.Clock.(*clock.Manual)
	return &fixture{t: t, clock: manual, sb: sb, url: srv.URL, client: newLambdaClient(srv.URL), ctx: t.Context(),
		apiURL: api.URL + "/" + frontStage}
}

// drive runs call while moving the Manual clock to each deadline the
// sandbox sleeps for, so modelled latencies pass in no real time.
func (fx *fixture) drive(call func()) { fx.clock.Drive(fx.ctx, call) }

// invoke calls Invoke through the SDK client, driving the clock.
func (fx *fixture) invoke(in *lambda.InvokeInput) (out *lambda.InvokeOutput, err error) {
	fx.t.Helper()
	fx.drive(func() { out, err = fx.client.Invoke(fx.ctx, in) })
	return out, err
}

// newLambdaClient is the SDK client as the aws package builds it for the
// sandbox, minus retries so that every error reaches the test.
func newLambdaClient(url string) *lambda.Client {
	return lambda.New(lambda.Options{
		Region:           DefaultRegion,
		BaseEndpoint:     aws.String(url),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDSANDBOX", "sandbox-secret", ""),
		RetryMaxAttempts: 1,
	})
}

// expectAPIError asserts err is the SDK's typed error T with AWS's code and
// exact message, and returns it for further checks.
func expectAPIError[T smithy.APIError](t *testing.T, err error, code, message string) T {
	t.Helper()
	var typed T
	if !errors.As(err, &typed) {
		t.Fatalf("error = %v (%T), want %T", err, err, typed)
	}
	if typed.ErrorCode() != code || typed.ErrorMessage() != message {
		t.Fatalf("error = %s: %q\nwant     %s: %q", typed.ErrorCode(), typed.ErrorMessage(), code, message)
	}
	return typed
}

// expectGenericError asserts an error the SDK has no type for, such as
// ValidationException.
func expectGenericError(t *testing.T, err error, code, message string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v (%T), want an API error %s", err, err, code)
	}
	if apiErr.ErrorCode() != code || apiErr.ErrorMessage() != message {
		t.Fatalf("error = %s: %q\nwant     %s: %q", apiErr.ErrorCode(), apiErr.ErrorMessage(), code, message)
	}
}

func mustNoErr(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// plainFunction is a seeded function with no reserved concurrency, versions
// or aliases, for tests that set those up themselves.
func (fx *fixture) plainFunction() string {
	fx.t.Helper()
	fx.sb.mu.Lock()
	defer fx.sb.mu.Unlock()
	for _, name := range fx.sb.acct.sortedNames() {
		f := fx.sb.acct.functions[name]
		if f.reserved == nil && len(f.versions) == 0 && len(f.aliases) == 0 && name != fx.sb.productFunction {
			return name
		}
	}
	fx.t.Fatal("no plain function in the seeded account")
	return ""
}

func (fx *fixture) arn(name string) string {
	return "arn:aws:lambda:us-east-1:123456789012:function:" + name
}

func asError(err error, target any) bool { return errors.As(err, target) }
