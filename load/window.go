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
	// Cumulative is the whole run up to the window's end (Locust's history
	// rows carry it).
	Cumulative Cumulative
}

// ReportedPercentiles are Locust's percentile columns, as fractions.
var ReportedPercentiles = []float64{0.50, 0.66, 0.75, 0.80, 0.90, 0.95, 0.98, 0.99, 0.999, 0.9999, 1.0}

// Cumulative summarises every request from the start of the run to a window's end.
type Cumulative struct {
	Requests, Failures uint64
	Average, Min, Max  time.Duration
	Median             time.Duration
	AverageSize        float64
	// Percentiles holds the latency at each of ReportedPercentiles.
	Percentiles []time.Duration
}

// WindowCount is one endpoint's share of a window.
type WindowCount struct{ Requests, Failures uint64 }

// windowTally accumulates the current window in one shard.
type windowTally struct {
	requests, failures, throttles, coldStarts uint64
	minLatency, maxLatency, latencySum        time.Duration
	bytes                                     uint64
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
	if w.requests == 1 || o.Latency < w.minLatency {
		w.minLatency = o.Latency
	}
	w.maxLatency = max(w.maxLatency, o.Latency)
	w.latencySum += o.Latency
	w.bytes += uint64(max(o.Size, 0))
	_ = w.latency.RecordValue(micros(o.Latency))
}

// drainInto adds the shard's window to sum and resets it for the next second.
func (w *windowTally) drainInto(sum *windowTally) {
	sum.add(w)
	for i := range w.endpoints {
		w.endpoints[i] = WindowCount{}
	}
	if w.requests > 0 {
		w.latency.Reset()
	}
	w.requests, w.failures, w.throttles, w.coldStarts = 0, 0, 0, 0
	w.minLatency, w.maxLatency, w.latencySum, w.bytes = 0, 0, 0, 0
}

// add merges other into w.
func (w *windowTally) add(other *windowTally) {
	if other.requests == 0 {
		return
	}
	if w.requests == 0 || other.minLatency < w.minLatency {
		w.minLatency = other.minLatency
	}
	w.maxLatency = max(w.maxLatency, other.maxLatency)
	w.latencySum += other.latencySum
	w.bytes += other.bytes
	w.requests += other.requests
	w.failures += other.failures
	w.throttles += other.throttles
	w.coldStarts += other.coldStarts
	for i, c := range other.endpoints {
		w.endpoints[i].Requests += c.Requests
		w.endpoints[i].Failures += c.Failures
	}
	w.latency.Merge(other.latency)
}

// cumulative summarises w as the run so far.
func (w *windowTally) cumulative() Cumulative {
	c := Cumulative{Requests: w.requests, Failures: w.failures, Min: w.minLatency, Max: w.maxLatency}
	if w.requests == 0 {
		return c
	}
	c.Average = w.latencySum / time.Duration(w.requests)
	c.AverageSize = float64(w.bytes) / float64(w.requests)
	c.Median = quantile(w.latency, 50, w.minLatency, w.maxLatency)
	c.Percentiles = make([]time.Duration, len(ReportedPercentiles))
	for i, p := range ReportedPercentiles {
		c.Percentiles[i] = quantile(w.latency, p*100, w.minLatency, w.maxLatency)
	}
	return c
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
		win.P50 = quantile(w.latency, 50, w.minLatency, w.maxLatency)
		win.P95 = quantile(w.latency, 95, w.minLatency, w.maxLatency)
	}
	return win
}

// absorb adds late counts to a published window (its percentiles stay).
func (w *Window) absorb(sum *windowTally, cumulative Cumulative) {
	w.Requests += sum.requests
	w.Failures += sum.failures
	w.Throttles += sum.throttles
	w.ColdStarts += sum.coldStarts
	w.Max = max(w.Max, sum.maxLatency)
	for i, c := range sum.endpoints {
		w.Endpoints[i].Requests += c.Requests
		w.Endpoints[i].Failures += c.Failures
	}
	if secs := w.Length.Seconds(); secs > 0 {
		w.RPS = float64(w.Requests) / secs
		w.FailuresPerSec = float64(w.Failures) / secs
	}
	w.Cumulative = cumulative
}
