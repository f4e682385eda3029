package aws

import (
	"context"
	"sync"
	"time"

	"github.com/lambdatune/lambdatune/internal/clock"
)

// Client-side request rates, kept below AWS's control-plane throttles (15
// requests/s for most operations, 100 for GetFunction) so that other tools on
// the same account keep some room.
const (
	defaultControlPlaneRate = 10
	defaultGetFunctionRate  = 50
)

func controlPlaneRate(r float64) float64 {
	if r == 0 {
		return defaultControlPlaneRate
	}
	return r
}

// getFunctionRate scales GetFunction's rate with the configured control-plane
// rate; negative (unlimited) stays unlimited.
func getFunctionRate(r float64) float64 {
	if r == 0 {
		return defaultGetFunctionRate
	}
	return r * defaultGetFunctionRate / defaultControlPlaneRate
}

// tokenBucket paces control-plane requests below AWS's throttle so that a large
// account lists without a storm of 429s. It refills continuously at rate tokens
// per second and holds at most one second's worth.
type tokenBucket struct {
	mu     sync.Mutex
	clock  clock.Clock
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

func newTokenBucket(clk clock.Clock, rate float64) *tokenBucket {
	burst := rate
	if burst < 1 {
		burst = 1
	}
	return &tokenBucket{clock: clk, rate: rate, burst: burst, tokens: burst, last: clk.Now()}
}

// Take waits for one token. A non-positive rate never waits.
func (b *tokenBucket) Take(ctx context.Context) error {
	if b.rate <= 0 {
		return ctx.Err()
	}
	for {
		b.mu.Lock()
		now := b.clock.Now()
		b.tokens += now.Sub(b.last).Seconds() * b.rate
		if b.tokens > b.burst {
			b.tokens = b.burst
		}
		b.last = now
		if b.tokens >= 1 {
			b.tokens--
			b.mu.Unlock()
			return nil
		}
		need := time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
		b.mu.Unlock()
		if err := b.clock.Sleep(ctx, need); err != nil {
			return err
		}
	}
}
