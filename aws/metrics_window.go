package aws

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// validate checks the window as CloudWatch would.
func (w MetricWindow) validate() error {
	if !w.End.After(w.Start) {
		return fmt.Errorf("%w: the end (%s) must be after the start (%s)", ErrInvalidMetricWindow,
			w.End.Format(time.RFC3339), w.Start.Format(time.RFC3339))
	}
	if !validPeriod(w.Period) {
		return fmt.Errorf("%w: the period %s must be 1, 5, 10, 20, 30 or 60 seconds or a multiple of 60 seconds",
			ErrInvalidMetricWindow, w.Period)
	}
	return nil
}

func validPeriod(p time.Duration) bool {
	switch p {
	case time.Second, 5 * time.Second, 10 * time.Second, 20 * time.Second, 30 * time.Second:
		return true
	}
	return p > 0 && p%time.Minute == 0
}

// alignedStart rounds Start down as CloudWatch rounds StartTime: to the period
// for periods under a minute, else by how long ago Start is — to the minute
// under 15 days ago, to 5 minutes from 15 to 63 days, to the hour beyond
// (docs/metrics.md, Sources). The age counts from now, not from End: a window
// that ended long ago is rounded like any other that starts then.
//
// Twin of alignStart in sandbox/metrics/query.go, which rounds the same way on
// the server; TestMetricWindowTwinOfTheSandbox holds the two equal.
func (w MetricWindow) alignedStart(now time.Time) time.Time {
	if w.Period < time.Minute {
		return w.Start.Truncate(w.Period)
	}
	switch age := now.Sub(w.Start); {
	case age > 63*24*time.Hour:
		return w.Start.Truncate(time.Hour)
	case age > 15*24*time.Hour:
		return w.Start.Truncate(5 * time.Minute)
	}
	return w.Start.Truncate(time.Minute)
}

// buckets lists the bucket start times of the window as of now.
func (w MetricWindow) buckets(now time.Time) ([]time.Time, error) {
	if err := w.validate(); err != nil {
		return nil, err
	}
	start := w.alignedStart(now)
	n := (w.End.Sub(start) + w.Period - 1) / w.Period
	if n > maxBuckets {
		return nil, fmt.Errorf("%w: %d buckets of %s is more than CloudWatch's %d datapoints per series: shorten the window or lengthen the period",
			ErrInvalidMetricWindow, n, w.Period, maxBuckets)
	}
	times := make([]time.Time, n)
	for i := range times {
		times[i] = start.Add(time.Duration(i) * w.Period).UTC()
	}
	return times, nil
}

// alignSeries lays a result's datapoints on the window's buckets; buckets
// without a datapoint are pending near now and empty before.
func alignSeries(q MetricQuery, r *types.MetricDataResult, times []time.Time, w MetricWindow, now time.Time) Series {
	s := Series{Label: q.Label, Unit: q.Unit, Points: make([]Point, len(times)), Complete: true, NoDataIsZero: q.NoDataIsZero}
	if s.Label == "" {
		s.Label = q.MetricName
	}
	pendingAfter := now.Add(-w.PendingHorizon)
	for i, t := range times {
		s.Points[i] = Point{Time: t, State: PointNoData}
		if t.Add(w.Period).After(pendingAfter) {
			s.Points[i].State = PointPending
		}
	}
	if r == nil {
		return s
	}
	s.Complete = r.StatusCode == types.StatusCodeComplete
	scale := q.Scale
	if scale == 0 {
		scale = 1
	}
	for k, ts := range r.Timestamps {
		i := int(ts.Sub(times[0]) / w.Period)
		if k < len(r.Values) && i >= 0 && i < len(times) && ts.Equal(times[i]) {
			s.Points[i] = Point{Time: times[i], Value: r.Values[k] * scale, State: PointValue}
		}
	}
	return s
}
