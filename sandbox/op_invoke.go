package sandbox

import (
	"context"
	"math"
	"net/http"
	"time"
)

// Invoke: POST /2015-03-31/functions/{name}/invocations?Qualifier=, with
// X-Amz-Invocation-Type (RequestResponse → 200, Event → 202, DryRun → 204)
// and X-Amz-Log-Type: Tail. It is a data-plane call: the control plane's
// request-rate quota does not apply; Lambda's concurrency and invocation
// rates do (exec_limits.go).
func (s *Sandbox) invokeOp(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > maxSyncPayload { // refused unread: the sandbox never holds more than Lambda takes
		writeAPIError(w, checkPayloadSize(r.Header.Get("X-Amz-Invocation-Type"), int(min(r.ContentLength, math.MaxInt32))))
		return
	}
	payload, err := readBody(r, maxSyncPayload)
	if err != nil {
		writeAPIError(w, errBadRequestBody(err))
		return
	}
	call, apiErr := decodeInvoke(r.PathValue("name"), r.URL.Query().Get("Qualifier"),
		r.Header.Get("X-Amz-Invocation-Type"), r.Header.Get("X-Amz-Log-Type"), payload)
	if apiErr != nil {
		writeAPIError(w, apiErr)
		return
	}
	switch call.invocationType {
	case invokeDryRun:
		s.dryRun(w, call.req)
	case invokeEvent:
		s.enqueueEvent(w, call.req)
	default:
		s.invokeSync(w, r, call.req)
	}
}

func writeAPIError(w http.ResponseWriter, err *apiError) {
	setRequestID(w)
	err.write(w)
}

// dryRun checks that the function and qualifier exist: 204.
func (s *Sandbox) dryRun(w http.ResponseWriter, req invokeRequest) {
	s.mu.Lock()
	_, err := s.resolve(s.clock.Now(), req.ref)
	s.mu.Unlock()
	if err != nil {
		writeAPIError(w, err)
		return
	}
	setRequestID(w)
	w.WriteHeader(http.StatusNoContent)
}

// invokeSync runs a RequestResponse invocation in the model's time: it
// begins, waits out its latency on the sandbox clock, ends, and answers.
// The answer is made in a build slot and counted in the memory budget while
// it waits (budget.go).
func (s *Sandbox) invokeSync(w http.ResponseWriter, r *http.Request, req invokeRequest) {
	mem := memoryOf(r.Context())
	if mem.enterBuild(r.Context()) != nil {
		return // the client went away before anything ran
	}
	inv, err := s.beginInvoke(s.clock.Now(), req)
	if err != nil {
		writeAPIError(w, err)
		return
	}
	payload := inv.responsePayload()
	_ = mem.built(s.lifetime, int64(len(payload)))
	s.wait(s.lifetime, inv.latency())
	s.endInvoke(s.clock.Now(), inv)
	h := w.Header()
	h.Set("X-Amzn-RequestId", inv.requestID)
	h.Set("X-Amz-Executed-Version", inv.pool.version)
	h.Set("Content-Type", "application/json")
	if inv.failed() {
		h.Set("X-Amz-Function-Error", "Unhandled")
	}
	if req.tail {
		h.Set("X-Amz-Log-Result", inv.logTail())
	}
	extendWriteDeadline(w, s.cfg.Endpoint.WriteTimeout)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(payload)
}

// wait sleeps d on the sandbox clock, or not at all with ZeroLatency; it
// returns early when ctx ends. How late it wakes is scheduling lag (lag.go).
func (s *Sandbox) wait(ctx context.Context, d time.Duration) {
	if s.cfg.ZeroLatency || d <= 0 {
		return
	}
	due := s.clock.Now().Add(d)
	if s.clock.Sleep(ctx, d) == nil {
		now := s.clock.Now()
		s.lag.observe(now, now.Sub(due))
	}
}
