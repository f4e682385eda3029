package sandbox

import "time"

// Observer receives the execution model's facts as they happen: the hook for
// CloudWatch metrics (AWS/Lambda, docs/metrics.md). Every call is made with
// the sandbox's lock held, in the model's order and on its clock, so an
// implementation must be quick, must not block and must not call back into
// the Sandbox. The sandbox's own CloudWatch (cloudwatch.go) is always one; Config.Observer
// adds another.
//
// How the AWS/Lambda metrics follow from the calls (dimensions FunctionName,
// FunctionName+Resource, FunctionName+Resource+ExecutedVersion):
//
//   - Invocations, Errors, Duration, ProvisionedConcurrencyInvocations and
//     ProvisionedConcurrencySpilloverInvocations: one Invoked per invocation
//     that ran (timeouts included), keyed by its Start;
//   - Throttles: one Throttled per throttled request;
//   - ConcurrentExecutions, UnreservedConcurrentExecutions,
//     ProvisionedConcurrentExecutions, ProvisionedConcurrencyUtilization
//     (ProvisionedConcurrency ÷ ProvisionedAllocated) and
//     ClaimedAccountConcurrency: the levels in each ConcurrencyChanged, sent
//     after every start and end of an invocation (take the maximum per
//     period).
type Observer interface {
	Invoked(InvocationRecord)
	Throttled(ThrottleRecord)
	ConcurrencyChanged(ConcurrencyRecord)
}

// InvocationRecord is one invocation that ran, reported when it ends.
type InvocationRecord struct {
	Function string
	// Resource is the qualifier the caller named: an alias, a version number,
	// "$LATEST", or "" when the call was unqualified.
	Resource        string
	ExecutedVersion string
	RequestID       string
	// Start is when the invocation began; CloudWatch keys its datapoints by it.
	Start time.Time
	// Duration, BilledDuration and InitDuration are as the REPORT line has
	// them; InitDuration is zero unless ColdStart.
	Duration       time.Duration
	BilledDuration time.Duration
	InitDuration   time.Duration
	// ColdStart: an on-demand environment initialised for this invocation.
	ColdStart bool
	// Provisioned: it ran on a provisioned-concurrency environment.
	Provisioned bool
	// Spillover: it ran on demand while its version had provisioned
	// concurrency allocated (all busy, or over the provisioned rate).
	Spillover bool
	// FunctionError is "Unhandled" when the function failed (timeouts
	// included), else "".
	FunctionError string
	TimedOut      bool
	// Async: an Event invocation.
	Async         bool
	MemorySize    int
	MaxMemoryUsed int
}

// ThrottleRecord is one request Lambda refused with TooManyRequestsException.
type ThrottleRecord struct {
	Function string
	Resource string
	// ExecutedVersion is the version the request would have run.
	ExecutedVersion string
	Time            time.Time
	// Reason is the exception's Reason, e.g.
	// ReservedFunctionConcurrentInvocationLimitExceeded.
	Reason string
	Async  bool
}

// ConcurrencyRecord is the concurrency after an invocation started or ended.
type ConcurrencyRecord struct {
	Time time.Time
	// Function, ExecutedVersion and Resource name the invocation that changed
	// the levels.
	Function        string
	ExecutedVersion string
	Resource        string
	// In-flight invocations of the function, of the version and of the
	// resource (the qualifier as named).
	FunctionConcurrency int
	VersionConcurrency  int
	ResourceConcurrency int
	// ProvisionedConcurrency is how many of the version's provisioned
	// environments are busy; ProvisionedAllocated how many exist (READY).
	ProvisionedConcurrency int
	ProvisionedAllocated   int
	// Account-wide: all in-flight invocations, those on the unreserved pool,
	// and ClaimedAccountConcurrency (unreserved in flight + reserved +
	// provisioned concurrency allocated outside reserved).
	AccountConcurrency        int
	UnreservedConcurrency     int
	ClaimedAccountConcurrency int
}
