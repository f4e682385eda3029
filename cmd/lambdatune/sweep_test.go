package main

import (
	"bytes"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/sandbox"
)

// disguised serves a sandbox without the header that gives it away: to
// lambdatune it is an account, so a sweep asks before changing anything.
func disguised(t *testing.T) (url, fn string, client *aws.Client) {
	t.Helper()
	cfg := sandbox.Fast()
	cfg.ZeroLatency, cfg.ControlPlaneRate, cfg.GetFunctionRate = true, -1, -1
	cfg.UpdateDelay = 20 * time.Millisecond
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		sb.Handler().ServeHTTP(rec, r)
		h := rec.Header().Clone()
		h.Del(aws.SandboxHeader)
		maps.Copy(w.Header(), h)
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(func() { srv.Close(); sb.Close() })
	client, err = aws.New(t.Context(), aws.Options{EndpointURL: srv.URL, StaticCredentials: true, ControlPlaneRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	return srv.URL, sb.ProductFunctionName(), client
}

func sweepIn(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetArgs(append([]string{"sweep"}, args...))
	err := cmd.ExecuteContext(t.Context())
	return out.String(), err
}

// On an account the sweep lists every change and asks once; a no changes nothing.
func TestSweepOnAnAccountAsksOnce(t *testing.T) {
	url, fn, client := disguised(t)
	state := t.TempDir()
	args := []string{fn, "--endpoint-url", url, "--state-dir", state, "--memory", "256,512", "--invokes", "4"}
	out, err := sweepIn(t, "n\n", args...)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "not confirmed: nothing was changed") ||
		strings.Count(out, "Run this sweep?") != 1 || !strings.Contains(out, "step 2 of 2: memory 256 MB → 512 MB") {
		t.Fatalf("%v\n%s", err, out)
	}
	if d, _ := client.FunctionDetail(t.Context(), fn); d.MemoryMB != 128 {
		t.Fatalf("declined, and the memory is %d MB", d.MemoryMB)
	}
	out, err = sweepIn(t, "y\n", args...)
	if err != nil || !strings.Contains(out, "restored memory 512 MB → 128 MB") || strings.Contains(out, "SANDBOX") {
		t.Fatalf("%v\n%s", err, out)
	}
}
