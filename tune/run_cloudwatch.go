package tune

import (
	"context"
	"time"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/internal/clock"
)

// CloudWatchView reads CloudWatch's numbers for the minutes the run touched:
// Lambda's Duration, concurrency, throttles, errors and spillover, and Lambda
// Insights' cold starts. The window is one period from the minute the run
// started to the end of the minute it ended, so the statistics (p99 too) are
// CloudWatch's own over the whole window. pending is how long CloudWatch may
// take to publish a minute (aws.AWSPendingHorizon on AWS, 0 in the sandbox).
// A read that fails is kept as the view's Error: the run is recorded anyway.
func ReadCloudWatchView(ctx context.Context, client *aws.Client, rec RunRecord, pending time.Duration) *CloudWatchView {
	start := rec.Started.Truncate(time.Minute)
	end := rec.Ended
	period := max(end.Sub(start).Truncate(time.Minute)+time.Minute, time.Minute)
	w := aws.MetricWindow{Start: start, End: start.Add(period), Period: period, PendingHorizon: pending}
	view := &CloudWatchView{Start: start.UTC(), Period: period}
	q := aws.FunctionMetricsQuery{FunctionName: rec.Function, Window: w}
	if qualifier := rec.invokedQualifier(); rec.Config.ProvisionedOn(qualifier) > 0 {
		q.ProvisionedQualifier = qualifier
	}
	m, err := client.FunctionMetrics(ctx, q)
	if err != nil {
		view.Error = aws.Explain(err)
		return view
	}
	view.fill(m)
	if init, err := client.InitDurations(ctx, rec.Function, w); err == nil && init.Known {
		view.ColdStarts, view.InitDurationAverageMs = &init.ColdStarts, &init.AverageMs
	}
	return view
}

func (v *CloudWatchView) fill(m aws.FunctionMetrics) {
	v.Complete = m.Invocations.Complete && !pendingIn(m.Invocations)
	for _, target := range []struct {
		into   **float64
		series aws.Series
	}{
		{&v.Invocations, m.Invocations}, {&v.Errors, m.Errors}, {&v.Throttles, m.Throttles},
		{&v.DurationAverageMs, m.DurationAverage}, {&v.DurationP99Ms, m.DurationP99}, {&v.DurationMaxMs, m.DurationMaximum},
		{&v.ConcurrentMax, m.ConcurrentExecutions}, {&v.SpilloverInvocations, m.SpilloverInvocations},
	} {
		*target.into = onlyValue(target.series)
	}
}

// onlyValue is the window's one datapoint, nil when there is none.
func onlyValue(s aws.Series) *float64 {
	if p, ok := s.Last(); ok {
		v := p.Value
		return &v
	}
	return nil
}

func pendingIn(s aws.Series) bool {
	for _, p := range s.Points {
		if p.State == aws.PointPending {
			return true
		}
	}
	return false
}

// cloudWatchPoll is how often AwaitCloudWatchView reads again.
const cloudWatchPoll = 250 * time.Millisecond

// AwaitCloudWatchView reads the view until CloudWatch has counted every
// invocation the run made, for at most settle: the sandbox publishes each
// second just after it ends, so a view read the moment a run ends misses its
// last second. On AWS, where publishing takes minutes, give settle 0: it
// reads once, and the view says it is not complete.
func AwaitCloudWatchView(ctx context.Context, client *aws.Client, rec RunRecord, pending, settle time.Duration, clk clock.Clock) *CloudWatchView {
	deadline := clk.Now().Add(settle)
	for {
		view := ReadCloudWatchView(ctx, client, rec, pending)
		counted := view.Invocations != nil && *view.Invocations >= float64(rec.Invocations())
		if counted || view.Error != "" || !clk.Now().Before(deadline) || clk.Sleep(ctx, cloudWatchPoll) != nil {
			return view
		}
	}
}
