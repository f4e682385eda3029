package ratelimit

import (
	"math"
	"time"
)

// Ready refills the bucket to now and reports whether a token is there,
// without taking it. With Take it serves callers that must check several
// buckets before spending from any (an invocation passes the account's rate
// and the function's, or neither); such callers serialise their own
// check-then-take.
func (b *Bucket) Ready(now time.Time, l Limit) bool {
	if l.Unlimited() {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now, l)
	return b.tokens >= 1
}

// Take spends one token that Ready found.
func (b *Bucket) Take() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens--
}

// Until is how long until the bucket holds a token at l, as of its last use.
func (b *Bucket) Until(l Limit) time.Duration {
	if l.Unlimited() {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.until(l)
}

// RetryAfterSeconds is a wait as HTTP's Retry-After carries it: whole
// seconds, rounded up, at least 1.
func RetryAfterSeconds(wait time.Duration) int {
	return max(1, int(math.Ceil(wait.Seconds())))
}
