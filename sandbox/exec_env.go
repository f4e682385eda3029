package sandbox

import "time"

// Execution environments. An environment is a runtime initialised for one
// version of a function at one configuration revision; it serves one
// invocation at a time. Environments are kept in pools per (function,
// version, revision): when $LATEST's configuration changes, its pool is
// retired and every later invocation gets a new environment (D) [S33], [S34]
// (docs/sandbox-model.md#environments). Idle on-demand environments are
// reclaimed after idleExpiry, lazily, when a pool is next used; provisioned
// ones never expire. Everything here runs under Sandbox.mu.

// environment is one execution environment.
type environment struct {
	provisioned bool
	// invocations counts the invocations started on it; the first pays the
	// first-invoke penalty.
	invocations int
	lastUsed    time.Time
	// memoryMB is what the runtime holds; maxMemoryMB the most it has used,
	// REPORT's Max Memory Used.
	memoryMB    int
	maxMemoryMB int
}

// envPool holds the environments of one version at one revision.
type envPool struct {
	version string
	config  functionConfig
	profile functionProfile
	// idle holds the idle on-demand environments, least recently used first:
	// warm requests take the most recently used (SimFaaS's routing [S85]).
	idle []*environment
	// provisionedIdle likewise for provisioned environments.
	provisionedIdle []*environment
	// provisioned counts the provisioned environments that exist, busy or
	// idle; provisionedBusy those serving.
	provisioned     int
	provisionedBusy int
	// requests is the provisioned request rate, 10 × provisioned per second.
	requests rateBucket
	// retired pools belong to an old revision; their environments die when
	// released.
	retired bool
}

// execState is one function's execution state.
type execState struct {
	pools map[string]*envPool // by executed version
	// inflight counts invocations in flight; byVersion and byResource split
	// them by executed version and by the qualifier as named.
	inflight   int
	byVersion  map[string]int
	byResource map[string]int
	// reservedInflight counts on-demand invocations running on the
	// function's reserved concurrency.
	reservedInflight int
	// scaling is the budget for new environments; requests the reserved
	// request rate, 10 × reserved concurrency per second.
	scaling, requests rateBucket
}

func newExecState() *execState {
	return &execState{pools: map[string]*envPool{}, byVersion: map[string]int{}, byResource: map[string]int{}}
}

// execOf returns a function's execution state, creating it on first use.
func (f *function) execOf() *execState {
	if f.exec == nil {
		f.exec = newExecState()
	}
	return f.exec
}

// pool returns the pool of version at cfg's revision, retiring one of an
// older revision.
func (s *Sandbox) pool(f *function, version string, cfg functionConfig) *envPool {
	st := f.execOf()
	p := st.pools[version]
	if p != nil && p.config.Revision == cfg.Revision {
		return p
	}
	if p != nil {
		p.retire()
	}
	p = &envPool{version: version, config: cfg, profile: s.profileFor(f, cfg)}
	st.pools[version] = p
	return p
}

func (p *envPool) retire() {
	p.retired = true
	p.idle, p.provisionedIdle = nil, nil
	p.provisioned = p.provisionedBusy
}

// takeWarm pops the most recently used idle on-demand environment that has
// not expired, dropping expired ones; nil when there is none.
func (p *envPool) takeWarm(now time.Time) *environment {
	p.dropExpired(now)
	n := len(p.idle)
	if n == 0 {
		return nil
	}
	env := p.idle[n-1]
	p.idle[n-1] = nil
	p.idle = p.idle[:n-1]
	return env
}

// dropExpired reclaims the environments idle for idleExpiry or longer. They
// sit at the front, least recently used first.
func (p *envPool) dropExpired(now time.Time) {
	expired := 0
	for expired < len(p.idle) && now.Sub(p.idle[expired].lastUsed) >= idleExpiry {
		expired++
	}
	if expired > 0 {
		clear(p.idle[:expired])
		p.idle = p.idle[expired:]
	}
}

// takeProvisioned pops the most recently used idle provisioned environment.
func (p *envPool) takeProvisioned() *environment {
	n := len(p.provisionedIdle)
	if n == 0 {
		return nil
	}
	env := p.provisionedIdle[n-1]
	p.provisionedIdle[n-1] = nil
	p.provisionedIdle = p.provisionedIdle[:n-1]
	p.provisionedBusy++
	return env
}

// release returns an environment after its invocation. It dies instead when
// its pool is retired, when it was reset (a timeout), or when it is a
// provisioned environment beyond the allocation (target).
func (p *envPool) release(env *environment, now time.Time, reset bool, target int) {
	env.lastUsed = now
	if !env.provisioned {
		if !p.retired && !reset {
			p.idle = append(p.idle, env)
		}
		return
	}
	p.provisionedBusy--
	if p.retired || reset || p.provisioned > target {
		p.provisioned--
		return
	}
	p.provisionedIdle = append(p.provisionedIdle, env)
}

// syncProvisioned makes the pool's provisioned environments match target,
// the Available count of the version's provisioned config: environments are
// created READY (initialised during allocation, off the request path) and
// idle ones destroyed when the allocation shrinks; busy ones go when they
// are released.
func (s *Sandbox) syncProvisioned(p *envPool, target int) {
	if p.retired {
		return
	}
	for p.provisioned < target {
		p.provisionedIdle = append(p.provisionedIdle, s.newEnvironment(p, true))
		p.provisioned++
	}
	for p.provisioned > target && len(p.provisionedIdle) > 0 {
		p.provisionedIdle = p.provisionedIdle[:len(p.provisionedIdle)-1]
		p.provisioned--
	}
}

// provisionedAvailable is how many provisioned environments version should
// have now: its config's Available count, 0 for $LATEST or none.
func provisionedAvailable(f *function, version string, now time.Time) int {
	if version == latestVersion {
		return 0
	}
	p := f.provisioned[versionNumber(version)]
	if p == nil {
		return 0
	}
	return p.statusAt(now).Available
}

// newEnvironment creates an environment of the pool; the runtime's memory
// varies by a few MB from one environment to the next. (I)
func (s *Sandbox) newEnvironment(p *envPool, provisioned bool) *environment {
	mem := min(p.profile.memoryMB+s.rng.IntN(6), p.config.MemorySize)
	return &environment{provisioned: provisioned, memoryMB: mem, maxMemoryMB: mem}
}
