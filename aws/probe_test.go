package aws_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/sandbox"
)

func probeClient(t *testing.T, endpoint string) *aws.Client {
	t.Helper()
	client, err := aws.New(t.Context(), aws.Options{EndpointURL: endpoint, StaticCredentials: true})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// TestProbeRecognisesTheSandbox: the sandbox says what it is in a header the
// client notices; the same answers without it are AWS's.
func TestProbeRecognisesTheSandbox(t *testing.T) {
	if aws.SandboxHeader != sandbox.IdentityHeader {
		t.Fatalf("the client looks for %q, the sandbox sends %q", aws.SandboxHeader, sandbox.IdentityHeader)
	}
	sb, err := sandbox.New(fastSandbox())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	marked := httptest.NewServer(sb.Handler())
	t.Cleanup(marked.Close)
	unmarked := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sb.Handler().ServeHTTP(stripHeader{w}, r)
	}))
	t.Cleanup(unmarked.Close)
	for url, want := range map[string]bool{marked.URL: true, unmarked.URL: false} {
		client := probeClient(t, url)
		if client.IsSandbox() {
			t.Fatal("a sandbox is recognised before anything was asked")
		}
		if err := client.Probe(t.Context()); err != nil {
			t.Fatal(err)
		}
		if client.IsSandbox() != want {
			t.Errorf("%s: IsSandbox %v, want %v", url, client.IsSandbox(), want)
		}
	}
}

// stripHeader drops the sandbox's header: the answers of an endpoint that
// is not a lambdatune sandbox.
type stripHeader struct{ http.ResponseWriter }

func (w stripHeader) WriteHeader(code int) {
	w.Header().Del(aws.SandboxHeader)
	w.ResponseWriter.WriteHeader(code)
}

// TestProbeNamesEndpointsThatAreNotLambda: a web server's 404, an empty 404
// (the SDK's UnknownError) and the sandbox's products API (API Gateway's
// Missing Authentication Token) are each "not an AWS Lambda endpoint", in
// words that say what to pass instead.
func TestProbeNamesEndpointsThatAreNotLambda(t *testing.T) {
	sb, err := sandbox.New(fastSandbox())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	front := httptest.NewServer(sb.APIHandler())
	t.Cleanup(front.Close)
	html404 := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(html404.Close)
	empty404 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNotFound) }))
	t.Cleanup(empty404.Close)
	for endpoint, says := range map[string]string{
		html404.URL:         "answered 404 Not Found",
		empty404.URL:        "answered 404 Not Found",
		front.URL + "/Prod": "answered like API Gateway (Missing Authentication Token)",
	} {
		err := probeClient(t, endpoint).Probe(t.Context())
		if !errors.Is(err, aws.ErrNotLambdaEndpoint) {
			t.Fatalf("%s: %v, want ErrNotLambdaEndpoint", endpoint, err)
		}
		msg := aws.Explain(err)
		if !strings.HasPrefix(msg, "not an AWS Lambda endpoint: "+endpoint+" "+says) ||
			!strings.Contains(msg, "not its products API") || strings.Contains(msg, "operation error") {
			t.Errorf("%s: %q", endpoint, msg)
		}
	}
}

// TestSDKLogGoesToTheLogFile: with no credentials anywhere the SDK asks the
// EC2 metadata service (here a local one that refuses, as off EC2) and
// warns; the warning goes to the logger, and the error says what is missing.
func TestSDKLogGoesToTheLogFile(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.Method+" "+r.URL.Path)
		mu.Unlock()
		w.WriteHeader(http.StatusForbidden)
	}))
	t.Cleanup(imds.Close)
	for _, name := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_CA_BUNDLE",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_EC2_METADATA_DISABLED"} {
		t.Setenv(name, "")
	}
	t.Setenv("HOME", t.TempDir())
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.URL)
	var log bytes.Buffer
	client, err := aws.New(t.Context(), aws.Options{Region: "eu-west-1", Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	err = client.Probe(t.Context())
	if !errors.Is(err, aws.ErrNoCredentials) || !strings.HasPrefix(aws.Explain(err), "no AWS credentials found: ") ||
		strings.Contains(aws.Explain(err), "IMDS") {
		t.Fatalf("probe: %v; explained as %q", err, aws.Explain(err))
	}
	if !strings.Contains(log.String(), "level=WARN msg=\"falling back to IMDSv1") {
		t.Fatalf("the SDK's warning is not in the log (metadata service asked %v): %q", asked, log.String())
	}
}

// TestExplainUnresolvableName: a name that does not resolve fails in the
// dialer with no address (net.Dialer's own error); it is worded by the name.
func TestExplainUnresolvableName(t *testing.T) {
	err := &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "lambda.us-east-1.amazonaws.com", IsNotFound: true}}
	msg := aws.Explain(fmt.Errorf("read account settings: %w", err))
	if strings.Contains(msg, "%!") || !strings.HasPrefix(msg, "cannot resolve lambda.us-east-1.amazonaws.com: ") {
		t.Fatalf("Explain = %q", msg)
	}
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: network is unreachable")}
	if msg := aws.Explain(refused); strings.Contains(msg, "%!") || !strings.HasPrefix(msg, "cannot reach the endpoint: ") {
		t.Fatalf("Explain without an address = %q", msg)
	}
}
