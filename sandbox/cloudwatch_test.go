package sandbox

import (
	"math"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// TestMetricsFromTheModel runs invocations and throttles through the
// execution model in simulated time and reads them back with the real SDK
// CloudWatch client (RPC v2 CBOR) from the sandbox's own endpoint: counts,
// sums, maxima and throttles per second agree exactly with what the model
// reported, for the function and for its alias.
func TestMetricsFromTheModel(t *testing.T) {
	rec := &recorder{}
	cfg := testConfig()
	cfg.Observer = rec
	fx := newFixture(t, cfg)
	product := fx.sb.ProductFunctionName()
	version := fx.provision(product, "live", 2) // READY before the load
	fx.clock.Advance(time.Minute)

	start := fx.clock.Now().Truncate(time.Second).Add(time.Second)
	fx.clock.Set(start)
	for i := range 6 { // six invocations through the alias, two per second
		fx.clock.Set(start.Add(time.Duration(i) * 500 * time.Millisecond))
		_, err := fx.invoke(&lambda.InvokeInput{FunctionName: aws.String(product), Qualifier: aws.String("live"),
			Payload: []byte(`{"httpMethod":"GET","path":"/products","resource":"/products"}`)})
		mustNoErr(t, err, "invoke")
	}
	throttled := fx.plainFunction()
	fx.reserve(throttled, 0)
	for range 3 {
		_, err := fx.invoke(&lambda.InvokeInput{FunctionName: aws.String(throttled)})
		if err == nil {
			t.Fatal("reserved 0 did not throttle")
		}
	}
	fx.clock.Advance(10 * time.Second)

	invocations, throttles, _ := rec.snapshot()
	if len(invocations) != 6 || len(throttles) != 3 {
		t.Fatalf("model reported %d invocations and %d throttles", len(invocations), len(throttles))
	}
	want := map[int64]struct {
		count  int
		sum    float64
		maxDur float64
	}{}
	for _, inv := range invocations {
		sec := inv.Start.Unix()
		w := want[sec]
		ms := float64(inv.Duration) / float64(time.Millisecond)
		w.count++
		w.sum += ms
		w.maxDur = math.Max(w.maxDur, ms)
		want[sec] = w
	}

	cw := cloudwatch.New(cloudwatch.Options{Region: DefaultRegion, BaseEndpoint: aws.String(fx.url),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDSANDBOX", "sandbox-secret", "")})
	fn := []cwtypes.Dimension{{Name: aws.String("FunctionName"), Value: aws.String(product)}}
	alias := append(fn, cwtypes.Dimension{Name: aws.String("Resource"), Value: aws.String(product + ":live")})
	query := func(id, metric, stat string, dims []cwtypes.Dimension) cwtypes.MetricDataQuery {
		return cwtypes.MetricDataQuery{Id: aws.String(id), MetricStat: &cwtypes.MetricStat{Period: aws.Int32(1), Stat: aws.String(stat),
			Metric: &cwtypes.Metric{Namespace: aws.String("AWS/Lambda"), MetricName: aws.String(metric), Dimensions: dims}}}
	}
	throttledDims := []cwtypes.Dimension{{Name: aws.String("FunctionName"), Value: aws.String(throttled)}}
	out, err := cw.GetMetricData(fx.ctx, &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(start.Add(-5 * time.Second)), EndTime: aws.Time(fx.clock.Now()),
		ScanBy: cwtypes.ScanByTimestampAscending,
		MetricDataQueries: []cwtypes.MetricDataQuery{
			query("invocations", "Invocations", "Sum", fn),
			query("durationsum", "Duration", "Sum", fn),
			query("durationmax", "Duration", "Maximum", fn),
			query("aliasinvocations", "Invocations", "Sum", alias),
			query("provisioned", "ProvisionedConcurrencyInvocations", "Sum", alias),
			query("throttles", "Throttles", "Sum", throttledDims),
		},
	})
	mustNoErr(t, err, "GetMetricData")
	results := map[string]cwtypes.MetricDataResult{}
	for _, r := range out.MetricDataResults {
		results[*r.Id] = r
	}
	for _, id := range []string{"invocations", "aliasinvocations", "provisioned"} {
		checkPerSecond(t, id, results[id], func(sec int64) float64 { return float64(want[sec].count) }, len(want))
	}
	checkPerSecond(t, "durationsum", results["durationsum"], func(sec int64) float64 { return want[sec].sum }, len(want))
	checkPerSecond(t, "durationmax", results["durationmax"], func(sec int64) float64 { return want[sec].maxDur }, len(want))
	total := 0.0
	for _, v := range results["throttles"].Values {
		total += v
	}
	if total != 3 {
		t.Errorf("Throttles of %s sum to %v, want 3", throttled, total)
	}
	if version == "" {
		t.Fatal("no version provisioned")
	}
}

func checkPerSecond(t *testing.T, id string, r cwtypes.MetricDataResult, want func(int64) float64, seconds int) {
	t.Helper()
	if len(r.Timestamps) != seconds {
		t.Errorf("%s: %d datapoints, want %d (one per second with invocations)", id, len(r.Timestamps), seconds)
	}
	for i, ts := range r.Timestamps {
		if got, w := r.Values[i], want(ts.Unix()); math.Abs(got-w) > 1e-9*math.Max(1, w) {
			t.Errorf("%s at %s: %v, want %v", id, ts.Format("15:04:05"), got, w)
		}
	}
}
