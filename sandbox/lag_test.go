package sandbox

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/lambdatune/lambdatune/internal/clock"
)

func discardLag(time.Time, time.Duration) {}

func TestLagStatsOverTheLastMinute(t *testing.T) {
	m := newLagMeter(discardLag)
	at := epoch.Add(10 * time.Second)
	for i := range 99 {
		m.observe(at.Add(time.Duration(i)*100*time.Millisecond), time.Millisecond)
	}
	m.observe(at, 200*time.Millisecond)
	m.observe(at.Add(3*time.Second), 200*time.Millisecond)
	m.observe(at, -time.Millisecond) // a timer cannot fire early: counted as 0
	got := m.stats(at.Add(20 * time.Second))
	if got.Samples != 102 || got.Max != 200*time.Millisecond || got.P99 != 200*time.Millisecond {
		t.Fatalf("stats %+v; want 102 samples, p99 and max 200 ms", got)
	}
	if got.P50 < time.Millisecond || got.P50 > 1100*time.Microsecond {
		t.Fatalf("p50 %v, want 1 ms to within a bucket", got.P50)
	}
	if later := m.stats(at.Add(lagWindow*time.Second + 10*time.Second)); later.Samples != 0 || later.Max != 0 {
		t.Fatalf("a minute later: %+v, want no data", later)
	}
	m.observe(at.Add(lagWindow*time.Second), 5*time.Millisecond)                                                            // the same slot, a minute on
	if reused := m.stats(at.Add(lagWindow * time.Second)); reused.Samples != 89+1+1 || reused.Max != 200*time.Millisecond { // seconds 1-9, the late tick at 3 s, the new one
		t.Fatalf("after the ring wrapped: %+v", reused)
	}
}

// The heartbeat reports how late each tick fired, on the Manual clock.
func TestHeartbeatReportsLateTicks(t *testing.T) {
	clk := clock.NewManual(epoch)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	lags := make(chan time.Duration, 4)
	go heartbeat(ctx, clk, lagTick, func(_ time.Time, lag time.Duration) { lags <- lag })
	for _, late := range []time.Duration{0, 40 * time.Millisecond, 3 * time.Second} {
		mustNoErr(t, clk.WaitForSleepers(ctx, 1), "the heartbeat to sleep")
		clk.Advance(lagTick + late)
		if got := <-lags; got != late {
			t.Fatalf("tick %v late reported %v", late, got)
		}
	}
}

// A modelled wait that ends late counts, as SchedulingLag and as the
// CloudWatch metric Lambdatune/Sandbox SchedulingLag, which the real SDK
// reads at 1-second and 1-minute periods, p99 included.
func TestSchedulingLagMetric(t *testing.T) {
	fx := newFixture(t, testConfig())
	start := fx.clock.Now().Truncate(time.Minute).Add(time.Minute)
	fx.clock.Set(start)
	lateBy := []time.Duration{2 * time.Millisecond, 2 * time.Millisecond, 30 * time.Millisecond}
	for _, late := range lateBy {
		done := make(chan struct{})
		go func() { fx.sb.wait(fx.ctx, 100*time.Millisecond); close(done) }()
		mustNoErr(t, fx.clock.WaitForSleepers(fx.ctx, 1), "the wait to start")
		fx.clock.Advance(100*time.Millisecond + late)
		<-done
	}
	if got := fx.sb.SchedulingLag(); got.Samples != 3 || got.Max != 30*time.Millisecond {
		t.Fatalf("SchedulingLag %+v; want 3 samples, max 30 ms", got)
	}
	fx.clock.Set(start.Add(2 * time.Minute))
	cw := cloudwatch.New(cloudwatch.Options{Region: DefaultRegion, BaseEndpoint: aws.String(fx.url), Credentials: newLambdaClient(fx.url).Options().Credentials})
	query := func(id, stat string, period int32) cwtypes.MetricDataQuery {
		return cwtypes.MetricDataQuery{Id: aws.String(id), MetricStat: &cwtypes.MetricStat{Period: aws.Int32(period), Stat: aws.String(stat),
			Metric: &cwtypes.Metric{Namespace: aws.String("Lambdatune/Sandbox"), MetricName: aws.String("SchedulingLag")}}}
	}
	out, err := cw.GetMetricData(fx.ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(start), EndTime: aws.Time(start.Add(time.Minute)),
		MetricDataQueries: []cwtypes.MetricDataQuery{query("p99", "p99", 60), query("max", "Maximum", 1), query("n", "SampleCount", 60)}})
	mustNoErr(t, err, "GetMetricData")
	got := map[string][]float64{}
	for _, r := range out.MetricDataResults {
		got[*r.Id] = r.Values
	}
	if n := got["n"]; len(n) != 1 || n[0] != 3 {
		t.Fatalf("SampleCount per minute %v, want [3]", n)
	}
	if p99 := got["p99"]; len(p99) != 1 || p99[0] < 29 || p99[0] > 31 {
		t.Fatalf("p99 per minute %v, want about 30 ms", p99)
	}
	if maxima := got["max"]; len(maxima) != 1 || maxima[0] != 30 { // all three ended in the same second
		t.Fatalf("Maximum per second %v, want [30]", maxima)
	}
}

// Served on the wall clock, the sandbox's heartbeat runs from Start.
func TestHeartbeatRunsOnceServed(t *testing.T) {
	sb, err := New(Config{ControlPlaneRate: -1})
	mustNoErr(t, err, "New")
	srv, err := Start(t.Context(), sb, "127.0.0.1:0", "")
	mustNoErr(t, err, "Start")
	defer srv.Close()
	waitFor(t, "two heartbeats", func() bool { return sb.SchedulingLag().Samples >= 2 })
}
