package load

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// maxWindows bounds the per-second series (24 hours); the run-time cap keeps
// real runs far below it.
const maxWindows = 24 * 60 * 60

// collector owns a run's statistics: sharded tallies the workers record into
// and the series of closed windows the UI reads.
type collector struct {
	endpoints []Endpoint
	shards    []*shard
	nextShard atomic.Uint32

	mu        sync.Mutex // guards windows, lastClose and sofar
	windows   []Window
	lastClose time.Duration
	sofar     windowTally // every closed window added up
}

func newCollector(endpoints []Endpoint) *collector {
	c := &collector{endpoints: endpoints, shards: make([]*shard, min(2*runtime.GOMAXPROCS(0), 16)), sofar: newWindowTally(len(endpoints))}
	for i := range c.shards {
		c.shards[i] = newShard(len(endpoints))
	}
	return c
}

// shardFor hands each new worker the next shard, round robin.
func (c *collector) shardFor() *shard {
	return c.shards[int(c.nextShard.Add(1)-1)%len(c.shards)]
}

// closeWindow ends the current window at elapsed and appends it to the series.
func (c *collector) closeWindow(elapsed time.Duration, inFlight, users int) {
	sum := newWindowTally(len(c.endpoints))
	for _, s := range c.shards {
		s.mu.Lock()
		s.window.drainInto(&sum)
		s.mu.Unlock()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sofar.add(&sum)
	switch {
	case elapsed > c.lastClose && len(c.windows) < maxWindows:
		w := sum.toWindow(c.lastClose, elapsed-c.lastClose, inFlight, users)
		w.Cumulative = c.sofar.cumulative()
		c.windows = append(c.windows, w)
	case len(c.windows) > 0:
		// A close racing the previous one: fold the stragglers' counts into
		// the last window so the series still adds up to the totals.
		c.windows[len(c.windows)-1].absorb(&sum, c.sofar.cumulative())
	}
	c.lastClose = max(c.lastClose, elapsed)
}

// windowsFrom copies the closed windows from index from on.
func (c *collector) windowsFrom(from int) []Window {
	c.mu.Lock()
	defer c.mu.Unlock()
	if from < 0 || from >= len(c.windows) {
		return nil
	}
	return append([]Window(nil), c.windows[from:]...)
}

func (c *collector) windowCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.windows)
}

// totals merges every shard into per-endpoint rows (in scenario order) and the
// aggregate row. Each shard is locked only while it is merged.
func (c *collector) totals(elapsed time.Duration) ([]EndpointStats, EndpointStats) {
	merged := make([]*tally, len(c.endpoints))
	for i := range merged {
		merged[i] = newTally()
	}
	for _, s := range c.shards {
		s.mu.Lock()
		for i, t := range s.endpoints {
			merged[i].merge(t)
		}
		s.mu.Unlock()
	}
	all := newTally()
	rows := make([]EndpointStats, len(merged))
	for i, t := range merged {
		all.merge(t)
		rows[i] = t.toStats(c.endpoints[i], elapsed)
	}
	return rows, all.toStats(Endpoint{Name: "Aggregated"}, elapsed)
}
