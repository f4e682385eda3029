package sandbox

import (
	"container/list"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// connLimiter caps a listener's open connections, so that thousands of
// connections opened and left idle cannot exhaust the process's file
// descriptors and lock every client out. At the cap, a new connection makes
// room by closing a waiting one, as a busy web server drops kept-alive
// connections first, in this order:
//
//   - the one silent longest of those that never sent a request, once it has
//     had grace to send one (a second, or a quarter of the header timeout
//     when that is shorter);
//   - else the one idle longest of those that sent a single request;
//   - else, only when no connection is silent, the least recently used.
//
// A connection stops waiting the moment its next request's first bytes are
// read, so none is closed mid-request. A flood of connections opened and
// left idle thus churns among itself and spares the clients in steady use.
// When no connection may be closed, the newcomer gets 503 and is closed;
// busy connections are bounded by the read and write timeouts.
type connLimiter struct {
	net.Listener
	max   int
	grace time.Duration

	mu   sync.Mutex
	open map[net.Conn]*trackedConn
	// The waiting connections, longest waiting first: silent ones have sent
	// nothing yet, once ones one request, regular ones more.
	silent, once, regular list.List
}

// trackedConn is an open connection; waiting is its place in a waiting
// list, nil while it serves a request.
type trackedConn struct {
	conn     *watchedConn
	requests int
	list     *list.List
	waiting  *list.Element
	opened   time.Time
}

// watchedConn tells its limiter when bytes arrive on a waiting connection.
type watchedConn struct {
	net.Conn
	limiter *connLimiter
	// waiting mirrors trackedConn.waiting != nil, so that reads of a busy
	// connection take no lock.
	waiting atomic.Bool
}

func (c *watchedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && c.waiting.Load() {
		c.limiter.arrived(c)
	}
	return n, err
}

func newConnLimiter(ln net.Listener, limits ServerLimits) *connLimiter {
	return &connLimiter{Listener: ln, max: limits.MaxConnections, grace: min(time.Second, limits.ReadHeaderTimeout/4),
		open: map[net.Conn]*trackedConn{}}
}

// Accept returns the next connection it admits.
func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		raw, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		c := &watchedConn{Conn: raw, limiter: l}
		if l.admit(c) {
			return c, nil
		}
		l.refuse(raw)
	}
}

// admit counts c in, closing the longest-waiting connection at the cap;
// false when every connection is busy.
func (l *connLimiter) admit(c *watchedConn) bool {
	l.mu.Lock()
	var evicted net.Conn
	if len(l.open) >= l.max {
		victim := l.victim()
		if victim == nil {
			l.mu.Unlock()
			return false
		}
		evicted = l.forget(victim)
	}
	t := &trackedConn{conn: c, opened: time.Now()}
	l.wait(t, &l.silent)
	l.open[c] = t
	l.mu.Unlock()
	if evicted != nil {
		_ = evicted.Close()
	}
	return true
}

// victim is the waiting connection to close first, or nil. A connection
// in steady use is closed only when no connection is silent or idle after
// a single request.
func (l *connLimiter) victim() *trackedConn {
	oldest := l.silent.Front()
	switch {
	case oldest != nil && time.Since(oldest.Value.(*trackedConn).opened) >= l.grace:
	case l.once.Len() > 0:
		oldest = l.once.Front()
	case oldest == nil && l.regular.Len() > 0:
		oldest = l.regular.Front()
	default:
		return nil
	}
	return oldest.Value.(*trackedConn)
}

// wait puts t at the back of a waiting list.
func (l *connLimiter) wait(t *trackedConn, in *list.List) {
	t.list, t.waiting = in, in.PushBack(t)
	t.conn.waiting.Store(true)
}

// unwait takes t off its waiting list: a request is coming.
func (l *connLimiter) unwait(t *trackedConn) {
	if t.waiting != nil {
		t.list.Remove(t.waiting)
		t.list, t.waiting = nil, nil
		t.conn.waiting.Store(false)
	}
}

// arrived: a request's first bytes came on c.
func (l *connLimiter) arrived(c *watchedConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t := l.open[c]; t != nil {
		l.unwait(t)
	}
}

// forget stops counting a connection; it returns the connection.
func (l *connLimiter) forget(t *trackedConn) net.Conn {
	l.unwait(t)
	delete(l.open, t.conn)
	return t.conn
}

// track follows the server's view of each connection (http.Server.ConnState).
func (l *connLimiter) track(c net.Conn, state http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.open[c]
	if t == nil {
		return // evicted, or not of this listener
	}
	switch state {
	case http.StateActive:
		l.unwait(t)
		t.requests++
	case http.StateIdle:
		if t.waiting == nil && t.requests <= 1 {
			l.wait(t, &l.once)
		} else if t.waiting == nil {
			l.wait(t, &l.regular)
		}
	case http.StateClosed, http.StateHijacked:
		l.forget(t)
	}
}

// count is how many connections are open.
func (l *connLimiter) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.open)
}

// refuse answers a connection over the cap with 503 (Retry-After: 1, which
// the AWS SDKs and CLIs retry) and closes it. A new
// connection's send buffer is empty, so the short deadline only guards
// against a broken one.
func (l *connLimiter) refuse(c net.Conn) {
	body := fmt.Sprintf("The sandbox has %d connections open on this address, its limit, all of them busy or just opened; try again shortly.\n", l.max)
	_ = c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
	_, _ = io.WriteString(c, fmt.Sprintf("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"+
		"Retry-After: 1\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s", len(body), body))
	_ = c.Close()
}
