package metrics_test

import (
	"context"
	"sort"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

func statisticsInput(start, end float64, period int32, metric string, stats ...types.Statistic) *cloudwatch.GetMetricStatisticsInput {
	return &cloudwatch.GetMetricStatisticsInput{
		Namespace: sdkaws.String("AWS/Lambda"), MetricName: sdkaws.String(metric),
		Dimensions: dims("FunctionName", "products", "Resource", "products:live"),
		StartTime:  sdkaws.Time(at(start)), EndTime: sdkaws.Time(at(end)), Period: sdkaws.Int32(period), Statistics: stats,
	}
}

func TestGetMetricStatisticsThroughTheSDK(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	recordScenario(cw)
	cw.clock.Advance(10 * time.Minute)
	out, err := cw.client.GetMetricStatistics(context.Background(), statisticsInput(0, 180, 60, "Duration",
		types.StatisticSampleCount, types.StatisticSum, types.StatisticAverage, types.StatisticMinimum, types.StatisticMaximum))
	mustNoErrM(t, err)
	if sdkaws.ToString(out.Label) != "Duration" || len(out.Datapoints) != 2 {
		t.Fatalf("label %q, %d datapoints", sdkaws.ToString(out.Label), len(out.Datapoints))
	}
	sort.Slice(out.Datapoints, func(i, j int) bool { return out.Datapoints[i].Timestamp.Before(*out.Datapoints[j].Timestamp) })
	want := []struct{ at, count, sum, avg, low, high float64 }{{0, 5, 200, 40, 10, 100}, {60, 3, 150, 50, 50, 50}}
	for i, dp := range out.Datapoints {
		w := want[i]
		if dp.Timestamp.Sub(t0).Seconds() != w.at || *dp.SampleCount != w.count || *dp.Sum != w.sum || *dp.Average != w.avg ||
			*dp.Minimum != w.low || *dp.Maximum != w.high || dp.Unit != types.StandardUnitMilliseconds {
			t.Errorf("datapoint %d: %v %v %v %v %v %v %s, want %+v", i, dp.Timestamp, *dp.SampleCount, *dp.Sum, *dp.Average,
				*dp.Minimum, *dp.Maximum, dp.Unit, w)
		}
	}

	in := statisticsInput(0, 180, 60, "Duration")
	in.ExtendedStatistics = []string{"p100", "p50"}
	out, err = cw.client.GetMetricStatistics(context.Background(), in)
	mustNoErrM(t, err)
	for _, dp := range out.Datapoints {
		if dp.SampleCount != nil || len(dp.ExtendedStatistics) != 2 {
			t.Errorf("extended datapoint %+v", dp)
		}
		if at := dp.Timestamp.Sub(t0).Seconds(); (at == 0 && dp.ExtendedStatistics["p100"] != 100) || (at == 60 && dp.ExtendedStatistics["p50"] != 50) {
			t.Errorf("at %v: %v", at, dp.ExtendedStatistics)
		}
	}

	in = statisticsInput(0, 180, 60, "Invocations", types.StatisticSum)
	in.Unit = types.StandardUnitMilliseconds // Invocations is a Count: no data, as CloudWatch answers
	out, err = cw.client.GetMetricStatistics(context.Background(), in)
	if err != nil || len(out.Datapoints) != 0 {
		t.Fatalf("another unit: %v, %d datapoints", err, len(out.Datapoints))
	}
}

func TestGetMetricStatisticsValidation(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	both := statisticsInput(0, 60, 60, "Duration", types.StatisticSum)
	both.ExtendedStatistics = []string{"p99"}
	badExtended := statisticsInput(0, 60, 60, "Duration")
	badExtended.ExtendedStatistics = []string{"median"}
	for _, tc := range []struct {
		name     string
		in       *cloudwatch.GetMetricStatisticsInput
		wantType any
		code     string
		message  string
	}{
		{"no statistics", statisticsInput(0, 60, 60, "Duration"), &types.MissingRequiredParameterException{}, "MissingParameter",
			"At least one of the parameters Statistics and ExtendedStatistics must be specified."},
		{"both", both, &types.InvalidParameterCombinationException{}, "InvalidParameterCombination", "The parameters Statistics and ExtendedStatistics are mutually exclusive"},
		{"start after end", statisticsInput(60, 0, 60, "Duration", types.StatisticSum), &types.InvalidParameterValueException{}, "InvalidParameterValue",
			"The parameter StartTime must be less than the parameter EndTime."},
		{"period", statisticsInput(0, 60, 7, "Duration", types.StatisticSum), &types.InvalidParameterValueException{}, "InvalidParameterValue",
			"The parameter Period must be 1, 5, 10, 20, 30, 60 or a multiple of 60 seconds; 7 is not."},
		{"too many datapoints", statisticsInput(0, 7200, 1, "Duration", types.StatisticSum), &types.InvalidParameterCombinationException{}, "InvalidParameterCombination",
			"You have requested up to 7,200 datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range."},
		{"statistic", statisticsInput(0, 60, 60, "Duration", "Median"), &types.ValidationException{}, "ValidationError",
			"1 validation error detected: Value 'Median' at 'statistics.1.member' failed to satisfy constraint: Member must satisfy enum value set: [SampleCount, Average, Sum, Minimum, Maximum]"},
		{"extended statistic", badExtended, &types.InvalidParameterValueException{}, "InvalidParameterValue",
			"The value for parameter ExtendedStatistics.member.1 is not a valid statistic."},
	} {
		_, err := cw.client.GetMetricStatistics(context.Background(), tc.in)
		assertAPIError(t, err, tc.wantType, tc.code, tc.message)
	}
}
