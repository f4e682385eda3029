package load

import (
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// closedPort is a loopback address where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// maxAttemptsWithin is the most connection attempts one backing-off user
// can make in d: its first at once, then after each backoff's shortest wait.
func maxAttemptsWithin(d time.Duration) int {
	attempts, at := 1, time.Duration(0)
	for failures := 1; ; failures++ {
		at += min(connectBackoffBase<<(failures-1), connectBackoffMax) / 2
		if at > d {
			return attempts
		}
		attempts++
	}
}

// TestNothingListeningStopsTheRun: against a closed port the run gives up at
// its first check after UnreachableAfter instead of running 30 s, and its
// users back off instead of spinning (issue 12 §B.1: 178,229 attempts in
// 10 s before).
func TestNothingListeningStopsTheRun(t *testing.T) {
	t.Parallel()
	started := time.Now()
	snap := runToEnd(t, Config{
		Target: mustTarget(t, "http://"+closedPort(t)+"/Prod", HTTPOptions{}), Scenario: GetScenario{},
		Users: 3, RunTime: 30 * time.Second, UnreachableAfter: time.Millisecond,
	})
	took := time.Since(started)
	if snap.Reason != StopUnreachable || !snap.Unreachable || took > 5*time.Second {
		t.Fatalf("reason %q, unreachable %v after %v", snap.Reason, snap.Unreachable, took)
	}
	if limit := uint64(3 * maxAttemptsWithin(took)); snap.Total.Requests == 0 || snap.Total.Requests > limit {
		t.Fatalf("%d attempts in %v; backing off allows at most %d", snap.Total.Requests, took, limit)
	}
	if snap.Total.Errors["dial: connection refused"] != snap.Total.Requests {
		t.Fatalf("errors %v", snap.Total.Errors)
	}
}

// TestOutageLaterInARunBacksOff: the target answers, then goes away for the
// rest of the run. The run goes on (something was listening: an outage is a
// result, not a misconfiguration), and the users back off while it lasts.
func TestOutageLaterInARunBacksOff(t *testing.T) {
	t.Parallel()
	var answered atomic.Int64
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if answered.Add(1) == 50 {
			go srv.Close()
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	const users, runTime = 4, 1500 * time.Millisecond
	snap := runToEnd(t, Config{
		Target: mustTarget(t, srv.URL, HTTPOptions{}), Scenario: GetScenario{},
		Users: users, RunTime: runTime, UnreachableAfter: time.Millisecond,
	})
	refused := snap.Total.Errors["dial: connection refused"]
	if snap.Reason != StopRunTime || snap.Unreachable || snap.Total.StatusCodes[200] < 49 || refused == 0 {
		t.Fatalf("reason %q, unreachable %v, statuses %v, errors %v", snap.Reason, snap.Unreachable, snap.Total.StatusCodes, snap.Total.Errors)
	}
	// Each user may also see one broken connection before its dials fail.
	if limit := uint64(users * (1 + maxAttemptsWithin(runTime))); snap.Total.Failures > limit {
		t.Fatalf("%d failures during the outage; backing off allows at most %d (%v)", snap.Total.Failures, limit, snap.Total.Errors)
	}
}

// TestSlowTargetIsNotUnreachable: a server that accepts connections but does
// not answer within the run is slow, not absent: the run is not stopped as
// unreachable, and the requests it cut off are reported as in flight at stop.
func TestSlowTargetIsNotUnreachable(t *testing.T) {
	t.Parallel()
	url := hangingServer(t)
	snap := runToEnd(t, Config{
		Target: mustTarget(t, url, HTTPOptions{}), Scenario: GetScenario{},
		Users: 3, RunTime: 1200 * time.Millisecond, UnreachableAfter: time.Millisecond,
	})
	if snap.Reason != StopRunTime || snap.Unreachable || snap.Total.Requests != 0 {
		t.Fatalf("reason %q, unreachable %v, %d requests", snap.Reason, snap.Unreachable, snap.Total.Requests)
	}
	if snap.Total.InFlightAtStop != 3 || snap.Endpoints[0].InFlightAtStop != 3 {
		t.Fatalf("in flight at stop: total %d, row %d; want 3", snap.Total.InFlightAtStop, snap.Endpoints[0].InFlightAtStop)
	}
}

func TestConnectBackoffIsBoundedAndGrows(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	if connectBackoff(0, rng) != 0 {
		t.Fatal("backoff without a failure")
	}
	for failures := 1; failures < 100; failures++ {
		d, ceiling := connectBackoff(failures, rng), min(connectBackoffBase<<min(failures-1, 16), connectBackoffMax)
		if d < ceiling/2 || d > ceiling {
			t.Fatalf("after %d failures: %v, want within [%v, %v]", failures, d, ceiling/2, ceiling)
		}
	}
}

// hangingServer accepts connections and reads from them, never answering.
func hangingServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				io.Copy(io.Discard, conn)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}
