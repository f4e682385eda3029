package metrics_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

// TestConcurrentRecordingAndQueries records from many goroutines while
// clients query, then checks that nothing was lost. Run with -race.
func TestConcurrentRecordingAndQueries(t *testing.T) {
	cw := newSandboxCW(t, metrics.Options{})
	const workers, perWorker = 8, 500
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				start := at(float64(i % 120))
				cw.recorder.Invocation(metrics.Invocation{Start: start, FunctionName: fmt.Sprintf("fn%d", w%2),
					Qualifier: "live", ExecutedVersion: "1", Duration: ms(float64(i%50 + 1))})
				cw.recorder.FunctionConcurrency(start, "fn0", i%7)
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			if _, err := cw.client.GetMetricData(context.Background(), window(0, 120,
				statQuery("inv", "Invocations", "Sum", 1, nil))); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	cw.clock.Advance(5 * time.Minute)
	out, err := cw.client.GetMetricData(context.Background(), window(0, 120,
		statQuery("inv", "Invocations", "Sum", 60, nil), statQuery("n", "Duration", "SampleCount", 60, dims("FunctionName", "fn0"))))
	if err != nil {
		t.Fatal(err)
	}
	got := byID(t, out)
	// Each worker starts 260 invocations in the first minute (i%120 < 60) and 240 in the second.
	assertSeries(t, "account invocations", got["inv"], series{0: workers * 260, 60: workers * 240})
	assertSeries(t, "fn0 durations", got["n"], series{0: workers / 2 * 260, 60: workers / 2 * 240})
}
