package load

import (
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// These accessors export what a run's record keeps beyond the report: the
// HDR histograms themselves and the bounds the run was given. The journal
// (package tune) stores them so that a finished run can be compared and
// charted later without the engine.

// LatencyHistogram is the endpoint's latency distribution in microseconds, in
// hdrhistogram-go's Export form (Import rebuilds it); nil before the first
// request. The copy belongs to the caller.
func (e *EndpointStats) LatencyHistogram() *hdrhistogram.Snapshot {
	if e.latency == nil || e.Requests == 0 {
		return nil
	}
	return e.latency.Export()
}

// RunLimits are the bounds and seed a run was started with.
type RunLimits struct {
	RunTime     time.Duration
	MaxRequests uint64 // 0: no cap
	Seed        uint64
}

// Limits says how the run was bounded, for reports and for telling whether
// two runs drove the same load.
func (r *Run) Limits() RunLimits {
	return RunLimits{RunTime: r.cfg.RunTime, MaxRequests: r.cfg.MaxRequests, Seed: r.cfg.Seed}
}

// HistogramUnit is the unit latency histograms count in.
const HistogramUnit = time.Microsecond
