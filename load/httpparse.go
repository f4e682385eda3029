package load

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// maxKeptBody bounds a response body kept for a task (a created product's
// JSON); longer bodies are counted in full but kept only up to this size.
const maxKeptBody = 1 << 20

// maxInterim bounds the 1xx answers skipped before the real one, as net/http
// does (it allows five).
const maxInterim = 5

var (
	// errMalformed is the failure for an answer that is not HTTP/1.x.
	errMalformed = errors.New("malformed HTTP response")
	// errHeadTooLarge is the failure for an answer whose status line and
	// headers exceed HTTPOptions.MaxResponseHeaderBytes.
	errHeadTooLarge = errors.New("response headers too large")
)

// response is what the parser learned from the head of an answer.
type response struct {
	status        int
	contentLength int64 // -1 when absent
	chunked       bool
	closeAfter    bool
}

// readResponse reads one answer, skipping 1xx interim ones.
func (s *httpSession) readResponse(req *Request, out *Outcome) error {
	for interim := 0; ; interim++ {
		resp, err := s.readHead()
		if err != nil {
			return err
		}
		if resp.status >= 100 && resp.status < 200 {
			if interim == maxInterim {
				return fmt.Errorf("%w: more than %d interim (1xx) answers", errMalformed, maxInterim)
			}
			continue
		}
		out.Status = resp.status
		if err := s.readBody(req, &resp, out); err != nil {
			return err
		}
		if resp.closeAfter {
			s.dropConn()
		}
		return nil
	}
}

// readHead parses the status line and the headers. Only three headers matter
// to a load test (Content-Length, Transfer-Encoding, Connection); one of those
// is kept aside until the next line shows it is not folded onto more lines.
func (s *httpSession) readHead() (response, error) {
	budget := s.maxHead()
	resp := response{contentLength: -1}
	line, err := s.headLine(&budget)
	if err != nil {
		return resp, err
	}
	if resp.status, resp.closeAfter, err = parseStatusLine(line); err != nil {
		return resp, err
	}
	pending := fieldIgnored
	for {
		if line, err = s.headLine(&budget); err != nil {
			return resp, headerReadError(err)
		}
		line = trimCRLF(line)
		if isFolded(line) {
			s.unfold(pending, line)
			continue
		}
		if err := resp.apply(pending, s.field); err != nil {
			return resp, err
		}
		if len(line) == 0 {
			return resp, nil
		}
		if pending, err = s.startField(line); err != nil {
			return resp, err
		}
	}
}

func (s *httpSession) maxHead() int {
	if n := s.target.opts.MaxResponseHeaderBytes; n > 0 {
		return n
	}
	return DefaultMaxResponseHeaderBytes
}

// headLine reads one line of the head and charges it to budget, the bytes the
// head may still take. A line longer than the reader's buffer is gathered in
// s.long, which therefore grows to the head limit at most.
func (s *httpSession) headLine(budget *int) ([]byte, error) {
	line, err := s.rd.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		line, err = s.longLine(line, *budget)
	}
	if *budget -= len(line); *budget < 0 {
		return nil, fmt.Errorf("%w: the status line and headers exceed %d KiB", errHeadTooLarge, s.maxHead()>>10)
	}
	return line, err
}

func (s *httpSession) longLine(part []byte, budget int) ([]byte, error) {
	s.long = append(s.long[:0], part...)
	for len(s.long) <= budget {
		part, err := s.rd.ReadSlice('\n')
		s.long = append(s.long, part...)
		if err != bufio.ErrBufferFull {
			return s.long, err
		}
	}
	return s.long, nil // over the budget: headLine fails it
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

func trimCRLF(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}
