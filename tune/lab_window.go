package tune

import (
	"context"
	"fmt"
	"time"

	"github.com/lambdatune/lambdatune/aws"
)

// The run's CloudWatch view covers whole minutes (on AWS that is all there
// is), so in the lab, where the steps follow each other within a minute, it
// would count the previous step's concurrency and throttles as this step's.
// In the sandbox, which publishes 1-second periods at once, the lab reads
// the run's own seconds instead.

// labSettle bounds how long the lab waits for the sandbox to publish the
// run's last second.
const labSettle = 3 * time.Second

// ownSeconds replaces the concurrency, throttle and spill-over numbers of
// rec's CloudWatch view with the run's own seconds (sandbox only); the view
// is copied, the record's own is left as journalled.
func (l *Lab) ownSeconds(ctx context.Context, rec RunRecord) RunRecord {
	if rec.CloudWatch == nil || (!l.s.where.Sandbox && !l.s.client.IsSandbox()) {
		return rec
	}
	view := *rec.CloudWatch
	q := aws.FunctionMetricsQuery{FunctionName: rec.Function, Window: aws.MetricWindow{
		Start: rec.Started.Truncate(time.Second), End: rec.Ended.Add(time.Second).Truncate(time.Second), Period: time.Second}}
	if qualifier := rec.invokedQualifier(); rec.Config.ProvisionedOn(qualifier) > 0 {
		q.ProvisionedQualifier = qualifier
	}
	deadline := l.s.clock.Now().Add(labSettle)
	for {
		m, err := l.s.client.FunctionMetrics(ctx, q)
		if err != nil {
			return rec
		}
		invocations, _ := seriesSum(m.Invocations)
		throttled, _ := seriesSum(m.Throttles)
		if invocations+throttled >= float64(rec.Requests()) || !l.s.clock.Now().Before(deadline) || l.s.clock.Sleep(ctx, cloudWatchPoll) != nil {
			view.ConcurrentMax = seriesMax(m.ConcurrentExecutions)
			view.Throttles = sumOrNil(m.Throttles)
			view.SpilloverInvocations = sumOrNil(m.SpilloverInvocations)
			rec.CloudWatch = &view
			return rec
		}
	}
}

func seriesSum(s aws.Series) (float64, bool) {
	var sum float64
	found := false
	for i := range s.Points {
		if v, ok := s.Value(i); ok {
			sum, found = sum+v, true
		}
	}
	return sum, found
}

func sumOrNil(s aws.Series) *float64 {
	if v, ok := seriesSum(s); ok {
		return &v
	}
	return nil
}

func seriesMax(s aws.Series) *float64 {
	var out *float64
	for i := range s.Points {
		if v, ok := s.Value(i); ok && (out == nil || v > *out) {
			out = &v
		}
	}
	return out
}

// awaitFreshMinute waits, on AWS, until the minute after the previous
// step's run ended: CloudWatch keeps 1-minute periods there, and a run that
// shared a minute with the previous step would be charged with its
// concurrency and throttles.
func (l *Lab) awaitFreshMinute(ctx context.Context) error {
	if l.s.where.Sandbox || l.s.client.IsSandbox() {
		return nil
	}
	var last time.Time
	for _, r := range l.Results() {
		if r.Run.Ended.After(last) {
			last = r.Run.Ended
		}
	}
	next := last.Truncate(time.Minute).Add(time.Minute)
	wait := next.Sub(l.s.clock.Now())
	if last.IsZero() || wait <= 0 {
		return nil
	}
	if l.opts.Notify != nil {
		l.opts.Notify(fmt.Sprintf("waiting %s for the next minute: CloudWatch's 1-minute periods must not mix two steps", wait.Round(time.Second)))
	}
	return l.s.clock.Sleep(ctx, wait)
}

// Waiting for AWS's CloudWatch: it publishes a minute 1–2 minutes after it
// ends, so a view read when the run ends is incomplete, and the steps whose
// checks read it (concurrency, throttles, spill-over) would have no data.
const (
	labPublishWait = 4 * time.Minute
	labPublishPoll = 15 * time.Second
)

// awaitPublished re-reads an incomplete CloudWatch view on AWS until it is
// complete, for at most labPublishWait (the sandbox's is complete at once).
func (l *Lab) awaitPublished(ctx context.Context, rec RunRecord) RunRecord {
	if rec.CloudWatch == nil || rec.CloudWatch.Complete || rec.CloudWatch.Error != "" || l.s.where.Sandbox || l.s.client.IsSandbox() {
		return rec
	}
	if l.opts.Notify != nil {
		l.opts.Notify("waiting for CloudWatch to publish the run's minutes (AWS takes 1–2 minutes after a minute ends)")
	}
	pending := l.s.MetricsView().Pending
	deadline := l.s.clock.Now().Add(labPublishWait)
	for l.s.clock.Now().Before(deadline) && l.s.clock.Sleep(ctx, labPublishPoll) == nil {
		view := ReadCloudWatchView(ctx, l.s.client, rec, pending)
		if view.Error == "" {
			rec.CloudWatch = view
		}
		if view.Complete {
			break
		}
	}
	return rec
}
