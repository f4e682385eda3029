package tune

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lambdatune/lambdatune/aws"
)

// ChangeKind is which setting a change edits.
type ChangeKind string

// The settings lambdatune changes.
const (
	ChangeMemory      ChangeKind = "memory"
	ChangeReserved    ChangeKind = "reserved"
	ChangeProvisioned ChangeKind = "provisioned"
	// ChangeRestore brings several settings back to a recorded configuration
	// (an undo, or the restore at the end of a sweep or the lab).
	ChangeRestore ChangeKind = "restore"
)

// DefaultAlias is the alias the lab's stack publishes (AutoPublishAlias: live)
// and the one lambdatune offers to create for provisioned concurrency.
const DefaultAlias = "live"

// ChangeRequest is one edit a user asks for.
type ChangeRequest struct {
	Function string
	Kind     ChangeKind
	// MemoryMB is the new memory (ChangeMemory).
	MemoryMB int64
	// Reserved is the new reserved concurrency (ChangeReserved); nil removes it.
	Reserved *int64
	// Qualifier is the alias or version provisioned concurrency is set on.
	Qualifier string
	// Provisioned is the new provisioned concurrency; 0 removes it.
	Provisioned int64
	// PublishAlias publishes $LATEST as a new version and points the alias
	// Qualifier at it (creating the alias if needed) before provisioning, as
	// the lab's AutoPublishAlias does.
	PublishAlias bool
	// Target is the configuration a ChangeRestore brings back.
	Target *FunctionConfig
}

// ErrNothingToChange is returned for a request that would leave the function as it is.
var ErrNothingToChange = errors.New("nothing to change: that is the current setting")

// Plan is a validated change, ready to preview and apply: nothing has been
// sent yet.
type Plan struct {
	Request ChangeRequest
	// Before is the configuration now; After what it will be when every step is done.
	Before, After FunctionConfig
	// Steps are the requests to send, in order.
	Steps []Step
	// Effects say what the change does beyond the setting itself: the
	// account's unreserved concurrency and the cost.
	Effects []string
	// Unreserved is the account's unreserved concurrency before and after.
	UnreservedBefore, UnreservedAfter int32
}

// Preview is the plan in lines a user reads before confirming: old → new,
// then what it does, then what will be sent.
func (p Plan) Preview() []string {
	lines := append([]string{}, p.Before.Diff(p.After)...)
	lines = append(lines, p.Effects...)
	if len(p.Steps) > 1 {
		for i, s := range p.Steps {
			lines = append(lines, fmt.Sprintf("step %d of %d: %s", i+1, len(p.Steps), s.Describe()))
		}
	}
	return lines
}

// Title is the change in a few words, e.g. "memory 128 MB → 3008 MB".
func (p Plan) Title() string {
	diff := p.Before.Diff(p.After)
	if len(diff) == 0 {
		return string(p.Request.Kind)
	}
	return strings.Join(diff, ", ")
}

// PlanChange validates req against facts with AWS's own rules and words
// (the aws package's validation) and works out the steps and their effects.
// It sends nothing, so a screen can call it on every keystroke.
func PlanChange(req ChangeRequest, facts Facts) (Plan, error) {
	before := ConfigOf(facts.Detail)
	if req.Function == "" {
		req.Function = facts.Detail.Name
	}
	steps, err := stepsFor(req, before, facts.Detail)
	if err != nil {
		return Plan{}, err
	}
	if len(steps) == 0 {
		return Plan{}, ErrNothingToChange
	}
	sim := newSimulation(before, facts.Account)
	for _, s := range steps {
		if err := sim.apply(s); err != nil {
			return Plan{}, err
		}
	}
	plan := Plan{Request: req, Before: before, After: sim.config, Steps: steps,
		UnreservedBefore: facts.Account.Unreserved, UnreservedAfter: sim.account.Unreserved}
	plan.Effects = effects(plan, facts)
	return plan, nil
}

func stepsFor(req ChangeRequest, before FunctionConfig, d aws.FunctionDetail) ([]Step, error) {
	switch req.Kind {
	case ChangeMemory:
		if err := aws.ValidateMemory(req.MemoryMB); err != nil {
			return nil, err
		}
		if int64(before.MemoryMB) == req.MemoryMB {
			return nil, nil
		}
		return []Step{{Action: ActionMemory, MemoryMB: int32(req.MemoryMB)}}, nil
	case ChangeReserved:
		return reservedSteps(req, before)
	case ChangeProvisioned:
		return provisionedSteps(req, before, d)
	case ChangeRestore:
		if req.Target == nil {
			return nil, errors.New("restore: no configuration to restore")
		}
		return restoreSteps(before, *req.Target), nil
	}
	return nil, fmt.Errorf("unknown change %q", req.Kind)
}

func reservedSteps(req ChangeRequest, before FunctionConfig) ([]Step, error) {
	if req.Reserved == nil {
		if before.Reserved == nil {
			return nil, nil
		}
		return []Step{{Action: ActionRemoveReserved}}, nil
	}
	n := *req.Reserved
	if n < aws.MinReserved || n > int64(^uint32(0)>>1) {
		return nil, aws.ValidateReserved(n, 0, 0, aws.Account{})
	}
	if before.Reserved != nil && int64(*before.Reserved) == n {
		return nil, nil
	}
	return []Step{{Action: ActionReserved, Count: int32(n)}}, nil
}

func provisionedSteps(req ChangeRequest, before FunctionConfig, d aws.FunctionDetail) ([]Step, error) {
	if err := aws.ValidateQualifier(req.Qualifier); err != nil {
		return nil, err
	}
	if req.Provisioned < 0 || req.Provisioned > int64(^uint32(0)>>1) {
		return nil, aws.ValidateProvisioned(req.Provisioned, aws.ProvisionedTarget{Qualifier: req.Qualifier})
	}
	var steps []Step
	if req.PublishAlias {
		steps = append(steps, Step{Action: ActionPublish}, Step{Action: ActionPointAlias, Alias: req.Qualifier})
	} else if !qualifierExists(req.Qualifier, d) {
		return nil, &aws.ValidationError{Field: "qualifier", Value: req.Qualifier, Message: fmt.Sprintf(
			"%s has no alias or version %q: choose one it has, or publish a version and create the alias", d.Name, req.Qualifier)}
	}
	current := before.ProvisionedOn(req.Qualifier)
	switch {
	case req.Provisioned == 0 && current > 0:
		steps = append(steps, Step{Action: ActionRemoveProvisioned, Qualifier: req.Qualifier})
	case req.Provisioned > 0 && (int64(current) != req.Provisioned || req.PublishAlias):
		// After the alias moves, its provisioned concurrency is allocated
		// anew on the new version: request it (again) and wait for READY.
		steps = append(steps, Step{Action: ActionProvisioned, Qualifier: req.Qualifier, Count: int32(req.Provisioned)})
	}
	return steps, nil
}

func qualifierExists(q string, d aws.FunctionDetail) bool {
	for _, a := range d.Aliases {
		if a.Name == q {
			return true
		}
	}
	for _, v := range d.Versions {
		if v.Version == q {
			return true
		}
	}
	return false
}
