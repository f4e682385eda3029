package sandbox

import (
	"context"
	"io"
	"net/http"
	"time"
)

// Reading bodies and writing answers within the memory budget (budget.go).

// firstBodyBuffer is the size a body's buffer starts at.
const firstBodyBuffer = 4 << 10

// readBody reads r's body, at most limit+1 bytes so that the caller can tell
// a body over its limit. It first takes from the budget's bodies half what
// the body may be — its declared length, or limit+1 when it comes chunked —
// waiting, if need be, before it holds anything; then it reads into a buffer
// that doubles as the body arrives, so that memory follows what was sent,
// and gives back what the body did not use.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	want := limit + 1
	if r.ContentLength > 0 {
		want = min(want, r.ContentLength)
	}
	mem := memoryOf(r.Context())
	if err := mem.reserveBody(r.Context(), want); err != nil {
		return nil, err
	}
	buf, err := readUpTo(r.Body, want)
	mem.unreserveBody(want - int64(cap(buf)))
	if err == nil && int64(len(buf)) == r.ContentLength {
		err = drainEOF(r.Body)
	}
	return buf, err
}

// readUpTo reads body until its end or want bytes, doubling its buffer.
func readUpTo(body io.Reader, want int64) ([]byte, error) {
	var buf []byte
	for int64(len(buf)) < want {
		if len(buf) == cap(buf) {
			next := make([]byte, len(buf), min(max(2*int64(cap(buf)), firstBodyBuffer), want))
			copy(next, buf)
			buf = next
		}
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// drainEOF reads the end of a body that filled its buffer exactly, so that
// the reader sees its EOF (and the guard lifts the read deadline); a body
// longer than that is the caller's to refuse.
func drainEOF(body io.Reader) error {
	var one [1]byte
	if _, err := body.Read(one[:]); err != nil && err != io.EOF {
		return err
	}
	return nil
}

// budgetWriter reserves a request's answer when the handler writes it (a
// handler writes its whole answer at once), unless the handler reserved it
// before, and frees the request's build slot.
type budgetWriter struct {
	http.ResponseWriter
	ctx context.Context
	mem *requestMemory
}

func (w *budgetWriter) Write(p []byte) (int, error) {
	if err := w.reserveAnswer(len(p)); err != nil {
		return 0, err
	}
	return w.ResponseWriter.Write(p)
}

// WriteString keeps io.WriteString from copying the answer.
func (w *budgetWriter) WriteString(s string) (int, error) {
	if err := w.reserveAnswer(len(s)); err != nil {
		return 0, err
	}
	return io.WriteString(w.ResponseWriter, s)
}

func (w *budgetWriter) reserveAnswer(n int) error {
	return w.mem.built(w.ctx, int64(n))
}

// Unwrap lets http.ResponseController reach the connection.
func (w *budgetWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// deadlineBody lifts the read deadline the guard set for a body once the
// body has been read to its end: after that the server's background read
// must not time out, or it would cancel the request while the answer waits
// out its modelled latency.
type deadlineBody struct {
	io.ReadCloser
	rc     *http.ResponseController
	lifted bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.lifted { // on a timeout the deadline stands: the server must not wait on to discard the rest
		b.lifted = true
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

// extendWriteDeadline gives the client d to receive an answer that has just
// become ready: the modelled latency before it does not count against the
// listener's WriteTimeout. (Network deadlines are wall time, whatever the
// sandbox clock.)
func extendWriteDeadline(w http.ResponseWriter, d time.Duration) {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d))
}
