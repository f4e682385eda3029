package load

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The HTTP target speaks HTTP/1.1 over one keep-alive connection per session
// with a small client of its own, not net/http: it writes each request from a
// reused buffer, parses only what a load test needs (status, Content-Length,
// chunked bodies, Connection: close) and allocates nothing per request, which
// is what lets one core drive a server at wrk's pace while every request is
// recorded (see docs/benchmarks.md). https URLs (API Gateway, function URLs) go
// through crypto/tls on the same connection type, ALPN pinned to http/1.1.
// Proxies from the environment are not used: load is sent straight to the target.

// HTTPOptions tunes the HTTP target.
type HTTPOptions struct {
	// Timeout bounds each request from send to the last body byte (default 60 s).
	Timeout time.Duration
	// DialTimeout bounds connecting, TLS included (default 5 s).
	DialTimeout time.Duration
	// TLSConfig overrides the TLS settings for https (tests use it to trust a
	// local certificate).
	TLSConfig *tls.Config
}

// HTTPTarget sends requests to a base URL.
type HTTPTarget struct {
	base     *url.URL
	addr     string
	basePath string
	query    string // the base URL's query, sent when a request has no path
	header   []byte // Host and User-Agent lines, built once: every header costs the server
	tls      *tls.Config
	opts     HTTPOptions
}

// ErrBadURL is returned for a target URL lambdatune cannot send to.
var ErrBadURL = errors.New("the URL must be an absolute http:// or https:// URL with a host")

// NewHTTPTarget checks rawURL and prepares the target; it does not connect.
func NewHTTPTarget(rawURL string, opts HTTPOptions) (*HTTPTarget, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q: %w", rawURL, ErrBadURL)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 60 * time.Second
	}
	if opts.DialTimeout <= 0 {
		opts.DialTimeout = 5 * time.Second
	}
	t := &HTTPTarget{base: u, addr: hostPort(u), basePath: strings.TrimSuffix(u.EscapedPath(), "/"), opts: opts}
	if u.RawQuery != "" {
		t.query = "?" + u.RawQuery
	}
	t.header = fmt.Appendf(nil, "Host: %s\r\nUser-Agent: lambdatune\r\n", u.Host)
	if u.Scheme == "https" {
		t.tls = tlsConfigFor(u.Hostname(), opts.TLSConfig)
	}
	return t, nil
}

func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	if u.Scheme == "https" {
		return net.JoinHostPort(u.Hostname(), "443")
	}
	return net.JoinHostPort(u.Hostname(), "80")
}

func tlsConfigFor(serverName string, base *tls.Config) *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if base != nil {
		cfg = base.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = serverName
	}
	cfg.NextProtos = []string{"http/1.1"}
	return cfg
}

// Describe implements Target.
func (t *HTTPTarget) Describe() string { return t.base.Redacted() }

// NewSession implements Target; the connection opens on first use.
func (t *HTTPTarget) NewSession() (Session, error) {
	return &httpSession{target: t, wbuf: make([]byte, 0, 512)}, nil
}

// httpSession is one user's keep-alive connection.
type httpSession struct {
	target  *HTTPTarget
	mu      sync.Mutex // guards conn against Abort
	conn    net.Conn
	aborted atomic.Bool
	rd      *bufio.Reader
	wbuf    []byte
	body    []byte
	// deadline is the connection's current I/O deadline; see refreshDeadline.
	deadline time.Time
}

// errAborted is what a Do interrupted by Abort returns; the engine drops it.
var errAborted = errors.New("request aborted: the run stopped")

// Do implements Session. A request on a reused connection that fails before
// any byte of the answer arrived is sent once more on a new connection: the
// server closed an idle keep-alive connection, which is not a failure of the
// request (net/http does the same).
func (s *httpSession) Do(ctx context.Context, req *Request, out *Outcome) {
	s.wbuf = s.appendRequest(s.wbuf[:0], req)
	for attempt := 0; ; attempt++ {
		reused := s.conn != nil
		if !reused {
			if err := s.dial(ctx); err != nil {
				out.Err = err
				return
			}
		}
		retry, err := s.roundTrip(req, out)
		if err == nil {
			return
		}
		s.dropConn()
		if !(retry && reused && attempt == 0) || s.isAborted() {
			out.Err = err
			return
		}
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

func (s *httpSession) dial(ctx context.Context) error {
	if s.isAborted() {
		return errAborted
	}
	conn, err := s.target.dial(ctx)
	if err != nil {
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
	s.conn = conn
	s.deadline = time.Time{}
	if s.rd == nil {
		s.rd = bufio.NewReaderSize(conn, 16<<10)
	} else {
		s.rd.Reset(conn)
	}
	return nil
}

func (t *HTTPTarget) dial(ctx context.Context) (net.Conn, error) {
	dialer := &net.Dialer{Timeout: t.opts.DialTimeout}
	if t.tls == nil {
		return dialer.DialContext(ctx, "tcp", t.addr)
	}
	tlsDialer := &tls.Dialer{NetDialer: dialer, Config: t.tls}
	return tlsDialer.DialContext(ctx, "tcp", t.addr)
}

func (s *httpSession) roundTrip(req *Request, out *Outcome) (retry bool, err error) {
	if err := s.refreshDeadline(); err != nil {
		return false, err
	}
	// Abort sets its flag before its past deadline; checking the flag after
	// setting ours means one of the two always wins over a late SetDeadline.
	if s.aborted.Load() {
		return false, errAborted
	}
	if _, err := s.conn.Write(s.wbuf); err != nil {
		return true, err
	}
	return s.readResponse(req, out)
}

// refreshDeadline keeps the connection's deadline between Timeout−slack and
// Timeout ahead, moving it only when it has come within that: setting a
// deadline touches the runtime's timer heap, and doing it once every slack
// instead of once per request is measurably cheaper. A request therefore times
// out after between 90% and 100% of Timeout (at most 1 s early).
func (s *httpSession) refreshDeadline() error {
	timeout := s.target.opts.Timeout
	slack := min(timeout/10, time.Second)
	now := time.Now()
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
		s.conn = nil
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

// Path is the base URL's path ("/" when empty), the get scenario's name.
func (t *HTTPTarget) Path() string {
	if t.basePath == "" {
		return "/"
	}
	return t.basePath
}
