package sandbox

import (
	"sort"
	"time"
)

// The sandbox's state model. One account in one region holds functions; each
// function has:
//
//   - $LATEST: the editable configuration. Every change makes a new immutable
//     functionConfig with the next Revision. The change is visible in the API at
//     once (LastUpdateStatus InProgress) but takes effect for invocations only
//     when the update completes; until then invocations keep the previous
//     revision (D) [S34].
//   - published versions 1, 2, …: immutable snapshots of $LATEST's configuration
//     (PublishVersion), each keeping the Revision it was taken from.
//   - aliases: a name pointing at "$LATEST" or a version number.
//   - reserved concurrency: a guarantee and a cap for the whole function.
//   - provisioned-concurrency configs keyed by the published version they
//     provision, each remembering the qualifier (alias or version) it was set
//     through; one config per version.
//
// Execution environments (exec_env.go) are keyed by (function, version,
// Revision): a new Revision means every later environment is cold.
//
// State transitions are not driven by goroutines: an update's InProgress →
// Successful and a provisioned config's IN_PROGRESS → READY are computed from
// their timestamps against the clock each time the state is read, so a Manual
// clock drives them in tests. All state is guarded by Sandbox.mu.

// latestVersion is the qualifier of the unpublished version.
const latestVersion = "$LATEST"

// account is the Lambda state of the sandbox's one account and region.
type account struct {
	id, region string
	// concurrencyLimit is ConcurrentExecutions: the account's regional quota.
	concurrencyLimit int
	functions        map[string]*function
	// stacks are the CloudFormation stacks, by name (cfn_stacks.go).
	stacks map[string]*stack
	// unreservedCache is unreserved() remembered for the invoke path, which
	// asks on every request; any control-plane call forgets it (routes.go).
	unreservedCache      int
	unreservedCacheValid bool
}

// function is one Lambda function with all its versions and settings.
type function struct {
	name string
	// applied is the $LATEST configuration invocations use now.
	applied functionConfig
	// pending is the configuration of an update in progress, nil when none;
	// it becomes applied at pendingUntil.
	pending      *functionConfig
	pendingUntil time.Time
	// versions holds the published versions; versions[i] is version i+1, nil
	// once deleted: version numbers are never reused.
	versions []*publishedVersion
	aliases  map[string]*alias
	// reserved is the reserved concurrency, nil when none is set.
	reserved *int
	// provisioned maps a published version number to its provisioned
	// concurrency config.
	provisioned map[int]*provisionedConfig
	tags        map[string]string
	// code is what its deployment package holds (code_entry.go).
	code codeEntry
	// exec is the execution state (exec_env.go), created on first invoke.
	exec *execState
}

// functionConfig is one immutable revision of a function's configuration.
type functionConfig struct {
	// Revision counts configuration changes of $LATEST, starting at 1. A
	// published version keeps the Revision it was published from.
	Revision     int
	RevisionID   string // the API's RevisionId (a UUID), new for every change
	Runtime      string
	Handler      string
	Role         string
	Description  string
	MemorySize   int // MB
	Timeout      int // seconds
	Architecture string
	// EphemeralStorage is /tmp in MB.
	EphemeralStorage int
	// Environment holds the function's environment variables. They are secrets:
	// returned through the API like AWS does, never logged.
	Environment  map[string]string
	CodeSize     int64
	CodeSha256   string
	LastModified time.Time
}

// publishedVersion is an immutable snapshot of $LATEST.
type publishedVersion struct {
	number      int
	config      functionConfig
	description string
}

// alias is a named pointer at "$LATEST" or a published version.
type alias struct {
	name        string
	version     string
	description string
	revisionID  string
}

// provisionedConfig is the provisioned concurrency of one published version.
type provisionedConfig struct {
	version int
	// qualifier is what the user configured it through: an alias name or the
	// version number; Get/Delete must name the same qualifier.
	qualifier string
	requested int
	// carried is how many environments stay allocated while a change is
	// IN_PROGRESS: 0 for a new config, the previous allocation (capped at the
	// new request) when an existing config is changed.
	carried      int
	lastModified time.Time
	// readyAt is when allocation completes; all environments become available
	// at once (D) [S22].
	readyAt time.Time
}

// provisionedStatus is a provisioned config as the API reports it at a moment.
type provisionedStatus struct {
	Status    string
	Allocated int
	Available int
}

// statusAt reports the config at now: IN_PROGRESS until readyAt, READY after.
func (p *provisionedConfig) statusAt(now time.Time) provisionedStatus {
	if now.Before(p.readyAt) {
		return provisionedStatus{Status: "IN_PROGRESS", Allocated: p.carried, Available: p.carried}
	}
	return provisionedStatus{Status: "READY", Allocated: p.requested, Available: p.requested}
}

// settle completes an update whose time has come.
func (f *function) settle(now time.Time) {
	if f.pending != nil && !now.Before(f.pendingUntil) {
		f.applied = *f.pending
		f.pending = nil
	}
}

// current is the $LATEST configuration the API shows: the pending one while an
// update is in progress.
func (f *function) current() functionConfig {
	if f.pending != nil {
		return *f.pending
	}
	return f.applied
}

// updating tells whether an update is in progress; call settle first.
func (f *function) updating() bool { return f.pending != nil }

// version returns published version n, or nil when there is none (any
// more).
func (f *function) version(n int) *publishedVersion {
	if n < 1 || n > len(f.versions) {
		return nil
	}
	return f.versions[n-1]
}

// publishedVersions lists the versions that exist, oldest first.
func (f *function) publishedVersions() []*publishedVersion {
	list := make([]*publishedVersion, 0, len(f.versions))
	for _, v := range f.versions {
		if v != nil {
			list = append(list, v)
		}
	}
	return list
}

// provisionedTotal is the provisioned concurrency requested on all versions.
func (f *function) provisionedTotal() int {
	total := 0
	for _, p := range f.provisioned {
		total += p.requested
	}
	return total
}

// provisionedByQualifier finds the config set through qualifier, or nil.
func (f *function) provisionedByQualifier(qualifier string) *provisionedConfig {
	for _, p := range f.provisioned {
		if p.qualifier == qualifier {
			return p
		}
	}
	return nil
}

// sortedProvisioned lists the configs by version, for stable output.
func (f *function) sortedProvisioned() []*provisionedConfig {
	list := make([]*provisionedConfig, 0, len(f.provisioned))
	for _, p := range f.provisioned {
		list = append(list, p)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].version < list[j].version })
	return list
}

// sortedAliases lists the aliases by name.
func (f *function) sortedAliases() []*alias {
	list := make([]*alias, 0, len(f.aliases))
	for _, a := range f.aliases {
		list = append(list, a)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].name < list[j].name })
	return list
}

// unreservedFloor is the concurrency Lambda always keeps for functions without
// reserved concurrency: 100, or the whole limit on smaller accounts.
func (a *account) unreservedFloor() int {
	return min(100, a.concurrencyLimit)
}

// unreservedExcept is UnreservedConcurrentExecutions with the function named
// skip left out: the limit minus every reserved concurrency, minus the
// provisioned concurrency of functions without reserved concurrency (theirs
// comes out of the unreserved pool).
func (a *account) unreservedExcept(skip string) int {
	unreserved := a.concurrencyLimit
	for name, f := range a.functions {
		if name == skip {
			continue
		}
		unreserved -= f.claimedConcurrency()
	}
	return unreserved
}

// unreserved is the account's UnreservedConcurrentExecutions.
func (a *account) unreserved() int { return a.unreservedExcept("") }

// unreservedCached is unreserved(), computed once per control-plane change.
func (a *account) unreservedCached() int {
	if !a.unreservedCacheValid {
		a.unreservedCache, a.unreservedCacheValid = a.unreserved(), true
	}
	return a.unreservedCache
}

// claimedConcurrency is what a function takes out of the unreserved pool.
func (f *function) claimedConcurrency() int {
	if f.reserved != nil {
		return *f.reserved
	}
	return f.provisionedTotal()
}

// sortedNames lists the function names in the order ListFunctions pages them.
func (a *account) sortedNames() []string {
	names := make([]string, 0, len(a.functions))
	for name := range a.functions {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
