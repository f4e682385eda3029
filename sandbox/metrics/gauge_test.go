package metrics_test

import (
	"context"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

func TestConcurrencyGaugesAreMaxPerSecondCarriedForward(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	r := cw.recorder
	r.FunctionConcurrency(at(5.2), "products", 1)
	r.FunctionConcurrency(at(5.5), "products", 3)
	r.FunctionConcurrency(at(6.1), "products", 2)
	r.FunctionConcurrency(at(9.0), "products", 0) // idle from second 9: no more samples
	r.FunctionConcurrency(at(70), "products", 4)  // still in flight when queried
	cw.clock.Set(at(73.5))
	d := dimensionSets["function"]
	out, err := cw.client.GetMetricData(context.Background(), window(0, 120,
		statQuery("sec", "ConcurrentExecutions", "Maximum", 1, d),
		statQuery("max", "ConcurrentExecutions", "Maximum", 60, d),
		statQuery("n", "ConcurrentExecutions", "SampleCount", 60, d),
		statQuery("sum", "ConcurrentExecutions", "Sum", 60, d),
	))
	if err != nil {
		t.Fatal(err)
	}
	got := byID(t, out)
	// Second 73 is still running, so it is not published yet.
	assertSeries(t, "sec", got["sec"], series{5: 3, 6: 2, 7: 2, 8: 2, 9: 0, 70: 4, 71: 4, 72: 4})
	assertSeries(t, "max", got["max"], series{0: 3, 60: 4})
	assertSeries(t, "n", got["n"], series{0: 5, 60: 3})
	assertSeries(t, "sum", got["sum"], series{0: 9, 60: 12})
}

func TestProvisionedAndAccountGauges(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	r := cw.recorder
	r.ProvisionedConcurrency(at(1), "products", "live", 10, 40)
	r.ProvisionedConcurrency(at(2), "products", "live", 30, 40)
	r.ProvisionedConcurrency(at(3), "products", "live", 0, 40)
	r.QualifierConcurrency(at(1), "products", "live", 12)
	r.QualifierConcurrency(at(3), "products", "live", 0)
	r.AccountConcurrency(at(1), 12, 2, 142)
	r.AccountConcurrency(at(3), 0, 0, 140)
	cw.clock.Advance(time.Minute)
	res := dimensionSets["resource"]
	out, err := cw.client.GetMetricData(context.Background(), window(0, 60,
		statQuery("pce", "ProvisionedConcurrentExecutions", "Maximum", 1, res),
		statQuery("util", "ProvisionedConcurrencyUtilization", "Maximum", 1, res),
		statQuery("alias", "ConcurrentExecutions", "Maximum", 1, res),
		statQuery("acct", "ConcurrentExecutions", "Maximum", 60, nil),
		statQuery("unres", "UnreservedConcurrentExecutions", "Maximum", 60, nil),
		statQuery("claimed", "ClaimedAccountConcurrency", "Maximum", 1, nil),
	))
	if err != nil {
		t.Fatal(err)
	}
	got := byID(t, out)
	assertSeries(t, "pce", got["pce"], series{1: 10, 2: 30, 3: 0})
	assertSeries(t, "util", got["util"], series{1: 0.25, 2: 0.75, 3: 0})
	assertSeries(t, "alias", got["alias"], series{1: 12, 2: 12, 3: 0})
	assertSeries(t, "acct", got["acct"], series{0: 12})
	assertSeries(t, "unres", got["unres"], series{0: 2})
	// Claimed concurrency stays above zero, so it is carried to the end of the minute.
	claimed := series{1: 142, 2: 142}
	for s := 3.0; s < 60; s++ {
		claimed[s] = 140
	}
	assertSeries(t, "claimed", got["claimed"], claimed)
}

func TestPublicationDelayHidesRecentData(t *testing.T) {
	// AWS-like: whole minutes, published 90 s after the minute ends.
	cw := newSandboxCW(t, metrics.Options{PublishDelay: 90 * time.Second, PublishInterval: time.Minute})
	recordScenario(cw)
	query := window(0, 180, statQuery("inv", "Invocations", "Sum", 60, dimensionSets["function"]))
	for _, step := range []struct {
		now  float64
		want series
	}{
		{now: 100, want: series{}},
		{now: 149, want: series{}},
		{now: 150, want: series{0: 5}},
		{now: 209, want: series{0: 5}},
		{now: 210, want: series{0: 5, 60: 3}},
	} {
		cw.clock.Set(at(step.now))
		out, err := cw.client.GetMetricData(context.Background(), query)
		if err != nil {
			t.Fatal(err)
		}
		assertSeries(t, "inv at "+time.Duration(step.now*1e9).String(), resultSeries(t, out.MetricDataResults[0]), step.want)
	}
}

func TestRetentionOneSecondDataThreeHoursMinutesFifteenDays(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	recordScenario(cw)
	d := dimensionSets["function"]
	ask := func(period int32) series {
		out, err := cw.client.GetMetricData(context.Background(), window(0, 120, statQuery("inv", "Invocations", "Sum", period, d)))
		if err != nil {
			t.Fatal(err)
		}
		return resultSeries(t, out.MetricDataResults[0])
	}
	cw.clock.Set(at(4 * 3600))
	// A new sample makes the store prune what has expired.
	cw.recorder.Invocation(metrics.Invocation{Start: cw.clock.Now(), FunctionName: "products", Duration: ms(1)})
	assertSeries(t, "1 s after 4 h", ask(1), series{})
	assertSeries(t, "60 s after 4 h", ask(60), series{0: 5, 60: 3})
	cw.clock.Set(at(16 * 24 * 3600))
	cw.recorder.Invocation(metrics.Invocation{Start: cw.clock.Now(), FunctionName: "products", Duration: ms(1)})
	assertSeries(t, "60 s after 16 d", ask(60), series{})
}

func TestGaugeMinutesSurviveHighResolutionExpiry(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	cw.recorder.FunctionConcurrency(at(10), "products", 5)
	cw.recorder.FunctionConcurrency(at(20), "products", 9)
	cw.recorder.FunctionConcurrency(at(30), "products", 0)
	cw.clock.Set(at(4 * 3600))
	cw.recorder.FunctionConcurrency(cw.clock.Now(), "products", 1) // a new minute prunes the old detail
	ask := func(period int32, stat string) series {
		out, err := cw.client.GetMetricData(context.Background(), window(0, 60,
			statQuery("c", "ConcurrentExecutions", stat, period, dimensionSets["function"])))
		if err != nil {
			t.Fatal(err)
		}
		return resultSeries(t, out.MetricDataResults[0])
	}
	assertSeries(t, "1 s after 4 h", ask(1, "Maximum"), series{})
	assertSeries(t, "max after 4 h", ask(60, "Maximum"), series{0: 9})
	assertSeries(t, "samples after 4 h", ask(60, "SampleCount"), series{0: 21}) // seconds 10..30
}
