package aws_test

import (
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

// cloudWatchRounding is CloudWatch's documented rounding of StartTime
// (docs/metrics.md, Sources), written out once more as the test's oracle.
func cloudWatchRounding(start, now time.Time, period time.Duration) time.Time {
	switch age := now.Sub(start); {
	case period < time.Minute:
		return start.Truncate(period)
	case age > 63*24*time.Hour:
		return start.Truncate(time.Hour)
	case age > 15*24*time.Hour:
		return start.Truncate(5 * time.Minute)
	}
	return start.Truncate(time.Minute)
}

// TestMetricWindowTwinOfTheSandbox holds the twins equal: the client's bucket
// layout (aws/metrics_window.go) and the sandbox's rounding of StartTime
// (sandbox/metrics/query.go). For windows of every age class CloudWatch
// rounds by — including windows that ended long ago, where rounding by
// End−Start instead of by age once dropped every datapoint — each timestamp
// the sandbox answers with must be one of the client's buckets, and every
// invocation recorded in the window must arrive in the client's series.
func TestMetricWindowTwinOfTheSandbox(t *testing.T) {
	now := t0.Add(100 * 24 * time.Hour)
	day := 24 * time.Hour
	cases := []struct {
		name          string
		ago, length   time.Duration
		period        time.Duration
		offsetSeconds int // Start's misalignment
	}{
		{"an hour ago, 10 s periods", time.Hour, 10 * time.Minute, 10 * time.Second, 7},
		{"2 days ago, 5-minute periods", 2 * day, time.Hour, 5 * time.Minute, 180},
		{"20 days ago, ended 20 days ago", 20 * day, time.Hour, 5 * time.Minute, 180},
		{"20 days ago, 2-minute periods", 20 * day, time.Hour, 2 * time.Minute, 180},
		{"70 days ago, hourly, ended then", 70 * day, 6 * time.Hour, time.Hour, 17 * 60},
	}
	sb := newMetricsSandbox(t, metrics.Options{MinuteRetention: 99 * day})
	starts := make([]time.Time, len(cases))
	var recorded []time.Time
	for i, c := range cases {
		starts[i] = now.Add(-c.ago).Truncate(time.Hour).Add(time.Duration(c.offsetSeconds) * time.Second)
		recorded = append(recorded, recordEvery(sb, starts[i].Add(-2*time.Hour), starts[i].Add(c.length+2*time.Hour), 30*time.Second)...)
	}
	sb.clock.Set(now)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := aws.MetricWindow{Start: starts[i], End: starts[i].Add(c.length), Period: c.period}
			checkTwin(t, sb, w, now, recorded)
		})
	}
}

// recordEvery records one invocation of "products" every step in [from, to)
// and returns their times.
func recordEvery(sb *metricsSandbox, from, to time.Time, step time.Duration) []time.Time {
	var times []time.Time
	for at := from; at.Before(to); at = at.Add(step) {
		sb.recorder.Invocation(metrics.Invocation{Start: at, FunctionName: "products", Duration: 10 * time.Millisecond})
		times = append(times, at)
	}
	return times
}

// inBuckets counts the times that fall in the buckets CloudWatch lays out
// for w: from its rounded start, whole periods until one reaches End.
func inBuckets(times []time.Time, w aws.MetricWindow, now time.Time) (n int, from, to time.Time) {
	from = cloudWatchRounding(w.Start, now, w.Period)
	to = from.Add((w.End.Sub(from) + w.Period - 1) / w.Period * w.Period)
	for _, at := range times {
		if !at.Before(from) && at.Before(to) {
			n++
		}
	}
	return n, from, to
}

func checkTwin(t *testing.T, sb *metricsSandbox, w aws.MetricWindow, now time.Time, recorded []time.Time) {
	t.Helper()
	query := aws.MetricQuery{Namespace: "AWS/Lambda", MetricName: "Invocations", Stat: "Sum",
		Dimensions: []aws.MetricDimension{{Name: "FunctionName", Value: "products"}}}
	series, err := sb.client.MetricSeries(t.Context(), w, []aws.MetricQuery{query})
	if err != nil {
		t.Fatal(err)
	}
	buckets := map[int64]bool{} // by Unix second: time.Time keys compare locations too
	got := 0.0
	for _, p := range series[0].Points {
		buckets[p.Time.Unix()] = true
		if p.State == aws.PointValue {
			got += p.Value
		}
	}
	for _, ts := range serverTimestamps(t, sb, w) {
		if !buckets[ts.Unix()] {
			t.Fatalf("the sandbox answered a datapoint at %s, which is none of the client's buckets (first %s)",
				ts.Format(time.RFC3339), series[0].Points[0].Time.Format(time.RFC3339))
		}
	}
	want, from, to := inBuckets(recorded, w, now)
	if got != float64(want) {
		t.Fatalf("the client's series holds %v invocations, want the %d recorded in [%s, %s)", got, want,
			from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
}

// serverTimestamps asks the sandbox directly, with the SDK, for the window's
// datapoints: the timestamps its own rounding gives.
func serverTimestamps(t *testing.T, sb *metricsSandbox, w aws.MetricWindow) []time.Time {
	t.Helper()
	out, err := sb.client.CloudWatch().GetMetricData(t.Context(), &cloudwatch.GetMetricDataInput{
		StartTime: sdkaws.Time(w.Start), EndTime: sdkaws.Time(w.End),
		MetricDataQueries: []types.MetricDataQuery{{Id: sdkaws.String("m"), MetricStat: &types.MetricStat{
			Metric: &types.Metric{Namespace: sdkaws.String("AWS/Lambda"), MetricName: sdkaws.String("Invocations"),
				Dimensions: []types.Dimension{{Name: sdkaws.String("FunctionName"), Value: sdkaws.String("products")}}},
			Period: sdkaws.Int32(int32(w.Period / time.Second)), Stat: sdkaws.String("Sum")}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.MetricDataResults) != 1 || len(out.MetricDataResults[0].Timestamps) == 0 {
		t.Fatalf("the sandbox answered no datapoints: %+v", out.MetricDataResults)
	}
	return out.MetricDataResults[0].Timestamps
}
