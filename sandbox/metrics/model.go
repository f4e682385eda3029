package metrics

import "time"

// The request and response shapes below are protocol-neutral: each wire
// protocol decodes into them and encodes from them. Pointers mark optional
// members so that "absent" and "zero" stay distinct, as validation needs.

type getMetricDataRequest struct {
	Queries       []metricDataQuery
	HasQueries    bool
	StartTime     *time.Time
	EndTime       *time.Time
	NextToken     *string
	ScanBy        *string
	MaxDatapoints *int64
}

type metricDataQuery struct {
	ID         *string
	Label      *string
	ReturnData *bool
	Period     *int64
	Expression *string
	MetricStat *metricStat
}

type metricStat struct {
	Metric *metricRef
	Period *int64
	Stat   *string
	Unit   *string
}

type metricRef struct {
	Namespace  *string
	MetricName *string
	Dimensions []dimensionIn
}

type dimensionIn struct {
	Name  *string
	Value *string
}

type listMetricsRequest struct {
	Namespace      *string
	MetricName     *string
	Dimensions     []dimensionIn
	NextToken      *string
	RecentlyActive *string
}

type getMetricDataResponse struct {
	Results   []metricDataResult
	NextToken string
}

type metricDataResult struct {
	ID         string
	Label      string
	Timestamps []time.Time
	Values     []float64
	StatusCode string
}

type listMetricsResponse struct {
	Metrics   []MetricID
	NextToken string
}

// Status codes of a MetricDataResult.
const (
	statusComplete    = "Complete"
	statusPartialData = "PartialData"
)

// Limits of GetMetricData and ListMetrics.
const (
	maxQueries            = 500
	defaultMaxDatapoints  = 100800
	maxDimensions         = 30
	maxDimensionFilters   = 10
	listMetricsPageSize   = 500
	scanTimestampDescend  = "TimestampDescending"
	scanTimestampAscend   = "TimestampAscending"
	recentlyActiveDefault = "PT3H"
)

var standardUnits = []string{"Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
	"Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
	"Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
	"Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
	"Count/Second", "None"}
