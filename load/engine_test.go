package load

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// startServer runs handler on a loopback test server.
func startServer(t *testing.T, handler http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return srv.URL
}

func okHandler(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	w.Write([]byte("hello"))
}

func mustTarget(t *testing.T, url string, opts HTTPOptions) *HTTPTarget {
	t.Helper()
	target, err := NewHTTPTarget(url, opts)
	if err != nil {
		t.Fatal(err)
	}
	return target
}

// runToEnd starts cfg and waits for it, failing the test if it hangs.
func runToEnd(t *testing.T, cfg Config) Snapshot {
	t.Helper()
	run, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-run.Done():
	case <-time.After(cfg.RunTime + 5*time.Second):
		t.Fatal("run did not end")
	}
	return run.Wait()
}

func TestClosedModelCountsEveryRequest(t *testing.T) {
	url := startServer(t, okHandler)
	snap := runToEnd(t, Config{
		Target: mustTarget(t, url+"/hello", HTTPOptions{}), Scenario: GetScenario{Label: "/hello"},
		Users: 4, RunTime: 10 * time.Second, MaxRequests: 500,
	})
	if snap.Reason != StopMaxRequests || snap.Total.Requests != 500 || snap.Total.Failures != 0 {
		t.Fatalf("reason %q, %d requests, %d failures; want request cap, 500, 0", snap.Reason, snap.Total.Requests, snap.Total.Failures)
	}
	row := snap.Endpoints[0]
	if row.Method != "GET" || row.Name != "/hello" || row.StatusCodes[200] != 500 || row.AverageSize != 5 {
		t.Fatalf("row %+v", row)
	}
	if row.Min <= 0 || row.Max < row.Min || row.Median() < row.Min || row.Percentile(99) > row.Max+row.Max/100 {
		t.Fatalf("latencies out of order: min %v median %v p99 %v max %v", row.Min, row.Median(), row.Percentile(99), row.Max)
	}
	if snap.Users != 4 || !snap.Done {
		t.Fatalf("users %d done %v", snap.Users, snap.Done)
	}
}

func TestNon2xxFailByStatus(t *testing.T) {
	url := startServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "missing") {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(http.StatusTooManyRequests)
	})
	missing := runToEnd(t, Config{Target: mustTarget(t, url+"/missing", HTTPOptions{}), Scenario: GetScenario{}, Users: 2, RunTime: 5 * time.Second, MaxRequests: 50})
	if missing.Total.Failures != 50 || missing.Total.Errors["HTTP 404 Not Found"] != 50 || missing.Total.Throttles != 0 {
		t.Fatalf("404s: failures %d, errors %v, throttles %d", missing.Total.Failures, missing.Total.Errors, missing.Total.Throttles)
	}
	throttled := runToEnd(t, Config{Target: mustTarget(t, url+"/busy", HTTPOptions{}), Scenario: GetScenario{}, Users: 2, RunTime: 5 * time.Second, MaxRequests: 30})
	if throttled.Total.Failures != 30 || throttled.Total.Throttles != 30 || throttled.Total.StatusCodes[429] != 30 {
		t.Fatalf("429s: failures %d throttles %d statuses %v", throttled.Total.Failures, throttled.Total.Throttles, throttled.Total.StatusCodes)
	}
}

func TestUnreachableURLCountsErrorsAndEnds(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	started := time.Now()
	snap := runToEnd(t, Config{Target: mustTarget(t, "http://"+addr+"/", HTTPOptions{}), Scenario: GetScenario{}, Users: 3, RunTime: 300 * time.Millisecond})
	if took := time.Since(started); took > 2*time.Second {
		t.Fatalf("run against a closed port took %v", took)
	}
	if snap.Total.Requests == 0 || snap.Total.Failures != snap.Total.Requests {
		t.Fatalf("requests %d failures %d", snap.Total.Requests, snap.Total.Failures)
	}
	if n := snap.Total.Errors["dial: connection refused"]; n != snap.Total.Failures {
		t.Fatalf("errors %v, want all under %q", snap.Total.Errors, "dial: connection refused")
	}
}

func TestServerClosingConnections(t *testing.T) {
	var calls atomic.Int64
	url := startServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		switch {
		case n%3 == 0: // answers, then closes the connection
			w.Header().Set("Connection", "close")
			w.Write([]byte("bye"))
		case n%7 == 0: // drops the connection without answering
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		default:
			w.Write([]byte("ok"))
		}
	})
	snap := runToEnd(t, Config{Target: mustTarget(t, url, HTTPOptions{}), Scenario: GetScenario{}, Users: 3, RunTime: 10 * time.Second, MaxRequests: 300})
	if snap.Total.Requests != 300 {
		t.Fatalf("requests %d, want 300", snap.Total.Requests)
	}
	// A drop on a fresh connection is a failure; on a reused one it is retried
	// once on a new connection, as net/http does. Either way nothing hangs and
	// every "Connection: close" answer counts as a success.
	if ok := snap.Total.StatusCodes[200]; ok+snap.Total.Failures != 300 || ok < 200 {
		t.Fatalf("statuses %v, failures %d %v", snap.Total.StatusCodes, snap.Total.Failures, snap.Total.Errors)
	}
}

func TestRequestTimeout(t *testing.T) {
	url := startServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	})
	snap := runToEnd(t, Config{Target: mustTarget(t, url, HTTPOptions{Timeout: 50 * time.Millisecond}), Scenario: GetScenario{}, Users: 1, RunTime: 5 * time.Second, MaxRequests: 3})
	if snap.Total.Failures != 3 || snap.Total.Errors[ErrTimeout.Error()] != 3 {
		t.Fatalf("failures %d errors %v", snap.Total.Failures, snap.Total.Errors)
	}
}

// TestCancelAbortsRequestsInFlight: a Ctrl-C (the parent context ending)
// while every user waits on a server that answers only after they leave ends
// the run without waiting for those answers, with what was recorded and the
// five cut-off requests reported. The server never answers them and the
// request timeout is a minute, so a run that ends at all within the guard
// below was ended by the abort: no wall-clock bound that a busy machine
// could miss.
func TestCancelAbortsRequestsInFlight(t *testing.T) {
	var answered atomic.Int64
	url := startServer(t, func(w http.ResponseWriter, r *http.Request) {
		if answered.Add(1) > 20 {
			<-r.Context().Done()
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	run, err := Start(ctx, Config{Target: mustTarget(t, url, HTTPOptions{}), Scenario: GetScenario{}, Users: 5, RunTime: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	// Wait until the 20 quick answers are in and all 5 users wait on slow ones.
	for giveUp := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if snap := run.Snapshot(); snap.InFlight == 5 && snap.Total.Requests >= 15 {
			break
		}
		if time.Now().After(giveUp) {
			t.Fatal("the users never all waited on the slow server")
		}
	}
	cancel()
	select {
	case <-run.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the run waited for its requests in flight instead of aborting them")
	}
	snap := run.Wait()
	if snap.Reason != StopCancelled || snap.Total.Requests != 20 || snap.Total.Failures != 0 || snap.Total.InFlightAtStop != 5 {
		t.Fatalf("reason %q, requests %d, failures %d, in flight at stop %d; want the 20 answered, the 5 aborted apart",
			snap.Reason, snap.Total.Requests, snap.Total.Failures, snap.Total.InFlightAtStop)
	}
}

func TestBadConfigRejected(t *testing.T) {
	target := mustTarget(t, "http://127.0.0.1:1/", HTTPOptions{})
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{Target: target, Scenario: GetScenario{}, Users: 0, RunTime: time.Second}, "users must be at least 1"},
		{Config{Target: target, Scenario: GetScenario{}, Users: 1, SpawnRate: -1, RunTime: time.Second}, "spawn rate cannot be negative"},
		{Config{Target: target, Scenario: GetScenario{}, Users: 1}, "run time must be positive"},
		{Config{Target: target, Scenario: GetScenario{}, Users: 1, RunTime: 48 * time.Hour}, "run time must be at most"},
		{Config{Scenario: GetScenario{}, Users: 1, RunTime: time.Second}, "no target"},
	}
	for _, tt := range tests {
		if _, err := Start(context.Background(), tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Start(%+v) = %v, want %q", tt.cfg, err, tt.want)
		}
	}
	for _, bad := range []string{"", "127.0.0.1:8080", "ftp://x/", "http://"} {
		if _, err := NewHTTPTarget(bad, HTTPOptions{}); err == nil {
			t.Errorf("NewHTTPTarget(%q) accepted it", bad)
		}
	}
}

func startServerB(b *testing.B) string {
	b.Helper()
	srv := httptest.NewServer(http.HandlerFunc(okHandler))
	b.Cleanup(srv.Close)
	return srv.URL
}

func mustStart(t *testing.T, cfg Config) *Run {
	t.Helper()
	run, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(run.Stop)
	return run
}
