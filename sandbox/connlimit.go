package sandbox

import (
	"container/list"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// connLimiter caps a listener's open connections, so that thousands of
// connections opened and left idle cannot exhaust the process's file
// descriptors and lock every client out. At the cap, a new connection makes
// room by closing the connection that has been idle (or silent since it
// opened) the longest — as a busy web server drops kept-alive connections
// first; when every connection is busy, the newcomer gets 503 and is closed.
// Busy connections are bounded by the read and write timeouts instead.
type connLimiter struct {
	net.Listener
	max int

	mu   sync.Mutex
	open map[net.Conn]*trackedConn
	// waiting lists the connections that are idle or have sent nothing yet,
	// longest waiting first.
	waiting list.List
}

// trackedConn is an open connection; waiting is its place in the waiting
// list, nil while it serves a request.
type trackedConn struct {
	conn    net.Conn
	waiting *list.Element
}

func newConnLimiter(ln net.Listener, max int) *connLimiter {
	return &connLimiter{Listener: ln, max: max, open: map[net.Conn]*trackedConn{}}
}

// Accept returns the next connection it admits.
func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.admit(c) {
			return c, nil
		}
		l.refuse(c)
	}
}

// admit counts c in, closing the longest-waiting connection at the cap;
// false when every connection is busy.
func (l *connLimiter) admit(c net.Conn) bool {
	l.mu.Lock()
	var evicted net.Conn
	if len(l.open) >= l.max {
		oldest := l.waiting.Front()
		if oldest == nil {
			l.mu.Unlock()
			return false
		}
		evicted = l.forget(oldest.Value.(*trackedConn))
	}
	t := &trackedConn{conn: c}
	t.waiting = l.waiting.PushBack(t)
	l.open[c] = t
	l.mu.Unlock()
	if evicted != nil {
		_ = evicted.Close()
	}
	return true
}

// forget stops counting a connection; it returns the connection.
func (l *connLimiter) forget(t *trackedConn) net.Conn {
	if t.waiting != nil {
		l.waiting.Remove(t.waiting)
		t.waiting = nil
	}
	delete(l.open, t.conn)
	return t.conn
}

// track follows the server's view of each connection (http.Server.ConnState).
func (l *connLimiter) track(c net.Conn, state http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.open[c]
	if t == nil {
		return // evicted
	}
	switch state {
	case http.StateActive:
		if t.waiting != nil {
			l.waiting.Remove(t.waiting)
			t.waiting = nil
		}
	case http.StateIdle:
		if t.waiting == nil {
			t.waiting = l.waiting.PushBack(t)
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

// refuse answers a connection over the cap with 503 and closes it. A new
// connection's send buffer is empty, so the short deadline only guards
// against a broken one.
func (l *connLimiter) refuse(c net.Conn) {
	body := fmt.Sprintf("The sandbox has %d connections open on this address, its limit, and all of them are busy; try again shortly.\n", l.max)
	_ = c.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
	_, _ = io.WriteString(c, fmt.Sprintf("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"+
		"Retry-After: 1\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s", len(body), body))
	_ = c.Close()
}
