package tune

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lambdatune/lambdatune/aws"
)

// DefaultSweepMemories are the sizes a sweep tries when none are given: AWS
// Lambda Power Tuning's defaults and 2048 MB (docs/sweep.md, [S97]).
var DefaultSweepMemories = []int32{128, 256, 512, 1024, 1536, 2048, 3008}

// Sweep workload defaults and bounds: every sweep is bounded.
const (
	DefaultSweepInvokes  = 100
	MaxSweepInvokes      = 100_000
	MaxSweepParallel     = 1000
	MaxSweepSteps        = 64
	maxSweepPayloadBytes = 6 << 20 // Lambda's synchronous payload limit [S2]
	// sweepInvokeRunTime bounds an Invoke step in time as well as in count.
	sweepInvokeRunTime = 10 * time.Minute
)

// ErrBadSweep wraps every sweep setting refused.
var ErrBadSweep = errors.New("sweep")

// SweepWorkload is what each step runs: N Invokes (of a payload, or of the
// lab's API Gateway proxy events when there is none), or an HTTP load test.
type SweepWorkload struct {
	// Invokes is how many Invokes a step makes (Power Tuning's num); 0 with
	// Load set runs the load test instead.
	Invokes int `json:"invokes,omitempty"`
	// Parallel is how many Invokes are in flight at once (1: one after the other).
	Parallel int `json:"parallel,omitempty"`
	// Payload is sent with every Invoke; nil sends the products scenario's
	// proxy events. PayloadName says where it came from (a file name).
	Payload     []byte `json:"-"`
	PayloadName string `json:"payload,omitempty"`
	// Load is the HTTP load test each step runs, for its run time.
	Load *LoadSettings `json:"-"`
}

// SweepPlan is a sweep a user asked for, before anything is read or sent.
type SweepPlan struct {
	Function string  `json:"function"`
	Memories []int32 `json:"memories_mb"`
	// Architectures are the ones to measure; empty means the function's own.
	Architectures []string      `json:"architectures,omitempty"`
	Workload      SweepWorkload `json:"workload"`
	// ColdStarts forces a new execution environment before every measured
	// Invoke (the workload runs sequentially then).
	ColdStarts bool          `json:"cold_starts"`
	Choice     ChoiceOptions `json:"choice"`
	// ApplyChosen ends the sweep at the chosen memory instead of restoring.
	ApplyChosen bool `json:"apply_chosen"`
}

// ParseMemoryList reads "128,256,512" into sizes, each checked with AWS's
// own rule (128–10240 MB, whole MB); duplicates are refused.
func ParseMemoryList(s string) ([]int32, error) {
	var out []int32
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(part), "MB"))
		if part == "" {
			continue
		}
		mb, err := strconv.ParseInt(part, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: memory %q is not a whole number of MB (e.g. 128,256,512)", ErrBadSweep, part)
		}
		if err := aws.ValidateMemory(mb); err != nil {
			return nil, fmt.Errorf("%w: %s", ErrBadSweep, aws.Explain(err))
		}
		if slices.Contains(out, int32(mb)) {
			return nil, fmt.Errorf("%w: memory %d MB is listed twice", ErrBadSweep, mb)
		}
		out = append(out, int32(mb))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: the memory list is empty (e.g. 128,256,512)", ErrBadSweep)
	}
	return out, nil
}

// ParseArchitectures reads "x86_64,arm64".
func ParseArchitectures(s string) ([]string, error) {
	var out []string
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		switch part {
		case "":
			continue
		case "x86_64", "arm64":
			if !slices.Contains(out, part) {
				out = append(out, part)
			}
		default:
			return nil, fmt.Errorf("%w: architecture %q: Lambda has x86_64 and arm64", ErrBadSweep, part)
		}
	}
	return out, nil
}

// Validate checks the plan on its own, before any read: the memory list,
// the workload, the strategy.
func (p SweepPlan) Validate() error {
	if p.Function == "" {
		return fmt.Errorf("%w: no function", ErrBadSweep)
	}
	if len(p.Memories) == 0 {
		return fmt.Errorf("%w: no memory sizes", ErrBadSweep)
	}
	if len(p.Memories)*max(len(p.Architectures), 1) > MaxSweepSteps {
		return fmt.Errorf("%w: at most %d steps (got %d memory sizes)", ErrBadSweep, MaxSweepSteps, len(p.Memories))
	}
	for _, mb := range p.Memories {
		if err := aws.ValidateMemory(int64(mb)); err != nil {
			return fmt.Errorf("%w: %s", ErrBadSweep, aws.Explain(err))
		}
	}
	if err := p.Workload.validate(p.ColdStarts); err != nil {
		return err
	}
	return p.Choice.Validate()
}

func (w SweepWorkload) validate(cold bool) error {
	if w.Load != nil && w.Invokes > 0 {
		return fmt.Errorf("%w: give either a number of Invokes or a load test, not both", ErrBadSweep)
	}
	if w.Load != nil {
		if cold {
			return fmt.Errorf("%w: cold-start mode measures Invokes one at a time; it does not run with an HTTP load test", ErrBadSweep)
		}
		return w.Load.Validate()
	}
	checks := []struct {
		bad bool
		msg string
	}{
		{w.Invokes < 1 || w.Invokes > MaxSweepInvokes, fmt.Sprintf("invokes must be between 1 and %d (got %d)", MaxSweepInvokes, w.Invokes)},
		{w.Parallel < 1 || w.Parallel > MaxSweepParallel, fmt.Sprintf("parallel must be between 1 and %d (got %d)", MaxSweepParallel, w.Parallel)},
		{cold && w.Parallel > 1, "cold-start mode forces a new environment before each Invoke, one at a time: leave --parallel at 1"},
		{len(w.Payload) > maxSweepPayloadBytes, fmt.Sprintf("the payload is %d bytes; Lambda takes at most 6 MB synchronously", len(w.Payload))},
	}
	for _, c := range checks {
		if c.bad {
			return fmt.Errorf("%w: %s", ErrBadSweep, c.msg)
		}
	}
	return nil
}

// Describe is the workload in a line.
func (w SweepWorkload) Describe() string {
	if w.Load != nil {
		l := w.Load
		model := fmt.Sprintf("%d users (spawn %g/s, wait %s)", l.Users, l.SpawnRate, orNone(l.Wait))
		if l.Rate > 0 {
			model = fmt.Sprintf("%g requests/s (up to %d connections)", l.Rate, l.Users)
		}
		return fmt.Sprintf("%s load test per step: %s for %v → %s", l.Scenario, model, l.RunTime, l.Target)
	}
	what := "the products API's proxy events"
	if w.Payload != nil {
		what = "payload " + orNone(w.PayloadName)
	}
	how := "one at a time"
	if w.Parallel > 1 {
		how = fmt.Sprintf("%d in parallel", w.Parallel)
	}
	return fmt.Sprintf("%d Invokes of $LATEST per step with %s, %s", w.Invokes, what, how)
}

// checkArchitectures keeps the function's own architecture: changing it
// means deploying code built for the other one (UpdateFunctionCode with
// Architectures), which a sweep does not do.
func checkArchitectures(asked []string, own string) ([]string, error) {
	for _, a := range asked {
		if a != own {
			return nil, fmt.Errorf("%w: --arch %s: the function is %s, and moving it to %s means deploying its code built for %s "+
				"(UpdateFunctionCode), which a sweep does not do; sweep it as %s", ErrBadSweep, a, own, a, a, own)
		}
	}
	return []string{own}, nil
}
