package load

import (
	"sort"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// currentWindows is how many closed windows "current" rates average over, like
// Locust's roughly 10-second current RPS.
const currentWindows = 10

// EndpointStats is one row of Locust's table, a copy that belongs to the caller.
type EndpointStats struct {
	Method string
	Name   string
	// Requests and Failures count completed requests; Throttles is the part of
	// Failures that were throttles (HTTP 429 or TooManyRequestsException).
	Requests, Failures, Throttles uint64
	// InFlightAtStop counts requests that were sent but had not finished when
	// the run stopped (Ctrl-C, the run time): they were abandoned, never
	// timed, and are in none of the other counts.
	InFlightAtStop    uint64
	Average, Min, Max time.Duration
	// AverageSize is the mean response body size in bytes.
	AverageSize float64
	// TotalRPS and TotalFailuresPerSec are over the whole run so far;
	// CurrentRPS and CurrentFailuresPerSec over the last ten seconds.
	TotalRPS, TotalFailuresPerSec     float64
	CurrentRPS, CurrentFailuresPerSec float64
	// StatusCodes counts responses by HTTP status; Errors counts failures by
	// their description ("HTTP 404 Not Found", "dial: connection refused").
	StatusCodes map[int]uint64
	Errors      map[string]uint64
	// Server is what the function reported (Invoke target only).
	Server ServerStats

	latency *hdrhistogram.Histogram
}

// ServerStats summarises the REPORT lines of an Invoke run: the function's own
// time beside the client's, and cold starts.
type ServerStats struct {
	Invocations, ColdStarts          uint64
	AverageDuration, P50, P99        time.Duration
	AverageBilledDuration            time.Duration
	AverageInitDuration, MaxInitTime time.Duration
	MaxMemoryUsedMB                  int
}

// Percentile is the latency at percentile p (0 to 100), from the HDR histogram:
// exact to 0.1%, and never outside the exact Min and Max.
func (e *EndpointStats) Percentile(p float64) time.Duration {
	if e.latency == nil || e.Requests == 0 {
		return 0
	}
	return quantile(e.latency, p, e.Min, e.Max)
}

// quantile reads a percentile from h, clamped to the exact extremes: an HDR
// bucket's reported value is its upper edge, up to 0.1% above the largest
// value in it, and a p100 above the true maximum would read as nonsense (as
// Locust clamps its median to its min and max).
func quantile(h *hdrhistogram.Histogram, p float64, lo, hi time.Duration) time.Duration {
	v := time.Duration(h.ValueAtQuantile(p)) * time.Microsecond
	return min(max(v, lo), hi)
}

// Median is the 50th percentile.
func (e *EndpointStats) Median() time.Duration { return e.Percentile(50) }

// FailRatio is Failures ÷ Requests, 0 for no requests.
func (e *EndpointStats) FailRatio() float64 {
	if e.Requests == 0 {
		return 0
	}
	return float64(e.Failures) / float64(e.Requests)
}

func (t *tally) toStats(ep Endpoint, elapsed time.Duration) EndpointStats {
	e := EndpointStats{
		Method: ep.Method, Name: ep.Name,
		Requests: t.requests, Failures: t.failures, Throttles: t.throttles,
		InFlightAtStop: t.abandoned, Min: t.minLatency, Max: t.maxLatency,
		StatusCodes: t.statuses, Errors: t.errors,
		latency: t.latency, Server: t.server.toStats(),
	}
	if t.requests > 0 {
		e.Average = t.latencySum / time.Duration(t.requests)
		e.AverageSize = float64(t.bytes) / float64(t.requests)
	}
	if secs := elapsed.Seconds(); secs > 0 {
		e.TotalRPS = float64(t.requests) / secs
		e.TotalFailuresPerSec = float64(t.failures) / secs
	}
	return e
}

func (s *serverTally) toStats() ServerStats {
	if s.count == 0 {
		return ServerStats{}
	}
	st := ServerStats{
		Invocations: s.count, ColdStarts: s.coldStarts,
		AverageDuration:       s.durationSum / time.Duration(s.count),
		AverageBilledDuration: s.billedSum / time.Duration(s.count),
		MaxInitTime:           s.initMax, MaxMemoryUsedMB: s.maxMemoryMB,
		P50: time.Duration(s.duration.ValueAtQuantile(50)) * time.Microsecond,
		P99: time.Duration(s.duration.ValueAtQuantile(99)) * time.Microsecond,
	}
	if s.coldStarts > 0 {
		st.AverageInitDuration = s.initSum / time.Duration(s.coldStarts)
	}
	return st
}

// setCurrentRates fills the current rates of each endpoint and the total from
// the last closed windows.
func setCurrentRates(endpoints []EndpointStats, total *EndpointStats, windows []Window) {
	recent := windows[max(len(windows)-currentWindows, 0):]
	var length time.Duration
	for _, w := range recent {
		length += w.Length
	}
	secs := length.Seconds()
	if secs <= 0 {
		return
	}
	for _, w := range recent {
		total.CurrentRPS += float64(w.Requests) / secs
		total.CurrentFailuresPerSec += float64(w.Failures) / secs
		for i, c := range w.Endpoints {
			endpoints[i].CurrentRPS += float64(c.Requests) / secs
			endpoints[i].CurrentFailuresPerSec += float64(c.Failures) / secs
		}
	}
}

// sortLikeLocust orders rows by name, then method, as Locust's table does.
func sortLikeLocust(rows []EndpointStats) {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Name != rows[j].Name {
			return rows[i].Name < rows[j].Name
		}
		return rows[i].Method < rows[j].Method
	})
}
