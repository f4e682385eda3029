package sandbox

import (
	"math"
	"sync"
	"time"
)

// tokenBucket is one of the account's control-plane request quotas. It refills
// continuously at rate tokens per second and holds at most one second's worth,
// so a client may burst up to the rate and then sustain it. Time comes from
// the caller (the sandbox clock), so a Manual clock drives it in tests.
type tokenBucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

// newTokenBucket returns a full bucket, or nil (unlimited) for a negative rate.
func newTokenBucket(rate float64, now time.Time) *tokenBucket {
	if rate < 0 {
		return nil
	}
	burst := math.Max(rate, 1)
	return &tokenBucket{rate: rate, burst: burst, tokens: burst, last: now}
}

// take spends one token. When none is left it reports how many whole seconds
// to wait, for the Retry-After header.
func (b *tokenBucket) take(now time.Time) (ok bool, retryAfterSeconds int) {
	if b == nil {
		return true, 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = math.Min(b.burst, b.tokens+elapsed.Seconds()*b.rate)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := (1 - b.tokens) / b.rate
	return false, max(1, int(math.Ceil(wait)))
}
