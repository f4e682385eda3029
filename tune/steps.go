package tune

import (
	"fmt"
	"slices"

	"github.com/lambdatune/lambdatune/aws"
)

// Action is one request a plan sends.
type Action string

// The requests a plan is made of.
const (
	ActionMemory            Action = "memory"             // UpdateFunctionConfiguration, then wait for Successful
	ActionReserved          Action = "reserved"           // PutFunctionConcurrency
	ActionRemoveReserved    Action = "remove-reserved"    // DeleteFunctionConcurrency
	ActionPublish           Action = "publish"            // PublishVersion of $LATEST, then wait for Active
	ActionPointAlias        Action = "point-alias"        // UpdateAlias, or CreateAlias when it does not exist
	ActionDeleteAlias       Action = "delete-alias"       // DeleteAlias
	ActionProvisioned       Action = "provisioned"        // PutProvisionedConcurrencyConfig, then wait for READY
	ActionRemoveProvisioned Action = "remove-provisioned" // DeleteProvisionedConcurrencyConfig
	ActionDeleteVersion     Action = "delete-version"     // DeleteFunction of one published version (the lab's restore)
)

// newVersion stands for the version a publish step will create, until AWS names it.
const newVersion = "(new)"

// Step is one request of a plan.
type Step struct {
	Action    Action
	MemoryMB  int32
	Count     int32  // reserved or provisioned concurrency
	Qualifier string // provisioned: alias or version
	Alias     string // point-alias, delete-alias
	// Version is where point-alias points; empty means the version the
	// plan's publish step creates.
	Version string
}

// Describe says what the step sends, in words.
func (s Step) Describe() string {
	switch s.Action {
	case ActionMemory:
		return fmt.Sprintf("set memory to %d MB and wait until the update is Successful", s.MemoryMB)
	case ActionReserved:
		return fmt.Sprintf("reserve %d concurrency", s.Count)
	case ActionRemoveReserved:
		return "remove reserved concurrency"
	case ActionPublish:
		return "publish $LATEST as a new version"
	case ActionPointAlias:
		return fmt.Sprintf("point alias %s at %s", s.Alias, versionLabel(s.Version))
	case ActionDeleteAlias:
		return "delete alias " + s.Alias
	case ActionProvisioned:
		return fmt.Sprintf("request provisioned concurrency %d on %s and wait until READY", s.Count, s.Qualifier)
	case ActionRemoveProvisioned:
		return "remove provisioned concurrency from " + s.Qualifier
	case ActionDeleteVersion:
		return "delete version " + s.Version
	}
	return string(s.Action)
}

func versionLabel(v string) string {
	if v == "" || v == newVersion {
		return "the new version"
	}
	return "version " + v
}

// simulation follows a plan's steps on a copy of the configuration and the
// account, checking each with AWS's rules as AWS would see it at that point.
type simulation struct {
	config  FunctionConfig
	account aws.Account
}

func newSimulation(cfg FunctionConfig, acct aws.Account) *simulation {
	cp := cfg
	cp.Provisioned = slices.Clone(cfg.Provisioned)
	cp.Aliases = slices.Clone(cfg.Aliases)
	return &simulation{config: cp, account: acct}
}

func (s *simulation) apply(step Step) error {
	switch step.Action {
	case ActionMemory:
		if err := aws.ValidateMemory(int64(step.MemoryMB)); err != nil {
			return err
		}
		s.config.MemoryMB = step.MemoryMB
	case ActionReserved:
		return s.reserve(step.Count)
	case ActionRemoveReserved:
		s.account.Unreserved += s.claimed() - s.config.ProvisionedTotal()
		s.config.Reserved = nil
	case ActionPublish:
	case ActionPointAlias:
		s.pointAlias(step.Alias, step.Version)
	case ActionDeleteAlias:
		return s.deleteAlias(step.Alias)
	case ActionProvisioned:
		return s.provision(step.Qualifier, step.Count)
	case ActionRemoveProvisioned:
		s.setProvisioned(step.Qualifier, 0)
	case ActionDeleteVersion:
		return s.deleteVersion(step.Version)
	}
	return nil
}

// deleteVersion checks a version can go: AWS refuses to delete a version an
// alias points at or one with provisioned concurrency.
func (s *simulation) deleteVersion(v string) error {
	for _, a := range s.config.Aliases {
		if a.Version == v {
			return fmt.Errorf("version %s is still the target of alias %s: move or delete the alias first", v, a.Name)
		}
	}
	if s.config.ProvisionedOn(v) > 0 {
		return fmt.Errorf("version %s still has provisioned concurrency: remove it first", v)
	}
	return nil
}

// claimed is what the function holds of the account: its reservation, or
// else the provisioned concurrency it has outside one.
func (s *simulation) claimed() int32 {
	if s.config.Reserved != nil {
		return *s.config.Reserved
	}
	return s.config.ProvisionedTotal()
}

func (s *simulation) reserve(n int32) error {
	if err := aws.ValidateReserved(int64(n), s.claimed(), s.config.ProvisionedTotal(), s.account); err != nil {
		return err
	}
	s.account.Unreserved += s.claimed() - n
	s.config.Reserved = &n
	return nil
}

func (s *simulation) provision(q string, n int32) error {
	current := s.config.ProvisionedOn(q)
	target := aws.ProvisionedTarget{Qualifier: q, Reserved: s.config.Reserved, Current: current,
		OtherProvisioned: s.config.ProvisionedTotal() - current, Account: s.account}
	if err := aws.ValidateProvisioned(int64(n), target); err != nil {
		return err
	}
	s.setProvisioned(q, n)
	return nil
}

// setProvisioned records n on q; outside a reservation the account's
// unreserved pool pays for it.
func (s *simulation) setProvisioned(q string, n int32) {
	if s.config.Reserved == nil {
		s.account.Unreserved += s.config.ProvisionedOn(q) - n
	}
	s.config.Provisioned = slices.DeleteFunc(s.config.Provisioned, func(p ProvisionedConfig) bool { return p.Qualifier == q })
	if n > 0 {
		s.config.Provisioned = append(s.config.Provisioned, ProvisionedConfig{Qualifier: q, Requested: n, Status: "READY"})
	}
	slices.SortFunc(s.config.Provisioned, func(a, b ProvisionedConfig) int { return compareStrings(a.Qualifier, b.Qualifier) })
}

func (s *simulation) pointAlias(alias, version string) {
	if version == "" {
		version = newVersion
	}
	s.config.Aliases = slices.DeleteFunc(s.config.Aliases, func(a AliasConfig) bool { return a.Name == alias })
	s.config.Aliases = append(s.config.Aliases, AliasConfig{Name: alias, Version: version})
	slices.SortFunc(s.config.Aliases, func(a, b AliasConfig) int { return compareStrings(a.Name, b.Name) })
}

func (s *simulation) deleteAlias(alias string) error {
	if s.config.ProvisionedOn(alias) > 0 {
		return fmt.Errorf("alias %s still has provisioned concurrency: remove it first", alias)
	}
	s.config.Aliases = slices.DeleteFunc(s.config.Aliases, func(a AliasConfig) bool { return a.Name == alias })
	return nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// restoreSteps are the requests that bring the configuration from now back to
// target, in an order AWS accepts: provisioned concurrency is lowered before
// reservations shrink under it and raised after they grow, and aliases move
// only once no provisioned concurrency they carry is in the way. Published
// versions are never deleted: they are immutable and cost nothing unused.
func restoreSteps(now, target FunctionConfig) []Step {
	var steps []Step
	for _, p := range now.Provisioned {
		if want := target.ProvisionedOn(p.Qualifier); want < p.Requested {
			steps = append(steps, lowerProvisioned(p.Qualifier, want))
		}
	}
	if now.MemoryMB != target.MemoryMB && target.MemoryMB != 0 {
		steps = append(steps, Step{Action: ActionMemory, MemoryMB: target.MemoryMB})
	}
	if now.ReservedText() != target.ReservedText() {
		steps = append(steps, reservedStep(target.Reserved))
	}
	steps = append(steps, aliasSteps(now, target)...)
	for _, p := range target.Provisioned {
		if p.Requested > now.ProvisionedOn(p.Qualifier) {
			steps = append(steps, Step{Action: ActionProvisioned, Qualifier: p.Qualifier, Count: p.Requested})
		}
	}
	return steps
}

func lowerProvisioned(q string, n int32) Step {
	if n == 0 {
		return Step{Action: ActionRemoveProvisioned, Qualifier: q}
	}
	return Step{Action: ActionProvisioned, Qualifier: q, Count: n}
}

func reservedStep(r *int32) Step {
	if r == nil {
		return Step{Action: ActionRemoveReserved}
	}
	return Step{Action: ActionReserved, Count: *r}
}

func aliasSteps(now, target FunctionConfig) []Step {
	var steps []Step
	for _, a := range target.Aliases {
		if v, ok := now.AliasVersion(a.Name); !ok || v != a.Version {
			steps = append(steps, Step{Action: ActionPointAlias, Alias: a.Name, Version: a.Version})
		}
	}
	for _, a := range now.Aliases {
		if _, ok := target.AliasVersion(a.Name); !ok {
			steps = append(steps, Step{Action: ActionDeleteAlias, Alias: a.Name})
		}
	}
	return steps
}
