package load

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Threshold is one `--fail-if` condition on the aggregate results, such as
// "p95>200ms" or "fail-ratio>1%". The run fails when the condition holds.
type Threshold struct {
	Raw    string
	Metric string
	Op     string
	// Limit is in the metric's unit: milliseconds for latencies, a ratio for
	// fail-ratio, a count or a rate otherwise.
	Limit float64
}

// ThresholdResult is a threshold checked against a run.
type ThresholdResult struct {
	Threshold
	Value    float64
	Breached bool
}

// ErrBadThreshold is returned for a `--fail-if` that cannot be read.
var ErrBadThreshold = errors.New(`a threshold looks like "p95>200ms", "avg>=100ms", "max>1s", "fail-ratio>1%", "rps<150", "throttles>0"`)

type metricKind int

const (
	latencyMetric metricKind = iota
	ratioMetric
	countMetric
	rateMetric
)

// metricKinds lists the metrics a threshold can name (pNN for any percentile).
var metricKinds = map[string]metricKind{
	"avg": latencyMetric, "average": latencyMetric, "mean": latencyMetric,
	"min": latencyMetric, "max": latencyMetric, "median": latencyMetric, "med": latencyMetric,
	"fail-ratio": ratioMetric, "error-rate": ratioMetric, "failure-rate": ratioMetric,
	"fails": countMetric, "failures": countMetric, "requests": countMetric, "throttles": countMetric,
	"rps": rateMetric,
}

// ParseThreshold reads one `--fail-if` value.
func ParseThreshold(s string) (Threshold, error) {
	raw := strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	i := strings.IndexAny(raw, "<>")
	if i <= 0 {
		return Threshold{}, fmt.Errorf("%q: %w", s, ErrBadThreshold)
	}
	op := raw[i : i+1]
	if strings.HasPrefix(raw[i+1:], "=") {
		op += "="
	}
	t := Threshold{Raw: raw, Metric: strings.ToLower(raw[:i]), Op: op}
	kind, ok := kindOf(t.Metric)
	if !ok {
		return Threshold{}, fmt.Errorf("%q: unknown metric %q: %w", s, t.Metric, ErrBadThreshold)
	}
	limit, err := parseLimit(raw[i+len(op):], kind)
	if err != nil {
		return Threshold{}, fmt.Errorf("%q: %w", s, err)
	}
	t.Limit = limit
	return t, nil
}

func kindOf(metric string) (metricKind, bool) {
	if kind, ok := metricKinds[metric]; ok {
		return kind, true
	}
	p, ok := percentileOf(metric)
	return latencyMetric, ok && p > 0 && p <= 100
}

// percentileOf reads "p95", "p99.9".
func percentileOf(metric string) (float64, bool) {
	rest, ok := strings.CutPrefix(metric, "p")
	if !ok {
		return 0, false
	}
	p, err := strconv.ParseFloat(rest, 64)
	return p, err == nil
}

func parseLimit(s string, kind metricKind) (float64, error) {
	switch kind {
	case latencyMetric:
		if d, err := time.ParseDuration(s); err == nil {
			return ms(d), nil
		}
		return parseNumber(s, "a duration such as 200ms or 1.5s")
	case ratioMetric:
		if pct, ok := strings.CutSuffix(s, "%"); ok {
			v, err := parseNumber(pct, "a percentage such as 1%")
			return v / 100, err
		}
		return parseNumber(s, "a ratio such as 0.01 or a percentage such as 1%")
	}
	return parseNumber(s, "a number")
}

func parseNumber(s, want string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("limit %q must be %s", s, want)
	}
	return v, nil
}

// Check evaluates the threshold on the run's aggregate row.
func (t Threshold) Check(snap Snapshot) ThresholdResult {
	v := t.value(&snap.Total)
	return ThresholdResult{Threshold: t, Value: v, Breached: compare(v, t.Op, t.Limit)}
}

func (t Threshold) value(total *EndpointStats) float64 {
	switch t.Metric {
	case "avg", "average", "mean":
		return ms(total.Average)
	case "min":
		return ms(total.Min)
	case "max":
		return ms(total.Max)
	case "median", "med":
		return ms(total.Median())
	case "fail-ratio", "error-rate", "failure-rate":
		return total.FailRatio()
	case "fails", "failures":
		return float64(total.Failures)
	case "requests":
		return float64(total.Requests)
	case "throttles":
		return float64(total.Throttles)
	case "rps":
		return total.TotalRPS
	}
	p, _ := percentileOf(t.Metric)
	return ms(total.Percentile(p))
}

func compare(v float64, op string, limit float64) bool {
	switch op {
	case ">":
		return v > limit
	case ">=":
		return v >= limit
	case "<":
		return v < limit
	default:
		return v <= limit
	}
}

// String says what was measured against the limit, e.g. "p95 was 231.4ms (fail if >200ms)".
func (r ThresholdResult) String() string {
	kind, _ := kindOf(r.Metric)
	value, limit := fmt.Sprintf("%g", round3(r.Value)), fmt.Sprintf("%g", round3(r.Limit))
	switch kind {
	case latencyMetric:
		value, limit = readableMs(r.Value, r.Op, r.Limit), msDuration(r.Limit, 0).String()
	case ratioMetric:
		value, limit = fmt.Sprintf("%.2f%%", r.Value*100), fmt.Sprintf("%g%%", round3(r.Limit*100))
	}
	verdict := "ok"
	if r.Breached {
		verdict = "FAILED"
	}
	return fmt.Sprintf("%s: %s was %s (fail if %s%s)", verdict, r.Metric, value, r.Op, limit)
}

func round3(v float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', 3, 64), 64)
	return f
}

// readableMs prints a latency in milliseconds as a duration rounded to three
// significant digits (175.999 → "176ms", 1234.5 → "1.23s"), with more digits
// only where the rounded value would read as on the other side of the limit
// than the real one (200.04 against >200.01 stays "200.04ms", not "200ms").
func readableMs(v float64, op string, limit float64) string {
	breached := compare(v, op, limit)
	for digits := 3; ; digits++ {
		d := msDuration(v, digits)
		if digits == 9 || compare(ms(d), op, ms(msDuration(limit, 0))) == breached {
			return d.String()
		}
	}
}

// msDuration converts milliseconds to a duration rounded to the given number
// of significant digits (0: to the microsecond, the histograms' resolution).
func msDuration(v float64, digits int) time.Duration {
	d := time.Duration(math.Round(v * float64(time.Millisecond)))
	unit := time.Microsecond
	if digits > 0 {
		unit = 1
		for limit := time.Duration(math.Pow10(digits)); d/unit >= limit; unit *= 10 {
		}
	}
	return d.Round(unit)
}
