package metrics

import (
	"sync"
	"time"
)

// Namespace is the namespace of the Lambda metrics.
const Namespace = "AWS/Lambda"

// The Lambda metric names (docs/metrics.md#what-is-recorded).
const (
	MetricInvocations                         = "Invocations"
	MetricErrors                              = "Errors"
	MetricThrottles                           = "Throttles"
	MetricDuration                            = "Duration"
	MetricConcurrentExecutions                = "ConcurrentExecutions"
	MetricUnreservedConcurrentExecutions      = "UnreservedConcurrentExecutions"
	MetricClaimedAccountConcurrency           = "ClaimedAccountConcurrency"
	MetricProvisionedConcurrentExecutions     = "ProvisionedConcurrentExecutions"
	MetricProvisionedConcurrencyUtilization   = "ProvisionedConcurrencyUtilization"
	MetricProvisionedConcurrencyInvocations   = "ProvisionedConcurrencyInvocations"
	MetricProvisionedConcurrencySpilloverInvs = "ProvisionedConcurrencySpilloverInvocations"
)

// The Lambda dimension names.
const (
	DimensionFunctionName    = "FunctionName"
	DimensionResource        = "Resource"
	DimensionExecutedVersion = "ExecutedVersion"
)

// Invocation is one invocation whose code ran, as the execution model reports
// it when the invocation ends.
type Invocation struct {
	// Start is when the invocation started; CloudWatch keys Lambda metrics by it.
	Start time.Time
	// FunctionName is the function's name (not its ARN).
	FunctionName string
	// Qualifier is the alias or version the caller invoked ("live", "3",
	// "$LATEST"), or "" for an unqualified invoke.
	Qualifier string
	// ExecutedVersion is the version that ran ("$LATEST", "3").
	ExecutedVersion string
	// Duration is the handler's run time (the REPORT line's Duration).
	Duration time.Duration
	// FunctionError is true when the function returned an error or timed out.
	FunctionError bool
	// Provisioned is true when it ran on provisioned concurrency.
	Provisioned bool
	// Spillover is true when the qualifier has provisioned concurrency but all
	// of it was busy, so the invocation ran on standard concurrency.
	Spillover bool
}

// LambdaRecorder turns the execution model's events into the AWS/Lambda
// metrics with AWS's dimension sets, so its caller needs no dimension rules:
//
//   - Invocations, Errors, Throttles, Duration, ProvisionedConcurrencyInvocations
//     and ProvisionedConcurrencySpilloverInvocations go to {FunctionName}, to
//     {FunctionName, Resource} when the invoke named a qualifier (Resource is
//     "function:qualifier"), to {FunctionName, Resource, ExecutedVersion} when
//     the qualifier is an alias, and, except the provisioned ones, to the
//     account-wide series with no dimensions.
//   - Every invoke request yields an Errors and a Throttles sample (0 or 1), as
//     Lambda does; Invocations and Duration only when the code ran.
//   - ConcurrentExecutions goes to {FunctionName}, {FunctionName, Resource} and
//     the account; ProvisionedConcurrentExecutions and
//     ProvisionedConcurrencyUtilization to {FunctionName, Resource};
//     UnreservedConcurrentExecutions and ClaimedAccountConcurrency to the
//     account only.
//
// The concurrency methods are gauges (see Gauge.Observe): call them whenever
// the level changes, typically at every invocation start and end, with the new
// level. It is safe for concurrent use.
type LambdaRecorder struct {
	store    *Store
	mu       sync.RWMutex
	invokes  map[invokeKey]*invokeSeries
	gauges   map[gaugeKey]*Gauge
	insights map[insightsKey][]*Series
}

type invokeKey struct{ function, qualifier, executedVersion string }

type gaugeKey struct{ metric, function, qualifier string }

// invokeSeries holds the handles one (function, qualifier, version) writes to.
type invokeSeries struct {
	invocations, errors, throttles, duration []*Series
	provisioned, spillover                   []*Series
}

// NewLambdaRecorder returns a recorder writing to store.
func NewLambdaRecorder(store *Store) *LambdaRecorder {
	return &LambdaRecorder{store: store, invokes: map[invokeKey]*invokeSeries{}, gauges: map[gaugeKey]*Gauge{},
		insights: map[insightsKey][]*Series{}}
}

// Invocation records one invocation whose code ran.
func (r *LambdaRecorder) Invocation(inv Invocation) {
	set := r.invokeSeries(invokeKey{inv.FunctionName, inv.Qualifier, inv.ExecutedVersion})
	ms := float64(inv.Duration) / float64(time.Millisecond)
	recordAll(set.invocations, inv.Start, 1)
	recordAll(set.errors, inv.Start, boolValue(inv.FunctionError))
	recordAll(set.throttles, inv.Start, 0)
	recordAll(set.duration, inv.Start, ms)
	if inv.Provisioned {
		recordAll(set.provisioned, inv.Start, 1)
	}
	if inv.Spillover {
		recordAll(set.spillover, inv.Start, 1)
	}
}

// Throttle records one invoke request rejected with 429 before any code ran.
func (r *LambdaRecorder) Throttle(at time.Time, function, qualifier string) {
	set := r.invokeSeries(invokeKey{function, qualifier, ""})
	recordAll(set.throttles, at, 1)
	recordAll(set.errors, at, 0)
}

// FunctionConcurrency reports the executions of function in flight (all
// versions and aliases together).
func (r *LambdaRecorder) FunctionConcurrency(at time.Time, function string, inFlight int) {
	r.gauge(gaugeKey{MetricConcurrentExecutions, function, ""}).Observe(at, float64(inFlight))
}

// QualifierConcurrency reports the executions in flight that were invoked
// through qualifier (an alias or version) of function.
func (r *LambdaRecorder) QualifierConcurrency(at time.Time, function, qualifier string, inFlight int) {
	r.gauge(gaugeKey{MetricConcurrentExecutions, function, qualifier}).Observe(at, float64(inFlight))
}

// ProvisionedConcurrency reports, for a qualifier with provisioned
// concurrency, how many provisioned environments are busy and how many are
// allocated; utilization is busy/allocated (nothing is recorded for it while
// allocated is 0).
func (r *LambdaRecorder) ProvisionedConcurrency(at time.Time, function, qualifier string, busy, allocated int) {
	r.gauge(gaugeKey{MetricProvisionedConcurrentExecutions, function, qualifier}).Observe(at, float64(busy))
	if allocated > 0 {
		r.gauge(gaugeKey{MetricProvisionedConcurrencyUtilization, function, qualifier}).
			Observe(at, float64(busy)/float64(allocated))
	}
}

// AccountConcurrency reports the account-wide levels: executions in flight,
// those of them running on the unreserved pool, and the claimed concurrency
// (unreserved in flight plus all reserved and allocated provisioned
// concurrency).
func (r *LambdaRecorder) AccountConcurrency(at time.Time, inFlight, unreservedInFlight, claimed int) {
	r.gauge(gaugeKey{MetricConcurrentExecutions, "", ""}).Observe(at, float64(inFlight))
	r.gauge(gaugeKey{MetricUnreservedConcurrentExecutions, "", ""}).Observe(at, float64(unreservedInFlight))
	r.gauge(gaugeKey{MetricClaimedAccountConcurrency, "", ""}).Observe(at, float64(claimed))
}

func recordAll(handles []*Series, at time.Time, v float64) {
	for _, h := range handles {
		h.Record(at, v)
	}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
