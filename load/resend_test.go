package load

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// closingServer answers the first request on each connection, without
// "Connection: close", then reads the next request and closes the connection
// without answering it: the server of issue 13 §2. It counts every request it
// reads, by method, so a test can hold the client's counts against it.
type closingServer struct {
	url    string
	mu     sync.Mutex
	counts map[string]int
	// idleClose, when set, closes each connection right after its first
	// answer instead of waiting for a second request (a keep-alive timeout
	// of zero).
	idleClose bool
}

func startClosingServer(t *testing.T, idleClose bool) *closingServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &closingServer{url: "http://" + ln.Addr().String(), counts: map[string]int{}, idleClose: idleClose}
	go func() {
		for id := 0; ; id++ {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(conn, id)
		}
	}()
	return s
}

func (s *closingServer) serve(conn net.Conn, id int) {
	defer conn.Close()
	rd := bufio.NewReader(conn)
	if !s.read(rd) {
		return
	}
	// A created product's id, so the products scenario goes on to get and
	// delete it; every answer is a 200 with that body.
	body := fmt.Sprintf(`{"id":"p%d"}`, id)
	fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	if !s.idleClose {
		s.read(rd)
	}
}

func (s *closingServer) read(rd *bufio.Reader) bool {
	req, err := http.ReadRequest(rd)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, req.Body)
	s.mu.Lock()
	s.counts[req.Method]++
	s.mu.Unlock()
	return true
}

func (s *closingServer) received() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// clientCounts adds the run's rows up by method: what lambdatune says it sent.
func clientCounts(snap Snapshot) map[string]int {
	out := map[string]int{}
	for _, e := range snap.Endpoints {
		if e.Requests > 0 {
			out[e.Method] += int(e.Requests)
		}
	}
	return out
}

// TestNoSilentResendToAClosingServer: every second request on a connection
// reaches the server, which then hangs up without answering. Those requests
// were received, so they must count as failures and never be sent again —
// before the fix, POST and DELETE were sent twice and counted once.
func TestNoSilentResendToAClosingServer(t *testing.T) {
	srv := startClosingServer(t, false)
	snap := runToEnd(t, Config{
		Target: mustTarget(t, srv.url, HTTPOptions{}), Scenario: NewProductsScenario(DefaultProductWeights),
		Users: 4, RunTime: 20 * time.Second, MaxRequests: 200, Seed: 7,
	})
	got, want := clientCounts(snap), srv.received()
	if snap.Total.Requests != 200 || len(want) != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("lambdatune counted %v (%d requests), the server received %v", got, snap.Total.Requests, want)
	}
	// Each connection carries one answered request and one unanswered one.
	if f := snap.Total.Failures; f < 95 || f > 100 {
		t.Fatalf("failures %d, want about half of 200: %v", f, snap.Total.Errors)
	}
}

// TestIdleClosedConnectionIsReplacedBeforeSending: a server that closes every
// connection as soon as it has answered (a keep-alive timeout of zero) costs
// nothing when the user waited between requests: the session sees the close
// before it writes, opens a new connection, and no request fails or repeats.
func TestIdleClosedConnectionIsReplacedBeforeSending(t *testing.T) {
	srv := startClosingServer(t, true)
	snap := runToEnd(t, Config{
		Target: mustTarget(t, srv.url, HTTPOptions{}), Scenario: NewProductsScenario(DefaultProductWeights),
		Users: 2, Wait: Constant(50 * time.Millisecond), RunTime: 20 * time.Second, MaxRequests: 20, Seed: 3,
	})
	got, want := clientCounts(snap), srv.received()
	if snap.Total.Failures != 0 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("lambdatune counted %v with %d failures %v; the server received %v", got, snap.Total.Failures, snap.Total.Errors, want)
	}
}

// writeFailsConn is a connection whose next write fails before a byte leaves,
// as a write on a connection the peer has reset does (EPIPE).
type writeFailsConn struct{ net.Conn }

func (writeFailsConn) Write([]byte) (int, error) {
	return 0, &net.OpError{Op: "write", Net: "tcp", Err: syscall.EPIPE}
}

// TestResendOnlyReplayableUnsentRequests: when the write on a reused
// connection fails with nothing written, a GET is sent once on a new
// connection (it never reached the server) and a POST is counted as failed.
func TestResendOnlyReplayableUnsentRequests(t *testing.T) {
	srv := startClosingServer(t, true)
	target := mustTarget(t, srv.url, HTTPOptions{})
	for _, tt := range []struct {
		method string
		ok     bool
	}{{"GET", true}, {"HEAD", true}, {"POST", false}, {"DELETE", false}} {
		s := &httpSession{target: target}
		if err := s.dial(context.Background(), &Outcome{}); err != nil {
			t.Fatal(err)
		}
		s.conn = writeFailsConn{s.conn} // reused, and broken
		out := doOnce(t, s, &Request{Method: tt.method})
		s.Close()
		if ok := out.Err == nil && out.Status == 200; ok != tt.ok {
			t.Errorf("%s after a failed write: status %d, err %v; want sent again: %v", tt.method, out.Status, out.Err, tt.ok)
		}
	}
	if got := srv.received(); got["GET"] != 1 || got["HEAD"] != 1 || got["POST"] != 0 || got["DELETE"] != 0 {
		t.Fatalf("the server received %v, want one GET and one HEAD", got)
	}
}

// TestIdleCheckAllocatesNothing: the peek at an idle connection runs on
// every reuse after a pause, so it must not allocate.
func TestIdleCheckAllocatesNothing(t *testing.T) {
	url := startServer(t, okHandler)
	s, _ := mustTarget(t, url, HTTPOptions{}).NewSession()
	defer s.Close()
	hs := s.(*httpSession)
	doOnce(t, s, &Request{Method: "GET"})
	if hs.probe.peerClosed() {
		t.Fatal("an open connection was taken for closed")
	}
	if n := testing.AllocsPerRun(100, func() { hs.probe.peerClosed() }); n != 0 {
		t.Fatalf("peerClosed allocates %v times", n)
	}
}

// TestServerIdleTimeoutCostsNoFailure: a net/http server that closes
// connections idle for 5 ms, plain and over TLS, against a user who pauses
// 100 ms between requests. Each pause outlasts the server's patience; the
// session notices before it writes and reconnects, and nothing fails.
func TestServerIdleTimeoutCostsNoFailure(t *testing.T) {
	for _, useTLS := range []bool{false, true} {
		var served atomic.Int64
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			served.Add(1)
			w.Write([]byte("ok"))
		}))
		srv.Config.IdleTimeout = 5 * time.Millisecond
		opts := HTTPOptions{}
		if useTLS {
			srv.StartTLS()
			opts.TLSConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig
		} else {
			srv.Start()
		}
		target := mustTarget(t, srv.URL, opts)
		s, _ := target.NewSession()
		for i := range 3 {
			if i > 0 {
				time.Sleep(100 * time.Millisecond)
			}
			if out := doOnce(t, s, &Request{Method: "POST", Body: []byte("{}")}); out.Err != nil || out.Status != 200 {
				t.Errorf("TLS %v, request %d after the server's idle timeout: %+v", useTLS, i, out)
			}
		}
		s.Close()
		srv.Close()
		if served.Load() != 3 || target.Connections() != 3 {
			t.Errorf("TLS %v: served %d, connections %d; want 3 and 3", useTLS, served.Load(), target.Connections())
		}
	}
}
