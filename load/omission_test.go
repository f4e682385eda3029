package load

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// stallingServer answers at once, except that the first request after
// stallAfter freezes the whole server for stall: every request that arrives
// during the freeze waits for its end, like a GC pause or a failover.
func stallingServer(t *testing.T, stallAfter, stall time.Duration) string {
	var mu sync.Mutex
	var start, stallEnd time.Time
	return startServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		now := time.Now()
		if start.IsZero() {
			start = now
		}
		if stallEnd.IsZero() && now.Sub(start) >= stallAfter {
			stallEnd = now.Add(stall)
		}
		end := stallEnd
		mu.Unlock()
		if wait := time.Until(end); wait > 0 {
			time.Sleep(wait)
		}
		w.Write([]byte("ok"))
	})
}

// TestNoCoordinatedOmission: at a fixed arrival rate of 100/s for 3 s, a
// 1-second stall delays about 100 of 300 requests by up to 1 s. Measured from
// their due times (as wrk2 does), the stall fills the tail: p90 is hundreds of
// milliseconds. The closed model, which stops sending while it waits, shows
// the stall honestly as its maximum and as a second with almost no requests,
// while its percentiles stay low: exactly the difference the open model exists for.
func TestNoCoordinatedOmission(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 3 s")
	}
	var open, closed Snapshot
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		open = runToEnd(t, Config{
			Target: mustTarget(t, stallingServer(t, time.Second, time.Second), HTTPOptions{}), Scenario: GetScenario{},
			Pacer: ConstantRate{Freq: 100, Per: time.Second}, Users: 200, RunTime: 3 * time.Second,
		})
	}()
	go func() {
		defer wg.Done()
		closed = runToEnd(t, Config{
			Target: mustTarget(t, stallingServer(t, time.Second, time.Second), HTTPOptions{}), Scenario: GetScenario{},
			Users: 4, Wait: Constant(10 * time.Millisecond), RunTime: 3 * time.Second,
		})
	}()
	wg.Wait()
	checkOpenShowsStall(t, open)
	checkClosedShowsStall(t, closed, open)
}

func checkOpenShowsStall(t *testing.T, open Snapshot) {
	t.Helper()
	p50, p90, p99 := open.Total.Median(), open.Total.Percentile(90), open.Total.Percentile(99)
	t.Logf("open model: %d requests, p50 %v p90 %v p99 %v max %v, late %d dropped %d",
		open.Total.Requests, p50, p90, p99, open.Total.Max, open.Open.Late, open.Open.Dropped)
	// Every one of the 300 due requests was sent or dropped, and every one
	// sent was timed or cut off by the stop: nothing is lost however slowly
	// the machine ran the test.
	sent, timed := open.Open.Sent, open.Total.Requests+open.Total.InFlightAtStop
	if sent+open.Open.Dropped != 300 || sent != timed || open.Total.Failures != 0 {
		t.Fatalf("open model: %d sent + %d dropped, %d timed + %d in flight at stop, %d failures; want 300 due, all sent timed or cut off, none failed",
			sent, open.Open.Dropped, open.Total.Requests, open.Total.InFlightAtStop, open.Total.Failures)
	}
	if p90 < 500*time.Millisecond || p99 < 850*time.Millisecond || open.Total.Max < 900*time.Millisecond {
		t.Fatalf("open model hides the stall: p90 %v p99 %v max %v", p90, p99, open.Total.Max)
	}
	if p50 > p90/2 {
		t.Fatalf("open model median %v against p90 %v: the stall should sit in the tail", p50, p90)
	}
}

func checkClosedShowsStall(t *testing.T, closed, open Snapshot) {
	t.Helper()
	p99 := closed.Total.Percentile(99)
	t.Logf("closed model: %d requests, p99 %v max %v", closed.Total.Requests, p99, closed.Total.Max)
	if closed.Total.Max < 900*time.Millisecond {
		t.Fatalf("closed model max %v: the 1 s stall is missing", closed.Total.Max)
	}
	if p99 >= open.Total.Percentile(99)/2 {
		t.Fatalf("closed p99 %v vs open p99 %v: expected the closed model's percentiles to understate the stall", p99, open.Total.Percentile(99))
	}
	quietest := closed.Windows[0].Requests
	for _, w := range closed.Windows {
		if w.Length >= 500*time.Millisecond { // not the last partial window
			quietest = min(quietest, w.Requests)
		}
	}
	if busiest := closed.Windows[0].Requests; quietest*4 > busiest {
		t.Fatalf("closed model: no second with a throughput drop (windows %v)", windowCounts(closed.Windows))
	}
}

func windowCounts(ws []Window) []uint64 {
	counts := make([]uint64, len(ws))
	for i, w := range ws {
		counts[i] = w.Requests
	}
	return counts
}
