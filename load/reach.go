package load

import (
	"math/rand/v2"
	"sync/atomic"
	"time"
)

// Connect backoff: a user whose requests cannot even connect waits
// connectBackoffBase, doubling with each failure in a row up to
// connectBackoffMax (half of it fixed, half random, so users that failed
// together do not retry together), instead of spinning on a dead target.
const (
	connectBackoffBase = 50 * time.Millisecond
	connectBackoffMax  = 2 * time.Second
)

// reachability is a run's evidence about its target: attempts that could not
// connect, and whether any request ever got through.
type reachability struct {
	connectFailures atomic.Uint64
	reached         atomic.Bool
	// counter and connectsAtStart read a target that counts its own
	// connections (HTTPTarget): a connection made by a request still in
	// flight shows there before any request completes.
	counter         connectionCounter
	connectsAtStart uint64
}

// connectionCounter is implemented by targets that count the connections
// they make.
type connectionCounter interface{ Connections() uint64 }

func (r *reachability) start(target Target) {
	if c, ok := target.(connectionCounter); ok {
		r.counter, r.connectsAtStart = c, c.Connections()
	}
}

// note takes one finished request into account.
func (r *reachability) note(out *Outcome) {
	if out.ConnectFailed {
		r.connectFailures.Add(1)
	} else if !r.reached.Load() {
		r.reached.Store(true)
	}
}

// unreachable: attempts failed to connect and none ever connected.
func (r *reachability) unreachable() bool {
	if r.connectFailures.Load() == 0 || r.reached.Load() {
		return false
	}
	return r.counter == nil || r.counter.Connections() == r.connectsAtStart
}

// connectBackoff is how long a user waits after failing to connect failures
// times in a row (0 for none).
func connectBackoff(failures int, rng *rand.Rand) time.Duration {
	if failures <= 0 {
		return 0
	}
	d := min(connectBackoffBase<<min(failures-1, 16), connectBackoffMax)
	return d/2 + time.Duration(rng.Int64N(int64(d/2)+1))
}
