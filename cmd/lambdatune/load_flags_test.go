package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const secretKey = "k3y-0f-the-t3st-9f8e7d"

// TestLoadHeaderIsSentAndNeverWritten: --header reaches the server on every
// request, and its value is in none of the outputs: stdout, stderr, the four
// CSV files, the JSON, or any file under the state directory where logs go.
func TestLoadHeaderIsSentAndNeverWritten(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Header.Get("X-Api-Key")+" | "+r.Header.Get("X-Trace")]++
		mu.Unlock()
		if r.Method == "POST" {
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"id":"42"}`))
		}
	}))
	t.Cleanup(srv.Close)
	prefix := filepath.Join(t.TempDir(), "run")
	stdout, stderr, err := runCLI(context.Background(), "load", "--url", srv.URL, "-u", "2", "-r", "100", "--max-requests", "30",
		"--header", "x-api-key: "+secretKey, "--header", "X-Trace:on", "--csv", prefix, "--json")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if want := secretKey + " | on"; seen[want] != 30 || len(seen) != 1 {
		t.Fatalf("the server saw headers %v, want %q on all 30 requests", seen, want)
	}
	outputs := map[string]string{"stdout": stdout, "stderr": stderr}
	for _, dir := range []string{filepath.Dir(prefix), state} {
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := os.ReadFile(path)
				outputs[path] = string(b)
			}
			return nil
		})
	}
	if len(outputs) != 6 {
		t.Fatalf("expected stdout, stderr and four CSV files, got %d outputs", len(outputs))
	}
	for name, text := range outputs {
		if strings.Contains(text, secretKey) {
			t.Errorf("the header's value is written in %s", name)
		}
	}
}

func TestLoadRefusesBadHeadersWithoutShowingValues(t *testing.T) {
	for _, tt := range []struct{ header, want string }{
		{"x-api-key " + secretKey, `a header looks like "Name: value"`},
		{"Content-Length: 5", "Content-Length is set by lambdatune itself"},
		{"Connection: close", "Connection is set by lambdatune itself"},
		{"x-api-key: " + secretKey + "\r\nX-Injected: 1", "the value of x-api-key has a control character"},
		{"bad name: " + secretKey, "a header name has only letters, digits"},
	} {
		_, _, err := runCLI(context.Background(), "load", "--url", "http://127.0.0.1:1", "--header", tt.header)
		if exitCode(err) != 1 || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), secretKey) {
			t.Errorf("--header %q: exit %d, error %v; want %q without the value", tt.header, exitCode(err), err, tt.want)
		}
	}
	_, _, err := runCLI(context.Background(), "load", "--function", "fn", "--header", "x-api-key: 1")
	if err == nil || !strings.Contains(err.Error(), "--header is sent with HTTP requests") {
		t.Errorf("--header with --function: %v", err)
	}
}

// TestLoadLocustFlags: -H/--host names the URL as in Locust, --headless is
// accepted, and the two URL flags must agree.
func TestLoadLocustFlags(t *testing.T) {
	url := slowServer(t, 0)
	for _, flag := range []string{"-H", "--host"} {
		stdout, _, err := runCLI(context.Background(), "load", flag, url, "--headless", "--scenario", "get", "-u", "1", "--max-requests", "3")
		if err != nil || !strings.Contains(stdout, "Aggregated") {
			t.Fatalf("%s URL --headless: %v\n%s", flag, err, stdout)
		}
	}
	_, _, err := runCLI(context.Background(), "load", "-H", url, "--url", "http://127.0.0.1:1")
	if err == nil || !strings.Contains(err.Error(), "-H/--host is Locust's name for --url") {
		t.Fatalf("-H and a different --url: %v", err)
	}
}

// TestLoadMessagesSayLoadOnce: main prefixes "lambdatune: ", so a flag error
// reads "lambdatune: load: …", not "lambdatune: lambdatune load: …".
func TestLoadMessagesSayLoadOnce(t *testing.T) {
	_, _, err := runCLI(context.Background(), "load", "--url", "http://127.0.0.1:1", "-u", "0")
	if err == nil || !strings.HasPrefix(err.Error(), "load: --users must be at least 1") {
		t.Fatalf("error %q", err)
	}
}

func TestLoadHelp(t *testing.T) {
	stdout, _, err := runCLI(context.Background(), "load", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(stdout, "\n") {
		if strings.Contains(line, "-u, --users") && strings.Count(line, "default") != 2 {
			t.Errorf("the -u line gives its defaults more than once: %q", line)
		}
		if strings.Contains(line, "--csv") && !strings.Contains(line, "PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv and PREFIX_exceptions.csv") {
			t.Errorf("the --csv line does not list the four files: %q", line)
		}
	}
	for _, code := range []string{"  1    could not run", "  2    a --fail-if", "  130  interrupted", "--exit-code-on-error sets this code", "  0    the run completed"} {
		if !strings.Contains(stdout, code) {
			t.Errorf("--help does not document %q", code)
		}
	}
}
