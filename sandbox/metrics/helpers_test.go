package metrics_test

import (
	"net/http/httptest"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

// t0 is the start of every scenario: a minute boundary.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// sandboxCW is a store served on loopback, with the real SDK client on it.
type sandboxCW struct {
	clock    *clock.Manual
	store    *metrics.Store
	recorder *metrics.LambdaRecorder
	server   *httptest.Server
	client   *cloudwatch.Client
}

func newSandboxCW(t testing.TB, opts metrics.Options) *sandboxCW {
	t.Helper()
	clk := clock.NewManual(t0)
	opts.Clock = clk
	store := metrics.NewStore(opts)
	srv := httptest.NewServer(metrics.NewHandler(store, clk))
	t.Cleanup(srv.Close)
	client := cloudwatch.New(cloudwatch.Options{
		Region:           "us-east-1",
		BaseEndpoint:     sdkaws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("sandbox", "sandbox", ""),
		RetryMaxAttempts: 1,
	})
	return &sandboxCW{clock: clk, store: store, recorder: metrics.NewLambdaRecorder(store), server: srv, client: client}
}

func at(seconds float64) time.Time {
	return t0.Add(time.Duration(seconds * float64(time.Second)))
}

func ms(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }

func dims(pairs ...string) []types.Dimension {
	var out []types.Dimension
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, types.Dimension{Name: sdkaws.String(pairs[i]), Value: sdkaws.String(pairs[i+1])})
	}
	return out
}

func statQuery(id, metric, stat string, period int32, d []types.Dimension) types.MetricDataQuery {
	return types.MetricDataQuery{
		Id: sdkaws.String(id),
		MetricStat: &types.MetricStat{
			Metric: &types.Metric{Namespace: sdkaws.String("AWS/Lambda"), MetricName: sdkaws.String(metric), Dimensions: d},
			Period: sdkaws.Int32(period),
			Stat:   sdkaws.String(stat),
		},
	}
}

func window(start, end float64, queries ...types.MetricDataQuery) *cloudwatch.GetMetricDataInput {
	return &cloudwatch.GetMetricDataInput{
		StartTime: sdkaws.Time(at(start)), EndTime: sdkaws.Time(at(end)),
		MetricDataQueries: queries, ScanBy: types.ScanByTimestampAscending,
	}
}

// series is one result as (seconds after t0 → value).
type series map[float64]float64

func resultSeries(t *testing.T, r types.MetricDataResult) series {
	t.Helper()
	if len(r.Timestamps) != len(r.Values) {
		t.Fatalf("%s: %d timestamps but %d values", sdkaws.ToString(r.Id), len(r.Timestamps), len(r.Values))
	}
	out := series{}
	for i, ts := range r.Timestamps {
		out[ts.Sub(t0).Seconds()] = r.Values[i]
	}
	return out
}

func byID(t *testing.T, out *cloudwatch.GetMetricDataOutput) map[string]series {
	t.Helper()
	m := map[string]series{}
	for _, r := range out.MetricDataResults {
		m[sdkaws.ToString(r.Id)] = resultSeries(t, r)
	}
	return m
}
