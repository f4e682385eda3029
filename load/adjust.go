package load

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// Adjustment is a change of the load made while the run went on: from At,
// Users users (closed model) or Rate requests per second (open model).
type Adjustment struct {
	At    time.Duration `json:"at_ns"`
	Users int           `json:"users,omitempty"`
	Rate  float64       `json:"rate,omitempty"`
}

// ErrWrongModel is returned for a change the run's model has no use for.
var ErrWrongModel = errors.New("not in this model")

// adjuster holds a run's live targets: the closed model's number of users,
// the open model's pacer, and the record of every change.
type adjuster struct {
	targetUsers atomic.Int64
	more        chan struct{} // wakes the spawner when users are added
	pacer       atomic.Pointer[pacerBox]
	hits        atomic.Uint64                      // requests the open model has scheduled so far
	wake        atomic.Pointer[context.CancelFunc] // ends the scheduler's wait

	mu          sync.Mutex
	adjustments []Adjustment
}

type pacerBox struct{ Pacer }

func (a *adjuster) init(cfg Config) {
	a.targetUsers.Store(int64(cfg.Users))
	a.more = make(chan struct{}, 1)
	if cfg.Pacer != nil {
		a.pacer.Store(&pacerBox{cfg.Pacer})
	}
}

// SetUsers changes the closed model's number of users while it runs: new
// users start at the run's spawn rate from now; above the new number, users
// stop after the task they are in (as Locust does).
func (r *Run) SetUsers(n int) error {
	if r.cfg.Pacer != nil {
		return fmt.Errorf("%w: the open model has a rate, not users", ErrWrongModel)
	}
	if n < 1 || n > MaxUsers {
		return fmt.Errorf("%w: users must be between 1 and %d (got %d)", ErrBadConfig, MaxUsers, n)
	}
	r.adj.targetUsers.Store(int64(n))
	r.record(Adjustment{At: r.elapsed(), Users: n})
	select {
	case r.adj.more <- struct{}{}:
	default:
	}
	return nil
}

// SetRate changes the open model's arrival rate while it runs: requests fall
// due at perSecond from now on.
func (r *Run) SetRate(perSecond float64) error {
	if r.cfg.Pacer == nil {
		return fmt.Errorf("%w: the closed model has users, not a rate", ErrWrongModel)
	}
	if !(perSecond > 0) || perSecond > MaxRate {
		return fmt.Errorf("%w: rate must be above 0 and at most %g requests/s (got %g)", ErrBadConfig, MaxRate, perSecond)
	}
	at := r.elapsed()
	next := ConstantRate{Freq: int(math.Round(perSecond * 1000)), Per: 1000 * time.Second}
	r.adj.pacer.Store(&pacerBox{rebased{Pacer: next, from: at, hits: r.adj.hits.Load()}})
	r.record(Adjustment{At: at, Rate: perSecond})
	if wake := r.adj.wake.Load(); wake != nil {
		(*wake)()
	}
	return nil
}

// Target is the load the run aims at now: its users (closed model) or its
// rate in requests per second (open model; 0 when the pacer has no single rate).
func (r *Run) Target() (users int, rate float64) {
	if p := r.adj.pacer.Load(); p != nil {
		if rated, ok := p.Pacer.(interface{ PerSecond() float64 }); ok {
			return 0, rated.PerSecond()
		}
		return 0, 0
	}
	return int(r.adj.targetUsers.Load()), 0
}

// Adjustments lists the changes made while the run went on, in order.
func (r *Run) Adjustments() []Adjustment {
	r.adj.mu.Lock()
	defer r.adj.mu.Unlock()
	return append([]Adjustment(nil), r.adj.adjustments...)
}

func (r *Run) record(a Adjustment) {
	r.adj.mu.Lock()
	r.adj.adjustments = append(r.adj.adjustments, a)
	r.adj.mu.Unlock()
}

// retire makes the calling user stop when more users run than the target:
// the first to notice goes.
func (r *Run) retire(u *User) bool {
	for {
		cur, target := r.users.Load(), r.adj.targetUsers.Load()
		if cur <= target {
			return false
		}
		if r.users.CompareAndSwap(cur, cur-1) {
			r.untrack(u)
			return true
		}
	}
}

// rebased is a pacer that starts over at an elapsed time and a request count:
// the schedule of a rate changed mid-run.
type rebased struct {
	Pacer
	from time.Duration
	hits uint64
}

func (p rebased) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	return p.Pacer.Pace(elapsed-p.from, hits-min(hits, p.hits))
}

func (p rebased) PerSecond() float64 {
	if rated, ok := p.Pacer.(interface{ PerSecond() float64 }); ok {
		return rated.PerSecond()
	}
	return 0
}

func (p rebased) String() string { return fmt.Sprintf("%g/s", p.PerSecond()) }
