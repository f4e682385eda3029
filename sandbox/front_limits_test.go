package sandbox

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// headersOnly sends a request's line and headers, declaring a body of
// length bytes, and reads the answer without sending a byte of the body:
// an answer proves the sandbox refused the body unread.
func headersOnly(t *testing.T, base, method, path string, length int) (*http.Response, string) {
	t.Helper()
	u, _ := url.Parse(base)
	conn, err := net.Dial("tcp", u.Host)
	mustNoErr(t, err, "dial")
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", method, path, u.Host, length)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	mustNoErr(t, err, "read the answer")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

func TestFrontRefusesDeclaredOversizeBodiesUnread(t *testing.T) {
	fx := newFixture(t, testConfig())
	resp, body := headersOnly(t, fx.apiURL, "POST", "/Prod/products", 11_000_000)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || body != "HTTP content length exceeded 10485760 bytes." {
		t.Fatalf("11 MB: %d %q", resp.StatusCode, body)
	}
	resp, body = headersOnly(t, fx.apiURL, "POST", "/Prod/products", 9_000_000)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || body != `{"message": "Request Too Long"}` ||
		resp.Header.Get("X-Amzn-Errortype") != "BadRequestException" {
		t.Fatalf("9 MB: %d %v %q", resp.StatusCode, resp.Header, body)
	}
	resp, body = headersOnly(t, fx.url, "POST", "/2015-03-31/functions/"+fx.plainFunction()+"/invocations", 7_000_000)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || resp.Header.Get("X-Amzn-Errortype") != "RequestEntityTooLargeException" ||
		!strings.Contains(body, "Request must be smaller than 6291456 bytes for the InvokeFunction operation") {
		t.Fatalf("Invoke of 7 MB: %d %v %q", resp.StatusCode, resp.Header, body)
	}
}

// onlyReader hides a reader's length, so the client sends it chunked.
type onlyReader struct{ io.Reader }

func TestFrontEventOverLambdasRequestLimit(t *testing.T) {
	cfg := testConfig()
	cfg.ZeroLatency = true
	fx := newFixture(t, cfg)
	post := func(body io.Reader) (int, string) {
		resp, err := http.Post(fx.apiURL+"/products", "application/json", body)
		mustNoErr(t, err, "POST")
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(data)
	}
	chunked := onlyReader{strings.NewReader(`{"name":"` + strings.Repeat("x", 7<<20) + `"}`)}
	if status, body := post(chunked); status != http.StatusRequestEntityTooLarge || body != `{"message": "Request Too Long"}` {
		t.Fatalf("7 MB chunked: %d %q", status, body)
	}
	// 1.1 MB of < becomes 6.6 MB of \u003c in the event.
	escaped := `{"name":"` + strings.Repeat("<", 1_100_000) + `"}`
	if status, body := post(strings.NewReader(escaped)); status != http.StatusRequestEntityTooLarge || body != `{"message": "Request Too Long"}` {
		t.Fatalf("event escaped past 6 MB: %d %q", status, body)
	}
	fits := `{"name":"` + strings.Repeat("<", 900_000) + `"}`
	if status, body := post(strings.NewReader(fits)); status != http.StatusBadRequest || !strings.Contains(body, "Item size") {
		t.Fatalf("a 900 KB body reaches the function, which refuses the item: %d %q", status, body)
	}
}
