package aws_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// metricsSandbox serves a sandbox metric store on loopback and points a real
// aws.Client at it.
type metricsSandbox struct {
	clock    *clock.Manual
	recorder *metrics.LambdaRecorder
	client   *aws.Client
	requests atomic.Int64 // GetMetricData/ListMetrics requests served
}

func newMetricsSandbox(t *testing.T, opts metrics.Options) *metricsSandbox {
	t.Helper()
	// aws.New hands the SDK its own *http.Client, which cannot take the custom
	// CA bundle AWS_CA_BUNDLE names (set on this project's machines); loopback
	// HTTP needs none.
	t.Setenv("AWS_CA_BUNDLE", "")
	clk := clock.NewManual(t0)
	opts.Clock = clk
	store := metrics.NewStore(opts)
	sb := &metricsSandbox{clock: clk, recorder: metrics.NewLambdaRecorder(store)}
	cw := metrics.NewHandler(store, clk)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sb.requests.Add(1)
		cw.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	client, err := aws.New(context.Background(), aws.Options{EndpointURL: srv.URL, StaticCredentials: true, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	sb.client = client
	return sb
}

func sec(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

// values renders a series as "value/pending/-" per bucket.
func values(s aws.Series) string {
	out := ""
	for i, p := range s.Points {
		if i > 0 {
			out += " "
		}
		switch p.State {
		case aws.PointValue:
			out += fmt.Sprintf("%g", math.Round(p.Value*1000)/1000)
		case aws.PointPending:
			out += "pending"
		default:
			out += "-"
		}
	}
	return out
}

func TestFunctionMetricsOneSecondLiveView(t *testing.T) {
	sb := newMetricsSandbox(t, metrics.Options{})
	r := sb.recorder
	inv := func(s float64, durMs float64, failed, provisioned, spill bool) {
		r.Invocation(metrics.Invocation{Start: sec(s), FunctionName: "products", Qualifier: "live", ExecutedVersion: "3",
			Duration: time.Duration(durMs * float64(time.Millisecond)), FunctionError: failed, Provisioned: provisioned, Spillover: spill})
	}
	inv(1.1, 10, false, true, false)
	inv(1.5, 30, true, true, false)
	inv(2.2, 100, false, false, true)
	r.Throttle(sec(3.4), "products", "live")
	r.QualifierConcurrency(sec(1.1), "products", "live", 2)
	r.QualifierConcurrency(sec(2.3), "products", "live", 1)
	r.QualifierConcurrency(sec(2.6), "products", "live", 0)
	r.ProvisionedConcurrency(sec(1.1), "products", "live", 2, 4)
	r.ProvisionedConcurrency(sec(2.1), "products", "live", 0, 4)
	sb.clock.Set(sec(5.5))

	m, err := sb.client.FunctionMetrics(context.Background(), aws.FunctionMetricsQuery{
		FunctionName: "products", Qualifier: "live",
		Window: aws.MetricWindow{Start: sec(0), End: sec(7), Period: time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := sb.requests.Load(); n != 1 {
		t.Errorf("%d requests, want one GetMetricData per refresh", n)
	}
	// Buckets 0..6; second 5 is still running and 6 is ahead: pending.
	for name, c := range map[string]struct {
		s    aws.Series
		want string
	}{
		"invocations/s":  {m.InvocationsPerSecond, "- 2 1 - - pending pending"},
		"errors":         {m.Errors, "- 1 0 0 - pending pending"},
		"throttles":      {m.Throttles, "- 0 0 1 - pending pending"},
		"duration avg":   {m.DurationAverage, "- 20 100 - - pending pending"},
		"duration max":   {m.DurationMaximum, "- 30 100 - - pending pending"},
		"concurrency":    {m.ConcurrentExecutions, "- 2 1 - - pending pending"},
		"provisioned":    {m.ProvisionedConcurrentExecutions, "- 2 0 - - pending pending"},
		"utilisation":    {m.ProvisionedConcurrencyUtilization, "- 0.5 0 - - pending pending"},
		"spillover":      {m.SpilloverInvocations, "- - 1 - - pending pending"},
		"duration p99":   {m.DurationP99, "- " + roundedWithin(m.DurationP99.Points[1].Value, 30) + " " + roundedWithin(m.DurationP99.Points[2].Value, 100) + " - - pending pending"},
		"invocations 1s": {m.Invocations, "- 2 1 - - pending pending"},
	} {
		if got := values(c.s); got != c.want {
			t.Errorf("%s: %s, want %s", name, got, c.want)
		}
	}
	if len(m.Times) != 7 || !m.Times[0].Equal(sec(0)) || !m.Times[6].Equal(sec(6)) {
		t.Errorf("times %v", m.Times)
	}

	// The whole function, with the provisioned series of its alias, in the
	// same single call.
	whole, err := sb.client.FunctionMetrics(context.Background(), aws.FunctionMetricsQuery{
		FunctionName: "products", ProvisionedQualifier: "live",
		Window: aws.MetricWindow{Start: sec(0), End: sec(7), Period: time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := values(whole.InvocationsPerSecond); got != "- 2 1 - - pending pending" {
		t.Errorf("function-level invocations/s: %s", got)
	}
	if got := values(whole.ProvisionedConcurrencyUtilization); got != "- 0.5 0 - - pending pending" {
		t.Errorf("alias utilisation read with the function: %s", got)
	}
	if n := sb.requests.Load(); n != 2 {
		t.Errorf("%d requests after two refreshes", n)
	}
}

// roundedWithin returns want's rendering when got is within the store's 1%
// percentile accuracy of want, and got's otherwise (so the comparison fails).
func roundedWithin(got, want float64) string {
	if math.Abs(got-want) <= metrics.RelativeAccuracy*want {
		return fmt.Sprintf("%g", want)
	}
	return fmt.Sprintf("%g", got)
}

func TestFunctionMetricsMinutesWithAWSDelayShowPending(t *testing.T) {
	sb := newMetricsSandbox(t, metrics.Options{PublishDelay: 90 * time.Second, PublishInterval: time.Minute})
	for m := range 5 {
		for k := range 6 {
			sb.recorder.Invocation(metrics.Invocation{Start: sec(float64(60*m + 10*k)), FunctionName: "products",
				Duration: 20 * time.Millisecond})
		}
	}
	sb.clock.Set(sec(5*60 + 30)) // 12:05:30: minutes up to 12:03 are published (12:04 + 90 s)
	m, err := sb.client.FunctionMetrics(context.Background(), aws.FunctionMetricsQuery{FunctionName: "products",
		Window: aws.MetricWindow{Start: sec(-120), End: sec(6 * 60), Period: time.Minute, PendingHorizon: aws.AWSPendingHorizon}})
	if err != nil {
		t.Fatal(err)
	}
	// 11:58 and 11:59 had nothing (no data); 12:00–12:03 are published; 12:04
	// and 12:05 are unpublished and recent: pending, not zero.
	if got, want := values(m.Invocations), "- - 6 6 6 6 pending pending"; got != want {
		t.Errorf("invocations %s, want %s", got, want)
	}
	if got, want := values(m.InvocationsPerSecond), "- - 0.1 0.1 0.1 0.1 pending pending"; got != want {
		t.Errorf("invocations/s %s, want %s", got, want)
	}
	if p, ok := m.Invocations.Last(); !ok || !p.Time.Equal(sec(180)) {
		t.Errorf("last value %v %v, want the 12:03 bucket", p, ok)
	}
}

func TestAccountMetrics(t *testing.T) {
	sb := newMetricsSandbox(t, metrics.Options{})
	sb.recorder.AccountConcurrency(sec(1), 12, 2, 142)
	sb.recorder.AccountConcurrency(sec(61), 30, 5, 145)
	sb.recorder.AccountConcurrency(sec(62), 0, 0, 140)
	sb.clock.Set(sec(125))
	m, err := sb.client.AccountMetrics(context.Background(), aws.MetricWindow{Start: sec(0), End: sec(180), Period: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		s    aws.Series
		want string
	}{
		"concurrent": {m.ConcurrentExecutions, "12 30 pending"},
		"unreserved": {m.UnreservedConcurrentExecutions, "2 5 pending"},
		"claimed":    {m.ClaimedAccountConcurrency, "142 145 140"}, // carried: 12:02:00–12:02:04 are published
	} {
		if got := values(c.s); got != c.want {
			t.Errorf("%s: %s, want %s", name, got, c.want)
		}
	}
}

func TestMetricSeriesSplitsAt500Queries(t *testing.T) {
	sb := newMetricsSandbox(t, metrics.Options{})
	const functions = 501
	for f := range functions {
		for s := range 3 {
			sb.recorder.Invocation(metrics.Invocation{Start: sec(float64(s)), FunctionName: fmt.Sprintf("fn%d", f), Duration: time.Millisecond})
		}
	}
	sb.clock.Set(sec(10))
	queries := make([]aws.MetricQuery, functions)
	for f := range queries {
		queries[f] = aws.MetricQuery{Namespace: "AWS/Lambda", MetricName: "Invocations", Stat: "Sum",
			Dimensions: []aws.MetricDimension{{Name: "FunctionName", Value: fmt.Sprintf("fn%d", f)}}}
	}
	// 501 series: two GetMetricData requests, 500 queries and 1.
	series, err := sb.client.MetricSeries(context.Background(), aws.MetricWindow{Start: sec(0), End: sec(5), Period: time.Second}, queries)
	if err != nil {
		t.Fatal(err)
	}
	if len(series) != functions || sb.requests.Load() != 2 {
		t.Fatalf("%d series in %d requests, want %d in 2", len(series), sb.requests.Load(), functions)
	}
	for f, s := range series {
		if got := values(s); got != "1 1 1 - -" || !s.Complete {
			t.Fatalf("fn%d: %s (complete %v), want 1 1 1 - -", f, got, s.Complete)
		}
	}
}

func TestMetricWindowValidation(t *testing.T) {
	sb := newMetricsSandbox(t, metrics.Options{})
	for _, w := range []aws.MetricWindow{
		{Start: sec(60), End: sec(0), Period: time.Minute},
		{Start: sec(0), End: sec(60), Period: 7 * time.Second},
		{Start: sec(0), End: sec(600), Period: 90 * time.Second},
		{Start: sec(0), End: sec(60), Period: 1500 * time.Millisecond},
		{Start: sec(0), End: sec(200000), Period: time.Second},
	} {
		_, err := sb.client.AccountMetrics(context.Background(), w)
		if !errors.Is(err, aws.ErrInvalidMetricWindow) {
			t.Errorf("window %+v: error %v, want ErrInvalidMetricWindow", w, err)
		}
	}
}

func TestMetricSeriesFollowsNextToken(t *testing.T) {
	sb := newMetricsSandbox(t, metrics.Options{})
	const functions, seconds = 10, 3 * 3600
	sb.clock.Set(sec(seconds))
	for f := range functions {
		for s := range seconds {
			sb.recorder.Invocation(metrics.Invocation{Start: sec(float64(s)), FunctionName: fmt.Sprintf("fn%d", f), Duration: time.Millisecond})
		}
	}
	queries := make([]aws.MetricQuery, functions)
	for f := range queries {
		queries[f] = aws.MetricQuery{Namespace: "AWS/Lambda", MetricName: "Invocations", Stat: "Sum",
			Dimensions: []aws.MetricDimension{{Name: "FunctionName", Value: fmt.Sprintf("fn%d", f)}}}
	}
	// 10 × 10,800 one-second datapoints exceed the 100,800 a response holds.
	series, err := sb.client.MetricSeries(context.Background(), aws.MetricWindow{Start: sec(0), End: sec(seconds), Period: time.Second}, queries)
	if err != nil {
		t.Fatal(err)
	}
	if n := sb.requests.Load(); n != 2 {
		t.Errorf("%d requests, want 2 (one page and its NextToken)", n)
	}
	for f, s := range series {
		for i, p := range s.Points {
			if p.State != aws.PointValue || p.Value != 1 {
				t.Fatalf("fn%d bucket %d: %+v, want 1", f, i, p)
			}
		}
		if !s.Complete {
			t.Fatalf("fn%d incomplete", f)
		}
	}
}

// drawn renders what each bucket of a series shows: its value, or "gap".
func drawn(s aws.Series) string {
	out := ""
	for i := range s.Points {
		if i > 0 {
			out += " "
		}
		if v, ok := s.Value(i); ok {
			out += fmt.Sprintf("%g", v)
		} else {
			out += "gap"
		}
	}
	return out
}

// TestEmptyPeriodsAreZeroForCountsAndGapsForDurations: Lambda publishes no
// zeros, so a published period without a datapoint is zero for a count and
// no value at all for a duration; pending periods are gaps in both.
func TestEmptyPeriodsAreZeroForCountsAndGapsForDurations(t *testing.T) {
	sb := newMetricsSandbox(t, metrics.Options{})
	sb.recorder.Invocation(metrics.Invocation{Start: sec(1.5), FunctionName: "products", Duration: 40 * time.Millisecond})
	sb.recorder.FunctionConcurrency(sec(1.5), "products", 1)
	sb.recorder.FunctionConcurrency(sec(1.6), "products", 0)
	sb.clock.Set(sec(3.5))
	m, err := sb.client.FunctionMetrics(context.Background(), aws.FunctionMetricsQuery{FunctionName: "products",
		Window: aws.MetricWindow{Start: sec(0), End: sec(4), Period: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		s    aws.Series
		want string
	}{
		"invocations":  {m.Invocations, "0 1 0 gap"},
		"errors":       {m.Errors, "0 0 0 gap"},
		"throttles":    {m.Throttles, "0 0 0 gap"},
		"concurrency":  {m.ConcurrentExecutions, "0 1 0 gap"},
		"duration avg": {m.DurationAverage, "gap 40 gap gap"},
		"duration max": {m.DurationMaximum, "gap 40 gap gap"},
		"utilisation":  {m.ProvisionedConcurrencyUtilization, "gap gap gap gap"},
	} {
		if got := drawn(c.s); got != c.want {
			t.Errorf("%s draws %q, want %q", name, got, c.want)
		}
	}
}
