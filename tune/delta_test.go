package tune

import (
	"testing"
	"time"
)

func summary(avg time.Duration, failures uint64, rps float64, cold uint64) RunSummary {
	return RunSummary{Requests: 10_000, Failures: failures, Average: avg, P50: avg, P95: 2 * avg, P99: 3 * avg, Max: 10 * avg,
		RPS: rps, Elapsed: 50 * time.Second, ColdStarts: Count{Value: cold, Known: true},
		Billed: Billed{Average: avg, Source: SourceReport},
		Config: ConfigCost{Known: true, MemoryMB: 128, Architecture: ArchX86}}
}

func deltaOf(t *testing.T, ds []Delta, metric string) Delta {
	t.Helper()
	for _, d := range ds {
		if d.Metric == metric {
			return d
		}
	}
	t.Fatalf("no %s delta in %+v", metric, ds)
	return Delta{}
}

func TestDeltasJudgeEachMetric(t *testing.T) {
	before := summary(200*time.Millisecond, 100, 200, 50)
	after := summary(40*time.Millisecond, 100, 240, 51)
	ds := Deltas(before, after, DefaultPrices())
	want := map[string]Verdict{"average": Better, "p50": Better, "p95": Better, "p99": Better, "max": Better,
		"failure %": Same, "requests/s": Better, "cold starts": Same, "cost per 1M": Better}
	for metric, verdict := range want {
		if d := deltaOf(t, ds, metric); d.Verdict != verdict {
			t.Errorf("%s %v → %v: %s, want %s", metric, d.Before, d.After, d.Verdict, verdict)
		}
	}
	if got := deltaOf(t, ds, "average").Text(); got != "200.0 ms → 40.0 ms (−80.0%)" {
		t.Errorf("average text = %q", got)
	}
}

// Within 2% (or the metric's floor) is the same; beyond it, better or worse.
func TestDeltaTolerance(t *testing.T) {
	cases := []struct {
		before, after time.Duration
		want          Verdict
	}{
		{100 * time.Millisecond, 101900 * time.Microsecond, Same},
		{100 * time.Millisecond, 102500 * time.Microsecond, Worse},
		{100 * time.Millisecond, 97500 * time.Microsecond, Better},
		{10 * time.Millisecond, 10400 * time.Microsecond, Same}, // 4% but under the 0.5 ms floor
	}
	for _, c := range cases {
		d := deltaOf(t, Deltas(summary(c.before, 0, 100, 0), summary(c.after, 0, 100, 0), DefaultPrices()), "average")
		if d.Verdict != c.want {
			t.Errorf("average %v → %v: %s, want %s", c.before, c.after, d.Verdict, c.want)
		}
	}
}

func TestDeltaUnknownColdStarts(t *testing.T) {
	after := summary(time.Millisecond, 0, 1, 0)
	after.ColdStarts = Count{}
	d := deltaOf(t, Deltas(summary(time.Millisecond, 0, 1, 3), after, DefaultPrices()), "cold starts")
	if d.Known || d.Verdict != Unknown || d.Text() != "unknown" {
		t.Errorf("delta = %+v", d)
	}
}
