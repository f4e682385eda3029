package sandbox

import (
	"net/http"
	"time"
)

// Event invocations are accepted with 202 at once and run within the model,
// as Lambda's asynchronous invocation does: a throttled event is retried with
// backoff from 1 s, doubling up to 5 minutes, for up to 6 hours (the default
// maximum event age); a function error is retried twice, one and then two
// minutes later. (D) AWS Lambda DG, "Asynchronous invocation" / "Error
// handling and automatic retries". Retries wait on the sandbox clock even with
// ZeroLatency, so a throttled function is not retried in a busy loop.
const (
	// maxAsyncPending and maxAsyncBytes bound the events accepted and not yet
	// finished, and their payloads: the sandbox's own limits, to bound its
	// memory; beyond them Invoke answers 429.
	maxAsyncPending   = 10_000
	maxAsyncBytes     = 64 << 20
	asyncMaxEventAge  = 6 * time.Hour
	asyncFirstBackoff = time.Second
	asyncMaxBackoff   = 5 * time.Minute
)

// asyncErrorRetryDelays are the waits before the two retries of a failed
// event.
var asyncErrorRetryDelays = []time.Duration{time.Minute, 2 * time.Minute}

// enqueueEvent accepts an Event invocation: 202 with the request id the
// invocation will run under.
func (s *Sandbox) enqueueEvent(w http.ResponseWriter, req invokeRequest) {
	if s.asyncPending.Load() >= maxAsyncPending || s.asyncBytes.Load()+int64(len(req.payload)) > maxAsyncBytes {
		writeAPIError(w, (&throttle{"CallerRateLimitExceeded", 1}).apiError())
		return
	}
	s.mu.Lock()
	_, err := s.resolve(s.clock.Now(), req.ref)
	if err == nil {
		req.requestID = s.newUUID()
	}
	s.mu.Unlock()
	if err != nil {
		writeAPIError(w, err)
		return
	}
	req.async = true
	s.asyncPending.Add(1)
	s.asyncBytes.Add(int64(len(req.payload)))
	go s.runEvent(req)
	w.Header().Set("X-Amzn-RequestId", req.requestID)
	w.WriteHeader(http.StatusAccepted)
}

// runEvent runs one event to its end, with Lambda's retries.
func (s *Sandbox) runEvent(req invokeRequest) {
	defer func() {
		s.asyncPending.Add(-1)
		s.asyncBytes.Add(-int64(len(req.payload)))
	}()
	received := s.clock.Now()
	backoff, retries := asyncFirstBackoff, 0
	for s.lifetime.Err() == nil {
		inv, err := s.beginInvoke(s.clock.Now(), req)
		if err != nil {
			if err.status != http.StatusTooManyRequests || s.clock.Now().Add(backoff).Sub(received) > asyncMaxEventAge {
				return // dropped, as an expired or unroutable event is
			}
			_ = s.clock.Sleep(s.lifetime, backoff)
			backoff = min(2*backoff, asyncMaxBackoff)
			continue
		}
		s.wait(s.lifetime, inv.latency())
		s.endInvoke(s.clock.Now(), inv)
		if !inv.failed() || retries == len(asyncErrorRetryDelays) {
			return
		}
		_ = s.clock.Sleep(s.lifetime, asyncErrorRetryDelays[retries])
		retries++
	}
}
