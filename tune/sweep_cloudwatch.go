package tune

import (
	"context"
	"time"

	"github.com/lambdatune/lambdatune/aws"
)

// An HTTP step has no REPORT lines: the function's duration and cold starts
// come from CloudWatch. CloudWatch's Lambda metrics are per minute on AWS
// [S46], so steps shorter than a minute would share minutes; the sweep
// starts each HTTP step on a minute of its own there. The sandbox publishes
// per second, so there each step reads exactly its own seconds.

// secondsSettle bounds the wait for the sandbox to publish a step's last second.
const secondsSettle = 3 * time.Second

// stepView reads CloudWatch for exactly the seconds of the step's run, until
// it has counted every invocation (or secondsSettle passes).
func (s *Session) stepView(ctx context.Context, rec RunRecord) *CloudWatchView {
	start := rec.Started.Truncate(time.Second)
	end := rec.Ended.Truncate(time.Second).Add(time.Second)
	w := aws.MetricWindow{Start: start, End: end, Period: time.Second}
	view := &CloudWatchView{Start: start.UTC(), Period: end.Sub(start)}
	deadline := s.clock.Now().Add(secondsSettle)
	for {
		m, err := s.client.FunctionMetrics(ctx, aws.FunctionMetricsQuery{FunctionName: rec.Function, Window: w})
		if err != nil {
			view.Error = aws.Explain(err)
			return view
		}
		n := sumOf(m.Invocations)
		if n >= float64(rec.Invocations()) || !s.clock.Now().Before(deadline) {
			view.fillSeconds(m, n)
			break
		}
		if s.clock.Sleep(ctx, cloudWatchPoll) != nil {
			view.fillSeconds(m, n)
			break
		}
	}
	if init, err := s.client.InitDurations(ctx, rec.Function, w); err == nil && init.Known {
		view.ColdStarts, view.InitDurationAverageMs = &init.ColdStarts, &init.AverageMs
	}
	return view
}

// fillSeconds sums a per-second series into the view's one value each.
func (v *CloudWatchView) fillSeconds(m aws.FunctionMetrics, invocations float64) {
	v.Complete = invocations > 0
	v.Invocations = &invocations
	errs, throttles := sumOf(m.Errors), sumOf(m.Throttles)
	v.Errors, v.Throttles = &errs, &throttles
	if avg := WeightedAverage(m.DurationAverage, m.Invocations); avg > 0 {
		v.DurationAverageMs = &avg
	}
	if mx, ok := maxOf(m.DurationMaximum); ok {
		v.DurationMaxMs = &mx
	}
	if c, ok := maxOf(m.ConcurrentExecutions); ok {
		v.ConcurrentMax = &c
	}
}

func sumOf(s aws.Series) float64 {
	var n float64
	for _, p := range s.Points {
		if p.State == aws.PointValue {
			n += p.Value
		}
	}
	return n
}

func maxOf(s aws.Series) (float64, bool) {
	best, ok := 0.0, false
	for _, p := range s.Points {
		if p.State == aws.PointValue && (!ok || p.Value > best) {
			best, ok = p.Value, true
		}
	}
	return best, ok
}

// awaitOwnMinute waits, on AWS, until a minute begins that no earlier step
// touched, so each HTTP step's CloudWatch minutes are its own.
func (s *Session) awaitOwnMinute(ctx context.Context) error {
	now := s.clock.Now()
	next := now.Truncate(time.Minute).Add(time.Minute)
	return s.clock.Sleep(ctx, next.Sub(now))
}
