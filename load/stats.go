package load

import (
	"sync"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Histogram bounds: latencies are recorded in microseconds, from 1 µs to one
// hour, with 3 significant digits (0.1% resolution). Anything longer is clamped.
const (
	histLowest  = 1
	histHighest = int64(time.Hour / time.Microsecond)
	histDigits  = 3
	// maxErrorKinds bounds the error breakdown of one endpoint; further kinds
	// count under otherErrors so a flood of distinct messages cannot grow memory.
	maxErrorKinds = 100
	otherErrors   = "other errors"
)

func newHistogram() *hdrhistogram.Histogram {
	return hdrhistogram.New(histLowest, histHighest, histDigits)
}

func micros(d time.Duration) int64 {
	us := int64(d / time.Microsecond)
	return min(max(us, histLowest), histHighest)
}

// tally accumulates one endpoint's requests. It is not safe for concurrent
// use; its shard's mutex guards it.
type tally struct {
	requests, failures, throttles uint64
	// abandoned counts requests cut off in flight by the run's stop: never
	// timed, so in no other field.
	abandoned              uint64
	latencySum             time.Duration
	minLatency, maxLatency time.Duration
	bytes                  uint64
	latency                *hdrhistogram.Histogram
	statuses               map[int]uint64
	errors                 map[string]uint64
	server                 serverTally
}

// serverTally accumulates what Invoke's REPORT lines said.
type serverTally struct {
	count, coldStarts      uint64
	durationSum, billedSum time.Duration
	initSum, initMax       time.Duration
	maxMemoryMB            int
	duration               *hdrhistogram.Histogram
}

func newTally() *tally {
	return &tally{latency: newHistogram(), statuses: map[int]uint64{}, errors: map[string]uint64{}}
}

func (t *tally) record(o *Outcome) {
	if t.requests == 0 || o.Latency < t.minLatency {
		t.minLatency = o.Latency
	}
	t.maxLatency = max(t.maxLatency, o.Latency)
	t.requests++
	t.latencySum += o.Latency
	t.bytes += uint64(max(o.Size, 0))
	_ = t.latency.RecordValue(micros(o.Latency))
	if o.Status != 0 {
		t.statuses[o.Status]++
	}
	if o.Throttled || o.Status == 429 {
		t.throttles++
	}
	if o.Failed() {
		t.failures++
		t.countError(o.FailureText())
	}
	if o.Server.Known {
		t.server.record(&o.Server)
	}
}

func (t *tally) countError(text string) {
	if _, seen := t.errors[text]; !seen && len(t.errors) >= maxErrorKinds {
		text = otherErrors
	}
	t.errors[text]++
}

func (s *serverTally) record(st *ServerTiming) {
	if s.duration == nil {
		s.duration = newHistogram()
	}
	s.count++
	s.durationSum += st.Duration
	s.billedSum += st.BilledDuration
	s.maxMemoryMB = max(s.maxMemoryMB, st.MaxMemoryMB)
	_ = s.duration.RecordValue(micros(st.Duration))
	if st.InitDuration > 0 {
		s.coldStarts++
		s.initSum += st.InitDuration
		s.initMax = max(s.initMax, st.InitDuration)
	}
}

// merge adds other into t; used when a snapshot combines shards.
func (t *tally) merge(other *tally) {
	t.abandoned += other.abandoned
	if other.requests == 0 {
		return
	}
	if t.requests == 0 || other.minLatency < t.minLatency {
		t.minLatency = other.minLatency
	}
	t.maxLatency = max(t.maxLatency, other.maxLatency)
	t.requests += other.requests
	t.failures += other.failures
	t.throttles += other.throttles
	t.latencySum += other.latencySum
	t.bytes += other.bytes
	t.latency.Merge(other.latency)
	for code, n := range other.statuses {
		t.statuses[code] += n
	}
	for text, n := range other.errors {
		t.errors[text] += n
	}
	t.server.merge(&other.server)
}

func (s *serverTally) merge(other *serverTally) {
	if other.count == 0 {
		return
	}
	if s.duration == nil {
		s.duration = newHistogram()
	}
	s.count += other.count
	s.coldStarts += other.coldStarts
	s.durationSum += other.durationSum
	s.billedSum += other.billedSum
	s.initSum += other.initSum
	s.initMax = max(s.initMax, other.initMax)
	s.maxMemoryMB = max(s.maxMemoryMB, other.maxMemoryMB)
	s.duration.Merge(other.duration)
}

// shard is one lock's worth of the statistics. Workers are spread over a few
// shards so that recording never waits on another core, and a snapshot locks
// each shard only while it copies it.
type shard struct {
	mu        sync.Mutex
	endpoints []*tally
	window    windowTally
}

func newShard(endpoints int) *shard {
	s := &shard{endpoints: make([]*tally, endpoints), window: newWindowTally(endpoints)}
	for i := range s.endpoints {
		s.endpoints[i] = newTally()
	}
	return s
}

func (s *shard) record(o *Outcome) {
	s.mu.Lock()
	s.endpoints[o.Endpoint].record(o)
	s.window.record(o)
	s.mu.Unlock()
}

// abandon counts a request the run's stop cut off before it finished.
func (s *shard) abandon(endpoint int) {
	s.mu.Lock()
	s.endpoints[endpoint].abandoned++
	s.mu.Unlock()
}
