package load

import (
	"fmt"
	"math"
	"time"
)

// A Pacer decides when each request of an open-model run is due. It is pure: the
// same elapsed time and hit count always give the same answer, so it is tested
// with tables and no clock.
//
// Pace returns how long after elapsed the hit numbered hits (0-based) is due.
// The wait is negative when that hit was due in the past: the engine then sends
// it at once and still measures its latency from the due time, elapsed+wait,
// which is what keeps coordinated omission out of the numbers. stop reports that
// the pacer will schedule no more hits.
type Pacer interface {
	Pace(elapsed time.Duration, hits uint64) (wait time.Duration, stop bool)
}

// ConstantRate paces Freq hits per Per, evenly spaced: hit n is due at n·Per/Freq.
type ConstantRate struct {
	Freq int
	Per  time.Duration
}

// Pace implements Pacer.
func (r ConstantRate) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if r.Freq <= 0 || r.Per <= 0 {
		return 0, true
	}
	due := time.Duration(float64(hits) * float64(r.Per) / float64(r.Freq))
	return due - elapsed, false
}

// PerSecond is the pacer's rate in hits per second.
func (r ConstantRate) PerSecond() float64 {
	if r.Per <= 0 {
		return 0
	}
	return float64(r.Freq) / r.Per.Seconds()
}

// String describes the rate for reports.
func (r ConstantRate) String() string { return fmt.Sprintf("%g/s", r.PerSecond()) }

// LinearRate ramps the arrival rate from Start to End hits per second over Ramp,
// then holds End. Hit n is due when the area under the rate curve reaches n.
type LinearRate struct {
	Start, End float64
	Ramp       time.Duration
}

// Pace implements Pacer.
func (r LinearRate) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	due, ok := r.dueTime(float64(hits))
	if !ok {
		return 0, true
	}
	return due - elapsed, false
}

// dueTime inverts the cumulative hit count: during the ramp hits(t) =
// Start·t + slope·t²/2; after it, hits grow at End per second.
func (r LinearRate) dueTime(n float64) (time.Duration, bool) {
	ramp := r.Ramp.Seconds()
	if ramp <= 0 {
		return dueAtRate(r.End, n)
	}
	slope := (r.End - r.Start) / ramp
	rampHits := r.Start*ramp + slope*ramp*ramp/2
	if n > rampHits {
		rest, ok := dueAtRate(r.End, n-rampHits)
		return r.Ramp + rest, ok
	}
	if slope == 0 {
		return dueAtRate(r.Start, n)
	}
	// slope/2·t² + Start·t − n = 0, the positive root.
	disc := r.Start*r.Start + 2*slope*n
	if disc < 0 {
		return 0, false
	}
	t := (-r.Start + math.Sqrt(disc)) / slope
	return time.Duration(t * float64(time.Second)), true
}

// dueAtRate is when hit n is due at rate hits per second; false when
// the rate is not positive (no hit is ever due).
func dueAtRate(rate, n float64) (time.Duration, bool) {
	if rate <= 0 {
		return 0, false
	}
	return time.Duration(n / rate * float64(time.Second)), true
}
