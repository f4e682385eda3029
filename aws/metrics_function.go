package aws

import (
	"context"
	"fmt"
	"time"
)

const lambdaNamespace = "AWS/Lambda"

// FunctionMetricsQuery asks for the Function screen's metrics.
type FunctionMetricsQuery struct {
	// FunctionName is the function's name.
	FunctionName string
	// Qualifier narrows to an alias or version ("live", "3"); "" reads the
	// whole function. Provisioned-concurrency series exist per alias or
	// version only, so they stay empty without a qualifier.
	Qualifier string
	// ProvisionedQualifier, when set, reads the provisioned-concurrency series
	// (which exist per alias or version only) for that alias or version while
	// the other series stay at the level Qualifier names. It lets one call
	// serve a screen showing the whole function and its provisioned alias.
	ProvisionedQualifier string
	// Window is the time range, period and pending horizon.
	Window MetricWindow
}

// FunctionMetrics is one function's metrics over a window, every series
// aligned on Times.
type FunctionMetrics struct {
	Times                             []time.Time
	Period                            time.Duration
	Invocations                       Series // Sum per period
	InvocationsPerSecond              Series // Sum per period ÷ period
	Errors                            Series // Sum
	Throttles                         Series // Sum
	DurationAverage                   Series // milliseconds
	DurationP99                       Series // milliseconds
	DurationMaximum                   Series // milliseconds
	ConcurrentExecutions              Series // Maximum
	ProvisionedConcurrentExecutions   Series // Maximum
	ProvisionedConcurrencyUtilization Series // Maximum, 0..1
	SpilloverInvocations              Series // Sum of ProvisionedConcurrencySpilloverInvocations
	// ColdStarts and InitDurationAverage come from Lambda Insights'
	// init_duration (one sample per cold start): no datapoint is "unknown"
	// (Insights off, or no cold start), never zero.
	ColdStarts          Series // SampleCount
	InitDurationAverage Series // milliseconds
}

// FunctionMetrics reads the Function screen's series in one GetMetricData call.
func (c *Client) FunctionMetrics(ctx context.Context, q FunctionMetricsQuery) (FunctionMetrics, error) {
	if q.FunctionName == "" {
		return FunctionMetrics{}, fmt.Errorf("%w: a function name is required", ErrInvalidMetricWindow)
	}
	dims := []MetricDimension{{"FunctionName", q.FunctionName}}
	if q.Qualifier != "" {
		dims = append(dims, MetricDimension{"Resource", q.FunctionName + ":" + q.Qualifier})
	}
	pcDims := dims
	if q.ProvisionedQualifier != "" {
		pcDims = []MetricDimension{{"FunctionName", q.FunctionName}, {"Resource", q.FunctionName + ":" + q.ProvisionedQualifier}}
	}
	perSecond := 1 / q.Window.Period.Seconds()
	const counts, values = true, false // what an empty period is: zero, or no value
	lambda := func(metric, stat, unit string, scale float64, zero bool) MetricQuery {
		return MetricQuery{Namespace: lambdaNamespace, MetricName: metric, Dimensions: dims, Stat: stat, Unit: unit, Scale: scale, NoDataIsZero: zero}
	}
	provisioned := func(metric, stat, unit string, zero bool) MetricQuery {
		return MetricQuery{Namespace: lambdaNamespace, MetricName: metric, Dimensions: pcDims, Stat: stat, Unit: unit, NoDataIsZero: zero}
	}
	queries := []MetricQuery{
		lambda("Invocations", "Sum", "Count", 0, counts),
		lambda("Invocations", "Sum", "Count/Second", perSecond, counts),
		lambda("Errors", "Sum", "Count", 0, counts),
		lambda("Throttles", "Sum", "Count", 0, counts),
		lambda("Duration", "Average", "Milliseconds", 0, values),
		lambda("Duration", "p99", "Milliseconds", 0, values),
		lambda("Duration", "Maximum", "Milliseconds", 0, values),
		lambda("ConcurrentExecutions", "Maximum", "Count", 0, counts),
		provisioned("ProvisionedConcurrentExecutions", "Maximum", "Count", counts),
		provisioned("ProvisionedConcurrencyUtilization", "Maximum", "None", values),
		provisioned("ProvisionedConcurrencySpilloverInvocations", "Sum", "Count", counts),
		{Namespace: insightsNamespace, MetricName: insightsInit, Dimensions: []MetricDimension{{"function_name", q.FunctionName}},
			Stat: "SampleCount", Unit: "Count"},
		{Namespace: insightsNamespace, MetricName: insightsInit, Dimensions: []MetricDimension{{"function_name", q.FunctionName}},
			Stat: "Average", Unit: "Milliseconds"},
	}
	s, err := c.MetricSeries(ctx, q.Window, queries)
	if err != nil {
		return FunctionMetrics{}, fmt.Errorf("metrics of %s: %w", q.FunctionName, err)
	}
	return FunctionMetrics{
		Times: pointTimes(s[0]), Period: q.Window.Period,
		Invocations: s[0], InvocationsPerSecond: s[1], Errors: s[2], Throttles: s[3],
		DurationAverage: s[4], DurationP99: s[5], DurationMaximum: s[6], ConcurrentExecutions: s[7],
		ProvisionedConcurrentExecutions: s[8], ProvisionedConcurrencyUtilization: s[9], SpilloverInvocations: s[10],
		ColdStarts: s[11], InitDurationAverage: s[12],
	}, nil
}

// AccountMetrics is the account's concurrency over a window.
type AccountMetrics struct {
	Times                          []time.Time
	Period                         time.Duration
	ConcurrentExecutions           Series // Maximum
	UnreservedConcurrentExecutions Series // Maximum
	ClaimedAccountConcurrency      Series // Maximum
}

// AccountMetrics reads the account-wide concurrency series in one call.
func (c *Client) AccountMetrics(ctx context.Context, w MetricWindow) (AccountMetrics, error) {
	account := func(metric string, inFlight bool) MetricQuery {
		return MetricQuery{Namespace: lambdaNamespace, MetricName: metric, Stat: "Maximum", Unit: "Count", NoDataIsZero: inFlight}
	}
	// Claimed concurrency counts reservations too: no datapoint says nothing of it.
	s, err := c.MetricSeries(ctx, w, []MetricQuery{
		account("ConcurrentExecutions", true), account("UnreservedConcurrentExecutions", true), account("ClaimedAccountConcurrency", false),
	})
	if err != nil {
		return AccountMetrics{}, fmt.Errorf("account metrics: %w", err)
	}
	return AccountMetrics{Times: pointTimes(s[0]), Period: w.Period,
		ConcurrentExecutions: s[0], UnreservedConcurrentExecutions: s[1], ClaimedAccountConcurrency: s[2]}, nil
}

func pointTimes(s Series) []time.Time {
	out := make([]time.Time, len(s.Points))
	for i, p := range s.Points {
		out[i] = p.Time
	}
	return out
}
