package load

import (
	"strings"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

func snapshotWithLatencies(latencies []time.Duration, failures uint64) Snapshot {
	h := hdrhistogram.New(histLowest, histHighest, histDigits)
	var sum time.Duration
	for _, l := range latencies {
		h.RecordValue(micros(l))
		sum += l
	}
	total := EndpointStats{
		Name: "Aggregated", Requests: uint64(len(latencies)), Failures: failures, Throttles: failures / 2,
		Average: sum / time.Duration(len(latencies)), Min: latencies[0], Max: latencies[len(latencies)-1],
		TotalRPS: 180, latency: h,
	}
	return Snapshot{Total: total}
}

func TestThresholds(t *testing.T) {
	// 100 requests: 1..100 ms, 5 failures, 2 throttles.
	latencies := make([]time.Duration, 100)
	for i := range latencies {
		latencies[i] = time.Duration(i+1) * time.Millisecond
	}
	snap := snapshotWithLatencies(latencies, 5)
	tests := []struct {
		spec     string
		breached bool
	}{
		{"p95>200ms", false},
		{"p95>90ms", true},
		{"p99.9 >= 100ms", true},
		{"avg>50ms", true},
		{"avg>51ms", false},
		{"median>0.051s", false},
		{"med>49ms", true},
		{"max>=100", true},
		{"min<1ms", false},
		{"fail-ratio>1%", true},
		{"error-rate>0.05", false},
		{"failures>=5", true},
		{"throttles>0", true},
		{"rps<150", false},
		{"rps<200", true},
		{"requests<100", false},
	}
	for _, tt := range tests {
		th, err := ParseThreshold(tt.spec)
		if err != nil {
			t.Fatalf("ParseThreshold(%q): %v", tt.spec, err)
		}
		if r := th.Check(snap); r.Breached != tt.breached {
			t.Errorf("%s: breached %v, want %v (%s)", tt.spec, r.Breached, tt.breached, r)
		}
	}
}

func TestThresholdText(t *testing.T) {
	th, _ := ParseThreshold("p95>200ms")
	r := ThresholdResult{Threshold: th, Value: 231.4, Breached: true}
	if got := r.String(); got != "FAILED: p95 was 231ms (fail if >200ms)" {
		t.Fatalf("got %q", got)
	}
	for _, tt := range []struct {
		spec  string
		value float64
		want  string
	}{
		{"avg>100ms", 175.999, "FAILED: avg was 176ms (fail if >100ms)"},
		{"p99>1s", 1234.5678, "FAILED: p99 was 1.23s (fail if >1s)"},
		{"max>2m", 95_432.1, "ok: max was 1m35.4s (fail if >2m0s)"},
		{"p50>0.5ms", 0.4567, "ok: p50 was 457µs (fail if >500µs)"},
		{"p95>200.01ms", 200.04, "FAILED: p95 was 200.04ms (fail if >200.01ms)"},
		{"p95>=200ms", 200, "FAILED: p95 was 200ms (fail if >=200ms)"},
	} {
		th, _ := ParseThreshold(tt.spec)
		if got := (ThresholdResult{Threshold: th, Value: tt.value, Breached: compare(tt.value, th.Op, th.Limit)}).String(); got != tt.want {
			t.Errorf("%s at %v: %q, want %q", tt.spec, tt.value, got, tt.want)
		}
	}
	th, _ = ParseThreshold("fail-ratio>1%")
	r = ThresholdResult{Threshold: th, Value: 0.002}
	if got := r.String(); got != "ok: fail-ratio was 0.20% (fail if >1%)" {
		t.Fatalf("got %q", got)
	}
}

func TestParseThresholdRejects(t *testing.T) {
	for _, spec := range []string{"", "p95", ">200ms", "p95=200ms", "speed>3", "p0>1ms", "p101>1ms", "p95>fast", "fail-ratio>lots", "rps>-1"} {
		if _, err := ParseThreshold(spec); err == nil {
			t.Errorf("ParseThreshold(%q) accepted it", spec)
		} else if !strings.Contains(err.Error(), spec) && spec != "" {
			t.Errorf("error %q does not quote the input %q", err, spec)
		}
	}
}
