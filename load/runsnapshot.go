package load

import "time"

// liveWindows is how many recent windows a Snapshot carries: enough for the
// live sparklines. The full series is read with Windows.
const liveWindows = 300

// Snapshot is a run's state at one moment, copied: the caller may keep and
// read it while the run goes on.
type Snapshot struct {
	// Elapsed is the time since the start (the run's length once Done).
	Elapsed time.Duration
	Done    bool
	// Reason says why the run ended; empty while it runs.
	Reason StopReason
	// Users is how many users (closed model) or workers (open model) have started.
	Users int
	// InFlight is how many requests are waiting for their answer now.
	InFlight int
	// Endpoints are Locust's rows, sorted by name then method; Total is the
	// "Aggregated" row.
	Endpoints []EndpointStats
	Total     EndpointStats
	// Windows are the last closed per-second windows, oldest first (at most 300).
	Windows []Window
	// Open is the open model's schedule keeping; zero in the closed model.
	Open OpenStats
	// Unreachable is true when requests failed to connect and none ever
	// connected: nothing is listening at the target.
	Unreachable bool
}

// OpenStats says how well an open-model run kept its arrival schedule.
type OpenStats struct {
	// Sent requests were sent; Late ones were sent more than LateAfter past
	// their due time (their latency counts from the due time all the same).
	Sent uint64 `json:"sent"`
	Late uint64 `json:"late"`
	// Dropped requests fell due before the run ended but were never sent:
	// every worker was busy, or the run ended as one was handed over.
	// Sent + Dropped is every request that fell due.
	Dropped uint64 `json:"dropped"`
	// LateAfter is the lateness beyond which a request counts as late.
	LateAfter time.Duration `json:"late_after_ns"`
}

// Snapshot copies the run's state. It locks each statistics shard only while
// merging it, so calling it a few times a second does not slow the workers.
func (r *Run) Snapshot() Snapshot {
	done := isClosed(r.done)
	r.mu.Lock()
	reason, elapsed := r.reason, r.finished
	r.mu.Unlock()
	if !done {
		reason, elapsed = "", r.elapsed()
	}
	rows, total := r.stats.totals(elapsed)
	windowCount := r.stats.windowCount()
	windows := r.stats.windowsFrom(max(windowCount-currentWindows, 0))
	setCurrentRates(rows, &total, windows)
	sortLikeLocust(rows)
	snap := Snapshot{
		Elapsed: elapsed, Done: done, Reason: reason,
		Users: int(r.users.Load()), InFlight: int(r.inFlight.Load()),
		Endpoints: rows, Total: total,
		Windows:     r.stats.windowsFrom(max(windowCount-liveWindows, 0)),
		Unreachable: r.reach.unreachable(),
	}
	if r.cfg.Pacer != nil {
		snap.Open = OpenStats{Sent: r.sent.Load(), Late: r.late.Load(), Dropped: r.dropped.Load(), LateAfter: r.cfg.LateAfter}
	}
	return snap
}

// Windows returns the closed per-second windows from index from on (0 for
// the whole series); a UI that keeps its own series asks only for new ones.
func (r *Run) Windows(from int) []Window { return r.stats.windowsFrom(from) }

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
