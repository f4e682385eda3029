package tune

import (
	"fmt"
	"math"
	"time"
)

// Verdict says whether a number moved for the better.
type Verdict string

// The verdicts a delta can have.
const (
	Better  Verdict = "better"
	Worse   Verdict = "worse"
	Same    Verdict = "same"
	Unknown Verdict = "unknown"
)

// Tolerance: a change within 2% of the before value (and within the
// metric's absolute floor, e.g. half a millisecond) counts as the same. Runs
// of the same load never repeat to the digit; 2% is about what two runs of
// the lab's load apart differ by with nothing changed.
const relativeTolerance = 0.02

// Delta is one metric before and after a change.
type Delta struct {
	Metric  string  `json:"metric"`
	Unit    string  `json:"unit"`
	Before  float64 `json:"before"`
	After   float64 `json:"after"`
	Known   bool    `json:"known"`
	Verdict Verdict `json:"verdict"`
}

// Change is after − before.
func (d Delta) Change() float64 { return d.After - d.Before }

// Percent is the change relative to before (0 when before is 0).
func (d Delta) Percent() float64 {
	if d.Before == 0 {
		return 0
	}
	return 100 * d.Change() / math.Abs(d.Before)
}

// metric says how one number is read off a run and judged.
type metric struct {
	name, unit string
	floor      float64 // absolute tolerance, in unit
	higherWins bool
	read       func(RunSummary, RunCost) (float64, bool)
}

func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

var deltaMetrics = []metric{
	{"average", "ms", 0.5, false, func(s RunSummary, _ RunCost) (float64, bool) { return msOf(s.Average), true }},
	{"p50", "ms", 0.5, false, func(s RunSummary, _ RunCost) (float64, bool) { return msOf(s.P50), true }},
	{"p95", "ms", 0.5, false, func(s RunSummary, _ RunCost) (float64, bool) { return msOf(s.P95), true }},
	{"p99", "ms", 0.5, false, func(s RunSummary, _ RunCost) (float64, bool) { return msOf(s.P99), true }},
	{"max", "ms", 0.5, false, func(s RunSummary, _ RunCost) (float64, bool) { return msOf(s.Max), true }},
	{"failure %", "%", 0.1, false, func(s RunSummary, _ RunCost) (float64, bool) { return s.failurePercent(), true }},
	{"requests/s", "req/s", 0.5, true, func(s RunSummary, _ RunCost) (float64, bool) { return s.RPS, true }},
	{"cold starts", "", 0, false, func(s RunSummary, _ RunCost) (float64, bool) {
		return float64(s.ColdStarts.Value), s.ColdStarts.Known
	}},
	{"cost per 1M", "$", 0.0001, false, func(_ RunSummary, c RunCost) (float64, bool) { return c.PerMillion, c.Known }},
}

func (s RunSummary) failurePercent() float64 {
	if s.Requests == 0 {
		return 0
	}
	return 100 * float64(s.Failures) / float64(s.Requests)
}

// Deltas compares the numbers that matter between two runs, priced with p:
// average, p50, p95, p99, max, failure %, requests/s, cold starts and cost
// per 1M requests, each judged better, worse or the same.
func Deltas(before, after RunSummary, p Prices) []Delta {
	costBefore, costAfter := before.price(p), after.price(p)
	out := make([]Delta, 0, len(deltaMetrics))
	for _, m := range deltaMetrics {
		b, okB := m.read(before, costBefore)
		a, okA := m.read(after, costAfter)
		d := Delta{Metric: m.name, Unit: m.unit, Before: b, After: a, Known: okA && okB, Verdict: Unknown}
		if d.Known {
			d.Verdict = m.judge(b, a)
		}
		out = append(out, d)
	}
	return out
}

func (m metric) judge(before, after float64) Verdict {
	change := after - before
	if math.Abs(change) <= max(relativeTolerance*math.Abs(before), m.floor) {
		return Same
	}
	if (change > 0) == m.higherWins {
		return Better
	}
	return Worse
}

// Text writes the delta as a table cell: "210.4 ms → 35.2 ms (−83%)".
func (d Delta) Text() string {
	if !d.Known {
		return "unknown"
	}
	return fmt.Sprintf("%s → %s (%s)", formatValue(d.Before, d.Unit), formatValue(d.After, d.Unit), d.ChangeText())
}

// ChangeText is the change alone: "−83%", "+3", "same".
func (d Delta) ChangeText() string {
	switch {
	case !d.Known:
		return "unknown"
	case d.Unit == "" || d.Unit == "%" || d.Before == 0:
		return signed(d.Change(), d.Unit)
	}
	return signed(d.Percent(), "%")
}

func signed(v float64, unit string) string {
	sign := "+"
	if v < 0 {
		sign = "−"
	}
	if unit == "%" {
		return fmt.Sprintf("%s%.1f%%", sign, math.Abs(v))
	}
	if unit == "$" {
		return sign + Dollars(math.Abs(v))
	}
	return fmt.Sprintf("%s%s", sign, trimFloat(math.Abs(v)))
}

// formatValue writes a metric's value with its unit.
func formatValue(v float64, unit string) string {
	switch unit {
	case "ms":
		return fmt.Sprintf("%.1f ms", v)
	case "%":
		return fmt.Sprintf("%.2f%%", v)
	case "$":
		return Dollars(v)
	case "req/s":
		return fmt.Sprintf("%.1f/s", v)
	}
	return trimFloat(v)
}

func trimFloat(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// Value writes one side of the delta with its unit: "35.2 ms", "$0.84".
func (d Delta) Value(v float64) string { return formatValue(v, d.Unit) }
