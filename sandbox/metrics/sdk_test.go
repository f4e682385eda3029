package metrics_test

import (
	"context"
	"math"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

// recordScenario records a known set of invocations of products:live (version 3):
//
//	second 5:  10, 20, 30, 40 ms (the 40 ms one a function error)
//	second 6:  100 ms
//	second 65: 50 ms ×3, and two throttled requests
func recordScenario(cw *sandboxCW) {
	inv := func(sec, durMs float64, failed bool) {
		cw.recorder.Invocation(metrics.Invocation{Start: at(sec), FunctionName: "products", Qualifier: "live",
			ExecutedVersion: "3", Duration: ms(durMs), FunctionError: failed})
	}
	inv(5.1, 10, false)
	inv(5.2, 20, false)
	inv(5.3, 30, false)
	inv(5.9, 40, true)
	inv(6.0, 100, false)
	for range 3 {
		inv(65.5, 50, false)
	}
	cw.recorder.Throttle(at(65.7), "products", "live")
	cw.recorder.Throttle(at(65.8), "products", "live")
}

var dimensionSets = map[string][]types.Dimension{
	"function": dims("FunctionName", "products"),
	"resource": dims("FunctionName", "products", "Resource", "products:live"),
	"executed": dims("FunctionName", "products", "Resource", "products:live", "ExecutedVersion", "3"),
	"account":  nil,
}

func TestGetMetricDataOneSecondPeriodsPerDimensionSet(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	recordScenario(cw)
	cw.clock.Advance(10 * time.Minute)
	for name, d := range dimensionSets {
		out, err := cw.client.GetMetricData(context.Background(), window(0, 120,
			statQuery("inv", "Invocations", "Sum", 1, d),
			statQuery("dmax", "Duration", "Maximum", 1, d),
			statQuery("errs", "Errors", "Sum", 1, d),
			statQuery("thr", "Throttles", "Sum", 1, d),
		))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := byID(t, out)
		assertSeries(t, name+" inv", got["inv"], series{5: 4, 6: 1, 65: 3})
		assertSeries(t, name+" dmax", got["dmax"], series{5: 40, 6: 100, 65: 50})
		assertSeries(t, name+" errs", got["errs"], series{5: 1, 6: 0, 65: 0})
		// A throttled request never ran, so it has no ExecutedVersion.
		wantThrottles := series{5: 0, 6: 0, 65: 2}
		if name == "executed" {
			wantThrottles[65] = 0
		}
		assertSeries(t, name+" thr", got["thr"], wantThrottles)
	}
}

func TestGetMetricDataMinutePeriodsAndStatistics(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	recordScenario(cw)
	cw.clock.Advance(10 * time.Minute)
	d := dimensionSets["resource"]
	out, err := cw.client.GetMetricData(context.Background(), window(0, 180,
		statQuery("count", "Invocations", "SampleCount", 60, d),
		statQuery("sum", "Invocations", "Sum", 60, d),
		statQuery("avg", "Duration", "Average", 60, d),
		statQuery("low", "Duration", "Minimum", 60, d),
		statQuery("high", "Duration", "Maximum", 60, d),
		statQuery("errsamples", "Errors", "SampleCount", 60, d),
		statQuery("thr", "Throttles", "Sum", 60, d),
	))
	if err != nil {
		t.Fatal(err)
	}
	got := byID(t, out)
	assertSeries(t, "count", got["count"], series{0: 5, 60: 3})
	assertSeries(t, "sum", got["sum"], series{0: 5, 60: 3})
	assertSeries(t, "avg", got["avg"], series{0: 40, 60: 50})
	assertSeries(t, "low", got["low"], series{0: 10, 60: 50})
	assertSeries(t, "high", got["high"], series{0: 100, 60: 50})
	assertSeries(t, "errsamples", got["errsamples"], series{0: 5, 60: 5}) // 3 invokes + 2 throttles
	assertSeries(t, "thr", got["thr"], series{0: 0, 60: 2})
	for _, r := range out.MetricDataResults {
		if r.StatusCode != types.StatusCodeComplete {
			t.Errorf("%s: status %s, want Complete", sdkaws.ToString(r.Id), r.StatusCode)
		}
	}
}

func TestGetMetricDataPercentilesWithinStatedPrecision(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	// 1000 invocations in minute 0 with durations 1..1000 ms, 10 per second.
	for i := 1; i <= 1000; i++ {
		cw.recorder.Invocation(metrics.Invocation{Start: at(float64((i - 1) / 20)), FunctionName: "products",
			Duration: ms(float64(i))})
	}
	cw.clock.Advance(2 * time.Minute)
	d := dimensionSets["function"]
	out, err := cw.client.GetMetricData(context.Background(), window(0, 60,
		statQuery("p50", "Duration", "p50", 60, d),
		statQuery("p90", "Duration", "p90", 60, d),
		statQuery("p99", "Duration", "p99", 60, d),
		statQuery("p999", "Duration", "p99.9", 60, d),
		statQuery("p100", "Duration", "p100", 60, d),
		statQuery("sec0p50", "Duration", "p50", 1, d),
	))
	if err != nil {
		t.Fatal(err)
	}
	got := byID(t, out)
	// Nearest rank of 1..1000: p50 → 500, p90 → 900, p99 → 990, p99.9 → 999.
	for id, want := range map[string]float64{"p50": 500, "p90": 900, "p99": 990, "p999": 999, "p100": 1000} {
		assertWithin(t, id, got[id][0], want, metrics.RelativeAccuracy)
	}
	// Second 0 holds 1..20 ms: p50 → 10.
	assertWithin(t, "sec0p50", got["sec0p50"][0], 10, metrics.RelativeAccuracy)
}

func TestGetMetricDataNoDataWindowIsEmptyNotZero(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	recordScenario(cw)
	cw.clock.Advance(10 * time.Minute)
	out, err := cw.client.GetMetricData(context.Background(), window(180, 300,
		statQuery("inv", "Invocations", "Sum", 60, dimensionSets["function"]),
		statQuery("other", "Invocations", "Sum", 1, dims("FunctionName", "nobody")),
	))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range out.MetricDataResults {
		if len(r.Timestamps) != 0 || len(r.Values) != 0 || r.StatusCode != types.StatusCodeComplete {
			t.Errorf("%s: got %v %v %s, want no datapoints and Complete", sdkaws.ToString(r.Id), r.Timestamps, r.Values, r.StatusCode)
		}
	}
}

func TestGetMetricDataScanByDefaultIsNewestFirst(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	recordScenario(cw)
	cw.clock.Advance(10 * time.Minute)
	in := window(0, 120, statQuery("inv", "Invocations", "Sum", 1, dimensionSets["function"]))
	in.ScanBy = ""
	out, err := cw.client.GetMetricData(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	ts := out.MetricDataResults[0].Timestamps
	if len(ts) != 3 || !ts[0].Equal(at(65)) || !ts[2].Equal(at(5)) {
		t.Fatalf("timestamps %v, want newest (t0+65s) first", ts)
	}
}

func TestGetMetricDataPaginatesAcrossQueries(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	recordScenario(cw)
	cw.clock.Advance(10 * time.Minute)
	d := dimensionSets["function"]
	in := window(0, 120, statQuery("inv", "Invocations", "Sum", 1, d), statQuery("dmax", "Duration", "Maximum", 1, d))
	in.MaxDatapoints = sdkaws.Int32(2)
	pages := cloudwatch.NewGetMetricDataPaginator(cw.client, in)
	merged := map[string]series{"inv": {}, "dmax": {}}
	var statuses []types.StatusCode
	for n := 0; pages.HasMorePages(); n++ {
		if n > 10 {
			t.Fatal("pagination does not end")
		}
		out, err := pages.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for id, s := range byID(t, out) {
			for k, v := range s {
				merged[id][k] = v
			}
		}
		statuses = append(statuses, out.MetricDataResults[0].StatusCode, out.MetricDataResults[1].StatusCode)
	}
	assertSeries(t, "inv", merged["inv"], series{5: 4, 6: 1, 65: 3})
	assertSeries(t, "dmax", merged["dmax"], series{5: 40, 6: 100, 65: 50})
	want := []types.StatusCode{"PartialData", "PartialData", "Complete", "PartialData", "Complete", "Complete"}
	if len(statuses) != len(want) {
		t.Fatalf("statuses %v, want %v", statuses, want)
	}
	for i := range want {
		if statuses[i] != want[i] {
			t.Fatalf("statuses %v, want %v", statuses, want)
		}
	}
}

func TestGetMetricDataReturnDataFalseAndLabels(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	recordScenario(cw)
	cw.clock.Advance(10 * time.Minute)
	hidden := statQuery("hidden", "Invocations", "Sum", 60, nil)
	hidden.ReturnData = sdkaws.Bool(false)
	labelled := statQuery("labelled", "Invocations", "Sum", 60, nil)
	labelled.Label = sdkaws.String("all invocations")
	out, err := cw.client.GetMetricData(context.Background(), window(0, 120, hidden, labelled,
		statQuery("plain", "Duration", "Average", 60, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if len(out.MetricDataResults) != 2 {
		t.Fatalf("%d results, want 2 (ReturnData=false is left out)", len(out.MetricDataResults))
	}
	if l := sdkaws.ToString(out.MetricDataResults[0].Label); l != "all invocations" {
		t.Errorf("label %q, want the caller's", l)
	}
	if l := sdkaws.ToString(out.MetricDataResults[1].Label); l != "Duration" {
		t.Errorf("default label %q, want the metric name", l)
	}
}

func assertSeries(t *testing.T, name string, got, want series) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %v, want %v", name, got, want)
		return
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || math.Abs(g-v) > 1e-9 {
			t.Errorf("%s: got %v, want %v", name, got, want)
			return
		}
	}
}

func assertWithin(t *testing.T, name string, got, want, rel float64) {
	t.Helper()
	if math.Abs(got-want) > rel*want {
		t.Errorf("%s = %v, want %v within %.1f%%", name, got, want, rel*100)
	}
}
