package sandbox

import (
	"time"

	"github.com/lambdatune/lambdatune/internal/ratelimit"
)

// tokenBucket is one of the account's control-plane request quotas: a token
// bucket (internal/ratelimit) at a fixed rate holding one second's worth, so
// a client may burst up to the rate and then sustain it. Time comes from the
// caller (the sandbox clock), so a Manual clock drives it in tests. A nil
// bucket is unlimited.
type tokenBucket struct {
	bucket ratelimit.Bucket
	limit  ratelimit.Limit
}

// newTokenBucket returns a full bucket, or nil (unlimited) for a negative rate.
func newTokenBucket(rate float64) *tokenBucket {
	if rate < 0 {
		return nil
	}
	return &tokenBucket{limit: ratelimit.PerSecond(rate)}
}

// take spends one token. When none is left it reports how many whole seconds
// to wait, for the Retry-After header.
func (b *tokenBucket) take(now time.Time) (ok bool, retryAfterSeconds int) {
	if b == nil {
		return true, 0
	}
	if ok, wait := b.bucket.Allow(now, b.limit); !ok {
		return false, ratelimit.RetryAfterSeconds(wait)
	}
	return true, 0
}
