package load

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// rawServer answers each request on a loopback connection with the next of
// the canned responses, byte for byte, and closes the connection after a
// response that ends with "\x00close" (the marker is not sent).
func rawServer(t *testing.T, responses ...string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	next := make(chan string, len(responses))
	for _, r := range responses {
		next <- r
	}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go serveRaw(conn, next)
		}
	}()
	return "http://" + ln.Addr().String()
}

func serveRaw(conn net.Conn, next chan string) {
	defer conn.Close()
	rd := bufio.NewReader(conn)
	for {
		req, err := http.ReadRequest(rd)
		if err != nil {
			return
		}
		req.Body.Close()
		var resp string
		select {
		case resp = <-next:
		default:
			return
		}
		body, closeAfter := strings.CutSuffix(resp, "\x00close")
		conn.Write([]byte(body))
		if closeAfter {
			return
		}
	}
}

func doOnce(t *testing.T, s Session, req *Request) Outcome {
	t.Helper()
	var out Outcome
	s.Do(context.Background(), req, &out)
	return out
}

func TestHTTPClientParsesResponses(t *testing.T) {
	url := rawServer(t,
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n{}",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nTrailer: x\r\n\r\n",
		"HTTP/1.1 204 No Content\r\n\r\n",
		"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy\x00close",
		"HTTP/1.0 200 OK\r\n\r\nuntil the end\x00close",
	)
	target := mustTarget(t, url, HTTPOptions{})
	s, _ := target.NewSession()
	defer s.Close()
	want := []struct {
		status int
		size   int64
		body   string
	}{{200, 5, "hello"}, {201, 2, "{}"}, {200, 9, "Wikipedia"}, {204, 0, ""}, {503, 4, "busy"}, {200, 13, "until the end"}}
	for i, w := range want {
		out := doOnce(t, s, &Request{Method: "GET", WantBody: true})
		if out.Err != nil || out.Status != w.status || out.Size != w.size || string(out.Body) != w.body {
			t.Fatalf("response %d: status %d size %d body %q err %v; want %+v", i, out.Status, out.Size, out.Body, out.Err, w)
		}
	}
}

func TestHTTPClientRejectsGarbage(t *testing.T) {
	url := rawServer(t, "SSH-2.0-OpenSSH_9.6\r\n\x00close", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort\x00close")
	s, _ := mustTarget(t, url, HTTPOptions{}).NewSession()
	defer s.Close()
	if out := doOnce(t, s, &Request{Method: "GET"}); out.Err == nil || !strings.Contains(out.FailureText(), "malformed HTTP response") {
		t.Fatalf("not HTTP: %+v (%s)", out, out.FailureText())
	}
	if out := doOnce(t, s, &Request{Method: "GET"}); out.Err == nil || !strings.Contains(out.FailureText(), "unexpected EOF") {
		t.Fatalf("truncated body: %+v (%s)", out, out.FailureText())
	}
}

func TestHTTPClientWritesRequests(t *testing.T) {
	got := make(chan *http.Request, 2)
	bodies := make(chan string, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		b.ReadFrom(r.Body)
		got <- r
		bodies <- b.String()
	}))
	defer srv.Close()
	s, _ := mustTarget(t, srv.URL+"/prod/?debug=1", HTTPOptions{}).NewSession()
	defer s.Close()
	doOnce(t, s, &Request{Method: "POST", Path: "/products", Body: []byte(`{"a":1}`)})
	doOnce(t, s, &Request{Method: "GET"})
	post, get := <-got, <-got
	if post.Method != "POST" || post.URL.Path != "/prod/products" || post.Header.Get("Content-Type") != "application/json" || <-bodies != `{"a":1}` {
		t.Fatalf("POST arrived as %s %s %v", post.Method, post.URL, post.Header)
	}
	if get.URL.String() != "/prod?debug=1" || get.Host != strings.TrimPrefix(srv.URL, "http://") || <-bodies != "" {
		t.Fatalf("GET arrived as %s (host %s)", get.URL, get.Host)
	}
}

func TestHTTPClientOverTLS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(okHandler))
	defer srv.Close()
	trusted := srv.Client().Transport.(*http.Transport).TLSClientConfig
	s, _ := mustTarget(t, srv.URL, HTTPOptions{TLSConfig: trusted}).NewSession()
	defer s.Close()
	for range 3 { // the second and third reuse the TLS connection
		if out := doOnce(t, s, &Request{Method: "GET"}); out.Err != nil || out.Status != 200 || out.Size != 5 {
			t.Fatalf("over TLS: %+v", out)
		}
	}
	untrusting, _ := mustTarget(t, srv.URL, HTTPOptions{TLSConfig: &tls.Config{}}).NewSession()
	defer untrusting.Close()
	if out := doOnce(t, untrusting, &Request{Method: "GET"}); out.Err == nil || !strings.Contains(out.FailureText(), "certificate") {
		t.Fatalf("an untrusted certificate was accepted: %+v", out)
	}
}

func TestAbortUnblocksARequest(t *testing.T) {
	url := rawServer(t) // accepts, reads, never answers
	s, _ := mustTarget(t, url, HTTPOptions{}).NewSession()
	defer s.Close()
	done := make(chan Outcome)
	go func() {
		var out Outcome
		s.Do(context.Background(), &Request{Method: "GET"}, &out)
		done <- out
	}()
	time.Sleep(50 * time.Millisecond)
	aborted := time.Now()
	s.Abort()
	select {
	case <-done:
		if took := time.Since(aborted); took > 50*time.Millisecond {
			t.Fatalf("abort took %v", took)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Abort did not unblock the request")
	}
}

// FuzzReadResponse feeds arbitrary bytes to the response parser: it must
// return, with an error or a status, and never panic or hang. The reader's
// buffer is the smallest bufio allows and the head limit 1 KiB, so that
// short inputs reach the paths real traffic takes with 16 KB lines and a
// 64 KiB head: lines longer than the buffer, heads over the limit, folded
// headers. Whatever the input, a long line never grows past the limit.
//
//	go test ./load -run '^$' -fuzz FuzzReadResponse -fuzztime 60s
func FuzzReadResponse(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n0\r\n\r\n"))
	f.Add([]byte("HTTP/1.0 200 OK\r\n\r\nbody"))
	f.Add([]byte("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\nContent-Length:\r\n\t3\r\n\r\nabc"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n chunked\r\nConnection: keep-alive,\r\n close\r\n\r\n1\r\nx\r\n0\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 200 OK\r\n \r\nX-Long: " + strings.Repeat("x", 300) + "\r\nContent-Length: 0\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nX-Big: " + strings.Repeat("y", 1100) + "\r\n\r\n"))
	const limit = 1024
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &httpSession{target: &HTTPTarget{opts: HTTPOptions{MaxResponseHeaderBytes: limit}}, rd: bufio.NewReaderSize(bytes.NewReader(data), 16)}
		var out Outcome
		err := s.readResponse(&Request{Method: "GET", WantBody: true}, &out)
		if err == nil && (out.Status < 100 || out.Status > 999 || out.Size < 0 || len(out.Body) > maxKeptBody) {
			t.Fatalf("accepted %q as status %d size %d", data, out.Status, out.Size)
		}
		if len(s.long) > limit+16 {
			t.Fatalf("a header line grew to %d bytes under a %d-byte limit", len(s.long), limit)
		}
	})
}
