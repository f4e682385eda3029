package load

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestHeaderLinesReplaceHostAndUserAgentAndSortTheRest(t *testing.T) {
	got, err := appendHeaderLines(nil, "api.example:443", http.Header{
		"x-trace": {"1"}, "User-Agent": {"ci/2"}, "X-Api-Key": {"k"}, "host": {"vhost.example"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Host: vhost.example\r\nUser-Agent: ci/2\r\nX-Api-Key: k\r\nX-Trace: 1\r\n"; string(got) != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	got, _ = appendHeaderLines(nil, "api.example:443", nil)
	if want := "Host: api.example:443\r\nUser-Agent: lambdatune\r\n"; string(got) != want {
		t.Fatalf("without headers: %q", got)
	}
}

// TestBadHeadersAreRefusedWithoutTheirValues: the engine checks headers
// itself (a library caller gets the same words as the CLI), and its errors
// never quote a value.
func TestBadHeadersAreRefusedWithoutTheirValues(t *testing.T) {
	const secret = "s3cret-v4lue"
	for _, h := range []http.Header{
		{"X-Api-Key": {secret + "\r\nX-Evil: 1"}},
		{"Transfer-Encoding": {secret}},
		{"Bad Name": {secret}},
		{"Host": {"a", "b"}},
	} {
		_, err := NewHTTPTarget("http://127.0.0.1:1", HTTPOptions{Header: h})
		if !errors.Is(err, ErrBadHeader) || strings.Contains(err.Error(), secret) {
			t.Errorf("%v: %v", h, err)
		}
	}
	if _, _, err := ParseHeader("x-api-key=" + secret); !errors.Is(err, ErrBadHeader) || strings.Contains(err.Error(), secret) {
		t.Errorf("no colon: %v", err)
	}
	if name, value, err := ParseHeader("  X-Api-Key :  " + secret + " "); err != nil || name != "X-Api-Key" || value != secret {
		t.Errorf("ParseHeader trims: %q %q %v", name, value, err)
	}
}
