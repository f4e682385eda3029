// Package ratelimit is lambdatune's one token bucket. The aws client paces its
// control-plane requests with it (waiting on an injected clock), and the
// sandbox enforces Lambda's quotas with it (refusing with a Retry-After): the
// control plane's requests per second, and the execution model's invocation
// rates and scaling budget.
//
// A bucket refills continuously at its rate up to its burst and starts full.
// Time is always given, never read from the wall: callers pass the time of
// the request (the sandbox) or a clock (Wait), so a Manual clock drives every
// bucket in tests.
//
// It is a leaf package: it imports only the standard library and
// internal/clock.
package ratelimit

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/lambdatune/lambdatune/internal/clock"
)

// Limit is a rate in tokens per second and the most tokens a bucket holds.
// A negative rate is no limit at all.
type Limit struct {
	Rate  float64
	Burst float64
}

// PerSecond is rate tokens per second with a burst of one second's worth (at
// least one token): a client may burst up to the rate and then sustain it.
func PerSecond(rate float64) Limit {
	return Limit{Rate: rate, Burst: math.Max(rate, 1)}
}

// Unlimited reports whether the limit lets everything through.
func (l Limit) Unlimited() bool { return l.Rate < 0 }

// Bucket is a token bucket. Its zero value is ready to use: it is full at its
// first use. The limit is given at each use, so a quota that changes (a
// function's reserved concurrency, say) applies at once. It is safe for
// concurrent use.
type Bucket struct {
	mu     sync.Mutex
	tokens float64
	last   time.Time
	filled bool
}

// refill adds the tokens earned since the last use, capped at the burst.
// The caller holds b.mu.
func (b *Bucket) refill(now time.Time, l Limit) {
	if !b.filled {
		b.tokens, b.last, b.filled = l.Burst, now, true
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens += elapsed.Seconds() * l.Rate
		b.last = now
	}
	b.tokens = math.Min(b.tokens, l.Burst)
}

// until is how long until the next token at l, given the tokens held. The
// caller holds b.mu.
func (b *Bucket) until(l Limit) time.Duration {
	if b.tokens >= 1 {
		return 0
	}
	if l.Rate <= 0 {
		return time.Second // a bucket that never refills: ask again in a second
	}
	return time.Duration((1 - b.tokens) / l.Rate * float64(time.Second))
}

// Allow takes a token at time now if there is one. When there is none it
// reports how long until there will be.
func (b *Bucket) Allow(now time.Time, l Limit) (ok bool, wait time.Duration) {
	if l.Unlimited() {
		return true, 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now, l)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, b.until(l)
}

// Wait blocks on clk until it takes a token, or ctx ends.
func (b *Bucket) Wait(ctx context.Context, clk clock.Clock, l Limit) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		ok, wait := b.Allow(clk.Now(), l)
		if ok {
			return nil
		}
		if err := clk.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}
