package sandbox

import (
	"context"
	"runtime"
	"sync"
)

// The memory budget bounds what requests in flight hold, whatever clients
// send. It has two halves, so that neither can starve the other:
//
//   - bodies: a request takes its body's declared length (or, sent chunked,
//     its limit) before it reads a byte, and holds it until it ends;
//   - answers: a request takes its answer's size once it has made it,
//     before the answer waits out its modelled latency or a slow reader.
//
// A request that does not fit waits, holding nothing of that half: no
// request waits while it holds what another waits for, so the budget cannot
// deadlock. Two rules keep it live and bounded:
//
//   - every request may hold freeAllowance of each half without waiting, so
//     small requests (nearly all of them) are served while large ones wait;
//     that overdraws the budget by at most two allowances per connection;
//   - what a request makes between reading its body and reserving its answer
//     is not yet counted, so only a few requests make theirs at a time
//     (enterBuild): the uncounted bytes are at most that many answers.
//
// docs/sandbox-model.md adds these up to the process's ceiling.

// DefaultMemoryBudget is Config.MemoryBudget's default: 96 MB, half for
// bodies and half for answers.
const DefaultMemoryBudget = 96 << 20

// freeAllowance is what each request may hold of each half without waiting.
const freeAllowance = 16 << 10

// maxBuildSlots bounds the requests making their answers at once: one per
// CPU, at least two and at most four (each may make a few times its 6 MB
// body before its answer is counted).
const maxBuildSlots = 4

// memoryBudget is one half of the sandbox's budget; safe for concurrent use.
type memoryBudget struct {
	capacity int64

	mu         sync.Mutex
	used, peak int64
	// freed is closed and replaced whenever bytes come back while someone
	// waits.
	freed   chan struct{}
	waiters int
}

func newMemoryBudget(capacity int64) *memoryBudget {
	return &memoryBudget{capacity: capacity, freed: make(chan struct{})}
}

// take reserves n bytes, waiting while they do not fit (force: at once). A
// request larger than the whole budget waits until it is empty.
func (b *memoryBudget) take(ctx context.Context, n int64, force bool) error {
	for {
		b.mu.Lock()
		if force || b.used == 0 || b.used+n <= b.capacity {
			b.used += n
			b.peak = max(b.peak, b.used)
			b.mu.Unlock()
			return nil
		}
		freed := b.freed
		b.waiters++
		b.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
		}
		b.mu.Lock()
		b.waiters--
		b.mu.Unlock()
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// give returns n bytes and wakes the waiters.
func (b *memoryBudget) give(n int64) {
	if n == 0 {
		return
	}
	b.mu.Lock()
	b.used -= n
	if b.waiters > 0 {
		close(b.freed)
		b.freed = make(chan struct{})
	}
	b.mu.Unlock()
}

// usage is what is reserved now and the most ever reserved at once.
func (b *memoryBudget) usage() (used, peak int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used, b.peak
}

// sandboxMemory is the whole budget: its two halves and the build slots.
type sandboxMemory struct {
	bodies, answers *memoryBudget
	slots           chan struct{}
}

func newSandboxMemory(capacity int64) *sandboxMemory {
	return &sandboxMemory{
		bodies:  newMemoryBudget(capacity / 2),
		answers: newMemoryBudget(capacity - capacity/2),
		slots:   make(chan struct{}, min(max(2, runtime.GOMAXPROCS(0)), maxBuildSlots)),
	}
}

// requestMemory is one request's share of the budget, used by the request's
// own goroutine only. Its zero value (no budget) reserves nothing, for code
// called without the guard (tests of the parts).
type requestMemory struct {
	budget       *sandboxMemory
	body, answer int64 // held of each half
	// building: it holds a build slot; answered: its answer is reserved, so
	// writing it takes nothing more.
	building, answered bool
}

// reserveBody takes n bytes of the bodies half for the request.
func (m *requestMemory) reserveBody(ctx context.Context, n int64) error {
	if m.budget == nil || n <= 0 {
		return nil
	}
	if err := m.budget.bodies.take(ctx, n, m.body+n <= freeAllowance); err != nil {
		return err
	}
	m.body += n
	return nil
}

// unreserveBody gives n of the request's body bytes back early.
func (m *requestMemory) unreserveBody(n int64) {
	if m.budget == nil || n <= 0 {
		return
	}
	n = min(n, m.body)
	m.body -= n
	m.budget.bodies.give(n)
}

// enterBuild waits for a build slot: the request is about to make what it
// will answer.
func (m *requestMemory) enterBuild(ctx context.Context) error {
	if m.budget == nil || m.building {
		return nil
	}
	select {
	case m.budget.slots <- struct{}{}:
		m.building = true
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// leaveBuild frees the request's build slot, if it holds one.
func (m *requestMemory) leaveBuild() {
	if m.building {
		m.building = false
		<-m.budget.slots
	}
}

// built reserves the answer the request has made (n bytes), once, and frees
// its build slot: it may now wait out its latency holding only counted
// bytes.
func (m *requestMemory) built(ctx context.Context, n int64) error {
	if m.budget == nil || m.answered {
		return nil
	}
	m.answered = true
	var err error
	if n > 0 {
		if err = m.budget.answers.take(ctx, n, n <= freeAllowance); err == nil {
			m.answer = n
		}
	}
	m.leaveBuild()
	return err
}

// done gives everything back: the request has ended.
func (m *requestMemory) done() {
	if m.budget == nil {
		return
	}
	m.leaveBuild()
	m.budget.bodies.give(m.body)
	m.budget.answers.give(m.answer)
	m.body, m.answer = 0, 0
}

type memoryKey struct{}

// withMemory gives ctx the request's share of the budget.
func withMemory(ctx context.Context, m *requestMemory) context.Context {
	return context.WithValue(ctx, memoryKey{}, m)
}

// memoryOf is the request's share of the budget; one that reserves nothing
// when the request did not come through the guard.
func memoryOf(ctx context.Context) *requestMemory {
	if m, ok := ctx.Value(memoryKey{}).(*requestMemory); ok {
		return m
	}
	return &requestMemory{}
}
