package metrics

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"time"
)

// plannedQuery is a validated MetricStat query.
type plannedQuery struct {
	id         string
	label      string
	returnData bool
	metric     MetricID
	period     int64
	stat       statistic
	unit       string // "" = any
}

// dataPlan is a validated GetMetricData request.
type dataPlan struct {
	queries       []plannedQuery
	start, end    time.Time
	descending    bool
	maxDatapoints int64
	token         *pageToken
}

var metricIDPattern = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`)

// planGetMetricData validates req the way CloudWatch does, in CloudWatch's
// order: required members, limits, each query, then the time range and token.
func planGetMetricData(req getMetricDataRequest) (*dataPlan, *apiError) {
	if err := checkRequired(req); err != nil {
		return nil, err
	}
	if len(req.Queries) > maxQueries {
		return nil, errValidation("The collection MetricDataQueries must not have a size greater than %d; this request has %d. Split the queries over several GetMetricData calls.", maxQueries, len(req.Queries))
	}
	queries, err := planQueries(req.Queries)
	if err != nil {
		return nil, err
	}
	p := &dataPlan{queries: queries, start: *req.StartTime, end: *req.EndTime, descending: true, maxDatapoints: defaultMaxDatapoints}
	if err := p.applyOptions(req); err != nil {
		return nil, err
	}
	return p, nil
}

func checkRequired(req getMetricDataRequest) *apiError {
	switch {
	case !req.HasQueries || len(req.Queries) == 0:
		return errMissing("MetricDataQueries")
	case req.StartTime == nil:
		return errMissing("StartTime")
	case req.EndTime == nil:
		return errMissing("EndTime")
	}
	return nil
}

func (p *dataPlan) applyOptions(req getMetricDataRequest) *apiError {
	if err := checkTimeRange(p.start, p.end); err != nil {
		return err
	}
	if req.ScanBy != nil {
		switch *req.ScanBy {
		case scanTimestampDescend:
		case scanTimestampAscend:
			p.descending = false
		default:
			return errEnum(*req.ScanBy, "scanBy", []string{scanTimestampDescend, scanTimestampAscend})
		}
	}
	if req.MaxDatapoints != nil {
		if *req.MaxDatapoints < 1 || *req.MaxDatapoints > math.MaxInt32 {
			return errInvalidValue("The value %d for parameter MaxDatapoints is not valid: it must be between 1 and %d.", *req.MaxDatapoints, math.MaxInt32)
		}
		p.maxDatapoints = *req.MaxDatapoints
	}
	if req.NextToken != nil && *req.NextToken != "" {
		tok, ok := decodePageToken(*req.NextToken, p.fingerprint())
		if !ok {
			return errNextToken()
		}
		p.token = tok
	}
	return nil
}

func checkTimeRange(start, end time.Time) *apiError {
	switch {
	case start.Equal(end):
		return errValidation("The parameter StartTime must not equal parameter EndTime.")
	case start.After(end):
		return errValidation("The parameter StartTime must be less than the parameter EndTime.")
	}
	return nil
}

// planQueries validates every query. Id pattern, uniqueness, statistic and
// period problems are gathered and reported together, one a line, as
// CloudWatch does; a missing member or a structural problem stops at once.
func planQueries(in []metricDataQuery) ([]plannedQuery, *apiError) {
	var problems []*apiError
	seen := map[string]bool{}
	out := make([]plannedQuery, 0, len(in))
	for i, q := range in {
		member := fmt.Sprintf("MetricDataQueries.member.%d", i+1)
		pq, soft, hard := planQuery(q, member)
		if hard != nil {
			return nil, hard
		}
		if seen[pq.id] && pq.id != "" {
			soft = append(soft, errValidation("The value %s for parameter %s.Id is not unique: every query in one request needs its own Id.", pq.id, member))
		}
		seen[pq.id] = true
		problems = append(problems, soft...)
		out = append(out, pq)
	}
	if len(problems) > 0 {
		return nil, joinValidation(problems)
	}
	return out, nil
}

func planQuery(q metricDataQuery, member string) (pq plannedQuery, soft []*apiError, hard *apiError) {
	if q.ID == nil || *q.ID == "" {
		return pq, nil, errMissing(member + ".Id")
	}
	pq.id = *q.ID
	if !metricIDPattern.MatchString(pq.id) || len(pq.id) > 255 {
		soft = append(soft, errValidation("The value %s for parameter %s.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.", pq.id, member))
	}
	if err := checkQueryKind(q, member); err != nil {
		return pq, nil, err
	}
	pq.returnData = q.ReturnData == nil || *q.ReturnData
	more, err := planMetricStat(&pq, q.MetricStat, member+".MetricStat")
	if err != nil {
		return pq, nil, err
	}
	pq.label = pq.metric.MetricName
	if q.Label != nil && *q.Label != "" {
		pq.label = *q.Label
	}
	return pq, append(soft, more...), nil
}

func checkQueryKind(q metricDataQuery, member string) *apiError {
	hasExpr := q.Expression != nil && *q.Expression != ""
	switch {
	case hasExpr && q.MetricStat != nil:
		return errCombination("Exactly one of %[1]s.MetricStat and %[1]s.Expression must be set, not both.", member)
	case hasExpr:
		return errInvalidValue("The parameter %s.Expression is not supported: the lambdatune sandbox does not evaluate metric math or Metrics Insights queries; query each metric with MetricStat.", member)
	case q.MetricStat == nil:
		return errMissing(member + ".MetricStat")
	}
	return nil
}

func planMetricStat(pq *plannedQuery, ms *metricStat, member string) ([]*apiError, *apiError) {
	metric, err := planMetric(ms.Metric, member+".Metric")
	if err != nil {
		return nil, err
	}
	pq.metric = metric
	switch {
	case ms.Period == nil:
		return nil, errMissing(member + ".Period")
	case ms.Stat == nil || *ms.Stat == "":
		return nil, errMissing(member + ".Stat")
	}
	if ms.Unit != nil {
		if !slices.Contains(standardUnits, *ms.Unit) {
			return nil, errEnum(*ms.Unit, member+".Unit", standardUnits)
		}
		pq.unit = *ms.Unit
	}
	var soft []*apiError
	pq.period = *ms.Period
	if !validPeriod(pq.period) {
		soft = append(soft, errValidation("The value %d for parameter %s.Period is not valid: the period must be 1, 5, 10, 20, 30, 60 or a multiple of 60 seconds.", pq.period, member))
	}
	stat, serr := parseStatistic(*ms.Stat, member+".Stat")
	if serr != nil {
		if serr.Shape != "ValidationException" {
			return nil, serr
		}
		soft = append(soft, serr)
	}
	pq.stat = stat
	return soft, nil
}

func validPeriod(p int64) bool {
	switch p {
	case 1, 5, 10, 20, 30:
		return true
	}
	return p > 0 && p%60 == 0 && p <= math.MaxInt32 // Period is a 32-bit integer in CloudWatch's model
}

func planMetric(m *metricRef, member string) (MetricID, *apiError) {
	switch {
	case m == nil:
		return MetricID{}, errMissing(member)
	case m.Namespace == nil || *m.Namespace == "":
		return MetricID{}, errMissing(member + ".Namespace")
	case m.MetricName == nil || *m.MetricName == "":
		return MetricID{}, errMissing(member + ".MetricName")
	case len(m.Dimensions) > maxDimensions:
		return MetricID{}, errValidation("The collection %s.Dimensions must not have a size greater than %d.", member, maxDimensions)
	}
	dims, err := planDimensions(m.Dimensions, member+".Dimensions", true)
	if err != nil {
		return MetricID{}, err
	}
	return MetricID{Namespace: *m.Namespace, MetricName: *m.MetricName, Dimensions: dims}, nil
}

// planDimensions checks names (and values when needValue) are present.
func planDimensions(in []dimensionIn, member string, needValue bool) ([]Dimension, *apiError) {
	out := make([]Dimension, 0, len(in))
	for i, d := range in {
		at := fmt.Sprintf("%s.member.%d", member, i+1)
		if d.Name == nil || *d.Name == "" {
			return nil, errMissing(at + ".Name")
		}
		if needValue && (d.Value == nil || *d.Value == "") {
			return nil, errMissing(at + ".Value")
		}
		dim := Dimension{Name: *d.Name}
		if d.Value != nil {
			dim.Value = *d.Value
		}
		out = append(out, dim)
	}
	return out, nil
}
