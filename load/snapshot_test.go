package load

import (
	"testing"
	"time"
)

// TestSnapshotWhileRunning samples a run the way the TUI will, on a tick,
// while the workers record: counts only grow, a window closes each second, and
// Windows(from) hands out only the new ones.
func TestSnapshotWhileRunning(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 2 s")
	}
	url := startServer(t, okHandler)
	run := mustStart(t, Config{Target: mustTarget(t, url, HTTPOptions{}), Scenario: GetScenario{}, Users: 3, SpawnRate: 100, Wait: Constant(time.Millisecond), RunTime: 2100 * time.Millisecond})
	var last uint64
	seen := 0
	for tick := time.NewTicker(50 * time.Millisecond); !isClosed(run.Done()); <-tick.C {
		snap := run.Snapshot()
		if snap.Total.Requests < last || snap.Done {
			t.Fatalf("requests went from %d to %d (done %v)", last, snap.Total.Requests, snap.Done)
		}
		last = snap.Total.Requests
		fresh := run.Windows(seen)
		for i, w := range fresh {
			if w.Start != time.Duration(seen+i)*time.Second || w.Requests == 0 || w.RPS <= 0 || w.P50 <= 0 || w.Max < w.P95 || w.Users != 3 {
				t.Fatalf("window %d: %+v", seen+i, w)
			}
		}
		seen += len(fresh)
	}
	final := run.Wait()
	if seen < 2 || len(final.Windows) < 2 || final.Total.CurrentRPS <= 0 || final.Total.Requests < last {
		t.Fatalf("saw %d windows, final has %d, current rps %.0f", seen, len(final.Windows), final.Total.CurrentRPS)
	}
	var sum uint64
	for _, w := range run.Windows(0) {
		sum += w.Requests
	}
	if sum != final.Total.Requests {
		t.Fatalf("windows add up to %d requests, totals say %d", sum, final.Total.Requests)
	}
}
