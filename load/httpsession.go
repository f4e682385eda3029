package load

import (
	"bufio"
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// idleCheckAfter is how long a kept connection may sit unused before the
// session asks the kernel whether the server has closed it (one system call;
// a connection reused at once, as under full load, is not asked).
const idleCheckAfter = time.Millisecond

// NewSession implements Target; the connection opens on first use.
func (t *HTTPTarget) NewSession() (Session, error) {
	return &httpSession{target: t, wbuf: make([]byte, 0, 512)}, nil
}

// httpSession is one user's keep-alive connection.
type httpSession struct {
	target  *HTTPTarget
	mu      sync.Mutex // guards conn against Abort
	conn    net.Conn
	probe   *idleProbe // conn's; see dropIfStale
	aborted atomic.Bool
	rd      *bufio.Reader
	wbuf    []byte
	body    []byte
	// long holds a header line longer than rd's buffer (see headLine), field
	// the value of a header being read (see startField).
	long, field []byte
	// deadline is the connection's current I/O deadline; see refreshDeadline.
	deadline time.Time
	// idleSince is when the connection last finished an exchange.
	idleSince time.Time
}

// errAborted is what a Do interrupted by Abort returns; the engine drops it.
var errAborted = errors.New("request aborted: the run stopped")

// Do implements Session. A request goes out at most once, as far as
// lambdatune can know. A kept connection that the server closed while it sat
// idle is replaced before anything is written. A request is sent again, once,
// on a new connection only when it provably never reached the server — the
// write on a reused connection failed before a single byte left — and it is
// replayable (GET, HEAD, OPTIONS, TRACE: net/http's isReplayable, docs/load.md
// source 1). Any other failure counts, POST and DELETE included: a request
// that may have arrived is never repeated behind the statistics' back.
func (s *httpSession) Do(ctx context.Context, req *Request, out *Outcome) {
	s.wbuf = s.appendRequest(s.wbuf[:0], req)
	now := time.Now()
	s.dropIfStale(now)
	for attempt := 0; ; attempt++ {
		reused := s.conn != nil
		if !reused {
			if err := s.dial(ctx, out); err != nil {
				out.Err = err
				return
			}
		}
		written, err := s.roundTrip(req, out, now)
		if err == nil {
			s.idleSince = time.Now()
			return
		}
		s.dropConn()
		if attempt > 0 || !reused || written || !replayable(req.Method) || s.isAborted() {
			out.Err = err
			return
		}
	}
}

// replayable is net/http's list of methods that may be sent again when a
// request did not get through.
func replayable(method string) bool {
	switch method {
	case "GET", "HEAD", "OPTIONS", "TRACE":
		return true
	}
	return false
}

// dropIfStale closes a kept connection that cannot carry the next request:
// the server sent bytes nobody asked for (the exchange is out of step), or,
// after the connection sat idle, closed it.
func (s *httpSession) dropIfStale(now time.Time) {
	if s.conn == nil {
		return
	}
	if s.rd.Buffered() > 0 || (now.Sub(s.idleSince) >= idleCheckAfter && s.probe.peerClosed()) {
		s.dropConn()
	}
}

func (s *httpSession) appendRequest(b []byte, req *Request) []byte {
	b = append(b, req.Method...)
	b = append(b, ' ')
	b = s.target.appendPath(b, req.Path)
	b = append(b, " HTTP/1.1\r\n"...)
	b = append(b, s.target.header...)
	if req.Body != nil {
		b = append(b, "Content-Type: application/json\r\nContent-Length: "...)
		b = appendUint(b, uint64(len(req.Body)))
		b = append(b, "\r\n"...)
	}
	b = append(b, "\r\n"...)
	return append(b, req.Body...)
}

// appendPath joins the base path and a request's path: "/prod" + "/products/1".
// An empty request path means the base URL itself, query included.
func (t *HTTPTarget) appendPath(b []byte, path string) []byte {
	b = append(b, t.basePath...)
	if path == "" {
		if t.basePath == "" {
			b = append(b, '/')
		}
		return append(b, t.query...)
	}
	if path[0] != '/' {
		b = append(b, '/')
	}
	return append(b, path...)
}

func appendUint(b []byte, n uint64) []byte {
	var digits [20]byte
	i := len(digits)
	for {
		i--
		digits[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(b, digits[i:]...)
}

// dial opens the session's connection; out.ConnectFailed says when no TCP
// connection could be made.
func (s *httpSession) dial(ctx context.Context, out *Outcome) error {
	if s.isAborted() {
		return errAborted
	}
	conn, connectFailed, err := s.target.dial(ctx)
	if err != nil {
		out.ConnectFailed = connectFailed
		return err
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetNoDelay(true)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aborted.Load() {
		conn.Close()
		return errAborted
	}
	s.conn, s.probe = conn, newIdleProbe(conn)
	s.deadline = time.Time{}
	if s.rd == nil {
		s.rd = bufio.NewReaderSize(conn, 16<<10)
	} else {
		s.rd.Reset(conn)
	}
	return nil
}

// roundTrip writes the request and reads its answer; written is false only
// when not a byte of the request left.
func (s *httpSession) roundTrip(req *Request, out *Outcome, now time.Time) (written bool, err error) {
	if err := s.refreshDeadline(now); err != nil {
		return false, err
	}
	// Abort sets its flag before its past deadline; checking the flag after
	// setting ours means one of the two always wins over a late SetDeadline.
	if s.aborted.Load() {
		return false, errAborted
	}
	if n, err := s.conn.Write(s.wbuf); err != nil {
		return n > 0, err
	}
	return true, s.readResponse(req, out)
}

// refreshDeadline keeps the connection's deadline between Timeout−slack and
// Timeout ahead, moving it only when it has come within that: setting a
// deadline touches the runtime's timer heap, and doing it once every slack
// instead of once per request is measurably cheaper. A request therefore times
// out after between 90% and 100% of Timeout (at most 1 s early).
func (s *httpSession) refreshDeadline(now time.Time) error {
	timeout := s.target.opts.Timeout
	slack := min(timeout/10, time.Second)
	if s.deadline.Sub(now) > timeout-slack {
		return nil
	}
	s.deadline = now.Add(timeout)
	return s.conn.SetDeadline(s.deadline)
}

func (s *httpSession) dropConn() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		s.conn.Close()
		s.conn, s.probe = nil, nil
	}
}

func (s *httpSession) isAborted() bool { return s.aborted.Load() }

// Abort implements Session: a deadline in the past wakes any blocked read or write.
func (s *httpSession) Abort() {
	s.aborted.Store(true)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		_ = s.conn.SetDeadline(time.Unix(1, 0))
	}
}

// Close implements Session.
func (s *httpSession) Close() { s.dropConn() }
