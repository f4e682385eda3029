package tui

import (
	"context"
	"sync"
)

// sweeps keeps the sweeps running in a console, so that quitting it (q,
// ctrl+c) stops them and waits while they restore their functions, instead
// of leaving a function at a sweep step's memory.
type sweeps struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	cancels map[int]context.CancelFunc
}

// start registers a sweep; done must be called when it has restored.
func (s *sweeps) start(id int, cancel context.CancelFunc) (done func()) {
	s.mu.Lock()
	if s.cancels == nil {
		s.cancels = map[int]context.CancelFunc{}
	}
	s.cancels[id] = cancel
	s.wg.Add(1)
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		delete(s.cancels, id)
		s.mu.Unlock()
		s.wg.Done()
	}
}

// stopAll stops every sweep and waits until each has restored.
func (s *sweeps) stopAll() {
	s.mu.Lock()
	for _, cancel := range s.cancels {
		cancel()
	}
	s.mu.Unlock()
	s.wg.Wait()
}
