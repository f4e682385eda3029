package tune

import (
	"context"
	"fmt"
	"strings"

	"github.com/lambdatune/lambdatune/aws"
)

// SweepNonceVariable is the environment variable cold-start mode sets
// before each measured Invoke. Its value is a counter, never a secret; the
// function's other variables are sent back unchanged and never logged.
const SweepNonceVariable = "LAMBDATUNE_SWEEP_NONCE"

// ColdStartMethod says how cold-start mode forces a new environment.
const ColdStartMethod = "before each measured Invoke the environment variable " + SweepNonceVariable +
	" is set to a new value and the update waited on: a new configuration makes Lambda start new execution environments [S33]; " +
	"the variable is removed at the end"

// SweepPrep is a sweep read against the function as AWS has it: the
// original configuration to come back to, every change it will make, what
// it will not touch, and where each step's workload goes. Nothing is sent yet.
type SweepPrep struct {
	Plan         SweepPlan
	Original     FunctionConfig
	Architecture string
	Target       LoadTarget
	// Changes is every change, in order, for the one confirmation.
	Changes []string
	// Untouched says what the sweep leaves alone and what that means.
	Untouched []string
	Where     Where
}

// PrepareSweep validates the plan, reads the function and lists every
// change the sweep will make. A bad memory list, an architecture the
// function's package does not allow, or an HTTP load that would not reach
// the configuration the sweep changes is refused here, before any change.
func (s *Session) PrepareSweep(ctx context.Context, plan SweepPlan) (SweepPrep, error) {
	if err := plan.Validate(); err != nil {
		return SweepPrep{}, err
	}
	d, err := s.client.FunctionDetail(ctx, plan.Function)
	if err != nil {
		return SweepPrep{}, err
	}
	archs, err := checkArchitectures(plan.Architectures, d.Architecture)
	if err != nil {
		return SweepPrep{}, err
	}
	plan.Architectures = archs
	prep := SweepPrep{Plan: plan, Original: ConfigOf(d), Architecture: d.Architecture, Where: s.where}
	if prep.Target, err = sweepTarget(plan, prep.Original); err != nil {
		return SweepPrep{}, err
	}
	prep.Changes = prep.changes()
	prep.Untouched = untouched(prep.Original, plan)
	return prep, nil
}

// sweepTarget is where each step's workload goes: Invokes go to $LATEST,
// whose memory the sweep changes.
func sweepTarget(plan SweepPlan, cfg FunctionConfig) (LoadTarget, error) {
	w := plan.Workload
	if w.Load == nil {
		if w.Payload != nil {
			return LoadTarget{Kind: TargetPayload, Function: plan.Function, Payload: string(w.Payload), Source: "sweep payload"}, nil
		}
		return LoadTarget{Kind: TargetInvoke, Function: plan.Function, Source: "sweep: proxy events to $LATEST"}, nil
	}
	t := w.Load.Target
	if t.Kind == TargetInvoke && t.Qualifier != "" {
		return LoadTarget{}, fmt.Errorf("%w: the load goes to %s:%s, a published version whose memory the sweep does not change; "+
			"load $LATEST (invoke:%s) instead", ErrBadSweep, t.Function, t.Qualifier, t.Function)
	}
	if v, ok := cfg.AliasVersion(DefaultAlias); ok && t.Kind == TargetHTTP {
		return LoadTarget{}, fmt.Errorf("%w: %s has alias %s (version %s), and an API in front of it (as the lab's does) invokes %s: "+
			"HTTP load would measure version %s, whose memory a sweep does not change (it changes $LATEST's). "+
			"Sweep with Invokes of $LATEST instead (--invokes N)", ErrBadSweep, plan.Function, DefaultAlias, v, DefaultAlias, v)
	}
	return t, nil
}

// changes lists every change, in order.
func (p SweepPrep) changes() []string {
	var lines []string
	current := p.Original.MemoryMB
	for i, mb := range p.Plan.Memories {
		change := fmt.Sprintf("memory %d MB → %d MB", current, mb)
		if mb == current {
			change = fmt.Sprintf("memory stays %d MB", mb)
		}
		lines = append(lines, fmt.Sprintf("step %d of %d: %s, then %s", i+1, len(p.Plan.Memories), change, p.workloadWords()))
		current = mb
	}
	if p.Plan.ColdStarts {
		lines = append(lines, "cold-start mode: "+ColdStartMethod)
	}
	end := fmt.Sprintf("at the end (also after an error or an interruption): memory back to %d MB", p.Original.MemoryMB)
	if p.Plan.ApplyChosen {
		end = fmt.Sprintf("at the end: memory set to the chosen size (--apply); after an error or an interruption back to %d MB", p.Original.MemoryMB)
	}
	return append(lines, end)
}

func (p SweepPrep) workloadWords() string {
	w := p.Plan.Workload
	if w.Load != nil {
		return fmt.Sprintf("load for %v", w.Load.RunTime)
	}
	return fmt.Sprintf("%d Invokes of $LATEST", w.Invokes)
}

// untouched says what the sweep leaves as it is: aliases, their published
// versions and provisioned concurrency, and reserved concurrency.
func untouched(cfg FunctionConfig, plan SweepPlan) []string {
	var lines []string
	for _, a := range cfg.Aliases {
		line := fmt.Sprintf("alias %s → version %s is not touched: a published version's memory cannot change, so traffic through %s "+
			"(an API in front of it) keeps running version %s at its own memory; the sweep measures $LATEST", a.Name, a.Version, a.Name, a.Version)
		if n := cfg.ProvisionedOn(a.Name); n > 0 {
			line += fmt.Sprintf(", which has no provisioned concurrency: every Invoke runs on demand, while the %d provisioned environments on %s stay allocated (and billed)", n, a.Name)
		}
		lines = append(lines, line)
	}
	for _, p := range cfg.Provisioned {
		if _, isAlias := cfg.AliasVersion(p.Qualifier); !isAlias {
			lines = append(lines, fmt.Sprintf("provisioned concurrency %d on version %s is not touched", p.Requested, p.Qualifier))
		}
	}
	if cfg.Reserved != nil {
		line := fmt.Sprintf("reserved concurrency %d is not touched", *cfg.Reserved)
		if plan.Workload.Parallel > int(*cfg.Reserved) {
			line += fmt.Sprintf(": it caps the %d parallel Invokes, and the ones above it are throttled", plan.Workload.Parallel)
		}
		lines = append(lines, line)
	}
	return lines
}

// Preview is the whole sweep in lines for the one confirmation.
func (p SweepPrep) Preview() []string {
	lines := []string{fmt.Sprintf("sweep %s (%s, now %s) over %s", p.Plan.Function, p.Architecture, p.Original.Summary(), memoryList(p.Plan.Memories)),
		"workload: " + p.Plan.Workload.Describe()}
	lines = append(lines, p.Changes...)
	for _, u := range p.Untouched {
		lines = append(lines, "not touched: "+u)
	}
	return lines
}

func memoryList(mbs []int32) string {
	parts := make([]string, len(mbs))
	for i, mb := range mbs {
		parts[i] = fmt.Sprint(mb)
	}
	return strings.Join(parts, ", ") + " MB"
}

// errSweepReadOnly is what a read-only session answers before the first change.
func errSweepReadOnly(fn string) error {
	return fmt.Errorf("%w: a sweep changes the memory of %s; nothing was changed", aws.ErrReadOnly, fn)
}
