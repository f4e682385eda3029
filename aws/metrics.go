package aws

import (
	"context"
	"errors"
	"fmt"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// AWSPendingHorizon is the pending horizon to use against a real account:
// Lambda publishes each minute 1–2 minutes after it ends, so buckets ending in
// the last three minutes without a value are pending, not empty. The sandbox
// publishes with the delay it is configured with (none by default): use 0.
const AWSPendingHorizon = 3 * time.Minute

// maxQueriesPerCall is GetMetricData's limit of queries in one request.
const maxQueriesPerCall = 500

// maxBuckets is GetMetricData's limit of datapoints per series per request.
const maxBuckets = 100800

// ErrInvalidMetricWindow is returned for a window or period CloudWatch would
// refuse, before any request is sent.
var ErrInvalidMetricWindow = errors.New("invalid metric window")

// PointState says what a bucket holds.
type PointState uint8

const (
	// PointNoData: CloudWatch has no datapoint for a bucket old enough to be
	// published: nothing was recorded then. Lambda publishes no zeros, so
	// for a count that is zero and for a statistic of values (a duration) it
	// is no value at all: Series.Value says which, and draws a gap, not zero,
	// where there is no value.
	PointNoData PointState = iota
	// PointValue: Value holds the datapoint.
	PointValue
	// PointPending: no datapoint yet, but the bucket is within the pending
	// horizon (or still running), so data may still arrive.
	PointPending
)

func (s PointState) String() string {
	switch s {
	case PointValue:
		return "value"
	case PointPending:
		return "pending"
	}
	return "no data"
}

// Point is one time bucket of a series.
type Point struct {
	Time  time.Time // bucket start
	Value float64   // meaningful when State is PointValue
	State PointState
}

// Series is one metric statistic over a window, one point per bucket, every
// series of a window aligned on the same bucket times.
type Series struct {
	Label  string
	Unit   string
	Points []Point
	// Complete is false when CloudWatch reported the data incomplete
	// (StatusCode other than Complete after every page was read).
	Complete bool
	// NoDataIsZero: the series counts something (invocations, errors,
	// throttles, executions in flight), so a published bucket without a
	// datapoint is zero. Otherwise it is a gap (see MetricQuery.NoDataIsZero).
	NoDataIsZero bool
}

// Value is what bucket i shows: its datapoint's value; zero for a published
// bucket without one when the series counts (NoDataIsZero); and ok false —
// a gap, not zero — for a pending bucket or an empty bucket of a statistic of
// values, such as a duration in a period without invocations.
func (s Series) Value(i int) (value float64, ok bool) {
	switch p := s.Points[i]; {
	case p.State == PointValue:
		return p.Value, true
	case p.State == PointNoData && s.NoDataIsZero:
		return 0, true
	}
	return 0, false
}

// Last returns the newest point holding a value, and false if there is none.
func (s Series) Last() (Point, bool) {
	for i := len(s.Points) - 1; i >= 0; i-- {
		if s.Points[i].State == PointValue {
			return s.Points[i], true
		}
	}
	return Point{}, false
}

// MetricWindow is the time range and resolution of a metrics read.
type MetricWindow struct {
	// Start and End bound the window [Start, End). Start is aligned down as
	// CloudWatch aligns it (to the period under a minute, else to the minute).
	Start, End time.Time
	// Period is the bucket length: 1, 5, 10, 20, 30, 60 s or a multiple of 60 s.
	Period time.Duration
	// PendingHorizon: a bucket without a value that ends after now minus
	// PendingHorizon is pending rather than empty. AWSPendingHorizon for a real
	// account, 0 for the sandbox.
	PendingHorizon time.Duration
}

// MetricQuery names one series to read.
type MetricQuery struct {
	Namespace  string
	MetricName string
	Dimensions []MetricDimension
	// Stat is a CloudWatch statistic: Sum, Average, Maximum, p99, ...
	Stat string
	// Unit labels the series; Scale, when non-zero, multiplies every value (to
	// turn a per-period Sum into a per-second rate, say).
	Unit  string
	Scale float64
	Label string
	// NoDataIsZero says the metric counts events or executions in flight,
	// which Lambda does not publish when there were none: an empty period is
	// zero. For statistics of values (Duration's Average, p99, Maximum;
	// utilisation) an empty period has no value.
	NoDataIsZero bool
}

// MetricDimension is one name/value pair of a metric's identity.
type MetricDimension struct {
	Name  string
	Value string
}

// MetricSeries reads queries over w with as few GetMetricData calls as the
// 500-query limit allows (one for up to 500 series), following NextToken, and
// returns one aligned series per query, in order.
func (c *Client) MetricSeries(ctx context.Context, w MetricWindow, queries []MetricQuery) ([]Series, error) {
	now := c.clock.Now()
	times, err := w.buckets(now)
	if err != nil {
		return nil, err
	}
	results := map[string]*types.MetricDataResult{}
	for lo := 0; lo < len(queries); lo += maxQueriesPerCall {
		hi := min(lo+maxQueriesPerCall, len(queries))
		if err := c.readMetricPages(ctx, w, times[0], queries[lo:hi], lo, results); err != nil {
			return nil, err
		}
	}
	now = c.clock.Now() // pending is judged when the answer is in
	out := make([]Series, len(queries))
	for i, q := range queries {
		out[i] = alignSeries(q, results[queryID(i)], times, w, now)
	}
	return out, nil
}

func queryID(i int) string { return fmt.Sprintf("m%d", i) }

// readMetricPages sends one GetMetricData for queries (numbered from first)
// and every page after it, merging the datapoints into results by Id.
func (c *Client) readMetricPages(ctx context.Context, w MetricWindow, start time.Time, queries []MetricQuery, first int, results map[string]*types.MetricDataResult) error {
	in := &cloudwatch.GetMetricDataInput{
		StartTime: sdkaws.Time(start), EndTime: sdkaws.Time(w.End),
		ScanBy: types.ScanByTimestampAscending, MetricDataQueries: make([]types.MetricDataQuery, len(queries)),
	}
	for i, q := range queries {
		in.MetricDataQueries[i] = q.sdkQuery(queryID(first+i), w.Period)
	}
	pages := cloudwatch.NewGetMetricDataPaginator(c.cw, in, func(o *cloudwatch.GetMetricDataPaginatorOptions) {
		o.StopOnDuplicateToken = true
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("get metric data: %w", err)
		}
		mergeResults(results, page.MetricDataResults)
	}
	return nil
}

func (q MetricQuery) sdkQuery(id string, period time.Duration) types.MetricDataQuery {
	dims := make([]types.Dimension, len(q.Dimensions))
	for i, d := range q.Dimensions {
		dims[i] = types.Dimension{Name: sdkaws.String(d.Name), Value: sdkaws.String(d.Value)}
	}
	return types.MetricDataQuery{
		Id: sdkaws.String(id),
		MetricStat: &types.MetricStat{
			Metric: &types.Metric{Namespace: sdkaws.String(q.Namespace), MetricName: sdkaws.String(q.MetricName), Dimensions: dims},
			Period: sdkaws.Int32(int32(period / time.Second)),
			Stat:   sdkaws.String(q.Stat),
		},
		ReturnData: sdkaws.Bool(true),
	}
}

func mergeResults(into map[string]*types.MetricDataResult, page []types.MetricDataResult) {
	for _, r := range page {
		id := sdkaws.ToString(r.Id)
		acc, ok := into[id]
		if !ok {
			copied := r
			into[id] = &copied
			continue
		}
		acc.Timestamps = append(acc.Timestamps, r.Timestamps...)
		acc.Values = append(acc.Values, r.Values...)
		acc.StatusCode = r.StatusCode // the last page's status is the final word
	}
}
