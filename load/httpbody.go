package load

import (
	"bytes"
	"fmt"
	"io"
	"slices"
)

// readBody reads (or skips) the body the head announced and counts its size.
func (s *httpSession) readBody(req *Request, resp *response, out *Outcome) error {
	s.body = s.body[:0]
	if req.Method == "HEAD" || resp.status == 204 || resp.status == 304 {
		return nil
	}
	switch {
	case resp.chunked:
		return s.readChunked(req.WantBody, out)
	case resp.contentLength >= 0:
		return s.readFixed(resp.contentLength, req.WantBody, out)
	default:
		resp.closeAfter = true
		return s.readToEOF(req.WantBody, out)
	}
}

func (s *httpSession) readFixed(n int64, keep bool, out *Outcome) error {
	out.Size += n
	if !keep {
		_, err := s.rd.Discard(int(n))
		return bodyError(err)
	}
	kept := min(n, maxKeptBody)
	start := len(s.body)
	s.body = slices.Grow(s.body, int(kept))[:start+int(kept)] // reuses the buffer
	if _, err := io.ReadFull(s.rd, s.body[start:]); err != nil {
		return bodyError(err)
	}
	out.Body = s.body
	_, err := s.rd.Discard(int(n - kept))
	return bodyError(err)
}

func (s *httpSession) readChunked(keep bool, out *Outcome) error {
	for {
		line, err := s.rd.ReadSlice('\n')
		if err != nil {
			return bodyError(err)
		}
		size, err := parseChunkSize(trimCRLF(line))
		if err != nil {
			return err
		}
		if size == 0 {
			return s.skipTrailers()
		}
		if err := s.readFixed(size, keep && int64(len(s.body))+size <= maxKeptBody, out); err != nil {
			return err
		}
		if _, err := s.rd.Discard(2); err != nil { // the CRLF after the data
			return bodyError(err)
		}
	}
}

func parseChunkSize(line []byte) (int64, error) {
	hex, _, _ := bytes.Cut(line, []byte(";"))
	hex = bytes.TrimSpace(hex)
	if len(hex) == 0 || len(hex) > 15 {
		return 0, fmt.Errorf("%w: chunk size %q", errMalformed, line)
	}
	var n int64
	for _, c := range hex {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, fmt.Errorf("%w: chunk size %q", errMalformed, line)
		}
		n = n*16 + int64(d)
	}
	return n, nil
}

func (s *httpSession) skipTrailers() error {
	for {
		line, err := s.rd.ReadSlice('\n')
		if err != nil {
			return bodyError(err)
		}
		if len(trimCRLF(line)) == 0 {
			return nil
		}
	}
}

// readToEOF reads a body delimited by the connection's end (no length given).
func (s *httpSession) readToEOF(keep bool, out *Outcome) error {
	buf := make([]byte, 32<<10)
	for {
		n, err := s.rd.Read(buf)
		out.Size += int64(n)
		if keep && len(s.body)+n <= maxKeptBody {
			s.body = append(s.body, buf[:n]...)
			out.Body = s.body
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func bodyError(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
