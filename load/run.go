package load

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// StopReason says why a run ended.
type StopReason string

// Why runs end.
const (
	StopRunTime     StopReason = "run time reached"
	StopMaxRequests StopReason = "request cap reached"
	StopCancelled   StopReason = "stopped by the user"
	StopPacerDone   StopReason = "arrival schedule finished"
	// StopUnreachable: no connection to the target succeeded in the run's
	// first Config.UnreachableAfter, while attempts failed to connect.
	StopUnreachable StopReason = "nothing is listening at the target"
)

var errStopped = errors.New("run stopped")

// Run is a load test in progress. Its methods are safe for concurrent use: a
// UI calls Snapshot on a tick while the workers record.
type Run struct {
	cfg    Config
	stats  *collector
	begin  time.Time
	picker taskPicker
	// ctx is given to requests and ends when they must be abandoned; halt ends
	// at any stop and wakes sleeping users and the scheduler.
	ctx        context.Context
	cancel     context.CancelFunc
	halt       context.Context
	cancelHalt context.CancelFunc
	workers    sync.WaitGroup
	done       chan struct{}

	sent, late, dropped atomic.Uint64
	inFlight, users     atomic.Int64
	stopped, aborted    atomic.Bool
	reach               reachability
	adj                 adjuster

	mu       sync.Mutex // guards sessions, reason, finished
	sessions []Session
	reason   StopReason
	finished time.Duration // elapsed when the last worker returned
}

// Start validates cfg and starts the run in the background. The run ends at
// its run time, its request cap, when ctx ends, or on Stop.
func Start(ctx context.Context, cfg Config) (*Run, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	r := &Run{cfg: cfg, stats: newCollector(cfg.Scenario.Endpoints()), picker: newTaskPicker(cfg.Scenario.Tasks()), done: make(chan struct{})}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	r.halt, r.cancelHalt = context.WithCancel(r.ctx)
	r.begin = cfg.Clock.Now()
	r.reach.start(cfg.Target)
	r.adj.init(cfg)
	go r.watch(ctx)
	go r.closeWindowsEverySecond()
	r.workers.Add(1)
	go func() {
		defer r.workers.Done()
		if cfg.Pacer != nil {
			r.runOpen()
		} else {
			r.runClosed()
		}
	}()
	go r.finish()
	return r, nil
}

// watch ends the run on the caller's cancel or at the run time.
func (r *Run) watch(parent context.Context) {
	timer := make(chan error, 1)
	go func() { timer <- r.cfg.Clock.Sleep(r.ctx, r.cfg.RunTime) }()
	select {
	case <-parent.Done():
		r.stop(StopCancelled)
	case err := <-timer:
		if err == nil {
			r.stop(StopRunTime)
		}
	case <-r.ctx.Done():
	}
}

// stop ends the run: no new request starts, and requests in flight are
// aborted so the run ends within milliseconds. The first reason given stays.
func (r *Run) stop(reason StopReason) { r.end(reason, true) }

// drain ends the run gracefully (the request cap): no new request starts, and
// the ones in flight finish and count.
func (r *Run) drain(reason StopReason) { r.end(reason, false) }

func (r *Run) end(reason StopReason, abort bool) {
	r.mu.Lock()
	if !r.stopped.Load() {
		r.stopped.Store(true)
		r.reason = reason
	}
	if abort {
		r.aborted.Store(true)
	}
	sessions := r.sessions
	r.mu.Unlock()
	r.cancelHalt()
	if !abort {
		return
	}
	r.cancel()
	for _, s := range sessions {
		s.Abort()
	}
}

// Stop ends the run as a Ctrl-C would; Wait then returns the results so far.
func (r *Run) Stop() { r.stop(StopCancelled) }

func (r *Run) stopping() bool { return r.stopped.Load() }

// track registers a session so that stop can abort it; false if the run has
// already stopped.
func (r *Run) track(u *User) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped.Load() {
		return false
	}
	r.sessions = append(r.sessions, u.session)
	r.users.Add(1)
	return true
}

// untrack closes a retired user's session and forgets it.
func (r *Run) untrack(u *User) {
	r.mu.Lock()
	for i, s := range r.sessions {
		if s == u.session {
			r.sessions = append(r.sessions[:i], r.sessions[i+1:]...)
			break
		}
	}
	r.mu.Unlock()
	u.session.Close()
}

// admit counts one more request against the cap, or says the run is over:
// stopped, at its run time (checked here too, so that no request starts at
// the very instant the run ends), or at its cap.
func (r *Run) admit(now time.Time) bool {
	if r.stopped.Load() {
		return false
	}
	if now.Sub(r.begin) >= r.cfg.RunTime {
		r.stop(StopRunTime)
		return false
	}
	n := r.sent.Add(1)
	if max := r.cfg.MaxRequests; max > 0 && n > max {
		r.sent.Add(^uint64(0))
		r.drain(StopMaxRequests)
		return false
	}
	return true
}

func (r *Run) elapsed() time.Duration { return r.cfg.Clock.Now().Sub(r.begin) }

// closeWindowsEverySecond publishes one window per second for the live view,
// and gives up on a target that nothing answers for (see reachability).
func (r *Run) closeWindowsEverySecond() {
	for next := time.Second; ; next += time.Second {
		if r.cfg.Clock.Sleep(r.ctx, next-r.elapsed()) != nil || r.stopping() {
			return
		}
		r.stats.closeWindow(next, int(r.inFlight.Load()), int(r.users.Load()))
		if after := r.cfg.UnreachableAfter; after > 0 && next >= after && r.reach.unreachable() {
			r.stop(StopUnreachable)
		}
	}
}

// finish waits for the workers, closes the last partial window and the
// sessions, and marks the run done.
func (r *Run) finish() {
	r.workers.Wait()
	finished := r.elapsed()
	reason := StopPacerDone // the first reason stays: this one only when no other ended the run
	if finished >= r.cfg.RunTime {
		reason = StopRunTime
	}
	r.drain(reason)
	r.mu.Lock()
	sessions := r.sessions
	r.finished = finished
	r.mu.Unlock()
	for _, s := range sessions {
		s.Close()
	}
	r.stats.closeWindow(finished, 0, int(r.users.Load()))
	r.cancel() // ends watch and the window ticker
	close(r.done)
}

// Done is closed when the run has ended and its results are final.
func (r *Run) Done() <-chan struct{} { return r.done }

// Wait blocks until the run ends and returns its final snapshot.
func (r *Run) Wait() Snapshot {
	<-r.done
	return r.Snapshot()
}
