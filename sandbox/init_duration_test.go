package sandbox

import (
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// The sandbox's CloudWatch serves Lambda Insights' init_duration: one
// sample per cold start, so its SampleCount is the model's cold starts and
// its Sum their Init Durations, per function and per version.
func TestInitDurationCountsTheModelsColdStarts(t *testing.T) {
	rec := &recorder{}
	cfg := testConfig()
	cfg.Observer = rec
	fx := newFixture(t, cfg)
	name := fx.plainFunction()
	start := fx.clock.Now()

	var open []*invocation
	for range 5 { // five at once: five environments start cold
		open = append(open, fx.mustBegin(name, ""))
	}
	fx.clock.Advance(30 * time.Second)
	for _, inv := range open {
		fx.end(inv)
	}
	for range 3 { // warm
		fx.end(fx.mustBegin(name, ""))
	}
	fx.configure(&lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(name), MemorySize: aws.Int32(512)})
	fx.end(fx.mustBegin(name, "")) // a new configuration starts cold again
	fx.clock.Advance(5 * time.Second)

	invocations, _, _ := rec.snapshot()
	cold, initMs := 0, 0.0
	for _, inv := range invocations {
		if inv.ColdStart {
			cold++
			initMs += float64(inv.InitDuration) / float64(time.Millisecond)
		}
	}
	if cold != 6 {
		t.Fatalf("the model reported %d cold starts, want 6", cold)
	}

	insights := func(id, stat string, dims ...string) cwtypes.MetricDataQuery {
		var d []cwtypes.Dimension
		for i := 0; i < len(dims); i += 2 {
			d = append(d, cwtypes.Dimension{Name: aws.String(dims[i]), Value: aws.String(dims[i+1])})
		}
		return cwtypes.MetricDataQuery{Id: aws.String(id), MetricStat: &cwtypes.MetricStat{Period: aws.Int32(3600), Stat: aws.String(stat),
			Metric: &cwtypes.Metric{Namespace: aws.String("LambdaInsights"), MetricName: aws.String("init_duration"), Dimensions: d}}}
	}
	cw := newCloudWatchClient(fx.url)
	out, err := cw.GetMetricData(fx.ctx, &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(start.Add(-time.Hour)), EndTime: aws.Time(fx.clock.Now().Add(time.Hour)),
		MetricDataQueries: []cwtypes.MetricDataQuery{
			insights("count", "SampleCount", "function_name", name),
			insights("total", "Sum", "function_name", name),
			insights("latest", "SampleCount", "function_name", name, "version", "$LATEST"),
		},
	})
	mustNoErr(t, err, "GetMetricData")
	got := map[string]float64{}
	for _, r := range out.MetricDataResults {
		for _, v := range r.Values {
			got[*r.Id] += v
		}
	}
	if got["count"] != 6 || got["latest"] != 6 || math.Abs(got["total"]-initMs) > 1e-6*initMs {
		t.Fatalf("init_duration: SampleCount %v ($LATEST %v), Sum %v ms; the model: 6 cold starts, %v ms", got["count"], got["latest"], got["total"], initMs)
	}

	listed, err := cw.ListMetrics(fx.ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String("LambdaInsights"), MetricName: aws.String("init_duration")})
	mustNoErr(t, err, "ListMetrics")
	var sets []string
	for _, m := range listed.Metrics {
		var names []string
		for _, d := range m.Dimensions {
			names = append(names, *d.Name)
		}
		sort.Strings(names)
		sets = append(sets, strings.Join(names, "+"))
	}
	sort.Strings(sets)
	if strings.Join(sets, " ") != "function_name function_name+version" {
		t.Fatalf("ListMetrics LambdaInsights init_duration: %v", sets)
	}
}
