package sandbox

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// Each rule of the execution model in isolation, driving the model's core in
// simulated time (the wire-visible rules are tested with the SDK client in
// invoke_rules_test.go).

func TestWarmReuseMostRecentFirstAndIdleReclaim(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.plainFunction()
	a, b := fx.mustBegin(name, ""), fx.mustBegin(name, "")
	if !a.cold || !b.cold || a.env == b.env {
		t.Fatalf("two concurrent first invocations: cold %v %v, same environment %v", a.cold, b.cold, a.env == b.env)
	}
	fx.end(a)
	fx.clock.Advance(time.Second)
	fx.end(b)
	c := fx.mustBegin(name, "")
	if c.cold || c.env != b.env || c.firstInvoke {
		t.Fatalf("warm invocation: cold %v, reused the most recently used environment %v", c.cold, c.env == b.env)
	}
	fx.end(c)
	// a's environment has been idle since a ended; b's (c's) one second less.
	fx.clock.Advance(idleExpiry - time.Second)
	d := fx.mustBegin(name, "")
	if d.cold || d.env != b.env {
		t.Fatalf("599 s after its last use an environment is still warm: cold %v", d.cold)
	}
	e := fx.mustBegin(name, "")
	if !e.cold {
		t.Fatalf("an environment idle for 600 s was reused; it should have been reclaimed")
	}
	fx.end(d)
	fx.end(e)
	fx.clock.Advance(idleExpiry)
	if f := fx.mustBegin(name, ""); !f.cold {
		t.Fatal("after 600 s idle every environment is reclaimed; the next invocation must be cold")
	}
}

func TestConfigChangeMakesLaterEnvironmentsNew(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.plainFunction()
	fx.end(fx.mustBegin(name, ""))
	inFlight := fx.mustBegin(name, "") // warm, still running across the change
	if inFlight.cold {
		t.Fatal("second invocation was cold")
	}
	before := inFlight.pool.config
	_, err := fx.client.UpdateFunctionConfiguration(fx.ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(name), MemorySize: aws.Int32(1024)})
	mustNoErr(t, err, "UpdateFunctionConfiguration")

	during := fx.mustBegin(name, "")
	if during.pool.config.Revision != before.Revision || !during.cold {
		t.Fatalf("while the update is in progress invocations use the old configuration (new environment as the warm one is busy): revision %d cold %v",
			during.pool.config.Revision, during.cold)
	}
	fx.end(during)
	fx.clock.Advance(Fast().UpdateDelay)
	after := fx.mustBegin(name, "")
	if !after.cold || after.pool.config.MemorySize != 1024 {
		t.Fatalf("after the update completes: cold %v, memory %d", after.cold, after.pool.config.MemorySize)
	}
	fx.end(inFlight) // its environment belongs to the old revision and dies
	fx.end(after)
	if next := fx.mustBegin(name, ""); next.cold || next.env != after.env {
		t.Fatalf("the new revision's environment is reused: cold %v", next.cold)
	}
}

func TestReservedZeroThrottlesEverything(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.plainFunction()
	fx.reserve(name, 0)
	for range 3 {
		_, err := fx.begin(name, "")
		expectThrottle(t, err, reasonReservedConcurrency)
	}
}

func TestAccountLimitOfANewAccount(t *testing.T) {
	cfg := testConfig()
	cfg.AccountConcurrency = 10
	fx := newFixture(t, cfg)
	name, other := fx.plainFunction(), fx.functionOfKind(imageKind)
	var running []*invocation
	for range 10 {
		running = append(running, fx.mustBegin(name, ""))
	}
	_, err := fx.begin(name, "")
	expectThrottle(t, err, reasonConcurrency)
	_, err = fx.begin(other, "")
	expectThrottle(t, err, reasonConcurrency) // the pool is the account's, not the function's
	fx.end(running[0])
	fx.mustBegin(other, "")
}

// The unreserved pool keeps its floor: with all but 100 reserved by one
// function, the others share exactly 100, and the reserving function gets
// exactly its reservation.
func TestUnreservedFloorAndReservedCap(t *testing.T) {
	fx := newFixture(t, testConfig())
	reserving, other := fx.plainFunction(), fx.functionOfKind(imageKind)
	fx.sb.mu.Lock()
	all := fx.sb.acct.unreserved()
	fx.sb.mu.Unlock()
	fx.reserve(reserving, int32(all-100))
	for range 100 {
		fx.mustBegin(other, "")
	}
	_, err := fx.begin(other, "")
	expectThrottle(t, err, reasonConcurrency)
	for range all - 100 {
		fx.mustBegin(reserving, "")
	}
	_, err = fx.begin(reserving, "")
	expectThrottle(t, err, reasonReservedConcurrency)
}

func TestScalingRate(t *testing.T) {
	cfg := testConfig()
	cfg.AccountConcurrency = 3000
	fx := newFixture(t, cfg)
	name, other := fx.plainFunction(), fx.functionOfKind(imageKind)
	for range scalingBurst {
		fx.mustBegin(name, "")
	}
	_, err := fx.begin(name, "")
	expectThrottle(t, err, reasonConcurrency)
	if err.retryAfter != 1 {
		t.Fatalf("Retry-After %d", err.retryAfter)
	}
	fx.mustBegin(other, "") // each function has its own budget
	fx.clock.Advance(10 * time.Millisecond)
	fx.mustBegin(name, "") // refilled continuously: 100 per second
	_, err = fx.begin(name, "")
	expectThrottle(t, err, reasonConcurrency)
	// Not banked: after a long quiet spell the budget is 1,000, not more.
	fx.clock.Advance(time.Hour)
	fx.sb.mu.Lock()
	defer fx.sb.mu.Unlock()
	st := fx.sb.acct.functions[name].execOf()
	tokens := 0
	for tokens <= scalingBurst && st.scaling.ready(fx.clock.Now(), scalingPerSecond, scalingBurst) {
		st.scaling.take()
		tokens++
	}
	if tokens != scalingBurst {
		t.Fatalf("budget after an hour: %d tokens, want %d", tokens, scalingBurst)
	}
}

func TestRequestRateLimitOfReservedConcurrency(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.plainFunction()
	fx.reserve(name, 2) // 20 requests per second
	for range 20 {
		fx.end(fx.mustBegin(name, ""))
	}
	_, err := fx.begin(name, "")
	expectThrottle(t, err, reasonReservedRate)
	fx.clock.Advance(50 * time.Millisecond)
	fx.end(fx.mustBegin(name, ""))
}
