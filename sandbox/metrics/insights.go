package metrics

import "time"

// InsightsNamespace is the namespace of the Lambda Insights metrics, which
// the Lambda Insights extension publishes for a function that has it
// enabled (docs/metrics.md, "Cold starts: LambdaInsights init_duration").
const InsightsNamespace = "LambdaInsights"

// The Lambda Insights metric and dimension names the sandbox serves.
const (
	MetricInitDuration     = "init_duration"
	DimensionInsightsName  = "function_name"
	DimensionInsightsAlias = "version"
)

type insightsKey struct{ function, version string }

// ColdStart records one cold start of function's version (the version that
// ran: "$LATEST", "3"), which spent init in its Init phase: one init_duration
// sample in milliseconds, keyed by the invocation's start, under
// {function_name} and {function_name, version}. Its SampleCount over a
// period is the number of cold starts.
func (r *LambdaRecorder) ColdStart(at time.Time, function, version string, init time.Duration) {
	ms := float64(init) / float64(time.Millisecond)
	recordAll(r.insightsSeries(insightsKey{function, version}), at, ms)
}

func (r *LambdaRecorder) insightsSeries(k insightsKey) []*Series {
	r.mu.RLock()
	set := r.insights[k]
	r.mu.RUnlock()
	if set != nil {
		return set
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if set = r.insights[k]; set == nil {
		byFunction := []Dimension{{DimensionInsightsName, k.function}}
		byVersion := []Dimension{{DimensionInsightsName, k.function}, {DimensionInsightsAlias, k.version}}
		for _, dims := range [][]Dimension{byFunction, byVersion} {
			id := MetricID{Namespace: InsightsNamespace, MetricName: MetricInitDuration, Dimensions: dims}
			set = append(set, r.store.Series(id, UnitMilliseconds))
		}
		r.insights[k] = set
	}
	return set
}
