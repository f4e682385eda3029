package sandbox

import (
	"context"
	"runtime"
	"sync"
)

// The memory budget bounds what requests in flight hold, whatever clients
// send: a request takes bytes from it before it holds them — its body as the
// body arrives, its answer before the answer waits out its modelled latency
// or a slow reader — and gives them back when it ends. A request that does
// not fit waits until others end. Two rules keep it live and bounded:
//
//   - every request may hold freeAllowance without waiting, so small
//     requests (nearly all of them) are served while large ones wait; that
//     lets the budget be overdrawn by at most freeAllowance per open
//     connection;
//   - what a request builds between reading its body and reserving its answer
//     is not yet counted, so only buildSlots requests build at a time
//     (enterBuild); the uncounted bytes are at most buildSlots answers.
//
// docs/sandbox-model.md adds these up to the process's ceiling.

// DefaultMemoryBudget is Config.MemoryBudget's default: 128 MB.
const DefaultMemoryBudget = 128 << 20

// freeAllowance is what each request may hold without waiting.
const freeAllowance = 32 << 10

// memoryBudget is the sandbox's budget; safe for concurrent use.
type memoryBudget struct {
	capacity int64
	slots    chan struct{}

	mu         sync.Mutex
	used, peak int64
	// freed is closed and replaced whenever bytes come back.
	freed chan struct{}
}

func newMemoryBudget(capacity int64) *memoryBudget {
	return &memoryBudget{
		capacity: capacity,
		slots:    make(chan struct{}, max(2, runtime.GOMAXPROCS(0))),
		freed:    make(chan struct{}),
	}
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
		b.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
			return ctx.Err()
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
	close(b.freed)
	b.freed = make(chan struct{})
	b.mu.Unlock()
}

// usage is what is reserved now and the most ever reserved at once.
func (b *memoryBudget) usage() (used, peak int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used, b.peak
}

// requestMemory is one request's share of the budget, used by the request's
// own goroutine only. Its zero value (no budget) reserves nothing, for code
// called without the guard (tests of the parts).
type requestMemory struct {
	budget *memoryBudget
	held   int64
	// building: it holds a build slot; answered: its answer is reserved, so
	// writing it takes nothing more.
	building, answered bool
}

// reserve takes n bytes for the request.
func (m *requestMemory) reserve(ctx context.Context, n int64) error {
	if m.budget == nil || n <= 0 {
		return nil
	}
	if err := m.budget.take(ctx, n, m.held+n <= freeAllowance); err != nil {
		return err
	}
	m.held += n
	return nil
}

// unreserve gives n of the request's bytes back early.
func (m *requestMemory) unreserve(n int64) {
	if m.budget == nil || n <= 0 {
		return
	}
	n = min(n, m.held)
	m.held -= n
	m.budget.give(n)
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

// built reserves the answer the request has made (n bytes) and frees its
// build slot: it may now wait out its latency holding only counted bytes.
func (m *requestMemory) built(ctx context.Context, n int64) error {
	err := m.reserve(ctx, n)
	m.leaveBuild()
	m.answered = true
	return err
}

// done gives everything back: the request has ended.
func (m *requestMemory) done() {
	m.leaveBuild()
	m.unreserve(m.held)
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
