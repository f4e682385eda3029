package sandbox

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// startLimited serves a sandbox with the given limits on both listeners,
// with no modelled latency, so that only the network's real time passes.
func startLimited(t *testing.T, limits ServerLimits) *Server {
	t.Helper()
	cfg := testConfig()
	cfg.ZeroLatency = true
	cfg.Endpoint, cfg.Front = limits, limits
	sb, err := New(cfg)
	mustNoErr(t, err, "New")
	srv, err := Start(t.Context(), sb, "127.0.0.1:0", "")
	mustNoErr(t, err, "Start")
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

func hostOf(base string) string {
	u, _ := url.Parse(base)
	return u.Host
}

// dial opens a raw connection that the test closes at its end.
func dial(t *testing.T, host string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", host)
	mustNoErr(t, err, "dial")
	t.Cleanup(func() { conn.Close() })
	return conn
}

// get sends one GET on conn and reads its answer.
func get(t *testing.T, conn net.Conn, r *bufio.Reader, path string) *http.Response {
	t.Helper()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, conn.RemoteAddr())
	resp, err := http.ReadResponse(r, nil)
	mustNoErr(t, err, "GET "+path)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// closedByServer waits until the server closes conn (a read ends) and says
// how long that took, or fails after limit.
func closedByServer(conn net.Conn, limit time.Duration) (time.Duration, bool) {
	start := time.Now()
	_ = conn.SetReadDeadline(start.Add(limit))
	_, err := io.Copy(io.Discard, conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return 0, false
	}
	return time.Since(start), true
}

// waitFor polls cond every few milliseconds for up to five seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func (l *connLimiter) waitingCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.silent.Len() + l.once.Len() + l.regular.Len()
}

// At the cap a new connection closes one that never sent a request, else
// the one idle longest; when every connection is busy, the newcomer is told
// so with 503.
func TestConnectionCap(t *testing.T) {
	limits := ServerLimits{MaxConnections: 3, ReadHeaderTimeout: 2 * time.Second, IdleTimeout: time.Minute, ReadTimeout: time.Minute}
	srv := startLimited(t, limits)
	host, limiter := hostOf(srv.APIURL), srv.limiters[1]
	conns := make([]net.Conn, 3)
	for i := range conns {
		conns[i] = dial(t, host)
		get(t, conns[i], bufio.NewReader(conns[i]), "/Prod/products?limit=1")
		waitFor(t, "the connection to go idle", func() bool { return limiter.waitingCount() == i+1 })
	}
	fourth := dial(t, host)
	if _, closed := closedByServer(conns[0], time.Second); !closed {
		t.Fatal("the longest-idle connection stayed open past the cap")
	}
	time.Sleep(limiter.grace + 20*time.Millisecond)                // the silent fourth has had its chance to send a request
	silent := dial(t, host)                                        // over the cap again: the silent fourth goes, not the idle ones
	if _, closed := closedByServer(fourth, time.Second); !closed { // its header timeout would take 2 s
		t.Fatal("a silent connection outlived the cap while idle ones were closed")
	}
	fourth = silent
	get(t, fourth, bufio.NewReader(fourth), "/Prod/products?limit=1") // served in its place
	for _, c := range conns[1:] {
		trickle(c, 100) // busy: its body is still arriving
	}
	waitFor(t, "the last idle connection to be evicted or busy", func() bool { return limiter.waitingCount() <= 1 })
	trickle(fourth, 100)
	waitFor(t, "every connection busy", func() bool { return limiter.waitingCount() == 0 })
	refused := dial(t, host)
	_ = refused.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(refused), nil)
	mustNoErr(t, err, "read the refusal")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "3 connections open") {
		t.Fatalf("a connection over a busy cap got %d %q", resp.StatusCode, body)
	}
	if n := limiter.count(); n > 3 {
		t.Fatalf("%d connections open, cap 3", n)
	}
}

// trickle starts a POST whose body of length bytes never comes.
func trickle(conn net.Conn, length int) {
	fmt.Fprintf(conn, "POST /Prod/products HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{", conn.RemoteAddr(), length)
}

// A flood of slow clients — bodies trickled a byte at a time, connections
// left idle after one request or silent since they opened, far more than
// the cap — does not stop a normal client from being served on either
// listener, and every slow connection is cut off within its timeout.
func TestSlowClientFlood(t *testing.T) {
	limits := ServerLimits{ReadHeaderTimeout: 300 * time.Millisecond, ReadTimeout: 300 * time.Millisecond,
		WriteTimeout: time.Second, IdleTimeout: 300 * time.Millisecond, MaxConnections: 40}
	srv := startLimited(t, limits)
	normal := newSteadyClient(t, srv) // connected before the flood, as a client in steady use
	var flood sync.WaitGroup
	slow := make(chan time.Duration, 400)
	for _, base := range []string{srv.EndpointURL + "/2016-08-19/account-settings", srv.APIURL + "/products?limit=1"} {
		u, _ := url.Parse(base)
		for i := range 90 {
			conn := dial(t, u.Host)
			flood.Add(1)
			go func() {
				defer flood.Done()
				switch i % 3 {
				case 0: // a third trickle a body, a byte every 20 ms
					go trickleSlowly(conn, 1000, 20*time.Millisecond) // 20 s if never cut off
				case 1: // a third send one request and stay
					fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", u.RequestURI(), u.Host)
				}
				took, closed := closedByServer(conn, 5*time.Second)
				if !closed {
					took = -1
				}
				slow <- took
			}()
		}
	}
	served := normal.run(40, 20*time.Millisecond)
	flood.Wait()
	close(slow)
	for took := range slow {
		if took < 0 {
			t.Fatal("a slow connection stayed open 5 s, far past its 300 ms timeouts")
		}
	}
	for _, l := range srv.limiters {
		if n := l.count(); n > limits.MaxConnections {
			t.Fatalf("%d connections open, cap %d", n, limits.MaxConnections)
		}
	}
	t.Logf("normal client: %d of 40 requests served, slowest %v", served.count, served.slowest)
}

// trickleSlowly sends a POST's body a byte every pause, until the server
// cuts it off or the length is sent.
func trickleSlowly(conn net.Conn, length int, pause time.Duration) {
	trickle(conn, length)
	for range length - 1 {
		time.Sleep(pause)
		if _, err := conn.Write([]byte{' '}); err != nil {
			return
		}
	}
}

type servedStats struct {
	count   int
	slowest time.Duration
}

// steadyClient is a client in steady use of both listeners: plain HTTP on
// the front, the SDK on the AWS endpoint, each on its kept-alive
// connection.
type steadyClient struct {
	t      *testing.T
	srv    *Server
	client *http.Client
	sdk    *lambda.Client
}

// newSteadyClient connects and makes two requests on each listener.
func newSteadyClient(t *testing.T, srv *Server) *steadyClient {
	c := &steadyClient{t: t, srv: srv, client: &http.Client{Timeout: 2 * time.Second}, sdk: newLambdaClient(srv.EndpointURL)}
	for i := range 4 {
		c.request(i)
	}
	return c
}

// request sends request i: even ones to the front, odd ones to the endpoint.
func (c *steadyClient) request(i int) {
	c.t.Helper()
	if i%2 == 1 {
		_, err := c.sdk.GetAccountSettings(c.t.Context(), &lambda.GetAccountSettingsInput{})
		mustNoErr(c.t, err, "normal GetAccountSettings")
		return
	}
	resp, err := c.client.Get(c.srv.APIURL + "/products?limit=1")
	mustNoErr(c.t, err, "normal GET /products")
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("normal GET answered %d", resp.StatusCode)
	}
}

// run sends n requests, one every pause; each must succeed within 2 s.
func (c *steadyClient) run(n int, pause time.Duration) servedStats {
	c.t.Helper()
	var stats servedStats
	for i := range n {
		start := time.Now()
		c.request(i)
		stats.count++
		stats.slowest = max(stats.slowest, time.Since(start))
		time.Sleep(pause)
	}
	if stats.slowest > 2*time.Second {
		c.t.Fatalf("a normal request took %v", stats.slowest)
	}
	return stats
}
