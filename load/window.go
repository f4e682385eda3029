package load

import (
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Window is one closed second (about) of a run, for the live charts: what
// completed in it, its latency percentiles, and the load at its end.
type Window struct {
	// Start is the window's start, counted from the run's start.
	Start  time.Duration
	Length time.Duration
	// Requests, Failures, Throttles and ColdStarts completed in the window.
	Requests, Failures, Throttles, ColdStarts uint64
	RPS, FailuresPerSec                       float64
	P50, P95, Max                             time.Duration
	// InFlight and Users are sampled when the window closes.
	InFlight, Users int
	// Endpoints counts requests and failures per endpoint, in the order of the
	// scenario's endpoints.
	Endpoints []WindowCount
}

// WindowCount is one endpoint's share of a window.
type WindowCount struct{ Requests, Failures uint64 }

// windowTally accumulates the current window in one shard.
type windowTally struct {
	requests, failures, throttles, coldStarts uint64
	maxLatency                                time.Duration
	latency                                   *hdrhistogram.Histogram
	endpoints                                 []WindowCount
}

func newWindowTally(endpoints int) windowTally {
	return windowTally{latency: newHistogram(), endpoints: make([]WindowCount, endpoints)}
}

func (w *windowTally) record(o *Outcome) {
	w.requests++
	w.endpoints[o.Endpoint].Requests++
	if o.Failed() {
		w.failures++
		w.endpoints[o.Endpoint].Failures++
	}
	if o.Throttled || o.Status == 429 {
		w.throttles++
	}
	if o.Server.InitDuration > 0 {
		w.coldStarts++
	}
	w.maxLatency = max(w.maxLatency, o.Latency)
	_ = w.latency.RecordValue(micros(o.Latency))
}

// drainInto adds the shard's window to sum and resets it for the next second.
func (w *windowTally) drainInto(sum *windowTally) {
	sum.requests += w.requests
	sum.failures += w.failures
	sum.throttles += w.throttles
	sum.coldStarts += w.coldStarts
	sum.maxLatency = max(sum.maxLatency, w.maxLatency)
	for i, c := range w.endpoints {
		sum.endpoints[i].Requests += c.Requests
		sum.endpoints[i].Failures += c.Failures
		w.endpoints[i] = WindowCount{}
	}
	if w.requests > 0 {
		sum.latency.Merge(w.latency)
		w.latency.Reset()
	}
	w.requests, w.failures, w.throttles, w.coldStarts, w.maxLatency = 0, 0, 0, 0, 0
}

// toWindow turns a drained sum into the published Window.
func (w *windowTally) toWindow(start, length time.Duration, inFlight, users int) Window {
	win := Window{
		Start: start, Length: length,
		Requests: w.requests, Failures: w.failures, Throttles: w.throttles, ColdStarts: w.coldStarts,
		Max: w.maxLatency, InFlight: inFlight, Users: users,
		Endpoints: append([]WindowCount(nil), w.endpoints...),
	}
	if secs := length.Seconds(); secs > 0 {
		win.RPS = float64(w.requests) / secs
		win.FailuresPerSec = float64(w.failures) / secs
	}
	if w.requests > 0 {
		win.P50 = time.Duration(w.latency.ValueAtQuantile(50)) * time.Microsecond
		win.P95 = time.Duration(w.latency.ValueAtQuantile(95)) * time.Microsecond
	}
	return win
}
