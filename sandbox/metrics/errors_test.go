package metrics_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/smithy-go"

	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

func TestGetMetricDataValidationErrorsReachTheSDKTyped(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	ok := statQuery("inv", "Invocations", "Sum", 60, nil)
	noName := statQuery("nn", "", "Sum", 60, nil)
	noName.MetricStat.Metric.MetricName = nil
	expr := types.MetricDataQuery{Id: sdkaws.String("e1"), Expression: sdkaws.String("inv*2")}
	many := make([]types.MetricDataQuery, 501)
	for i := range many {
		many[i] = statQuery(fmt.Sprintf("q%d", i), "Invocations", "Sum", 60, nil)
	}
	cases := []struct {
		name     string
		in       *cloudwatch.GetMetricDataInput
		wantType any
		code     string
		message  string
	}{
		{"bad id", window(0, 60, statQuery("Inv", "Invocations", "Sum", 60, nil)), &types.ValidationException{}, "ValidationError",
			"The value Inv for parameter MetricDataQueries.member.1.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$."},
		{"duplicate id", window(0, 60, ok, ok), &types.ValidationException{}, "ValidationError",
			"The value inv for parameter MetricDataQueries.member.2.Id is not unique"},
		{"period", window(0, 60, statQuery("p", "Invocations", "Sum", 7, nil)), &types.ValidationException{}, "ValidationError",
			"The value 7 for parameter MetricDataQueries.member.1.MetricStat.Period is not valid"},
		{"statistic", window(0, 60, statQuery("s", "Invocations", "Median", 60, nil)), &types.ValidationException{}, "ValidationError",
			"The value for parameter MetricDataQueries.member.1.MetricStat.Stat is not a valid statistic."},
		{"start equals end", window(60, 60, ok), &types.ValidationException{}, "ValidationError",
			"The parameter StartTime must not equal parameter EndTime."},
		{"start after end", window(120, 60, ok), &types.ValidationException{}, "ValidationError",
			"The parameter StartTime must be less than the parameter EndTime."},
		{"too many", window(0, 60, many...), &types.ValidationException{}, "ValidationError",
			"The collection MetricDataQueries must not have a size greater than 500"},
		{"expression", window(0, 60, ok, expr), &types.InvalidParameterValueException{}, "InvalidParameterValue",
			"The parameter MetricDataQueries.member.2.Expression is not supported"},
		{"missing metric name", window(0, 60, noName), &types.MissingRequiredParameterException{}, "MissingParameter",
			"The parameter MetricDataQueries.member.1.MetricStat.Metric.MetricName is required."},
		{"trimmed mean", window(0, 60, statQuery("tm", "Duration", "tm99", 60, nil)), &types.InvalidParameterValueException{}, "InvalidParameterValue",
			"The statistic tm99 in parameter MetricDataQueries.member.1.MetricStat.Stat is valid in CloudWatch but not computed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := cw.client.GetMetricData(context.Background(), c.in)
			assertAPIError(t, err, c.wantType, c.code, c.message)
		})
	}
}

func TestGetMetricDataMultipleValidationProblemsOneALine(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	_, err := cw.client.GetMetricData(context.Background(), window(0, 60,
		statQuery("A", "Invocations", "Sum", 60, nil), statQuery("b", "Invocations", "Bogus", 60, nil)))
	want := "The value A for parameter MetricDataQueries.member.1.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.\n" +
		"The value for parameter MetricDataQueries.member.2.MetricStat.Stat is not a valid statistic."
	assertAPIError(t, err, &types.ValidationException{}, "ValidationError", want)
}

func TestGetMetricDataForeignNextTokenIsRejected(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	recordScenario(cw)
	cw.clock.Advance(5 * time.Minute)
	in := window(0, 120, statQuery("inv", "Invocations", "Sum", 1, nil))
	in.MaxDatapoints = sdkaws.Int32(1)
	out, err := cw.client.GetMetricData(context.Background(), in)
	if err != nil || out.NextToken == nil {
		t.Fatalf("first page: %v, token %v", err, out.NextToken)
	}
	other := window(0, 180, statQuery("inv", "Invocations", "Sum", 1, nil))
	other.NextToken = out.NextToken
	_, err = cw.client.GetMetricData(context.Background(), other)
	assertAPIError(t, err, &types.InvalidNextToken{}, "InvalidNextToken", "The specified NextToken is not valid")
}

func TestListMetricsReturnsRecordedMetricsAndDimensions(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	recordScenario(cw)
	cw.recorder.FunctionConcurrency(at(5), "products", 1)
	cw.clock.Advance(5 * time.Minute)
	out, err := cw.client.ListMetrics(context.Background(), &cloudwatch.ListMetricsInput{
		Namespace: sdkaws.String("AWS/Lambda"), MetricName: sdkaws.String("Invocations"),
		Dimensions: []types.DimensionFilter{{Name: sdkaws.String("FunctionName"), Value: sdkaws.String("products")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := describeMetrics(out.Metrics)
	want := []string{
		"AWS/Lambda Invocations FunctionName=products",
		"AWS/Lambda Invocations ExecutedVersion=3 FunctionName=products Resource=products:live",
		"AWS/Lambda Invocations FunctionName=products Resource=products:live",
	}
	if strings.Join(got, "\n") != strings.Join(sortedCopy(want), "\n") {
		t.Fatalf("ListMetrics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(sortedCopy(want), "\n"))
	}
	all, err := cw.client.ListMetrics(context.Background(), &cloudwatch.ListMetricsInput{RecentlyActive: types.RecentlyActivePt3h})
	if err != nil {
		t.Fatal(err)
	}
	// 4 dimension sets × (Invocations, Errors, Throttles, Duration) + ConcurrentExecutions.
	if len(all.Metrics) != 17 {
		t.Fatalf("%d metrics, want 17:\n%s", len(all.Metrics), strings.Join(describeMetrics(all.Metrics), "\n"))
	}
}

func TestListMetricsHidesUnpublishedAndInactive(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{PublishDelay: time.Minute})
	recordScenario(cw)
	list := func(in *cloudwatch.ListMetricsInput) int {
		out, err := cw.client.ListMetrics(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		return len(out.Metrics)
	}
	if n := list(&cloudwatch.ListMetricsInput{}); n != 0 {
		t.Fatalf("%d metrics listed before publication", n)
	}
	cw.clock.Set(at(5 * 3600))
	if n := list(&cloudwatch.ListMetricsInput{}); n != 16 {
		t.Fatalf("%d metrics, want 16", n)
	}
	if n := list(&cloudwatch.ListMetricsInput{RecentlyActive: types.RecentlyActivePt3h}); n != 0 {
		t.Fatalf("%d metrics active in the last 3 h, want 0", n)
	}
}

func describeMetrics(ms []types.Metric) []string {
	var out []string
	for _, m := range ms {
		s := sdkaws.ToString(m.Namespace) + " " + sdkaws.ToString(m.MetricName)
		for _, d := range m.Dimensions {
			s += " " + sdkaws.ToString(d.Name) + "=" + sdkaws.ToString(d.Value)
		}
		out = append(out, s)
	}
	return out
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// assertAPIError checks err is an API error of wantType's type with code and
// a message starting with message.
func assertAPIError(t *testing.T, err error, wantType any, code, message string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %v (%T), want an API error", err, err)
	}
	if fmt.Sprintf("%T", apiErr) != fmt.Sprintf("%T", wantType) {
		t.Errorf("error type %T, want %T", apiErr, wantType)
	}
	if apiErr.ErrorCode() != code {
		t.Errorf("code %q, want %q", apiErr.ErrorCode(), code)
	}
	if !strings.HasPrefix(apiErr.ErrorMessage(), message) {
		t.Errorf("message %q, want it to start with %q", apiErr.ErrorMessage(), message)
	}
}
