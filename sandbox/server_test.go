package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

func TestControlPlaneThrottle(t *testing.T) {
	cfg := testConfig()
	cfg.ControlPlaneRate, cfg.GetFunctionRate = 2, 3
	fx := newFixture(t, cfg)
	list := func() error {
		_, err := fx.client.ListFunctions(fx.ctx, &lambda.ListFunctionsInput{MaxItems: aws.Int32(1)})
		return err
	}
	mustNoErr(t, list(), "first call")
	mustNoErr(t, list(), "second call within the burst")
	err := list()
	throttled := expectAPIError[*types.TooManyRequestsException](t, err, "TooManyRequestsException", "Rate exceeded")
	if throttled.Reason != types.ThrottleReasonCallerRateLimitExceeded || aws.ToString(throttled.RetryAfterSeconds) != "1" {
		t.Fatalf("Reason %q Retry-After %q", throttled.Reason, aws.ToString(throttled.RetryAfterSeconds))
	}
	var httpErr *smithyhttp.ResponseError
	if !errors.As(err, &httpErr) || httpErr.HTTPStatusCode() != http.StatusTooManyRequests {
		t.Fatalf("status = %v, want 429", err)
	}
	// GetFunction has its own quota.
	_, err = fx.client.GetFunction(fx.ctx, &lambda.GetFunctionInput{FunctionName: aws.String(fx.sb.ProductFunctionName())})
	mustNoErr(t, err, "GetFunction while the control plane is throttled")
	fx.clock.Advance(500 * time.Millisecond)
	mustNoErr(t, list(), "after half a second refills one token")
}

// A 300-function account lists in six pages of 50, well inside the default
// control-plane quota of 15 requests/s.
func TestThreeHundredFunctionAccount(t *testing.T) {
	cfg := testConfig()
	cfg.ControlPlaneRate, cfg.GetFunctionRate = 0, 0 // AWS's defaults
	cfg.ExtraFunctions = 300 - seededFunctions - 1
	fx := newFixture(t, cfg)
	var names []string
	p := lambda.NewListFunctionsPaginator(fx.client, &lambda.ListFunctionsInput{})
	for p.HasMorePages() {
		out, err := p.NextPage(fx.ctx)
		mustNoErr(t, err, "ListFunctions")
		for _, f := range out.Functions {
			names = append(names, *f.FunctionName)
		}
	}
	if len(names) != 300 || !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != 300 {
		t.Fatalf("listed %d functions (sorted %v)", len(names), slices.IsSorted(names))
	}
}

func TestSeedIsDeterministic(t *testing.T) {
	names := func(seed int64) []string {
		cfg := testConfig()
		cfg.Seed = seed
		sb, err := New(cfg)
		mustNoErr(t, err, "New")
		return sb.acct.sortedNames()
	}
	a, b, c := names(1), names(1), names(2)
	if !slices.Equal(a, b) {
		t.Fatal("the same seed gave different accounts")
	}
	if slices.Equal(a, c) {
		t.Fatal("different seeds gave the same account")
	}
	product := 0
	for _, n := range a {
		if strings.HasPrefix(n, ProductFunctionPrefix) && len(n) == len(ProductFunctionPrefix)+12 {
			product++
		}
	}
	if product != 1 || len(a) != seededFunctions+1 {
		t.Fatalf("%d product functions among %d", product, len(a))
	}
}

func TestSeedVariety(t *testing.T) {
	sb, err := New(testConfig())
	mustNoErr(t, err, "New")
	runtimes := map[string]bool{}
	var reserved, aliased, provisioned, arm int
	for _, f := range sb.acct.functions {
		runtimes[f.applied.Runtime] = true
		if f.reserved != nil {
			reserved++
		}
		if len(f.aliases) > 0 {
			aliased++
		}
		if len(f.provisioned) > 0 {
			provisioned++
		}
		if f.applied.Architecture == "arm64" {
			arm++
		}
	}
	if len(runtimes) < 6 || reserved == 0 || aliased == 0 || provisioned == 0 || arm == 0 {
		t.Fatalf("runtimes %d, reserved %d, aliased %d, provisioned %d, arm64 %d", len(runtimes), reserved, aliased, provisioned, arm)
	}
	if sb.acct.unreserved() < sb.acct.unreservedFloor() {
		t.Fatalf("the seed broke the unreserved floor: %d", sb.acct.unreserved())
	}
}

// The wire form of an error: the type in X-Amzn-ErrorType and a JSON body
// with Type and message, which botocore and the SDK both read.
func TestErrorWireForm(t *testing.T) {
	fx := newFixture(t, testConfig())
	resp, err := http.Get(fx.url + "/2015-03-31/functions/ghost")
	mustNoErr(t, err, "GET")
	defer resp.Body.Close()
	var body map[string]string
	mustNoErr(t, json.NewDecoder(resp.Body).Decode(&body), "decode")
	if resp.StatusCode != 404 || resp.Header.Get("X-Amzn-ErrorType") != "ResourceNotFoundException" ||
		body["Type"] != "User" || body["message"] != "Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost" ||
		resp.Header.Get("X-Amzn-RequestId") == "" {
		t.Fatalf("%d %v %v", resp.StatusCode, resp.Header, body)
	}
	resp2, err := http.Post(fx.url+"/2015-03-31/nothing-here", "application/json", nil)
	mustNoErr(t, err, "POST")
	resp2.Body.Close()
	if resp2.StatusCode != 404 || resp2.Header.Get("X-Amzn-ErrorType") != "UnknownOperationException" {
		t.Fatalf("unknown operation answered %d %s", resp2.StatusCode, resp2.Header.Get("X-Amzn-ErrorType"))
	}
}

func TestStartServesUntilClosed(t *testing.T) {
	sb, err := New(testConfig())
	mustNoErr(t, err, "New")
	ctx, cancel := context.WithCancel(t.Context())
	srv, err := Start(ctx, sb, "127.0.0.1:0", "")
	mustNoErr(t, err, "Start")
	if !strings.HasPrefix(srv.EndpointURL, "http://127.0.0.1:") {
		t.Fatalf("endpoint %s", srv.EndpointURL)
	}
	_, err = newLambdaClient(srv.EndpointURL).GetAccountSettings(t.Context(), &lambda.GetAccountSettingsInput{})
	mustNoErr(t, err, "GetAccountSettings over Start")
	cancel()
	mustNoErr(t, srv.Close(), "Close after cancel")
	if _, err := http.Get(srv.EndpointURL + "/2016-08-19/account-settings"); err == nil {
		t.Fatal("server still answers after Close")
	}
}

func TestConfigValidation(t *testing.T) {
	for _, cfg := range []Config{{AccountID: "12"}, {Region: "mars"}, {AccountConcurrency: -1}, {ExtraFunctions: -3}, {UpdateDelay: -time.Second}} {
		if _, err := New(cfg); !errors.Is(err, ErrBadConfig) {
			t.Fatalf("New(%+v) = %v, want ErrBadConfig", cfg, err)
		}
	}
}
