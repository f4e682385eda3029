package load

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/brianvoe/gofakeit/v7"
)

// User is one simulated user (closed model) or one worker (open model): its
// own session with the target, random source and faker. A task's Run gets it.
type User struct {
	ID      int
	run     *Run
	session Session
	shard   *shard
	rng     *rand.Rand
	faker   *gofakeit.Faker
	out     Outcome
	// due, when set, is when the open model wanted the next request sent; its
	// latency counts from there, not from when it was actually sent.
	due time.Time
	// connectFailures counts this user's requests in a row that could not
	// connect; the closed model backs off on them.
	connectFailures int
}

func (r *Run) newUser(id int) (*User, error) {
	session, err := r.cfg.Target.NewSession()
	if err != nil {
		return nil, err
	}
	seed := r.cfg.Seed + uint64(id)*0x9E3779B97F4A7C15
	u := &User{ID: id, run: r, session: session, shard: r.stats.shardFor(), rng: rand.New(rand.NewPCG(seed, uint64(id)))}
	if !r.track(u) {
		session.Close()
		return nil, errStopped
	}
	return u, nil
}

// Rand is the user's own random source (not safe to share).
func (u *User) Rand() *rand.Rand { return u.rng }

// Faker is the user's own gofakeit faker, seeded from the run's seed.
func (u *User) Faker() *gofakeit.Faker {
	if u.faker == nil {
		u.faker = gofakeit.New(u.rng.Uint64())
	}
	return u.faker
}

// Do sends req, records it, and returns its outcome; the outcome is reused by
// the user's next Do. It returns nil, sending nothing, once the run is
// stopping or its request cap is reached; a task then simply returns.
func (u *User) Do(ctx context.Context, req *Request) *Outcome {
	r := u.run
	start := r.cfg.Clock.Now()
	if !r.admit(start) {
		if !u.due.IsZero() {
			u.due = time.Time{}
			r.dropUnsent()
		}
		return nil
	}
	u.out = Outcome{Endpoint: req.Endpoint}
	if !u.due.IsZero() {
		start, u.due = u.due, time.Time{}
	}
	r.inFlight.Add(1)
	u.session.Do(ctx, req, &u.out)
	r.inFlight.Add(-1)
	u.out.Latency = r.cfg.Clock.Now().Sub(start)
	if u.out.Err != nil && r.aborted.Load() {
		u.shard.abandon(req.Endpoint) // cut short by the stop: not a failure of the target
		return nil
	}
	u.shard.record(&u.out)
	r.reach.note(&u.out)
	if u.out.ConnectFailed {
		u.connectFailures++
	} else {
		u.connectFailures = 0
	}
	return &u.out
}

func (u *User) runTask(ctx context.Context, picker taskPicker) {
	picker.pick(u.rng).Run(ctx, u)
}
