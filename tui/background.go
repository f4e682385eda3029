package tui

import (
	"context"
	"sync"
)

// background keeps the work a console has under way that must end cleanly
// when it quits (q, ctrl+c): a sweep restoring its function, a lab step
// recording its run in the journal. stopAll stops each and waits until it
// has, instead of leaving a function at a sweep step's memory or a lab
// step out of the journal.
type background struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	cancels map[int]context.CancelFunc
}

// start registers work; done must be called when it has ended cleanly.
func (s *background) start(id int, cancel context.CancelFunc) (done func()) {
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

// stopAll stops all the work and waits until each has ended cleanly.
func (s *background) stopAll() {
	s.mu.Lock()
	for _, cancel := range s.cancels {
		cancel()
	}
	s.mu.Unlock()
	s.wg.Wait()
}
