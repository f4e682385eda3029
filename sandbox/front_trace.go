package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
)

// traceHeader is X-Ray's trace header. API Gateway answers every request
// with it and passes it on to the integration, so the function's event
// carries the same trace (AWS X-Ray Developer Guide, "Tracing header";
// docs/sandbox-model.md, "The products API front").
const traceHeader = "X-Amzn-Trace-Id"

// trace gives the request its trace header, keeping the caller's Root when
// it sent one, and sets the same header on the answer.
func (fr *front) trace(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get(traceHeader)
	if !strings.HasPrefix(id, "Root=1-") {
		id = fr.newTraceID()
	}
	r.Header.Set(traceHeader, id)
	w.Header().Set(traceHeader, id)
}

// newTraceID is "Root=1-<epoch seconds, 8 hex digits>-<96 random bits,
// 24 hex digits>;Sampled=0": tracing is not enabled on the lab's stage.
func (fr *front) newTraceID() string {
	var random [12]byte
	_, _ = rand.Read(random[:])
	epoch := strconv.FormatInt(fr.s.clock.Now().Unix(), 16)
	return "Root=1-" + strings.Repeat("0", max(0, 8-len(epoch))) + epoch + "-" + hex.EncodeToString(random[:]) + ";Sampled=0"
}
