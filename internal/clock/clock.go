// Package clock is the time source every time-dependent part of lambdatune takes
// by injection: the sandbox, the load engine's pacer and the journal. Real runs use
// Real; tests use a Manual clock and move it forward themselves, so simulated
// minutes pass in milliseconds and nothing sleeps for real.
//
// It is a leaf package: it imports only the standard library, and any package of
// lambdatune may import it.
package clock

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Clock tells the time and waits.
type Clock interface {
	// Now is the current time.
	Now() time.Time
	// Sleep waits for d to pass on this clock, or for ctx to end, whichever comes
	// first; it returns ctx.Err() in the latter case.
	Sleep(ctx context.Context, d time.Duration) error
}

// Real is the wall clock.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// Sleep waits d of wall time or until ctx ends.
func (Real) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Manual is a clock that moves only when told to. Sleepers wake when Advance or
// Set moves the time to or past their deadline. It is safe for concurrent use.
type Manual struct {
	mu      sync.Mutex
	now     time.Time
	waiters []*waiter
	changed chan struct{} // closed and replaced whenever the set of sleepers changes
}

type waiter struct {
	deadline time.Time
	done     chan struct{}
}

// NewManual returns a Manual clock reading start.
func NewManual(start time.Time) *Manual {
	return &Manual{now: start, changed: make(chan struct{})}
}

// Now returns the clock's current reading.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

// Sleep blocks until the clock has been moved d forward, or ctx ends.
func (m *Manual) Sleep(ctx context.Context, d time.Duration) error {
	m.mu.Lock()
	if d <= 0 {
		m.mu.Unlock()
		return ctx.Err()
	}
	w := &waiter{deadline: m.now.Add(d), done: make(chan struct{})}
	m.waiters = append(m.waiters, w)
	m.signalLocked()
	m.mu.Unlock()
	select {
	case <-w.done:
		return nil
	case <-ctx.Done():
		m.mu.Lock()
		m.removeLocked(w)
		m.mu.Unlock()
		return ctx.Err()
	}
}

// Advance moves the clock forward by d and wakes every sleeper whose deadline
// has been reached, in deadline order.
func (m *Manual) Advance(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.setLocked(m.now.Add(d))
}

// Set moves the clock to t; a t before the current reading is ignored, because
// time never runs backwards.
func (m *Manual) Set(t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if t.After(m.now) {
		m.setLocked(t)
	}
}

// Sleepers is the number of goroutines currently blocked in Sleep.
func (m *Manual) Sleepers() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.waiters)
}

// NextDeadline is the earliest time a sleeper is waiting for, and false when
// nobody sleeps. A discrete-event driver jumps the clock straight to it.
func (m *Manual) NextDeadline() (time.Time, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.waiters) == 0 {
		return time.Time{}, false
	}
	earliest := m.waiters[0].deadline
	for _, w := range m.waiters[1:] {
		if w.deadline.Before(earliest) {
			earliest = w.deadline
		}
	}
	return earliest, true
}

// WaitForSleepers blocks until at least n goroutines sleep on the clock or ctx
// ends. Tests use it to know that the code under test has reached its wait
// before they move the clock.
func (m *Manual) WaitForSleepers(ctx context.Context, n int) error {
	for {
		m.mu.Lock()
		count, changed := len(m.waiters), m.changed
		m.mu.Unlock()
		if count >= n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (m *Manual) setLocked(t time.Time) {
	m.now = t
	sort.SliceStable(m.waiters, func(i, j int) bool {
		return m.waiters[i].deadline.Before(m.waiters[j].deadline)
	})
	kept := m.waiters[:0]
	woke := false
	for _, w := range m.waiters {
		if !w.deadline.After(t) {
			close(w.done)
			woke = true
			continue
		}
		kept = append(kept, w)
	}
	m.waiters = kept
	if woke {
		m.signalLocked()
	}
}

func (m *Manual) removeLocked(target *waiter) {
	for i, w := range m.waiters {
		if w == target {
			m.waiters = append(m.waiters[:i], m.waiters[i+1:]...)
			m.signalLocked()
			return
		}
	}
}

func (m *Manual) signalLocked() {
	close(m.changed)
	m.changed = make(chan struct{})
}

// Drive runs call and, until it returns, keeps moving the clock to the
// earliest deadline anyone sleeps for: the code under test sees its modelled
// waits pass in order, in no real time. Waits started by call's goroutines
// count too. It polls for sleepers every couple of milliseconds, so call must
// not wait on anything but this clock for long.
func (m *Manual) Drive(ctx context.Context, call func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		call()
	}()
	for {
		select {
		case <-done:
			return
		default:
		}
		poll, cancel := context.WithTimeout(ctx, 2*time.Millisecond)
		if m.WaitForSleepers(poll, 1) == nil {
			if next, ok := m.NextDeadline(); ok {
				m.Set(next)
			}
		}
		cancel()
	}
}
