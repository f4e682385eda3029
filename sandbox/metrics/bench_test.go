package metrics_test

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

// BenchmarkInvocation measures the per-invocation cost of the recorder at
// capacity-test rates: 20,000 invocations per simulated second, each one 18
// samples (Invocations, Errors, Throttles, Duration × 4 dimension sets, plus
// ProvisionedConcurrencyInvocations × 3), and two concurrency gauge updates.
func BenchmarkInvocation(b *testing.B) {
	clk := clock.NewManual(t0)
	rec := metrics.NewLambdaRecorder(metrics.NewStore(metrics.Options{Clock: clk}))
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		start := t0.Add(time.Duration(i) * 50 * time.Microsecond)
		if i%20000 == 0 {
			clk.Set(start)
		}
		rec.Invocation(metrics.Invocation{Start: start, FunctionName: "products", Qualifier: "live", ExecutedVersion: "3",
			Duration: time.Duration(math.Exp(4+rng.NormFloat64()*0.5) * float64(time.Millisecond)), Provisioned: true})
		rec.FunctionConcurrency(start, "products", i%40)
		rec.QualifierConcurrency(start, "products", "live", i%40)
	}
}

// BenchmarkInvocationParallel is BenchmarkInvocation from all cores at once.
func BenchmarkInvocationParallel(b *testing.B) {
	clk := clock.NewManual(t0)
	rec := metrics.NewLambdaRecorder(metrics.NewStore(metrics.Options{Clock: clk}))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		rng := rand.New(rand.NewPCG(rand.Uint64(), 2))
		i := 0
		for pb.Next() {
			start := t0.Add(time.Duration(i) * 50 * time.Microsecond)
			rec.Invocation(metrics.Invocation{Start: start, FunctionName: "products", Qualifier: "live", ExecutedVersion: "3",
				Duration: time.Duration(math.Exp(4+rng.NormFloat64()*0.5) * float64(time.Millisecond))})
			i++
		}
	})
}

// BenchmarkMemoryThreeHoursAt200rps records the lab's load (200 invocations a
// second through an alias, lognormal durations around 90 ms) for three hours
// of simulated time and reports the heap the store holds.
func BenchmarkMemoryThreeHoursAt200rps(b *testing.B) {
	for range b.N {
		clk := clock.NewManual(t0)
		store := metrics.NewStore(metrics.Options{Clock: clk})
		rec := metrics.NewLambdaRecorder(store)
		rng := rand.New(rand.NewPCG(1, 2))
		before := heapInUse()
		for sec := range 3 * 3600 {
			clk.Set(t0.Add(time.Duration(sec) * time.Second))
			for k := range 200 {
				start := t0.Add(time.Duration(sec)*time.Second + time.Duration(k)*5*time.Millisecond)
				rec.Invocation(metrics.Invocation{Start: start, FunctionName: "products", Qualifier: "live", ExecutedVersion: "3",
					Duration: time.Duration(math.Exp(4.5+rng.NormFloat64()*0.6) * float64(time.Millisecond))})
				rec.FunctionConcurrency(start, "products", 15+k%10)
			}
		}
		b.ReportMetric(float64(heapInUse()-before)/(1<<20), "MiB-held")
		runtime.KeepAlive(store)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// BenchmarkFunctionPanelRefresh is one refresh of a Function screen over
// loopback with the real SDK: 11 queries over the last 5 minutes in 1-second
// periods, after 5 minutes of 200 invocations a second through an alias.
func BenchmarkFunctionPanelRefresh(b *testing.B) {
	cw := newSandboxCW(b, metrics.Options{})
	rng := rand.New(rand.NewPCG(1, 2))
	for sec := range 300 {
		for k := range 200 {
			start := at(float64(sec) + float64(k)/200)
			cw.recorder.Invocation(metrics.Invocation{Start: start, FunctionName: "products", Qualifier: "live", ExecutedVersion: "3",
				Duration: time.Duration(math.Exp(4.5+rng.NormFloat64()*0.6) * float64(time.Millisecond))})
			cw.recorder.QualifierConcurrency(start, "products", "live", 15+k%10)
		}
	}
	cw.clock.Set(at(300))
	d := dimensionSets["resource"]
	in := window(0, 300,
		statQuery("inv", "Invocations", "Sum", 1, d), statQuery("err", "Errors", "Sum", 1, d),
		statQuery("thr", "Throttles", "Sum", 1, d), statQuery("avg", "Duration", "Average", 1, d),
		statQuery("p99", "Duration", "p99", 1, d), statQuery("max", "Duration", "Maximum", 1, d),
		statQuery("conc", "ConcurrentExecutions", "Maximum", 1, d),
		statQuery("pce", "ProvisionedConcurrentExecutions", "Maximum", 1, d),
		statQuery("util", "ProvisionedConcurrencyUtilization", "Maximum", 1, d),
		statQuery("spill", "ProvisionedConcurrencySpilloverInvocations", "Sum", 1, d),
		statQuery("inv60", "Invocations", "Sum", 60, d))
	b.ResetTimer()
	for range b.N {
		if _, err := cw.client.GetMetricData(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
}
