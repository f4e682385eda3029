package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"syscall"
)

// maxKeptBody bounds a response body kept for a task (a created product's
// JSON); longer bodies are counted in full but kept only up to this size.
const maxKeptBody = 1 << 20

// errMalformed is the failure for an answer that is not HTTP/1.x.
var errMalformed = errors.New("malformed HTTP response")

// response is what the parser learned from the head of an answer.
type response struct {
	status        int
	contentLength int64 // -1 when absent
	chunked       bool
	closeAfter    bool
}

// readResponse reads one answer, skipping 1xx interim ones. retry is true when
// nothing of it arrived: the server had closed the keep-alive connection.
func (s *httpSession) readResponse(req *Request, out *Outcome) (retry bool, err error) {
	for {
		resp, first, err := s.readHead()
		if err != nil {
			return first && isClosedConn(err), err
		}
		if resp.status >= 100 && resp.status < 200 {
			continue
		}
		out.Status = resp.status
		if err := s.readBody(req, &resp, out); err != nil {
			return false, err
		}
		if resp.closeAfter {
			s.dropConn()
		}
		return false, nil
	}
}

func isClosedConn(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// readHead parses the status line and the headers. first is true when the
// failure came before the first byte of the answer.
func (s *httpSession) readHead() (resp response, first bool, err error) {
	line, err := s.rd.ReadSlice('\n')
	if err != nil {
		return resp, len(line) == 0, err
	}
	resp = response{contentLength: -1}
	if resp.status, resp.closeAfter, err = parseStatusLine(line); err != nil {
		return resp, false, err
	}
	for {
		line, err = s.rd.ReadSlice('\n')
		if err != nil {
			return resp, false, headerReadError(err)
		}
		line = trimCRLF(line)
		if len(line) == 0 {
			return resp, false, nil
		}
		if err := resp.header(line); err != nil {
			return resp, false, err
		}
	}
}

func headerReadError(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// parseStatusLine reads "HTTP/1.1 200 OK"; an HTTP/1.0 answer closes the
// connection unless it says keep-alive, which we do not ask for.
func parseStatusLine(line []byte) (status int, closeAfter bool, err error) {
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return 0, false, fmt.Errorf("%w: status line %q", errMalformed, trimCRLF(line))
	}
	for _, c := range line[9:12] {
		if c < '0' || c > '9' {
			return 0, false, fmt.Errorf("%w: status line %q", errMalformed, trimCRLF(line))
		}
		status = status*10 + int(c-'0')
	}
	if status < 100 {
		return 0, false, fmt.Errorf("%w: status line %q", errMalformed, trimCRLF(line))
	}
	return status, line[7] == '0', nil
}

func (r *response) header(line []byte) error {
	name, value, ok := bytes.Cut(line, []byte(":"))
	if !ok {
		return fmt.Errorf("%w: header line %q", errMalformed, line)
	}
	value = bytes.TrimSpace(value)
	switch {
	case bytes.EqualFold(name, []byte("Content-Length")):
		n, ok := parseDecimal(value)
		if !ok {
			return fmt.Errorf("%w: Content-Length %q", errMalformed, value)
		}
		r.contentLength = n
	case bytes.EqualFold(name, []byte("Transfer-Encoding")):
		r.chunked = containsFold(value, "chunked")
	case bytes.EqualFold(name, []byte("Connection")):
		r.closeAfter = containsFold(value, "close") || (r.closeAfter && !containsFold(value, "keep-alive"))
	}
	return nil
}

func containsFold(value []byte, token string) bool {
	return bytes.Contains(bytes.ToLower(value), []byte(token))
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

func trimCRLF(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}
