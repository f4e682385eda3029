package aws

import (
	"context"
	"fmt"
)

// Lambda Insights publishes one init_duration datapoint per cold start in
// the LambdaInsights namespace, dimension function_name (docs/journal.md has
// the source):
// its SampleCount over a window is the window's cold starts. A function
// without the Insights extension has no such metric at all.
const (
	insightsNamespace = "LambdaInsights"
	insightsInit      = "init_duration"
)

// InitDurations is what Lambda Insights' init_duration says of a window.
// Known is false when there is no datapoint: Insights is off, or nothing
// cold-started, and the two cannot be told apart, so it is "unknown", not 0.
type InitDurations struct {
	Known      bool
	ColdStarts float64
	// AverageMs is the mean init duration of those cold starts.
	AverageMs float64
}

// InitDurations reads the function's cold starts over w from Lambda Insights.
func (c *Client) InitDurations(ctx context.Context, function string, w MetricWindow) (InitDurations, error) {
	dims := []MetricDimension{{"function_name", function}}
	s, err := c.MetricSeries(ctx, w, []MetricQuery{
		{Namespace: insightsNamespace, MetricName: insightsInit, Dimensions: dims, Stat: "SampleCount", Unit: "Count"},
		{Namespace: insightsNamespace, MetricName: insightsInit, Dimensions: dims, Stat: "Sum", Unit: "Milliseconds"},
	})
	if err != nil {
		return InitDurations{}, fmt.Errorf("cold starts of %s: %w", function, err)
	}
	var out InitDurations
	var sum float64
	for i, p := range s[0].Points {
		if p.State == PointValue {
			out.Known = true
			out.ColdStarts += p.Value
			sum += s[1].Points[i].Value
		}
	}
	if out.ColdStarts > 0 {
		out.AverageMs = sum / out.ColdStarts
	}
	return out, nil
}
