package metrics

import (
	"math"
	"slices"
	"time"
)

// point is one datapoint of a query's result.
type point struct {
	at    int64 // bucket start, unix seconds
	value float64
}

// getMetricData answers a GetMetricData request at time now.
func (s *Store) getMetricData(req getMetricDataRequest, now time.Time) (getMetricDataResponse, *apiError) {
	plan, err := planGetMetricData(req)
	if err != nil {
		return getMetricDataResponse{}, err
	}
	horizon := s.horizon(now)
	points := make([][]point, len(plan.queries))
	for i, q := range plan.queries {
		if q.returnData {
			points[i] = s.queryPoints(q, plan, now, horizon)
		}
	}
	return plan.page(points), nil
}

// queryPoints computes one query's datapoints in scan order.
func (s *Store) queryPoints(q plannedQuery, plan *dataPlan, now time.Time, horizon int64) []point {
	sr := s.find(q.metric)
	if sr == nil || (q.unit != "" && q.unit != string(sr.unit)) {
		return nil
	}
	from, to, ok := s.bucketRange(sr, q.period, plan, now, horizon)
	if !ok {
		return nil
	}
	var out []point
	for t := from; t < to; t += q.period {
		var acc aggregate
		sr.accumulate(t, t+q.period, horizon, &acc)
		if !acc.empty() {
			out = append(out, point{at: t, value: q.stat.value(&acc)})
		}
	}
	if plan.descending {
		slices.Reverse(out)
	}
	return out
}

// bucketRange returns the first bucket start and the end of the buckets that
// may hold data: aligned as CloudWatch aligns StartTime, and clipped to the
// retention that serves the period and to the series' samples.
func (s *Store) bucketRange(sr *series, period int64, plan *dataPlan, now time.Time, horizon int64) (from, to int64, ok bool) {
	start := alignStart(plan.start, period, now)
	end := plan.end.Unix()
	if plan.end.Nanosecond() > 0 {
		end++
	}
	first, last, has := sr.activity(unixSecond(now))
	if !has {
		return 0, 0, false
	}
	keep := s.retention.minute
	if period < 60 {
		keep = s.retention.highResolution
	}
	lo := max(first, unixSecond(now)-keep)
	if lo > start {
		start += (lo - start) / period * period
	}
	end = min(end, horizon, last+1)
	return start, end, start < end
}

// alignStart rounds StartTime as CloudWatch does: to the period for periods
// under a minute; otherwise to the minute, 5 minutes or hour by how long ago
// StartTime is.
//
// Twin of MetricWindow.alignedStart in aws/metrics_window.go, which lays out
// the client's buckets the same way; TestMetricWindowTwinOfTheSandbox (aws)
// holds the two equal.
func alignStart(start time.Time, period int64, now time.Time) int64 {
	sec := unixSecond(start)
	if period < 60 {
		return floorTo(sec, period)
	}
	switch age := now.Sub(start); {
	case age > 63*24*time.Hour:
		return floorTo(sec, 3600)
	case age > 15*24*time.Hour:
		return floorTo(sec, 300)
	default:
		return floorTo(sec, 60)
	}
}

// page cuts the computed points into the page the token asks for, at most
// maxDatapoints datapoints across all queries.
func (p *dataPlan) page(points [][]point) getMetricDataResponse {
	startQuery, cursor, resume := 0, int64(0), false
	if p.token != nil {
		startQuery, cursor, resume = p.token.query, p.token.cursor, true
	}
	budget := p.maxDatapoints
	var resp getMetricDataResponse
	for i, q := range p.queries {
		if !q.returnData {
			continue
		}
		res := metricDataResult{ID: q.id, Label: q.label, StatusCode: statusComplete}
		if i >= startQuery {
			pts := points[i]
			if i == startQuery && resume {
				pts = p.after(pts, cursor)
			}
			take := int64(len(pts))
			if take > budget {
				take = budget
				res.StatusCode = statusPartialData
				if resp.NextToken == "" {
					resp.NextToken = encodePageToken(pageToken{query: i, cursor: p.cursorBefore(pts, take)}, p.fingerprint())
				}
			}
			budget -= take
			res.Timestamps, res.Values = split(pts[:take])
		}
		resp.Results = append(resp.Results, res)
	}
	return resp
}

// cursorBefore is the cursor after the first take points: the last one
// taken, or, when none was taken, a time before every point in scan order.
func (p *dataPlan) cursorBefore(pts []point, take int64) int64 {
	switch {
	case take > 0:
		return pts[take-1].at
	case p.descending:
		return math.MaxInt64
	default:
		return math.MinInt64
	}
}

// after drops the points up to and including cursor in scan order.
func (p *dataPlan) after(pts []point, cursor int64) []point {
	for i, pt := range pts {
		if (p.descending && pt.at < cursor) || (!p.descending && pt.at > cursor) {
			return pts[i:]
		}
	}
	return nil
}

func split(pts []point) ([]time.Time, []float64) {
	ts := make([]time.Time, len(pts))
	vs := make([]float64, len(pts))
	for i, pt := range pts {
		ts[i] = time.Unix(pt.at, 0).UTC()
		vs[i] = pt.value
	}
	return ts, vs
}
