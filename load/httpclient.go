package load

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
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
	// Header is sent on every request (API keys, function URL auth). Host and
	// User-Agent replace lambdatune's own; headers that frame the message
	// (Content-Length, Connection, …) are refused. Values are never logged
	// or reported.
	Header http.Header
	// MaxResponseHeaderBytes bounds an answer's status line and headers
	// together (default 64 KiB); a larger head fails the request.
	MaxResponseHeaderBytes int
}

// DefaultMaxResponseHeaderBytes is the default bound on an answer's head:
// four times the 16 KiB that Node.js allows (docs/load.md, source 4), far
// above what API Gateway or a function URL sends.
const DefaultMaxResponseHeaderBytes = 64 << 10

// HTTPTarget sends requests to a base URL.
type HTTPTarget struct {
	base     *url.URL
	addr     string
	basePath string
	query    string // the base URL's query, sent when a request has no path
	header   []byte // Host, User-Agent and the caller's lines, built once: every header costs the server
	tls      *tls.Config
	opts     HTTPOptions
	// connects counts TCP connections made, so a run can tell a slow target
	// from one where nothing listens.
	connects atomic.Uint64
}

// ErrBadURL is returned for a target URL lambdatune cannot send to.
var ErrBadURL = errors.New("the URL must be an absolute http:// or https:// URL with a host")

// NewHTTPTarget checks rawURL and the options and prepares the target; it
// does not connect.
func NewHTTPTarget(rawURL string, opts HTTPOptions) (*HTTPTarget, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q: %w", rawURL, ErrBadURL)
	}
	opts.fillDefaults()
	t := &HTTPTarget{base: u, addr: hostPort(u), basePath: strings.TrimSuffix(u.EscapedPath(), "/"), opts: opts}
	if u.RawQuery != "" {
		t.query = "?" + u.RawQuery
	}
	if t.header, err = appendHeaderLines(nil, u.Host, opts.Header); err != nil {
		return nil, err
	}
	if u.Scheme == "https" {
		t.tls = tlsConfigFor(u.Hostname(), opts.TLSConfig)
	}
	return t, nil
}

func (o *HTTPOptions) fillDefaults() {
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	if o.DialTimeout <= 0 {
		o.DialTimeout = 5 * time.Second
	}
	if o.MaxResponseHeaderBytes <= 0 {
		o.MaxResponseHeaderBytes = DefaultMaxResponseHeaderBytes
	}
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

// Connections is how many TCP connections the target has made so far.
func (t *HTTPTarget) Connections() uint64 { return t.connects.Load() }

// dial connects over TCP, then (https) shakes hands, all within DialTimeout.
// connectFailed is true when no TCP connection could be made at all: nothing
// listens, no route, no such host.
func (t *HTTPTarget) dial(ctx context.Context) (conn net.Conn, connectFailed bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, t.opts.DialTimeout)
	defer cancel()
	conn, err = (&net.Dialer{}).DialContext(ctx, "tcp", t.addr)
	if err != nil {
		return nil, true, err
	}
	t.connects.Add(1)
	if t.tls == nil {
		return conn, false, nil
	}
	tlsConn := tls.Client(conn, t.tls)
	if err := tlsConn.HandshakeContext(ctx); err != nil {
		conn.Close()
		return nil, false, err
	}
	return tlsConn, false, nil
}

// Path is the base URL's path ("/" when empty), the get scenario's name.
func (t *HTTPTarget) Path() string {
	if t.basePath == "" {
		return "/"
	}
	return t.basePath
}
