package aws

import (
	"context"

	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/internal/ratelimit"
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

// pacer paces one class of requests below AWS's throttle so that a large
// account lists without a storm of 429s: a token bucket (internal/ratelimit)
// refilled continuously at its rate, holding at most one second's worth, and
// waited on with the client's clock.
type pacer struct {
	bucket ratelimit.Bucket
	limit  ratelimit.Limit
	clock  clock.Clock
}

// newPacer paces at rate requests per second; a non-positive rate never waits.
func newPacer(clk clock.Clock, rate float64) *pacer {
	limit := ratelimit.PerSecond(rate)
	if rate <= 0 {
		limit.Rate = -1
	}
	return &pacer{limit: limit, clock: clk}
}

// Take waits for one token.
func (p *pacer) Take(ctx context.Context) error { return p.bucket.Wait(ctx, p.clock, p.limit) }
