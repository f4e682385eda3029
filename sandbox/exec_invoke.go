package sandbox

import (
	"math"
	"time"
)

// The execution model's core is pure and time-explicit: beginInvoke(now)
// admits an invocation, runs its code and plans how long it takes;
// endInvoke(now) finishes it. Nothing sleeps in here. Behind HTTP, the
// handler calls beginInvoke, sleeps inv.latency() on the sandbox clock and
// calls endInvoke; a discrete-event test calls both itself at simulated times.

// invokeRequest is one Invoke as the model takes it.
type invokeRequest struct {
	ref     functionRef
	payload []byte
	// proxy is the event when the API front invokes (payload is then empty).
	proxy *proxyEvent
	async bool
	tail  bool
	// requestID is set when the caller already named the request (an Event
	// invocation answers with it before it runs); "" draws one.
	requestID string
}

// invocation is an admitted invocation: where it runs and how long it takes.
type invocation struct {
	requestID string
	f         *function
	pool      *envPool
	resource  string // the qualifier as named
	placement
	start time.Time
	async bool

	// The modelled times: Lambda's front end, and on a cold start the
	// platform's work and Init Duration, all before the handler runs.
	frontend, platform, initDuration time.Duration
	firstInvoke                      bool
	// cpuZ and ioZ are the standard normal draws that spread this
	// invocation's work.
	cpuZ, ioZ float64
	random    [2]uint64

	out      handlerOutput
	duration time.Duration // REPORT's Duration
	timedOut bool
	// maxMemoryMB is REPORT's Max Memory Used, taken when the invocation ends:
	// by the time the REPORT line is written, another invocation may own the
	// environment.
	maxMemoryMB int
}

// latency is how long the caller of Invoke waits, from begin to end.
func (inv *invocation) latency() time.Duration {
	return inv.frontend + inv.platform + inv.initDuration + inv.duration
}

// failed tells whether the function failed (X-Amz-Function-Error: Unhandled).
func (inv *invocation) failed() bool { return inv.timedOut || inv.out.err != nil }

// beginInvoke admits an invocation at now and runs its code.
func (s *Sandbox) beginInvoke(now time.Time, req invokeRequest) (*invocation, *apiError) {
	inv, err := s.admitInvocation(now, req)
	if err != nil {
		return nil, err
	}
	s.runHandler(inv, req)
	return inv, nil
}

func (s *Sandbox) admitInvocation(now time.Time, req invokeRequest) (*invocation, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, err := s.resolve(now, req.ref)
	if err != nil {
		return nil, err
	}
	pool := s.pool(t.f, t.version, t.config)
	s.syncProvisioned(pool, provisionedAvailable(t.f, t.version, now))
	place, thr := s.admit(now, t.f, pool)
	if thr != nil {
		s.observer.Throttled(ThrottleRecord{Function: t.f.name, Resource: req.ref.qualifier, ExecutedVersion: t.version,
			Time: now, Reason: thr.reason, Async: req.async})
		return nil, thr.apiError()
	}
	inv := &invocation{f: t.f, pool: pool, resource: req.ref.qualifier, placement: place, start: now, async: req.async, requestID: req.requestID}
	s.startInvocation(inv)
	return inv, nil
}

// startInvocation counts the invocation in and draws its random parts, in
// a fixed order so that a seeded sandbox is deterministic.
func (s *Sandbox) startInvocation(inv *invocation) {
	inv.env.invocations++
	inv.firstInvoke = inv.env.invocations == 1
	s.count(inv, +1)
	if inv.requestID == "" {
		inv.requestID = s.newUUID()
	}
	inv.random = [2]uint64{s.rng.Uint64(), s.rng.Uint64()}
	inv.frontend = invokeOverhead.at(s.rng.NormFloat64())
	inv.cpuZ, inv.ioZ = s.rng.NormFloat64(), s.rng.NormFloat64()
	if inv.cold {
		inv.platform = platformOverhead.at(s.rng.NormFloat64())
		inv.initDuration = inv.pool.profile.init.at(s.rng.NormFloat64())
	}
	s.observeConcurrency(inv, inv.start)
}

// count adds (+1) or removes (-1) an invocation from the in-flight counts.
func (s *Sandbox) count(inv *invocation, delta int) {
	st := inv.f.execOf()
	st.inflight += delta
	st.byVersion[inv.pool.version] += delta
	st.byResource[inv.resource] += delta
	s.inflight += delta
	switch {
	case inv.provisioned:
	case inv.unreserved:
		s.unreservedInflight += delta
	default:
		st.reservedInflight += delta
	}
}

// runHandler runs the function's code (outside the lock) and turns the work
// it reports into Duration, cut at the function's timeout.
func (s *Sandbox) runHandler(inv *invocation, req invokeRequest) {
	cfg := inv.pool.config
	initType := "on-demand"
	if inv.provisioned {
		initType = "provisioned-concurrency"
	}
	in := handlerInput{payload: req.payload, proxy: req.proxy, wantLogs: req.tail, ctx: lambdaContext{
		functionName: inv.f.name, functionVersion: inv.pool.version, memoryMB: cfg.MemorySize,
		requestID: inv.requestID, initializationType: initType, coldStart: inv.firstInvoke,
		now: inv.start, random: inv.random,
	}}
	inv.out = inv.pool.profile.handler.handle(&in)
	if !req.async {
		inv.out = limitResponse(inv.out) // response_limit.go
	}
	inv.duration = inv.handlerTime()
	if timeout := time.Duration(cfg.Timeout) * time.Second; inv.duration > timeout {
		inv.duration, inv.timedOut = timeout, true
	}
}

// handlerTime is Duration: the first-invoke penalty on an environment's
// first request, then CPU_op · LN(0, 0.2) / s(m) + I/O + network
// (docs/sandbox-model.md#one-invocation-step-by-step).
func (inv *invocation) handlerTime() time.Duration {
	profile, w := inv.pool.profile, inv.out.work
	speed := profile.speed(inv.pool.config.MemorySize)
	var d time.Duration
	if inv.firstInvoke {
		d += onCPU(profile.firstInvokeCPU, speed)
	}
	d += onCPU(time.Duration(float64(w.cpu)*math.Exp(handlerCPUSigma*inv.cpuZ)), speed)
	if w.io.median > 0 {
		d += w.io.at(inv.ioZ)
	}
	return d + w.network
}

// endInvoke finishes an invocation at now: its environment goes back to its
// pool (or dies, after a timeout) and the observer hears of it.
func (s *Sandbox) endInvoke(now time.Time, inv *invocation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	env := inv.env
	env.maxMemoryMB = max(env.maxMemoryMB, min(env.memoryMB+inv.out.extraMemoryMB, inv.pool.config.MemorySize))
	inv.maxMemoryMB = env.maxMemoryMB
	s.count(inv, -1)
	inv.pool.release(env, now, inv.timedOut || inv.out.failedInit, provisionedAvailable(inv.f, inv.pool.version, now))
	s.observer.Invoked(inv.record())
	s.observeConcurrency(inv, now)
}

// record is the invocation as the observer hears of it.
func (inv *invocation) record() InvocationRecord {
	r := InvocationRecord{
		Function: inv.f.name, Resource: inv.resource, ExecutedVersion: inv.pool.version, RequestID: inv.requestID,
		Start: inv.start, Duration: inv.duration, BilledDuration: inv.billed(), ColdStart: inv.cold,
		Provisioned: inv.provisioned, Spillover: inv.spillover, TimedOut: inv.timedOut, Async: inv.async,
		MemorySize: inv.pool.config.MemorySize, MaxMemoryUsed: inv.maxMemoryMB,
	}
	if inv.cold {
		r.InitDuration = inv.initDuration
	}
	if inv.failed() {
		r.FunctionError = "Unhandled"
	}
	return r
}

// billed is Billed Duration: Duration rounded up to the millisecond, plus
// Init Duration on an on-demand cold start since 1 August 2025 (zip, managed
// runtime). (B) [S16], (M) [S17]
func (inv *invocation) billed() time.Duration {
	d := inv.duration
	if inv.cold {
		d += inv.initDuration
	}
	return max(time.Millisecond, (d + time.Millisecond - 1).Truncate(time.Millisecond))
}

// observeConcurrency reports the levels after inv started or ended.
func (s *Sandbox) observeConcurrency(inv *invocation, now time.Time) {
	st := inv.f.execOf()
	s.observer.ConcurrencyChanged(ConcurrencyRecord{
		Time: now, Function: inv.f.name, ExecutedVersion: inv.pool.version, Resource: inv.resource,
		FunctionConcurrency: st.inflight, VersionConcurrency: st.byVersion[inv.pool.version],
		ResourceConcurrency: st.byResource[inv.resource], ProvisionedConcurrency: inv.pool.provisionedBusy,
		ProvisionedAllocated: inv.pool.provisioned, AccountConcurrency: s.inflight,
		UnreservedConcurrency:     s.unreservedInflight,
		ClaimedAccountConcurrency: s.unreservedInflight + s.acct.concurrencyLimit - s.acct.unreservedCached(),
	})
}
