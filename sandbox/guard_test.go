package sandbox

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/smithy-go"
)

// disguise is a transport that sends every request as a web page would
// make a browser send it: under another Host (DNS rebinding) and/or with an
// Origin.
type disguise struct{ host, origin string }

func (d disguise) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if d.host != "" {
		r.Host = d.host
	}
	if d.origin != "" {
		r.Header.Set("Origin", d.origin)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// disguisedClients are the real SDK clients for Lambda and CloudWatch,
// sending as d says.
func disguisedClients(url string, d disguise) (*lambda.Client, *cloudwatch.Client) {
	httpClient := &http.Client{Transport: d}
	creds := credentials.NewStaticCredentialsProvider("AKIDSANDBOX", "sandbox-secret", "")
	return lambda.New(lambda.Options{Region: DefaultRegion, BaseEndpoint: aws.String(url), Credentials: creds, HTTPClient: httpClient, RetryMaxAttempts: 1}),
		cloudwatch.New(cloudwatch.Options{Region: DefaultRegion, BaseEndpoint: aws.String(url), Credentials: creds, HTTPClient: httpClient, RetryMaxAttempts: 1})
}

// endpointAnswer calls ListFunctions and ListMetrics as d says and returns
// the error codes and messages ("" for a success).
func endpointAnswer(t *testing.T, fx *fixture, d disguise) (lambdaCode, lambdaMessage, cloudWatchCode string) {
	t.Helper()
	lc, cw := disguisedClients(fx.url, d)
	_, err := lc.ListFunctions(fx.ctx, &lambda.ListFunctionsInput{MaxItems: aws.Int32(1)})
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		lambdaCode, lambdaMessage = apiErr.ErrorCode(), apiErr.ErrorMessage()
	} else if err != nil {
		t.Fatalf("ListFunctions: %v", err)
	}
	_, err = cw.ListMetrics(fx.ctx, &cloudwatch.ListMetricsInput{})
	if errors.As(err, &apiErr) {
		cloudWatchCode = apiErr.ErrorCode()
	} else if err != nil {
		t.Fatalf("ListMetrics: %v", err)
	}
	return lambdaCode, lambdaMessage, cloudWatchCode
}

func TestGuardRefusesWhatAWebPageSends(t *testing.T) {
	fx := newFixture(t, testConfig())
	port := fx.url[strings.LastIndexByte(fx.url, ':')+1:]
	for _, tc := range []struct {
		name    string
		d       disguise
		refused string // a word of the refusal, "" when served
	}{
		{"no Origin, loopback address", disguise{}, ""},
		{"localhost with the port", disguise{host: "localhost:" + port}, ""},
		{"LOCALHOST without a port", disguise{host: "LOCALHOST"}, ""},
		{"IPv6 loopback", disguise{host: "[::1]:" + port}, ""},
		{"own origin", disguise{origin: "http://127.0.0.1:" + port}, ""},
		{"own origin named localhost", disguise{origin: "http://localhost:" + port}, ""},
		{"DNS rebinding", disguise{host: "attacker.example:" + port}, "DNS rebinding"},
		{"a LAN address", disguise{host: "192.168.1.20:" + port}, "DNS rebinding"},
		{"foreign origin", disguise{origin: "http://attacker.example"}, "web pages"},
		{"loopback origin on another port", disguise{origin: "http://127.0.0.1:1"}, "web pages"},
		{"opaque origin", disguise{origin: "null"}, "web pages"},
		{"https origin", disguise{origin: "https://127.0.0.1:" + port}, "web pages"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, message, cwCode := endpointAnswer(t, fx, tc.d)
			if tc.refused == "" {
				if code != "" || cwCode != "" {
					t.Fatalf("refused: %s %q / %s", code, message, cwCode)
				}
				return
			}
			if code != "AccessDeniedException" || !strings.Contains(message, tc.refused) || cwCode != "AccessDenied" {
				t.Fatalf("answered %s %q / CloudWatch %s; want AccessDeniedException (%s) / AccessDenied", code, message, cwCode, tc.refused)
			}
		})
	}
}

// frontAs sends GET /products to the front as d says.
func frontAs(t *testing.T, url string, d disguise) (int, http.Header, string) {
	t.Helper()
	resp, err := (&http.Client{Transport: d}).Get(url + "/products?limit=1")
	mustNoErr(t, err, "GET /products")
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

func TestGuardOnTheProductsAPI(t *testing.T) {
	cfg := testConfig()
	cfg.ZeroLatency = true
	fx := newFixture(t, cfg)
	for _, d := range []disguise{{host: "attacker.example"}, {origin: "http://attacker.example"}} {
		status, header, body := frontAs(t, fx.apiURL, d)
		var answer struct{ Message string }
		if status != http.StatusForbidden || header.Get("X-Amzn-Errortype") != "ForbiddenException" ||
			json.Unmarshal([]byte(body), &answer) != nil || !strings.Contains(answer.Message, "sandbox") {
			t.Fatalf("%+v answered %d %v %s", d, status, header, body)
		}
	}
	if status, _, body := frontAs(t, fx.apiURL, disguise{}); status != http.StatusOK {
		t.Fatalf("a loopback client got %d %s", status, body)
	}
}

// With AllowRemote any Host is served, and a page on the sandbox's own
// origin (by that name) may call it, but other pages still may not.
func TestGuardWithAllowRemote(t *testing.T) {
	cfg := testConfig()
	cfg.AllowRemote = true
	fx := newFixture(t, cfg)
	for _, tc := range []struct {
		d       disguise
		refused bool
	}{
		{disguise{host: "sandbox.lan:4566"}, false},
		{disguise{host: "sandbox.lan:4566", origin: "http://sandbox.lan:4566"}, false},
		{disguise{host: "sandbox.lan:4566", origin: "http://attacker.example"}, true},
	} {
		code, message, cwCode := endpointAnswer(t, fx, tc.d)
		if refused := code != "" || cwCode != ""; refused != tc.refused {
			t.Fatalf("%+v: refused %v (%s %q %s), want %v", tc.d, refused, code, message, cwCode, tc.refused)
		}
	}
}

// The AWS CLI still gets through the guard, addressing the sandbox as
// localhost. (scripts/awscli.sh, in CI, runs both CLIs through every
// operation against a standalone, guarded, sandbox.)
func TestAWSCLIThroughTheGuard(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the AWS CLI (a few seconds)")
	}
	if _, err := os.Stat("/usr/bin/aws"); err != nil {
		t.Skip("no AWS CLI at /usr/bin/aws")
	}
	fx := newFixture(t, testConfig())
	byName := strings.Replace(fx.url, "127.0.0.1", "localhost", 1)
	cmd := exec.Command("/usr/bin/aws", "--region", DefaultRegion, "--output", "json", "--endpoint-url", byName, "lambda", "get-account-settings")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "AWS_ACCESS_KEY_ID=sandbox", "AWS_SECRET_ACCESS_KEY=sandbox",
		"AWS_MAX_ATTEMPTS=1", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), `"ConcurrentExecutions": 1000`) {
		t.Fatalf("aws lambda get-account-settings: %v\n%s", err, out)
	}
}
