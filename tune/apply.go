package tune

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lambdatune/lambdatune/aws"
)

// Paths a change can come through, as its record says.
const (
	PathConsole = "console"
	PathCLI     = "cli"
	PathUndo    = "undo"
	PathSweep   = "sweep"
	PathLab     = "lab"
)

// Progress is one report while a plan is applied.
type Progress struct {
	Step, Steps int // 1-based step under way, of how many
	Label       string
	aws.Progress
}

// ApplyOptions says where a change comes from and who hears its progress.
type ApplyOptions struct {
	Path     string
	Progress func(Progress)
}

// Outcome is what applying a plan did.
type Outcome struct {
	Plan Plan
	// After is the configuration as AWS reports it once the plan ended (done,
	// failed or no longer waited for).
	After FunctionConfig
	// Done is how many steps AWS finished.
	Done int
	// Stopped is true when the caller stopped waiting (ctx ended) after a
	// request was sent: AWS goes on applying it.
	Stopped bool
	// RolledBack lists what was undone after a later step failed.
	RolledBack []string
	Elapsed    time.Duration
	Err        error
}

// Status is the outcome in a word, as the journal keeps it.
func (o Outcome) Status() string {
	switch {
	case o.Stopped:
		return "stopped waiting"
	case o.Err != nil:
		return "failed"
	}
	return "done"
}

// Summary says what happened in a sentence a user reads after the change.
func (o Outcome) Summary() string {
	switch {
	case o.Stopped:
		return fmt.Sprintf("stopped waiting after %s: the change stays as AWS has it (now %s)", o.Elapsed.Round(100*time.Millisecond), o.After.Summary())
	case o.Err != nil && o.Done == 0:
		return "not changed: " + aws.Explain(o.Err)
	case o.Err != nil:
		return fmt.Sprintf("step %d of %d failed: %s; now %s", o.Done+1, len(o.Plan.Steps), aws.Explain(o.Err), o.After.Summary())
	}
	return fmt.Sprintf("done in %s: %s", o.Elapsed.Round(100*time.Millisecond), o.After.Summary())
}

// Apply sends a plan's steps in order, waiting on each until AWS reports it
// done, then reads the function back. When a step fails after an alias was
// created or moved for it, the alias is put back, so a failed change leaves
// the function as it was (a version published on the way stays: versions are
// immutable and cost nothing unused). Every outcome is recorded when the
// session has a recorder. The error is the outcome's Err.
func (s *Session) Apply(ctx context.Context, plan Plan, opts ApplyOptions) (Outcome, error) {
	started := s.clock.Now()
	out := Outcome{Plan: plan}
	run := &applyRun{s: s, plan: plan, opts: opts}
	for i, step := range plan.Steps {
		run.index = i
		if err := run.do(ctx, step); err != nil {
			out.Err = err
			out.Stopped = ctx.Err() != nil && run.sent
			break
		}
		out.Done++
	}
	if out.Err != nil && !out.Stopped {
		out.RolledBack = run.rollback(context.WithoutCancel(ctx))
	}
	out.After = s.readBack(context.WithoutCancel(ctx), plan)
	out.Elapsed = s.clock.Now().Sub(started)
	s.record(context.WithoutCancel(ctx), out, opts.Path, started)
	return out, out.Err
}

// readBack reads the configuration after a plan; if that fails too, the
// plan's own prediction of the steps done is the best statement left.
func (s *Session) readBack(ctx context.Context, plan Plan) FunctionConfig {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	d, err := s.client.FunctionDetail(ctx, plan.Request.Function)
	if err != nil {
		return plan.Before
	}
	return ConfigOf(d)
}

// applyRun is one Apply under way: what it published and which alias moves
// it may have to take back.
type applyRun struct {
	s         *Session
	plan      Plan
	opts      ApplyOptions
	index     int
	sent      bool   // a request of the current step has left
	published string // the version this plan's publish step created
	undo      []Step // alias steps that put back what this plan moved, newest first
}

func (r *applyRun) progress(label string) aws.ProgressFunc {
	return func(p aws.Progress) {
		if r.opts.Progress != nil {
			r.opts.Progress(Progress{Step: r.index + 1, Steps: len(r.plan.Steps), Label: label, Progress: p})
		}
	}
}

func (r *applyRun) do(ctx context.Context, step Step) error {
	c, name := r.s.client, r.plan.Request.Function
	report := r.progress(step.Describe())
	report(aws.Progress{Function: name, Status: "sending"})
	r.sent = true
	switch step.Action {
	case ActionMemory:
		_, err := c.SetMemory(ctx, name, int64(step.MemoryMB), report)
		return err
	case ActionReserved:
		return c.SetReserved(ctx, name, int64(step.Count))
	case ActionRemoveReserved:
		return c.RemoveReserved(ctx, name)
	case ActionPublish:
		return r.publish(ctx, report)
	case ActionPointAlias:
		return r.pointAlias(ctx, step)
	case ActionDeleteAlias:
		return c.DeleteAlias(ctx, name, step.Alias)
	case ActionProvisioned:
		_, err := c.SetProvisioned(ctx, name, step.Qualifier, int64(step.Count), report)
		return err
	case ActionRemoveProvisioned:
		return c.RemoveProvisioned(ctx, name, step.Qualifier)
	case ActionDeleteVersion:
		return c.DeleteVersion(ctx, name, step.Version)
	}
	return fmt.Errorf("unknown step %q", step.Action)
}

// publishDescription is the description of every version lambdatune
// publishes: the lab's restore deletes only versions that carry it.
const publishDescription = "published by lambdatune"

// publish waits for any update of $LATEST to finish (AWS refuses to publish
// meanwhile), then publishes it.
func (r *applyRun) publish(ctx context.Context, report aws.ProgressFunc) error {
	name := r.plan.Request.Function
	if _, err := r.s.client.WaitUpdated(ctx, name, report); err != nil {
		return err
	}
	v, err := r.s.client.PublishVersion(ctx, name, publishDescription)
	if err != nil {
		return err
	}
	r.published = v.Version
	return nil
}

func (r *applyRun) pointAlias(ctx context.Context, step Step) error {
	version := step.Version
	if version == "" || version == newVersion {
		version = r.published
	}
	if version == "" {
		return errors.New("no version to point the alias at: the publish step did not run")
	}
	previous, existed := r.plan.Before.AliasVersion(step.Alias)
	if _, err := r.s.client.PointAlias(ctx, r.plan.Request.Function, step.Alias, version); err != nil {
		return err
	}
	back := Step{Action: ActionDeleteAlias, Alias: step.Alias}
	if existed {
		back = Step{Action: ActionPointAlias, Alias: step.Alias, Version: previous}
	}
	r.undo = append([]Step{back}, r.undo...)
	return nil
}

// rollback puts back the aliases this plan created or moved.
func (r *applyRun) rollback(ctx context.Context) []string {
	var done []string
	for _, step := range r.undo {
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		var err error
		if step.Action == ActionDeleteAlias {
			err = r.s.client.DeleteAlias(ctx, r.plan.Request.Function, step.Alias)
		} else {
			_, err = r.s.client.PointAlias(ctx, r.plan.Request.Function, step.Alias, step.Version)
		}
		cancel()
		if err == nil {
			done = append(done, step.Describe())
		}
	}
	return done
}
