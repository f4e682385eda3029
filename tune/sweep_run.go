package tune

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/load"
)

// ErrSweepStopped is returned when a sweep stopped before its last step for
// another reason than the user: the function could not be changed or read.
var ErrSweepStopped = errors.New("the sweep stopped early")

// SweepProgress is one report while a sweep runs.
type SweepProgress struct {
	// Step is the 1-based step under way (0 once the steps are over).
	Step, Steps int
	MemoryMB    int32
	// Phase is what happens now, in words: "memory 128 MB → 256 MB",
	// "measuring", "restoring".
	Phase string
	// Done are the steps finished so far.
	Done []SweepStep
}

// SweepOptions says who hears a sweep's progress.
type SweepOptions struct {
	Progress func(SweepProgress)
	// Started hears each step's live run once, for live charts.
	Started func(step int, run *load.Run)
	// RestoreWait is how long the end waits for the endpoint to answer
	// again when restoring fails (default 2 minutes).
	RestoreWait time.Duration
}

// DefaultRestoreWait bounds the restore's retries.
const DefaultRestoreWait = 2 * time.Minute

func (o SweepOptions) report(p SweepProgress) {
	if o.Progress != nil {
		o.Progress(p)
	}
}

// RunSweep runs every step — the memory through the normal validated,
// waited-on change, then the workload recorded as a run — and chooses. At
// the end, after an error and after an interruption (ctx's end), it puts
// the function back as it was (or at the chosen memory with ApplyChosen)
// with a context of its own, and says what it did in the result's End. A
// read-only session refuses before the first change. The error is
// ctx.Err() when interrupted, ErrSweepStopped when a step could not run.
func (s *Session) RunSweep(ctx context.Context, prep SweepPrep, opts SweepOptions) (SweepResult, error) {
	res := SweepResult{Function: prep.Plan.Function, Where: prep.Where.Label(), Sandbox: prep.Where.Sandbox,
		Workload: prep.Plan.Workload.Describe(), ColdStarts: prep.Plan.ColdStarts, Original: prep.Original,
		Untouched: prep.Untouched, Options: prep.Plan.Choice, Started: s.clock.Now()}
	if res.Sandbox {
		res.ModelNotes = SandboxModelNotes
	}
	if prep.Plan.ColdStarts {
		res.ColdStartMethod = ColdStartMethod
	}
	if s.where.ReadOnly || s.client.ReadOnly() {
		return res, errSweepReadOnly(prep.Plan.Function)
	}
	run := &sweepRun{s: s, prep: prep, opts: opts}
	run.scope, _ = s.Scope(ctx, prep.Plan.Function)
	err := run.steps(ctx, &res)
	res.Choice = Choose(res.Steps, prep.Plan.Choice)
	s.endSweep(ctx, prep, &res, opts, err == nil)
	res.Ended = s.clock.Now()
	return res, err
}

// sweepRun is one sweep under way.
type sweepRun struct {
	s     *Session
	prep  SweepPrep
	opts  SweepOptions
	scope Scope
	nonce atomic.Uint64
}

func (r *sweepRun) steps(ctx context.Context, res *SweepResult) error {
	memories := r.prep.Plan.Memories
	for i, mb := range memories {
		if ctx.Err() != nil {
			res.Interrupted = true
			return ctx.Err()
		}
		step, err := r.step(ctx, i, mb, res.Steps)
		if step.MemoryMB != 0 {
			res.Steps = append(res.Steps, step)
		}
		switch {
		case ctx.Err() != nil:
			res.Interrupted = true
			return ctx.Err()
		case err != nil:
			res.Stopped = fmt.Sprintf("step %d of %d (%d MB): %s", i+1, len(memories), mb, aws.Explain(err))
			return fmt.Errorf("%w: %s", ErrSweepStopped, res.Stopped)
		}
		r.opts.report(SweepProgress{Step: i + 1, Steps: len(memories), MemoryMB: mb, Phase: "measured", Done: res.Steps})
	}
	return nil
}

// step changes the memory and runs the workload. A workload whose requests
// fail (timeouts at a small size) is a measured step; an error is returned
// only when the step could not be run (the change or the run failed).
func (r *sweepRun) step(ctx context.Context, i int, mb int32, done []SweepStep) (SweepStep, error) {
	s, fn, steps := r.s, r.prep.Plan.Function, len(r.prep.Plan.Memories)
	facts, err := s.Facts(ctx, fn)
	if err != nil {
		return SweepStep{}, fmt.Errorf("read %s: %w", fn, err)
	}
	plan, err := PlanChange(ChangeRequest{Function: fn, Kind: ChangeMemory, MemoryMB: int64(mb)}, facts)
	switch {
	case errors.Is(err, ErrNothingToChange):
	case err != nil:
		return SweepStep{}, err
	default:
		r.opts.report(SweepProgress{Step: i + 1, Steps: steps, MemoryMB: mb, Phase: plan.Title(), Done: done})
		out, err := s.Apply(ctx, plan, ApplyOptions{Path: PathSweep})
		if err != nil {
			return SweepStep{}, errors.New(out.Summary())
		}
		facts.Detail.MemoryMB = out.After.MemoryMB
	}
	r.opts.report(SweepProgress{Step: i + 1, Steps: steps, MemoryMB: mb, Phase: "measuring", Done: done})
	m := Measure{Settings: r.settings(), Meta: RunMeta{Scope: r.scope, Function: fn, Qualifier: r.qualifier(), Path: PathSweep,
		Config: ConfigOf(facts.Detail), ConfigKnown: true}}
	if r.opts.Started != nil {
		m.Started = func(run *load.Run) { r.opts.Started(i, run) }
	}
	if r.prep.Plan.ColdStarts {
		m.Before = r.freshEnvironment
	}
	if r.prep.Target.Kind == TargetHTTP {
		if r.sandbox() {
			m.CloudWatch = s.stepView
		} else if i > 0 {
			r.opts.report(SweepProgress{Step: i + 1, Steps: steps, MemoryMB: mb, Phase: "waiting for a CloudWatch minute of its own", Done: done})
			if err := s.awaitOwnMinute(ctx); err != nil {
				return SweepStep{}, err
			}
		}
	}
	_, rec, err := s.Measure(ctx, m)
	if err != nil && rec.Started.IsZero() {
		return SweepStep{}, err
	}
	step := stepOf(i, mb, r.prep.Architecture, rec, s.prices)
	if err != nil && ctx.Err() == nil {
		step.Error = aws.Explain(err)
	}
	return step, err
}

// sandbox: the sandbox publishes CloudWatch per second.
func (r *sweepRun) sandbox() bool { return r.prep.Where.Sandbox || r.s.client.IsSandbox() }

// qualifier is what the journal records the run reached: Invokes reach
// $LATEST (so no alias's provisioned concurrency is counted as theirs).
func (r *sweepRun) qualifier() string {
	if r.prep.Target.Kind == TargetHTTP {
		return ""
	}
	return "$LATEST"
}

// settings is the load of one step.
func (r *sweepRun) settings() LoadSettings {
	w := r.prep.Plan.Workload
	if w.Load != nil {
		ls := *w.Load
		ls.Target = r.prep.Target
		return ls
	}
	scenario := "products"
	if r.prep.Target.Kind == TargetPayload {
		scenario = "payload"
	}
	// All users start at once, none waits: N Invokes, P at a time.
	return LoadSettings{Target: r.prep.Target, Scenario: scenario, Users: w.Parallel, SpawnRate: float64(load.MaxUsers),
		Wait: "0", RunTime: sweepInvokeRunTime, MaxRequests: uint64(w.Invokes)}
}

// freshEnvironment forces the next Invoke onto a new execution environment.
func (r *sweepRun) freshEnvironment(ctx context.Context) error {
	n := r.nonce.Add(1)
	value := strconv.FormatInt(r.s.clock.Now().UnixNano(), 36) + "-" + strconv.FormatUint(n, 10)
	return r.s.client.SetEnvironmentVariable(ctx, r.prep.Plan.Function, SweepNonceVariable, value, nil)
}
