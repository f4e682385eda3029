package load

import (
	"context"
	"math"
	"time"

	"github.com/lambdatune/lambdatune/internal/clock"
)

// SpawnSchedule says when each user of a closed-model run starts, as Locust does:
// Rate users per second, evenly spaced, the first at once. A Rate of zero or less
// starts every user at once.
type SpawnSchedule struct {
	Users int
	Rate  float64
}

// StartOf is when user i (0-based) starts, counted from the run's start.
func (s SpawnSchedule) StartOf(i int) time.Duration {
	if s.Rate <= 0 || i <= 0 {
		return 0
	}
	return time.Duration(float64(i) / s.Rate * float64(time.Second))
}

// UsersAt is how many users have started by elapsed.
func (s SpawnSchedule) UsersAt(elapsed time.Duration) int {
	if elapsed < 0 || s.Users <= 0 {
		return 0
	}
	if s.Rate <= 0 {
		return s.Users
	}
	started := int(math.Floor(elapsed.Seconds()*s.Rate+1e-9)) + 1
	return min(started, s.Users)
}

// RampTime is when the last user starts.
func (s SpawnSchedule) RampTime() time.Duration { return s.StartOf(s.Users - 1) }

// spawn starts users on clk following the schedule, calling start(i) for each,
// until all have started or ctx ends. It returns how many it started.
func (s SpawnSchedule) spawn(ctx context.Context, clk clock.Clock, begin time.Time, start func(i int)) int {
	for i := 0; i < s.Users; i++ {
		wait := s.StartOf(i) - clk.Now().Sub(begin)
		if wait > 0 && clk.Sleep(ctx, wait) != nil {
			return i
		}
		if ctx.Err() != nil {
			return i
		}
		start(i)
	}
	return s.Users
}
