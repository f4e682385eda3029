package load

import (
	"context"
	"errors"
	"time"
)

// maxDropCount bounds the loop that counts requests that fell due but were
// never sent, whatever the rate.
const maxDropCount = 100_000_000

// runOpen is wrk2's model: the pacer sets when each request is due, idle
// workers take them, and new workers start (up to Users) when none is idle.
// When every worker is busy the schedule does not slip: the next request is
// handed over late, and its latency still counts from its due time.
func (r *Run) runOpen() {
	due := make(chan time.Time)
	defer close(due)
	var hits uint64
	for !r.stopping() {
		elapsed := r.elapsed()
		wait, stop := r.adj.pacer.Load().Pace(elapsed, hits)
		if stop {
			return
		}
		if elapsed+wait >= r.cfg.RunTime { // the rest falls after the run: wait for its end, or a new rate
			if r.pace(r.cfg.RunTime-elapsed) == errRepace {
				continue
			}
			return
		}
		at := r.begin.Add(elapsed + wait)
		if wait > 0 {
			switch err := r.pace(wait); {
			case err == errRepace:
				continue
			case err != nil:
				r.countDropped(hits)
				return
			}
			at = r.excuseOversleep(at)
		}
		if !r.dispatch(due, at) {
			break
		}
		hits++
		r.adj.hits.Store(hits)
	}
	r.countDropped(hits)
}

// errRepace ends the scheduler's wait when SetRate changed the schedule.
var errRepace = errors.New("the rate changed")

// pace waits d for the next due time; SetRate ends the wait early
// (errRepace) so that a new rate applies at once.
func (r *Run) pace(d time.Duration) error {
	ctx, cancel := context.WithCancel(r.halt)
	defer cancel()
	r.adj.wake.Store(&cancel)
	err := r.cfg.Clock.Sleep(ctx, d)
	r.adj.wake.Store(nil)
	if err != nil && r.halt.Err() == nil {
		return errRepace
	}
	return err
}

// excuseOversleep moves a due time to when the scheduler's timer actually
// fired, if it fired late by less than LateAfter. Timers wake a few hundred
// microseconds late; that is the load tool's own jitter, not the target's, and
// counting it would add ~0.3 ms to every latency. Requests delayed by busy
// workers or a backlog (Pace returned a due time in the past) are not excused:
// they count from their intended time, which is what keeps coordinated
// omission out.
func (r *Run) excuseOversleep(due time.Time) time.Time {
	woke := r.cfg.Clock.Now()
	if late := woke.Sub(due); late > 0 && late < r.cfg.LateAfter {
		return woke
	}
	return due
}

// dispatch hands one due request to an idle worker, starting a worker if
// none is idle and the cap allows; false when the run stopped first.
func (r *Run) dispatch(due chan time.Time, at time.Time) bool {
	select {
	case due <- at:
		return true
	default:
	}
	if int(r.users.Load()) < r.cfg.Users {
		r.startWorker(due)
	}
	select {
	case due <- at:
		return true
	case <-r.halt.Done():
		return false
	}
}

func (r *Run) startWorker(due <-chan time.Time) {
	u, err := r.newUser(int(r.users.Load()))
	if err != nil {
		return
	}
	r.workers.Add(1)
	go func() {
		defer r.workers.Done()
		for at := range due {
			if r.stopping() {
				r.dropUnsent()
				return
			}
			if r.cfg.Clock.Now().Sub(at) > r.cfg.LateAfter {
				r.late.Add(1)
			}
			u.due = at
			u.runTask(r.ctx, r.picker)
			u.due = time.Time{}
		}
	}()
}

// dropUnsent counts a due request that a worker was handed but could not send
// because the run ended first: it fell due and was never sent, like the ones
// countDropped finds. The request cap's end is no drop, there as here.
func (r *Run) dropUnsent() {
	r.mu.Lock()
	capped := r.reason == StopMaxRequests
	r.mu.Unlock()
	if !capped {
		r.dropped.Add(1)
	}
}

// countDropped counts the requests that fell due before the run ended but
// were never sent.
func (r *Run) countDropped(hits uint64) {
	r.mu.Lock()
	capped := r.reason == StopMaxRequests
	r.mu.Unlock()
	if capped {
		return // the cap, not a lack of workers, ended the schedule
	}
	end := min(r.elapsed(), r.cfg.RunTime)
	for n := uint64(0); n < maxDropCount; n++ {
		wait, stop := r.cfg.Pacer.Pace(end, hits+n)
		if stop || wait >= 0 {
			r.dropped.Add(n)
			return
		}
	}
	r.dropped.Add(maxDropCount)
}
