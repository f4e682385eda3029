package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// runCLI runs `lambdatune args...` in-process and returns stdout, stderr and
// the error (an exitError carries the exit code).
func runCLI(ctx context.Context, args ...string) (string, string, error) {
	cmd := newRootCmd()
	var stdout, stderr bytes.Buffer
	cmd.SetOut(&stdout)
	cmd.SetErr(&stderr)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	return stdout.String(), stderr.String(), err
}

func exitCode(err error) int {
	var exit exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.code
	default:
		return 1
	}
}

func slowServer(t *testing.T, delay time.Duration) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
		}
		w.Write([]byte(`{"id":"1"}`))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestLoadRejectsAbsurdFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{}, "say what to load"},
		{[]string{"--url", "http://127.0.0.1:1", "--function", "f"}, "either --url or --function"},
		{[]string{"--url", "http://127.0.0.1:1", "-u", "0"}, "--users must be at least 1"},
		{[]string{"--url", "http://127.0.0.1:1", "-u", "-5"}, "--users must be at least 1"},
		{[]string{"--url", "http://127.0.0.1:1", "-u", "10000000"}, "--users must be at most"},
		{[]string{"--url", "http://127.0.0.1:1", "-r", "-1"}, "--spawn-rate must be a positive"},
		{[]string{"--url", "http://127.0.0.1:1", "--rate", "-3"}, "--rate must be a positive"},
		{[]string{"--url", "http://127.0.0.1:1", "--rate", "0"}, "--rate must be a positive"},
		{[]string{"--url", "http://127.0.0.1:1", "-t", "0"}, "--run-time must be positive"},
		{[]string{"--url", "http://127.0.0.1:1", "-t", "100h"}, "--run-time must be at most"},
		{[]string{"--url", "http://127.0.0.1:1", "-t", "soon"}, "is not a duration"},
		{[]string{"--url", "http://127.0.0.1:1", "--max-requests", "0"}, "--max-requests must be between"},
		{[]string{"--url", "http://127.0.0.1:1", "--rate", "10", "--wait", "1s"}, "use one or the other"},
		{[]string{"--url", "http://127.0.0.1:1", "--scenario", "browse"}, "--scenario must be products or get"},
		{[]string{"--url", "127.0.0.1:8080"}, "absolute http:// or https:// URL"},
		{[]string{"--url", "http://127.0.0.1:1", "--wait", "sometimes"}, "wait time must look like"},
		{[]string{"--url", "http://127.0.0.1:1", "--fail-if", "p95=3"}, "a threshold looks like"},
	}
	for _, tt := range tests {
		_, _, err := runCLI(context.Background(), append([]string{"load"}, tt.args...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("load %v: error %v, want it to say %q", tt.args, err, tt.want)
		}
	}
}

func TestLoadThresholdsSetExitCode(t *testing.T) {
	url := slowServer(t, 20*time.Millisecond)
	args := []string{"load", "--url", url + "/products/1", "--scenario", "get", "-u", "4", "-r", "100", "-t", "10s", "--max-requests", "40"}
	stdout, _, err := runCLI(context.Background(), append(args, "--fail-if", "p95>5s", "--fail-if", "fail-ratio>0")...)
	if err != nil {
		t.Fatalf("thresholds not crossed: %v", err)
	}
	if !strings.Contains(stdout, "Aggregated") || !strings.Contains(stdout, "ok: p95 was") {
		t.Fatalf("stdout lacks the table or the threshold verdict:\n%s", stdout)
	}
	_, _, err = runCLI(context.Background(), append(args, "--fail-if", "p95>5s", "--fail-if", "avg>1ms")...)
	if exitCode(err) != exitThresholds || !strings.Contains(err.Error(), "1 of 2 thresholds crossed: FAILED: avg was") {
		t.Fatalf("exit %d, error %v; want %d and the crossed threshold", exitCode(err), err, exitThresholds)
	}
}

func TestLoadWritesCSVAndJSON(t *testing.T) {
	url := slowServer(t, time.Millisecond)
	prefix := filepath.Join(t.TempDir(), "run")
	stdout, stderr, err := runCLI(context.Background(), "load", "--url", url, "--scenario", "get", "-u", "2", "-r", "10", "-t", "5s",
		"--max-requests", "25", "--csv", prefix, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Model string `json:"model"`
		Total struct {
			Requests    uint64             `json:"requests"`
			Percentiles map[string]float64 `json:"percentiles_ms"`
		} `json:"total"`
		StopReason string `json:"stop_reason"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, stdout)
	}
	if rep.Model != "closed" || rep.Total.Requests != 25 || rep.Total.Percentiles["p50"] < 1 || rep.StopReason != "request cap reached" {
		t.Fatalf("report %+v", rep)
	}
	if !strings.Contains(stderr, "Aggregated") {
		t.Fatalf("with --json the table goes to stderr:\n%s", stderr)
	}
	for _, suffix := range []string{"_stats.csv", "_stats_history.csv", "_failures.csv", "_exceptions.csv"} {
		if _, err := os.Stat(prefix + suffix); err != nil {
			t.Errorf("missing %s: %v", suffix, err)
		}
	}
}

// TestLoadCtrlCPrintsResultsSoFar: cancelling (what Ctrl-C does through
// main's signal context) ends the run without waiting for the requests in
// flight — the server would answer them only after 10 s, so ending within
// half of that proves they were aborted — prints the table and exits 130.
func TestLoadCtrlCPrintsResultsSoFar(t *testing.T) {
	url := slowServer(t, 10*time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	var cancelledAt time.Time
	go func() {
		time.Sleep(300 * time.Millisecond)
		cancelledAt = time.Now()
		cancel()
	}()
	stdout, _, err := runCLI(ctx, "load", "--url", url, "--scenario", "get", "-u", "3", "-r", "100", "-t", "1m")
	if took := time.Since(cancelledAt); took > 5*time.Second {
		t.Fatalf("took %v after Ctrl-C: the requests in flight were waited for", took)
	}
	if exitCode(err) != exitInterrupted || !strings.Contains(stdout, "stopped by the user") || !strings.Contains(stdout, "Aggregated") {
		t.Fatalf("exit %d (%v), stdout:\n%s", exitCode(err), err, stdout)
	}
}

func TestLoadOpenModel(t *testing.T) {
	url := slowServer(t, 5*time.Millisecond)
	stdout, _, err := runCLI(context.Background(), "load", "--url", url, "--scenario", "get", "--rate", "200", "-t", "1s", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Model string `json:"model"`
		Rate  string `json:"rate"`
		Open  struct {
			Sent    uint64 `json:"sent"`
			Dropped uint64 `json:"dropped"`
		} `json:"open_model"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	// About 200 fall due in 1 s; on a starved machine some may be dropped, never lost.
	if scheduled := rep.Open.Sent + rep.Open.Dropped; rep.Model != "open" || rep.Rate != "200/s" || scheduled < 190 || scheduled > 201 || rep.Open.Sent == 0 {
		t.Fatalf("report %+v", rep)
	}
}

// An HTTP run against the sandbox says how many cold starts CloudWatch
// counted in its window and their Init Duration, which Lambda's Duration
// leaves out (issue 12 B.3).
func TestLoadSandboxSaysColdStarts(t *testing.T) {
	_, stderr, err := runCLI(t.Context(), "load", "--sandbox", "-u", "3", "-r", "3", "-t", "2s", "--state-dir", t.TempDir())
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !regexp.MustCompile(`function: [1-9]\d* cold starts in the run's window \(Lambda Insights init_duration\), Init Duration avg \d+ ms`).MatchString(stderr) {
		t.Fatalf("no cold-start line:\n%s", stderr)
	}
}
