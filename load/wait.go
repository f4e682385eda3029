package load

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// WaitTime is how long a closed-model user waits between two tasks, as Locust's
// wait_time does. took is how long the task just finished took, which constant
// pacing needs.
type WaitTime interface {
	Wait(rng *rand.Rand, took time.Duration) time.Duration
	String() string
}

// Constant waits the same time after every task (Locust's constant).
type Constant time.Duration

// Wait implements WaitTime.
func (c Constant) Wait(*rand.Rand, time.Duration) time.Duration { return time.Duration(c) }

func (c Constant) String() string { return fmt.Sprintf("constant(%v)", time.Duration(c)) }

// Between waits a uniformly random time in [Min, Max] (Locust's between).
type Between struct{ Min, Max time.Duration }

// Wait implements WaitTime.
func (b Between) Wait(rng *rand.Rand, _ time.Duration) time.Duration {
	if b.Max <= b.Min {
		return b.Min
	}
	return b.Min + time.Duration(rng.Int64N(int64(b.Max-b.Min)+1))
}

func (b Between) String() string { return fmt.Sprintf("between(%v, %v)", b.Min, b.Max) }

// ConstantPacing starts a task every Period whatever the task took, so one user
// makes at most one task per Period (Locust's constant_pacing).
type ConstantPacing time.Duration

// Wait implements WaitTime.
func (p ConstantPacing) Wait(_ *rand.Rand, took time.Duration) time.Duration {
	return max(time.Duration(p)-took, 0)
}

func (p ConstantPacing) String() string { return fmt.Sprintf("pacing(%v)", time.Duration(p)) }

// ErrBadWaitTime is returned for a wait time that cannot be parsed.
var ErrBadWaitTime = errors.New(`wait time must look like "0", "500ms", "constant(1s)", "between(1s,3s)" or "pacing(2s)"`)

// ParseWaitTime reads a wait time as the CLI accepts it. Bare numbers are
// seconds, as in a locustfile: "between(1, 3)" waits 1 to 3 seconds.
func ParseWaitTime(s string) (WaitTime, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	name, args, hasArgs := strings.Cut(s, "(")
	if !hasArgs {
		d, err := parseSeconds(s)
		return Constant(d), err
	}
	args, ok := strings.CutSuffix(args, ")")
	if !ok {
		return nil, fmt.Errorf("%q: %w", s, ErrBadWaitTime)
	}
	return buildWaitTime(strings.ToLower(name), strings.Split(args, ","), s)
}

func buildWaitTime(name string, args []string, raw string) (WaitTime, error) {
	values := make([]time.Duration, len(args))
	for i, a := range args {
		d, err := parseSeconds(a)
		if err != nil {
			return nil, err
		}
		values[i] = d
	}
	switch {
	case name == "constant" && len(values) == 1:
		return Constant(values[0]), nil
	case (name == "pacing" || name == "constant_pacing") && len(values) == 1:
		return ConstantPacing(values[0]), nil
	case name == "between" && len(values) == 2:
		if values[1] < values[0] {
			return nil, fmt.Errorf("%q: the maximum is below the minimum", raw)
		}
		return Between{Min: values[0], Max: values[1]}, nil
	}
	return nil, fmt.Errorf("%q: %w", raw, ErrBadWaitTime)
}

// parseSeconds accepts a Go duration ("1.5s", "200ms") or a bare number of seconds.
func parseSeconds(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil {
			return 0, fmt.Errorf("%q: %w", s, ErrBadWaitTime)
		}
		d = time.Duration(f * float64(time.Second))
	}
	if d < 0 || d > time.Hour {
		return 0, fmt.Errorf("wait time %q must be between 0 and 1h", s)
	}
	return d, nil
}
