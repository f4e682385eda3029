package sandbox

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/lambdatune/lambdatune/internal/clock"
)

// Scheduling lag is how late the sandbox's timers fire: the modelled waits of
// every request (a 100 ms Duration that ends 40 ms late makes the client wait
// 140 ms) and a heartbeat that ticks every lagTick. On a quiet machine it is
// well under a millisecond; when other work starves the sandbox of CPU it
// grows, and every latency the sandbox reports grows with it, so the numbers
// of a busy machine say so. The meter keeps the last minute's distribution
// for SchedulingLag and records every sample as the CloudWatch metric
// Lambdatune/Sandbox SchedulingLag.

const (
	// lagTick is the heartbeat's period.
	lagTick = 100 * time.Millisecond
	// lagWindow is how far back SchedulingLag looks, in seconds.
	lagWindow = 60
	// Lag buckets: 8 per doubling (9 % wide) from lagFloor up, so that 200
	// of them reach beyond five minutes.
	lagFloor          = 10 * time.Microsecond
	lagBucketsPerStep = 8
	lagBuckets        = 200
)

// LagStats is the scheduling lag over the last minute.
type LagStats struct {
	// Samples is how many waits and heartbeat ticks it covers; 0 means no
	// data, and then the other fields are zero.
	Samples uint64
	// P50 and P99 are percentiles, to within a bucket (9 %); Max is exact.
	P50, P99, Max time.Duration
}

// lagSecond is one second's samples.
type lagSecond struct {
	second  int64
	count   uint64
	max     time.Duration
	buckets [lagBuckets]uint32
}

// lagMeter keeps the last lagWindow seconds of samples, by the second of the
// sandbox clock they were taken at; safe for concurrent use.
type lagMeter struct {
	record  func(at time.Time, lag time.Duration)
	mu      sync.Mutex
	seconds [lagWindow]lagSecond
}

// newLagMeter returns a meter that also hands every sample to record.
func newLagMeter(record func(at time.Time, lag time.Duration)) *lagMeter {
	return &lagMeter{record: record}
}

// observe counts one timer that fired lag late at time at.
func (m *lagMeter) observe(at time.Time, lag time.Duration) {
	lag = max(lag, 0)
	sec := at.Unix()
	m.mu.Lock()
	slot := &m.seconds[sec%lagWindow]
	if slot.second != sec {
		*slot = lagSecond{second: sec}
	}
	slot.count++
	slot.max = max(slot.max, lag)
	slot.buckets[lagBucket(lag)]++
	m.mu.Unlock()
	m.record(at, lag)
}

// stats summarises the samples of the lagWindow seconds up to now.
func (m *lagMeter) stats(now time.Time) LagStats {
	var merged lagSecond
	m.mu.Lock()
	for i := range m.seconds {
		slot := &m.seconds[i]
		if age := now.Unix() - slot.second; slot.count == 0 || age < 0 || age >= lagWindow {
			continue
		}
		merged.count += slot.count
		merged.max = max(merged.max, slot.max)
		for b, n := range slot.buckets {
			merged.buckets[b] += n
		}
	}
	m.mu.Unlock()
	if merged.count == 0 {
		return LagStats{}
	}
	return LagStats{Samples: merged.count, P50: merged.quantile(0.5), P99: merged.quantile(0.99), Max: merged.max}
}

// quantile is the upper edge of the bucket holding the q-th sample, never
// above the largest sample.
func (s *lagSecond) quantile(q float64) time.Duration {
	rank := uint64(math.Ceil(q * float64(s.count)))
	var seen uint64
	for b, n := range s.buckets {
		if seen += uint64(n); seen >= rank {
			return min(lagBucketEdge(b), s.max)
		}
	}
	return s.max
}

// lagBucket is the bucket of a lag: the first whose upper edge holds it.
func lagBucket(lag time.Duration) int {
	if lag <= lagFloor {
		return 0
	}
	b := int(math.Ceil(lagBucketsPerStep * math.Log2(float64(lag)/float64(lagFloor))))
	return min(b, lagBuckets-1)
}

func lagBucketEdge(b int) time.Duration {
	return time.Duration(float64(lagFloor) * math.Exp2(float64(b)/lagBucketsPerStep))
}

// heartbeat sleeps every on clk until ctx ends and reports how late each
// sleep ended. Each tick is scheduled from the end of the last, so a stall
// counts once.
func heartbeat(ctx context.Context, clk clock.Clock, every time.Duration, observe func(at time.Time, lag time.Duration)) {
	for {
		due := clk.Now().Add(every)
		if clk.Sleep(ctx, every) != nil {
			return
		}
		now := clk.Now()
		observe(now, now.Sub(due))
	}
}

// SchedulingLag is how late the sandbox's timers fired over the last minute:
// its modelled waits and its heartbeat (which runs once Start serves it on
// the wall clock). A p99 of tens of milliseconds or more means the machine
// was too busy for the sandbox's latencies to be trusted.
func (s *Sandbox) SchedulingLag() LagStats { return s.lag.stats(s.clock.Now()) }

// startHeartbeat starts the heartbeat, once, on the wall clock only: on a
// simulated clock nothing can be late, and a sleeper there would move the
// clock of tests that drive it.
func (s *Sandbox) startHeartbeat() {
	if _, real := s.clock.(clock.Real); !real {
		return
	}
	s.heartbeatOnce.Do(func() { go heartbeat(s.lifetime, s.clock, lagTick, s.lag.observe) })
}
