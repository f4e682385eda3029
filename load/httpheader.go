package load

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// ErrBadHeader is returned for a request header lambdatune will not send.
// Its messages never quote what was given, only a name lambdatune knows:
// values are often API keys, and a malformed header may be one whole.
var ErrBadHeader = errors.New("bad request header")

// framingHeaders are the headers the HTTP client itself owns: they say where
// a message ends or what the connection does, so a caller's value would
// break the exchange rather than add to it.
var framingHeaders = []string{
	"Connection", "Content-Length", "Content-Type", "Expect", "Keep-Alive",
	"Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

// ParseHeader reads a curl- or Locust-style header, "Name: value".
func ParseHeader(line string) (name, value string, err error) {
	name, value, ok := strings.Cut(line, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return "", "", fmt.Errorf("%w: a header looks like \"Name: value\" (this one has no name before a colon)", ErrBadHeader)
	}
	value = strings.TrimSpace(value)
	return name, value, checkHeader(name, value)
}

func checkHeader(name, value string) error {
	if !isToken(name) {
		return fmt.Errorf("%w: a header name has only letters, digits and !#$%%&'*+-.^_`|~ (this one has a space or another character)", ErrBadHeader)
	}
	if slices.Contains(framingHeaders, http.CanonicalHeaderKey(name)) {
		return fmt.Errorf("%w: %s is set by lambdatune itself and cannot be given", ErrBadHeader, http.CanonicalHeaderKey(name))
	}
	for _, c := range []byte(value) {
		if c == 0x7f || (c < 0x20 && c != '\t') {
			return fmt.Errorf("%w: the value of %s has a control character (a line break would start another header)", ErrBadHeader, name)
		}
	}
	return nil
}

// isToken: RFC 9110 §5.6.2's tchar, the characters a field name may use.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// appendHeaderLines builds the header lines every request carries: Host and
// User-Agent (the caller's, when given) and the caller's other headers in
// name order.
func appendHeaderLines(b []byte, host string, extra http.Header) ([]byte, error) {
	header, err := canonicalHeader(extra)
	if err != nil {
		return nil, err
	}
	if len(header["Host"]) == 0 {
		b = fmt.Appendf(b, "Host: %s\r\n", host)
	}
	if len(header["User-Agent"]) == 0 {
		b = append(b, "User-Agent: lambdatune\r\n"...)
	}
	for _, name := range slices.Sorted(maps.Keys(header)) {
		for _, v := range header[name] {
			b = fmt.Appendf(b, "%s: %s\r\n", name, v)
		}
	}
	return b, nil
}

// canonicalHeader checks every header and merges names that differ only in
// case, so "host" cannot slip in beside lambdatune's own Host line.
func canonicalHeader(extra http.Header) (http.Header, error) {
	header := http.Header{}
	for name, values := range extra {
		for _, v := range values {
			if err := checkHeader(name, v); err != nil {
				return nil, err
			}
			header.Add(name, v)
		}
	}
	if len(header["Host"]) > 1 {
		return nil, fmt.Errorf("%w: Host given %d times", ErrBadHeader, len(header["Host"]))
	}
	return header, nil
}
