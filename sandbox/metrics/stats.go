package metrics

import (
	"regexp"
	"strconv"
	"strings"
)

type statKind uint8

const (
	statSampleCount statKind = iota
	statSum
	statAverage
	statMinimum
	statMaximum
	statPercentile
)

// statistic is a parsed GetMetricData Stat.
type statistic struct {
	kind       statKind
	percentile float64 // 0..100 for statPercentile
}

var simpleStats = map[string]statKind{
	"SampleCount": statSampleCount,
	"Sum":         statSum,
	"Average":     statAverage,
	"Minimum":     statMinimum,
	"Maximum":     statMaximum,
}

var percentileStat = regexp.MustCompile(`^p(\d{1,2}(\.\d{1,10})?|100(\.0{1,10})?)$`)

// extendedStat matches CloudWatch statistics the sandbox does not compute:
// trimmed/winsorized means, trimmed count/sum, percentile rank and IQM.
var extendedStat = regexp.MustCompile(`^(?i:tm|wm|tc|ts|pr)(\d|\()|^IQM$`)

// parseStatistic reads stat; err is nil only for statistics the sandbox computes.
func parseStatistic(stat string, param string) (statistic, *apiError) {
	if k, ok := simpleStats[stat]; ok {
		return statistic{kind: k}, nil
	}
	if percentileStat.MatchString(stat) {
		p, _ := strconv.ParseFloat(strings.TrimPrefix(stat, "p"), 64)
		return statistic{kind: statPercentile, percentile: p}, nil
	}
	if extendedStat.MatchString(stat) {
		return statistic{}, errInvalidValue("The statistic %s in parameter %s is valid in CloudWatch but not computed by the lambdatune sandbox, which computes SampleCount, Sum, Average, Minimum, Maximum and percentiles (p50, p99, p99.9, ...).", stat, param)
	}
	return statistic{}, errValidation("The value for parameter %s is not a valid statistic.", param)
}

// value computes the statistic of a non-empty aggregate.
func (s statistic) value(a *aggregate) float64 {
	switch s.kind {
	case statSampleCount:
		return float64(a.samples)
	case statSum:
		return a.sum
	case statAverage:
		return a.sum / float64(a.samples)
	case statMinimum:
		return a.min
	case statMaximum:
		return a.max
	}
	v, _ := a.dist.quantile(s.percentile / 100)
	return min(max(v, a.min), a.max)
}
