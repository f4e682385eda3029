package load

import (
	"errors"
	"strings"
	"testing"
)

// TestHTTPClientReadsLargeHeaders: a 20 KB header line (more than the
// reader's 16 KB buffer) and 60 KB of headers in all are read; a head over
// the 64 KiB limit fails with its own words, and the session goes on.
func TestHTTPClientReadsLargeHeaders(t *testing.T) {
	long := "X-Long: " + strings.Repeat("a", 20<<10) + "\r\n"
	many := strings.Repeat("X-Many: "+strings.Repeat("b", 1000)+"\r\n", 40)
	tooMuch := strings.Repeat("X-Big: "+strings.Repeat("c", 30<<10)+"\r\n", 3)
	url := rawServer(t,
		"HTTP/1.1 200 OK\r\n"+long+many+"Content-Length: 2\r\n\r\nok",
		"HTTP/1.1 200 OK\r\n"+tooMuch+"Content-Length: 2\r\n\r\nok\x00close",
		"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
	)
	s, _ := mustTarget(t, url, HTTPOptions{}).NewSession()
	defer s.Close()
	if out := doOnce(t, s, &Request{Method: "GET", WantBody: true}); out.Err != nil || out.Status != 200 || string(out.Body) != "ok" {
		t.Fatalf("60 KB of headers: status %d body %q err %v", out.Status, out.Body, out.Err)
	}
	out := doOnce(t, s, &Request{Method: "GET"})
	if !errors.Is(out.Err, errHeadTooLarge) || out.FailureText() != "response headers too large: the status line and headers exceed 64 KiB" {
		t.Fatalf("90 KB of headers: err %v (%q)", out.Err, out.FailureText())
	}
	if out := doOnce(t, s, &Request{Method: "GET"}); out.Err != nil || out.Status != 201 {
		t.Fatalf("after an oversized head, the next request: %+v", out)
	}
}

func TestHTTPClientHeaderLimitIsAnOption(t *testing.T) {
	url := rawServer(t, "HTTP/1.1 200 OK\r\nX-Pad: "+strings.Repeat("p", 2000)+"\r\nContent-Length: 0\r\n\r\n")
	s, _ := mustTarget(t, url, HTTPOptions{MaxResponseHeaderBytes: 1024}).NewSession()
	defer s.Close()
	if out := doOnce(t, s, &Request{Method: "GET"}); !errors.Is(out.Err, errHeadTooLarge) || !strings.Contains(out.FailureText(), "exceed 1 KiB") {
		t.Fatalf("a 2 KB head under a 1 KiB limit: %v", out.Err)
	}
}

// TestHTTPClientUnfoldsObsFold: obsolete line folding (RFC 9112 §5.2) is
// replaced with a space before the value is read, for the headers that frame
// the body too.
func TestHTTPClientUnfoldsObsFold(t *testing.T) {
	url := rawServer(t,
		"HTTP/1.1 200 OK\r\nX-Folded: one\r\n two\r\n\tthree\r\nContent-Length:\r\n 5\r\n\r\nhello",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n\tchunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive,\r\n close\r\n\r\nok\x00close",
	)
	s, _ := mustTarget(t, url, HTTPOptions{}).NewSession()
	defer s.Close()
	for i, want := range []string{"hello", "abc", "ok"} {
		out := doOnce(t, s, &Request{Method: "GET", WantBody: true})
		if out.Err != nil || out.Status != 200 || string(out.Body) != want {
			t.Fatalf("folded response %d: status %d body %q err %v", i, out.Status, out.Body, out.Err)
		}
	}
	if hs := s.(*httpSession); hs.conn != nil {
		t.Fatal(`a folded "Connection: keep-alive, close" left the connection open`)
	}
}

func TestFoldedValueJoinsWithOneSpace(t *testing.T) {
	s := &httpSession{}
	s.field = append(s.field[:0], " keep-alive,  "...)
	s.unfold(fieldConnection, []byte(" \t close"))
	if string(s.field) != " keep-alive, close" {
		t.Fatalf("unfolded to %q", s.field)
	}
}

func TestTooManyInterimAnswers(t *testing.T) {
	url := rawServer(t, strings.Repeat("HTTP/1.1 100 Continue\r\n\r\n", 6)+"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
	s, _ := mustTarget(t, url, HTTPOptions{}).NewSession()
	defer s.Close()
	if out := doOnce(t, s, &Request{Method: "GET"}); out.Err == nil || !strings.Contains(out.FailureText(), "more than 5 interim") {
		t.Fatalf("six 100 Continue answers: %+v", out)
	}
}
