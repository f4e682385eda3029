package load

import (
	"bytes"
	"fmt"
)

// field says which of the headers a load test reads a line carries.
type field int

const (
	fieldIgnored field = iota
	fieldContentLength
	fieldTransferEncoding
	fieldConnection
)

// startField reads a header line's name. A header that matters has its value
// copied to s.field, since the reader's buffer moves on with the next line.
func (s *httpSession) startField(line []byte) (field, error) {
	name, value, ok := bytes.Cut(line, []byte(":"))
	if !ok {
		return fieldIgnored, fmt.Errorf("%w: header line %q", errMalformed, line)
	}
	f := fieldOf(name)
	if f != fieldIgnored {
		s.field = append(s.field[:0], value...)
	}
	return f, nil
}

func fieldOf(name []byte) field {
	switch {
	case bytes.EqualFold(name, []byte("Content-Length")):
		return fieldContentLength
	case bytes.EqualFold(name, []byte("Transfer-Encoding")):
		return fieldTransferEncoding
	case bytes.EqualFold(name, []byte("Connection")):
		return fieldConnection
	}
	return fieldIgnored
}

// isFolded: a line that starts with a space or a tab continues the previous
// header (obs-fold, RFC 9112 §5.2).
func isFolded(line []byte) bool {
	return len(line) > 0 && (line[0] == ' ' || line[0] == '\t')
}

// unfold joins a continuation line to the pending header's value with one
// space, as RFC 9112 §5.2 tells a client to do (docs/load.md, source 2);
// continuations of headers that do not matter are dropped with them.
func (s *httpSession) unfold(pending field, line []byte) {
	if pending == fieldIgnored {
		return
	}
	s.field = append(bytes.TrimRight(s.field, " \t"), ' ')
	s.field = append(s.field, bytes.TrimLeft(line, " \t")...)
}

// apply records a complete header's value.
func (r *response) apply(f field, value []byte) error {
	value = bytes.TrimSpace(value)
	switch f {
	case fieldContentLength:
		n, ok := parseDecimal(value)
		if !ok {
			return fmt.Errorf("%w: Content-Length %q", errMalformed, value)
		}
		r.contentLength = n
	case fieldTransferEncoding:
		r.chunked = containsFold(value, "chunked")
	case fieldConnection:
		r.closeAfter = containsFold(value, "close") || (r.closeAfter && !containsFold(value, "keep-alive"))
	}
	return nil
}

// containsFold reports whether value contains the lower-case ASCII token in
// any case, without allocating.
func containsFold(value []byte, token string) bool {
	for i := 0; i+len(token) <= len(value); i++ {
		if equalFoldASCII(value[i:i+len(token)], token) {
			return true
		}
	}
	return false
}

func equalFoldASCII(b []byte, lower string) bool {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

func parseDecimal(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}
