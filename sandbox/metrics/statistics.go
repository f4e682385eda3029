package metrics

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// GetMetricStatistics: CloudWatch's older read of one metric, still what the
// Lambda console's Monitor tab and many scripts use. Its input and output
// follow the CloudWatch service model (botocore cloudwatch/2010-08-01); its
// errors are the model's: InvalidParameterValue, MissingParameter and
// InvalidParameterCombination (docs/metrics.md, "GetMetricStatistics").

// maxStatisticsDatapoints is how many datapoints one request may ask for.
const maxStatisticsDatapoints = 1440

var simpleStatisticNames = []string{"SampleCount", "Average", "Sum", "Minimum", "Maximum"}

type getMetricStatisticsRequest struct {
	Metric             metricRef
	StartTime, EndTime *time.Time
	Period             *int64
	Statistics         []*string
	ExtendedStatistics []*string
	Unit               *string
}

type statisticsPlan struct {
	metric     MetricID
	start, end time.Time
	period     int64
	simple     []string // in request order
	extended   []string
	percentile map[string]statistic
	unit       string
}

type statisticsDatapoint struct {
	at       time.Time
	simple   map[string]float64
	extended map[string]float64
	unit     string
}

type getMetricStatisticsResponse struct {
	Label      string
	Datapoints []statisticsDatapoint
}

func (r *reader) readGetMetricStatistics(root map[string]any) getMetricStatisticsRequest {
	req := getMetricStatisticsRequest{
		Metric:    *r.readMetric(root, ""),
		StartTime: r.timestamp(root["StartTime"], "StartTime"),
		EndTime:   r.timestamp(root["EndTime"], "EndTime"),
		Period:    r.integer(root["Period"], "Period"),
		Unit:      r.str(root["Unit"], "Unit"),
	}
	req.Statistics = r.strings(root["Statistics"], "Statistics")
	req.ExtendedStatistics = r.strings(root["ExtendedStatistics"], "ExtendedStatistics")
	return req
}

func (r *reader) strings(v any, path string) []*string {
	items, _ := r.list(v, path)
	out := make([]*string, 0, len(items))
	for i, item := range items {
		out = append(out, r.str(item, memberPath(path, i)))
	}
	return out
}

func planGetMetricStatistics(req getMetricStatisticsRequest) (*statisticsPlan, *apiError) {
	if err := statisticsRequired(req); err != nil {
		return nil, err
	}
	if len(req.Metric.Dimensions) > maxDimensions {
		return nil, errInvalidValue("The collection Dimensions must not have a size greater than %d.", maxDimensions)
	}
	dims, err := planDimensions(req.Metric.Dimensions, "Dimensions", true)
	if err != nil {
		return nil, err
	}
	metric := MetricID{Namespace: *req.Metric.Namespace, MetricName: *req.Metric.MetricName, Dimensions: dims}
	p := &statisticsPlan{metric: metric, start: *req.StartTime, end: *req.EndTime, period: *req.Period, percentile: map[string]statistic{}}
	for _, check := range []func(*statisticsPlan, getMetricStatisticsRequest) *apiError{
		checkStatisticsTime, planStatistics, planExtendedStatistics, planStatisticsUnit,
	} {
		if err := check(p, req); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func statisticsRequired(req getMetricStatisticsRequest) *apiError {
	for _, m := range []struct {
		name    string
		present bool
	}{
		{"Namespace", req.Metric.Namespace != nil && *req.Metric.Namespace != ""},
		{"MetricName", req.Metric.MetricName != nil && *req.Metric.MetricName != ""},
		{"StartTime", req.StartTime != nil}, {"EndTime", req.EndTime != nil}, {"Period", req.Period != nil},
	} {
		if !m.present {
			return errMissing(m.name)
		}
	}
	switch {
	case len(req.Statistics) == 0 && len(req.ExtendedStatistics) == 0:
		return errMissingStatistics()
	case len(req.Statistics) > 0 && len(req.ExtendedStatistics) > 0:
		return errCombination("The parameters Statistics and ExtendedStatistics are mutually exclusive: give one of them.")
	}
	return nil
}

func errMissingStatistics() *apiError {
	return clientError("MissingRequiredParameterException", "MissingParameter",
		"At least one of the parameters Statistics and ExtendedStatistics must be specified.")
}

func checkStatisticsTime(p *statisticsPlan, _ getMetricStatisticsRequest) *apiError {
	switch {
	case !p.start.Before(p.end):
		return errInvalidValue("The parameter StartTime must be less than the parameter EndTime.")
	case !validPeriod(p.period):
		return errInvalidValue("The parameter Period must be 1, 5, 10, 20, 30, 60 or a multiple of 60 seconds; %d is not.", p.period)
	}
	points := (p.end.Sub(p.start) + time.Duration(p.period)*time.Second - 1) / (time.Duration(p.period) * time.Second)
	if points > maxStatisticsDatapoints {
		return errCombination("You have requested up to %s datapoints, which exceeds the limit of %s. You may reduce the datapoints requested by increasing Period, or decreasing the time range.",
			thousands(int64(points)), thousands(maxStatisticsDatapoints))
	}
	return nil
}

func planStatistics(p *statisticsPlan, req getMetricStatisticsRequest) *apiError {
	if len(req.Statistics) > 5 {
		return errInvalidValue("The collection Statistics must not have a size greater than 5.")
	}
	for i, s := range req.Statistics {
		if s == nil || !slices.Contains(simpleStatisticNames, *s) {
			return errEnum(deref(s), fmt.Sprintf("statistics.%d.member", i+1), simpleStatisticNames)
		}
		if !slices.Contains(p.simple, *s) {
			p.simple = append(p.simple, *s)
		}
	}
	return nil
}

func planExtendedStatistics(p *statisticsPlan, req getMetricStatisticsRequest) *apiError {
	if len(req.ExtendedStatistics) > 10 {
		return errInvalidValue("The collection ExtendedStatistics must not have a size greater than 10.")
	}
	for i, s := range req.ExtendedStatistics {
		param := fmt.Sprintf("ExtendedStatistics.member.%d", i+1)
		stat, err := parseStatistic(deref(s), param)
		if err == nil && stat.kind != statPercentile {
			err = errInvalidValue("The value %s for parameter %s is not an extended statistic: give it in Statistics.", deref(s), param)
		}
		if err != nil {
			err.Shape, err.QueryCode = "InvalidParameterValueException", "InvalidParameterValue"
			return err
		}
		if _, dup := p.percentile[*s]; !dup {
			p.extended = append(p.extended, *s)
			p.percentile[*s] = stat
		}
	}
	return nil
}

func planStatisticsUnit(p *statisticsPlan, req getMetricStatisticsRequest) *apiError {
	if req.Unit == nil {
		return nil
	}
	if !slices.Contains(standardUnits, *req.Unit) {
		return errEnum(*req.Unit, "unit", standardUnits)
	}
	p.unit = *req.Unit
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// thousands writes n with commas, as CloudWatch's limit message does: 1,441.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// getMetricStatistics answers a GetMetricStatistics request at time now.
func (s *Store) getMetricStatistics(req getMetricStatisticsRequest, now time.Time) (getMetricStatisticsResponse, *apiError) {
	p, err := planGetMetricStatistics(req)
	if err != nil {
		return getMetricStatisticsResponse{}, err
	}
	resp := getMetricStatisticsResponse{Label: p.metric.MetricName}
	sr := s.find(p.metric)
	if sr == nil || (p.unit != "" && p.unit != string(sr.unit)) {
		return resp, nil
	}
	horizon := s.horizon(now)
	from, to, ok := s.bucketRange(sr, p.period, &dataPlan{start: p.start, end: p.end}, now, horizon)
	for t := from; ok && t < to; t += p.period {
		var acc aggregate
		sr.accumulate(t, t+p.period, horizon, &acc)
		if !acc.empty() {
			resp.Datapoints = append(resp.Datapoints, p.datapoint(t, &acc, string(sr.unit)))
		}
	}
	return resp, nil
}

func (p *statisticsPlan) datapoint(at int64, acc *aggregate, unit string) statisticsDatapoint {
	dp := statisticsDatapoint{at: time.Unix(at, 0).UTC(), unit: unit}
	if len(p.simple) > 0 {
		dp.simple = make(map[string]float64, len(p.simple))
		for _, name := range p.simple {
			dp.simple[name] = statistic{kind: simpleStats[name]}.value(acc)
		}
	}
	if len(p.extended) > 0 {
		dp.extended = make(map[string]float64, len(p.extended))
		for _, name := range p.extended {
			dp.extended[name] = p.percentile[name].value(acc)
		}
	}
	return dp
}
