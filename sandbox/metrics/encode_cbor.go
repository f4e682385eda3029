package metrics

import (
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// RPC v2 CBOR encoders. Timestamps are tag 1 around float64 epoch seconds, as
// the protocol requires.

func cborTime(t time.Time) cbor.Value {
	return &cbor.Tag{ID: 1, Value: cbor.Float64(float64(t.UnixNano()) / 1e9)}
}

func cborGetMetricData(resp getMetricDataResponse) []byte {
	results := cbor.List{}
	for _, r := range resp.Results {
		results = append(results, cborResult(r))
	}
	out := cbor.Map{"MetricDataResults": results, "Messages": cbor.List{}}
	if resp.NextToken != "" {
		out["NextToken"] = cbor.String(resp.NextToken)
	}
	return cbor.Encode(out)
}

func cborResult(r metricDataResult) cbor.Map {
	ts := make(cbor.List, len(r.Timestamps))
	for i, t := range r.Timestamps {
		ts[i] = cborTime(t)
	}
	vs := make(cbor.List, len(r.Values))
	for i, v := range r.Values {
		vs[i] = cbor.Float64(v)
	}
	return cbor.Map{
		"Id": cbor.String(r.ID), "Label": cbor.String(r.Label), "Timestamps": ts, "Values": vs,
		"StatusCode": cbor.String(r.StatusCode), "Messages": cbor.List{},
	}
}

func cborListMetrics(resp listMetricsResponse) []byte {
	metrics := cbor.List{}
	for _, m := range resp.Metrics {
		dims := cbor.List{}
		for _, d := range m.Dimensions {
			dims = append(dims, cbor.Map{"Name": cbor.String(d.Name), "Value": cbor.String(d.Value)})
		}
		metrics = append(metrics, cbor.Map{"Namespace": cbor.String(m.Namespace),
			"MetricName": cbor.String(m.MetricName), "Dimensions": dims})
	}
	out := cbor.Map{"Metrics": metrics}
	if resp.NextToken != "" {
		out["NextToken"] = cbor.String(resp.NextToken)
	}
	return cbor.Encode(out)
}

func cborError(e *apiError) []byte {
	return cbor.Encode(cbor.Map{"__type": cbor.String(e.typeName()), "message": cbor.String(e.Message)})
}
