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
// a body over its limit, taking the bytes from the request's budget as they
// arrive: a client trickling a large body holds only what it has sent. The
// buffer doubles as it fills; each step reserves the new buffer and gives the
// old one back.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	want := limit + 1
	if r.ContentLength > 0 {
		want = min(want, r.ContentLength)
	}
	ctx, mem := r.Context(), memoryOf(r.Context())
	var buf []byte
	for int64(len(buf)) < want {
		if len(buf) == cap(buf) {
			next, err := grow(ctx, mem, buf, want)
			if err != nil {
				return buf, err
			}
			buf = next
		}
		n, err := r.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	if int64(len(buf)) == r.ContentLength {
		return buf, drainEOF(r.Body)
	}
	return buf, nil
}

// grow doubles buf (to at most want bytes), within the budget.
func grow(ctx context.Context, mem *requestMemory, buf []byte, want int64) ([]byte, error) {
	size := min(max(2*int64(cap(buf)), firstBodyBuffer), want)
	if err := mem.reserve(ctx, size); err != nil {
		return nil, err
	}
	next := make([]byte, len(buf), size)
	copy(next, buf)
	mem.unreserve(int64(cap(buf)))
	return next, nil
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
	if w.mem.answered {
		return nil
	}
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
	if err != nil && !b.lifted {
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
