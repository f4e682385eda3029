package sandbox

import (
	"net/http"
	"time"

	"github.com/lambdatune/lambdatune/internal/ratelimit"
)

// Admission: where an invocation runs, or why Lambda refuses it
// (docs/sandbox-model.md#concurrency-scaling-and-throttles). In order:
//
//  1. reserved concurrency 0 throttles everything;
//  2. requests per second: at most 10 × the account limit, and 10 × the
//     reserved concurrency for a function that has it;
//  3. an idle provisioned environment of the version, if the provisioned
//     request rate (10 × provisioned) allows; otherwise it spills over:
//  4. on-demand concurrency: the function's reserved concurrency minus its
//     provisioned concurrency, or else the account's unreserved pool (the
//     limit minus every reservation; never below its floor, which the
//     control plane enforces);
//  5. a warm environment, or a new one if the function's scaling budget
//     (1,000 per 10 s, refilled continuously) allows.
//
// The Reason for the scaling rate is not documented; the sandbox says
// ConcurrentInvocationLimitExceeded (I).

// Throttle reasons: the Lambda model's ThrottleReason enum. (C) [S28]
const (
	reasonConcurrency         = "ConcurrentInvocationLimitExceeded"
	reasonReservedConcurrency = "ReservedFunctionConcurrentInvocationLimitExceeded"
	reasonRate                = "FunctionInvocationRateLimitExceeded"
	reasonReservedRate        = "ReservedFunctionInvocationRateLimitExceeded"
)

// rateBucket is a token bucket (internal/ratelimit) whose rate and size are
// given at each use, so a change of reserved or provisioned concurrency
// applies at once. It starts full and never holds more than its size: unused
// capacity is not banked. Its check and its take are apart because an
// invocation must pass several buckets before it spends from any; both run
// under Sandbox.mu.
type rateBucket struct{ bucket ratelimit.Bucket }

// ready refills the bucket to now and tells whether a token is there.
func (b *rateBucket) ready(now time.Time, rate, size float64) bool {
	return b.bucket.Ready(now, ratelimit.Limit{Rate: rate, Burst: size})
}

func (b *rateBucket) take() { b.bucket.Take() }

// retryAfter is how many whole seconds until the next token, at least 1.
func (b *rateBucket) retryAfter(rate float64) int {
	return ratelimit.RetryAfterSeconds(b.bucket.Until(ratelimit.Limit{Rate: rate}))
}

// placement is where an admitted invocation runs.
type placement struct {
	env         *environment
	cold        bool
	provisioned bool
	spillover   bool
	// unreserved: counted on the account's unreserved pool rather than the
	// function's reserved concurrency (provisioned ones count on neither).
	unreserved bool
}

// throttle is a refusal.
type throttle struct {
	reason     string
	retryAfter int
}

func (t *throttle) apiError() *apiError {
	e := newAPIError(http.StatusTooManyRequests, "TooManyRequestsException", "Rate Exceeded.")
	e.reason, e.retryAfter = t.reason, t.retryAfter
	return e
}

// admit places an invocation of pool's version of f, or throttles it.
func (s *Sandbox) admit(now time.Time, f *function, pool *envPool) (placement, *throttle) {
	st := f.execOf()
	if f.reserved != nil && *f.reserved == 0 {
		return placement{}, &throttle{reasonReservedConcurrency, 1}
	}
	if t := s.checkRates(now, f); t != nil {
		return placement{}, t
	}
	if env := s.takeProvisioned(now, pool); env != nil {
		s.takeRates(f)
		return placement{env: env, provisioned: true}, nil
	}
	if t := s.checkOnDemand(f); t != nil {
		return placement{}, t
	}
	p := placement{spillover: pool.provisioned > 0, unreserved: f.reserved == nil}
	if p.env = pool.takeWarm(now); p.env == nil {
		if !st.scaling.ready(now, scalingPerSecond, scalingBurst) {
			return placement{}, &throttle{reasonConcurrency, st.scaling.retryAfter(scalingPerSecond)}
		}
		st.scaling.take()
		p.env, p.cold = s.newEnvironment(pool, false), true
	}
	s.takeRates(f)
	return p, nil
}

// checkRates applies the 10 × concurrency request rates.
func (s *Sandbox) checkRates(now time.Time, f *function) *throttle {
	accountRate := float64(requestsPerConcurrency * s.acct.concurrencyLimit)
	if !s.requests.ready(now, accountRate, accountRate) {
		reason := reasonRate
		if f.reserved != nil {
			reason = reasonReservedRate
		}
		return &throttle{reason, s.requests.retryAfter(accountRate)}
	}
	if f.reserved == nil {
		return nil
	}
	rate := float64(requestsPerConcurrency * *f.reserved)
	if st := f.execOf(); !st.requests.ready(now, rate, rate) {
		return &throttle{reasonReservedRate, st.requests.retryAfter(rate)}
	}
	return nil
}

func (s *Sandbox) takeRates(f *function) {
	s.requests.take()
	if f.reserved != nil {
		f.execOf().requests.take()
	}
}

// takeProvisioned takes an idle provisioned environment if the provisioned
// request rate allows.
func (s *Sandbox) takeProvisioned(now time.Time, pool *envPool) *environment {
	if len(pool.provisionedIdle) == 0 {
		return nil
	}
	rate := float64(requestsPerConcurrency * pool.provisioned)
	if !pool.requests.ready(now, rate, rate) {
		return nil
	}
	pool.requests.take()
	return pool.takeProvisioned()
}

// checkOnDemand applies the on-demand concurrency limits.
func (s *Sandbox) checkOnDemand(f *function) *throttle {
	if f.reserved != nil {
		if f.execOf().reservedInflight >= *f.reserved-f.provisionedTotal() {
			return &throttle{reasonReservedConcurrency, 1}
		}
		return nil
	}
	if s.unreservedInflight >= s.acct.unreservedCached() {
		return &throttle{reasonConcurrency, 1}
	}
	return nil
}
