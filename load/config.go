package load

import (
	"errors"
	"fmt"
	"time"

	"github.com/lambdatune/lambdatune/internal/clock"
)

// Bounds every run respects, whatever it is asked.
const (
	MaxUsers    = 100_000
	MaxRate     = 1_000_000.0 // requests per second
	MaxRunTime  = 24 * time.Hour
	DefaultLate = 10 * time.Millisecond
	// DefaultUnreachableAfter is how long a run waits for a first connection
	// before it stops as StopUnreachable.
	DefaultUnreachableAfter = 3 * time.Second
)

// Config describes one run. Exactly one model applies: the open model when
// Pacer is set, the closed model otherwise.
type Config struct {
	Target   Target
	Scenario Scenario

	// Users is the closed model's number of users; in the open model it caps
	// the workers (connections) started on demand to keep the arrival rate.
	Users int
	// SpawnRate is users started per second (closed model); 0 starts all at once.
	SpawnRate float64
	// Wait is the closed model's wait time between tasks (default none).
	Wait WaitTime

	// Pacer sets the open model's arrival times.
	Pacer Pacer
	// LateAfter is how far past its due time a request may be sent before it
	// counts as late (open model; default 10 ms).
	LateAfter time.Duration

	// RunTime ends the run (required, at most MaxRunTime).
	RunTime time.Duration
	// MaxRequests ends the run after that many requests were sent (0: no cap).
	MaxRequests uint64
	// UnreachableAfter stops a run in which no connection to the target has
	// succeeded by then while attempts failed to connect (StopUnreachable),
	// checked once a second from then on (default 3 s; negative: never).
	UnreachableAfter time.Duration

	Clock clock.Clock
	Seed  uint64
}

// ErrBadConfig wraps every configuration the engine refuses.
var ErrBadConfig = errors.New("invalid load test")

// validate checks the configuration and fills defaults, in words a user
// understands.
func (c *Config) validate() error {
	problems := []struct {
		bad bool
		msg string
	}{
		{c.Target == nil, "no target: give a URL or a function"},
		{c.Scenario == nil, "no scenario"},
		{c.Users < 1, fmt.Sprintf("users must be at least 1 (got %d)", c.Users)},
		{c.Users > MaxUsers, fmt.Sprintf("users must be at most %d (got %d)", MaxUsers, c.Users)},
		{c.SpawnRate < 0, fmt.Sprintf("spawn rate cannot be negative (got %g)", c.SpawnRate)},
		{c.RunTime <= 0, fmt.Sprintf("run time must be positive (got %v)", c.RunTime)},
		{c.RunTime > MaxRunTime, fmt.Sprintf("run time must be at most %v (got %v)", MaxRunTime, c.RunTime)},
	}
	for _, p := range problems {
		if p.bad {
			return fmt.Errorf("%w: %s", ErrBadConfig, p.msg)
		}
	}
	if c.Scenario != nil && len(c.Scenario.Tasks()) == 0 {
		return fmt.Errorf("%w: scenario %q has no tasks", ErrBadConfig, c.Scenario.Name())
	}
	c.fillDefaults()
	return nil
}

func (c *Config) fillDefaults() {
	if c.Clock == nil {
		c.Clock = clock.Real{}
	}
	if c.Wait == nil {
		c.Wait = Constant(0)
	}
	if c.LateAfter <= 0 {
		c.LateAfter = DefaultLate
	}
	if c.UnreachableAfter == 0 {
		c.UnreachableAfter = DefaultUnreachableAfter
	}
}
