package metrics

import (
	"encoding/json"
	"math"
)

// AWS JSON 1.0 encoders. Timestamps are epoch seconds as JSON numbers.

type jsonResult struct {
	ID         string    `json:"Id"`
	Label      string    `json:"Label"`
	Timestamps []float64 `json:"Timestamps"`
	Values     []float64 `json:"Values"`
	StatusCode string    `json:"StatusCode"`
	Messages   []any     `json:"Messages"`
}

type jsonDimension struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

type jsonMetric struct {
	Namespace  string          `json:"Namespace"`
	MetricName string          `json:"MetricName"`
	Dimensions []jsonDimension `json:"Dimensions"`
}

func jsonGetMetricData(resp getMetricDataResponse) []byte {
	results := make([]jsonResult, 0, len(resp.Results))
	for _, r := range resp.Results {
		ts := make([]float64, len(r.Timestamps))
		for i, t := range r.Timestamps {
			ts[i] = float64(t.UnixNano()) / 1e9
		}
		results = append(results, jsonResult{ID: r.ID, Label: r.Label, Timestamps: ts,
			Values: finite(r.Values), StatusCode: r.StatusCode, Messages: []any{}})
	}
	body := struct {
		MetricDataResults []jsonResult `json:"MetricDataResults"`
		NextToken         string       `json:"NextToken,omitempty"`
		Messages          []any        `json:"Messages"`
	}{results, resp.NextToken, []any{}}
	return mustJSON(body)
}

// finite guards json.Marshal, which refuses NaN and ±Inf.
func finite(vs []float64) []float64 {
	out := make([]float64, len(vs))
	for i, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			v = 0
		}
		out[i] = v
	}
	return out
}

func jsonListMetrics(resp listMetricsResponse) []byte {
	metrics := make([]jsonMetric, 0, len(resp.Metrics))
	for _, m := range resp.Metrics {
		dims := make([]jsonDimension, 0, len(m.Dimensions))
		for _, d := range m.Dimensions {
			dims = append(dims, jsonDimension(d))
		}
		metrics = append(metrics, jsonMetric{Namespace: m.Namespace, MetricName: m.MetricName, Dimensions: dims})
	}
	body := struct {
		Metrics   []jsonMetric `json:"Metrics"`
		NextToken string       `json:"NextToken,omitempty"`
	}{metrics, resp.NextToken}
	return mustJSON(body)
}

func jsonError(e *apiError) []byte {
	return mustJSON(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{e.typeName(), e.Message})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("metrics: encoding a response: " + err.Error()) // only plain structs of strings and finite numbers reach here
	}
	return b
}
