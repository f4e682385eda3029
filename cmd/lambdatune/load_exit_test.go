package main

import (
	"context"
	"encoding/json"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// closedURL is a loopback URL where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/Prod"
}

type jsonTotals struct {
	ElapsedS    float64 `json:"elapsed_s"`
	Reason      string  `json:"stop_reason"`
	Unreachable bool    `json:"unreachable"`
	Total       struct {
		Requests       uint64            `json:"requests"`
		Failures       uint64            `json:"failures"`
		InFlightAtStop uint64            `json:"in_flight_at_stop"`
		Errors         map[string]uint64 `json:"errors"`
	} `json:"total"`
}

func parseReport(t *testing.T, stdout string) jsonTotals {
	t.Helper()
	var rep jsonTotals
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, stdout)
	}
	return rep
}

// TestLoadNothingListening (issue 12 §B.1): a one-minute run at a closed port
// stops after about 3 s with "nothing is listening at …" and exit 1, having
// made a bounded number of attempts (178,229 in 10 s before).
func TestLoadNothingListening(t *testing.T) {
	t.Parallel()
	url := closedURL(t)
	started := time.Now()
	stdout, _, err := runCLI(context.Background(), "load", "--url", url, "-u", "5", "-r", "100", "-t", "1m", "--json")
	took := time.Since(started)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "nothing is listening at "+url+": all ") ||
		!strings.Contains(err.Error(), "(dial: connection refused)") {
		t.Fatalf("exit %d, error %v", exitCode(err), err)
	}
	rep := parseReport(t, stdout)
	// A user backing off (waits of at least 25, 50, 100 … ms, then at least
	// 1 s each) makes at most 7 attempts in its first 1.6 s and one a second
	// after that.
	limit := uint64(5 * (7 + math.Ceil(rep.ElapsedS)))
	if took > 10*time.Second || rep.Reason != "nothing is listening at the target" || !rep.Unreachable || rep.Total.Requests == 0 || rep.Total.Requests > limit {
		t.Fatalf("after %v: reason %q, %d attempts (at most %d)", took, rep.Reason, rep.Total.Requests, limit)
	}
}

// TestLoadShortRunWhereEveryAttemptFails: a run shorter than the 3 s grace in
// which every attempt failed to connect ends the same way.
func TestLoadShortRunWhereEveryAttemptFails(t *testing.T) {
	t.Parallel()
	url := closedURL(t)
	_, _, err := runCLI(context.Background(), "load", "-H", url, "--headless", "-u", "2", "-t", "500ms")
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "nothing is listening at "+url) {
		t.Fatalf("exit %d, error %v", exitCode(err), err)
	}
}

// TestLoadExitCodeOnError: as in Locust, any failed request makes the exit
// code 1, or the code --exit-code-on-error gives (0: failures do not count);
// a crossed --fail-if still exits 2.
func TestLoadExitCodeOnError(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%4 == 0 {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	t.Cleanup(srv.Close)
	args := []string{"load", "--url", srv.URL, "--scenario", "get", "-u", "2", "-r", "100", "--max-requests", "20"}
	for _, tt := range []struct {
		extra []string
		code  int
	}{
		{nil, 1},
		{[]string{"--exit-code-on-error", "3"}, 3},
		{[]string{"--exit-code-on-error", "0"}, 0},
		{[]string{"--fail-if", "fail-ratio>10%"}, exitThresholds},
	} {
		_, _, err := runCLI(context.Background(), append(args, tt.extra...)...)
		if exitCode(err) != tt.code {
			t.Errorf("%v: exit %d (%v), want %d", tt.extra, exitCode(err), err, tt.code)
		}
		if tt.code == 1 && !strings.Contains(err.Error(), "5 of 20 requests failed") {
			t.Errorf("the failure exit says %q", err)
		}
	}
}

// TestLoadReportsRequestsInFlightAtStop: on a server that never answers, the
// run time's stop cuts every user's request off; the table and the JSON say
// how many, and none of them counts as a failure.
func TestLoadReportsRequestsInFlightAtStop(t *testing.T) {
	t.Parallel()
	url := slowServer(t, time.Minute)
	stdout, stderr, err := runCLI(context.Background(), "load", "--url", url, "--scenario", "get", "-u", "3", "-r", "100", "-t", "700ms", "--json")
	rep := parseReport(t, stdout)
	if err != nil || rep.Total.InFlightAtStop != 3 || rep.Total.Requests != 0 {
		t.Fatalf("exit %v, report %+v", err, rep)
	}
	if !strings.Contains(stderr, "3 requests in flight at stop, not timed (in none of the counts above): GET / 3") {
		t.Fatalf("the table does not report them:\n%s", stderr)
	}
}
