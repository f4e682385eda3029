package main

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/sandbox"
	"github.com/lambdatune/lambdatune/tune"
)

// startSandbox serves a sandbox on loopback, as `lambdatune sandbox` does.
func startSandbox(t *testing.T) (*sandbox.Server, *sandbox.Sandbox) {
	t.Helper()
	sb, err := sandbox.New(sandbox.Fast())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sandbox.Start(t.Context(), sb, "127.0.0.1:0", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv, sb
}

// TestRuntimeFileOutsideXDGIsPrivate: without XDG_RUNTIME_DIR the file goes
// to a directory of the user's own in the temporary directory, and a
// directory there that others could write is refused.
func TestRuntimeFileOutsideXDGIsPrivate(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", "")
	t.Setenv("TMPDIR", tmp)
	remove, err := writeRuntimeFile(RunningSandbox{PID: os.Getpid(), Kind: kindStandalone, Endpoint: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "lambdatune-"+strconv.Itoa(os.Getuid()))
	file := filepath.Join(dir, "sandbox-"+strconv.Itoa(os.Getpid())+".json")
	assertMode(t, dir, 0o700)
	assertMode(t, file, 0o600)
	remove()
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("remove left %s: %v", file, err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := writeRuntimeFile(RunningSandbox{PID: os.Getpid(), Endpoint: "http://127.0.0.1:1"}); err == nil ||
		!strings.Contains(err.Error(), "is not a private directory of this user") {
		t.Fatalf("a directory others can read was used: %v", err)
	}
}

// TestDiscoverEndpoint is the hook of `lambdatune load --function`: the
// running sandbox unless the user named an endpoint, a profile or a region.
func TestDiscoverEndpoint(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	if got := DiscoverEndpoint("", "", ""); got != "" {
		t.Fatalf("no sandbox running, DiscoverEndpoint = %q", got)
	}
	srv, sb := startSandbox(t)
	remove, err := writeRuntimeFile(RunningSandbox{PID: os.Getpid(), Kind: kindStandalone, Endpoint: srv.EndpointURL,
		ProductsAPI: srv.APIURL, Function: sb.ProductFunctionName(), Started: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	defer remove()
	for _, c := range []struct{ endpoint, profile, region, want string }{
		{"", "", "", srv.EndpointURL},
		{"http://127.0.0.1:9", "", "", "http://127.0.0.1:9"},
		{"", "dev", "", ""},
		{"", "", "eu-west-1", ""},
	} {
		if got := DiscoverEndpoint(c.endpoint, c.profile, c.region); got != c.want {
			t.Errorf("DiscoverEndpoint(%q, %q, %q) = %q, want %q", c.endpoint, c.profile, c.region, got, c.want)
		}
	}
}

// TestEndpointURLOfASandboxIsASandbox (issue 12 A.4): behind --endpoint-url
// the console recognises a lambdatune sandbox by its answers — and then uses
// the sandbox's 1-second metrics view — and learns its products API from the
// runtime file; an endpoint that does not say so stays an account.
func TestEndpointURLOfASandboxIsASandbox(t *testing.T) {
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	for _, name := range []string{"AWS_PROFILE", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_CONFIG_FILE", "AWS_DEFAULT_REGION", "AWS_CA_BUNDLE"} {
		t.Setenv(name, "")
	}
	srv, sb := startSandbox(t)
	remove, err := writeRuntimeFile(RunningSandbox{PID: os.Getpid(), Kind: kindStandalone, Endpoint: srv.EndpointURL,
		ProductsAPI: srv.APIURL, Function: sb.ProductFunctionName(), Started: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	defer remove()
	where := connectTo(t, srv.EndpointURL)
	if !where.Sandbox || where.ProductsAPI != srv.APIURL || where.ProductsFunction != sb.ProductFunctionName() {
		t.Fatalf("a sandbox behind --endpoint-url: %+v", where)
	}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sb.Handler().ServeHTTP(withoutSandboxHeader{w}, r)
	}))
	defer other.Close()
	if where := connectTo(t, other.URL); where.Sandbox {
		t.Fatalf("an endpoint that does not say it is a sandbox was taken for one: %+v", where)
	}
}

// connectTo does what the console does before it draws: choose, build the
// client, probe, recognise.
func connectTo(t *testing.T, endpoint string) tune.Where {
	t.Helper()
	f := &consoleFlags{endpointURL: endpoint}
	conn, err := f.connect(t.Context(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	client, err := aws.New(t.Context(), conn.opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := probe(t.Context(), client, conn.hint); err != nil {
		t.Fatal(err)
	}
	return conn.recognise(client)
}

type withoutSandboxHeader struct{ http.ResponseWriter }

func (w withoutSandboxHeader) WriteHeader(code int) {
	w.Header().Del(aws.SandboxHeader)
	w.ResponseWriter.WriteHeader(code)
}
