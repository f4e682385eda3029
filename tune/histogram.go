package tune

import (
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Histogram is an HDR histogram of latencies in microseconds, kept in
// hdrhistogram-go's Export/Import snapshot form with only its non-empty
// buckets: a run's distribution costs a few kilobytes instead of the 23,000
// counters of its full form, and comes back exactly.
type Histogram struct {
	Lowest  int64 `json:"lowest"`
	Highest int64 `json:"highest"`
	Digits  int64 `json:"significant_digits"`
	// Counts are [bucket index, count] pairs of the snapshot's counts, in
	// index order, zero buckets left out.
	Counts [][2]int64 `json:"counts"`
}

// histogramUnit is what one histogram count is (the load engine's unit).
const histogramUnit = time.Microsecond

// maxHistogramBuckets bounds what a decoded histogram may claim, so a damaged
// record cannot make the reader allocate without bound.
const maxHistogramBuckets = 1 << 20

// HistogramOf keeps a snapshot (nil stays nil).
func HistogramOf(s *hdrhistogram.Snapshot) *Histogram {
	if s == nil {
		return nil
	}
	h := &Histogram{Lowest: s.LowestTrackableValue, Highest: s.HighestTrackableValue, Digits: s.SignificantFigures}
	for i, n := range s.Counts {
		if n != 0 {
			h.Counts = append(h.Counts, [2]int64{int64(i), n})
		}
	}
	return h
}

// Snapshot rebuilds the Export form.
func (h *Histogram) Snapshot() *hdrhistogram.Snapshot {
	s := &hdrhistogram.Snapshot{LowestTrackableValue: h.Lowest, HighestTrackableValue: h.Highest, SignificantFigures: h.Digits}
	if len(h.Counts) == 0 {
		return s
	}
	last := h.Counts[len(h.Counts)-1][0]
	if last < 0 || last >= maxHistogramBuckets {
		return s
	}
	s.Counts = make([]int64, last+1)
	for _, c := range h.Counts {
		if c[0] >= 0 && c[0] <= last {
			s.Counts[c[0]] = c[1]
		}
	}
	return s
}

// histogram imports the snapshot into a live histogram.
func (h *Histogram) histogram() *hdrhistogram.Histogram { return hdrhistogram.Import(h.Snapshot()) }

// Bar is one non-empty bucket: latencies from From to To, Count of them.
type Bar struct {
	From, To time.Duration
	Count    int64
}

// Bars lists the histogram's non-empty buckets, lowest first.
func (h *Histogram) Bars() []Bar {
	if h == nil {
		return nil
	}
	var out []Bar
	for _, b := range h.histogram().Distribution() {
		if b.Count > 0 {
			out = append(out, Bar{From: time.Duration(b.From) * histogramUnit, To: time.Duration(b.To) * histogramUnit, Count: b.Count})
		}
	}
	return out
}

// Quantile is the latency at percentile p (0–100), clamped to [lo, hi] as the
// engine clamps it; 0 for an empty histogram.
func (h *Histogram) Quantile(p float64, lo, hi time.Duration) time.Duration {
	if h == nil {
		return 0
	}
	hist := h.histogram()
	if hist.TotalCount() == 0 {
		return 0
	}
	v := time.Duration(hist.ValueAtQuantile(p)) * histogramUnit
	return min(max(v, lo), hi)
}
