package sandbox

import (
	"slices"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// begin starts an invocation through the model's core at the fixture's
// clock, as the HTTP handlers do.
func (fx *fixture) begin(name, qualifier string) (*invocation, *apiError) {
	return fx.sb.beginInvoke(fx.clock.Now(), invokeRequest{ref: functionRef{name: name, qualifier: qualifier}, payload: []byte(`{}`)})
}

func (fx *fixture) mustBegin(name, qualifier string) *invocation {
	fx.t.Helper()
	inv, err := fx.begin(name, qualifier)
	if err != nil {
		fx.t.Fatalf("invocation %d of %s:%s refused: %v", fx.sb.inflight+1, name, qualifier, err)
	}
	return inv
}

// end finishes an invocation at the fixture's clock.
func (fx *fixture) end(inv *invocation) { fx.sb.endInvoke(fx.clock.Now(), inv) }

// expectThrottle asserts a 429 TooManyRequestsException with reason.
func expectThrottle(t *testing.T, err *apiError, reason string) {
	t.Helper()
	if err == nil || err.status != 429 || err.code != "TooManyRequestsException" || err.reason != reason || err.message != "Rate Exceeded." {
		t.Fatalf("got %+v, want a throttle with Reason %s", err, reason)
	}
}

// functionOfKind is a plain seeded function (no reserved concurrency,
// versions or aliases) that runs code of kind.
func (fx *fixture) functionOfKind(kind genericKind) string {
	fx.t.Helper()
	fx.sb.mu.Lock()
	defer fx.sb.mu.Unlock()
	for _, name := range fx.sb.acct.sortedNames() {
		f := fx.sb.acct.functions[name]
		h, ok := fx.sb.profileFor(f, f.applied).handler.(genericHandler)
		if ok && h.kind == kind && f.reserved == nil && len(f.versions) == 0 && len(f.aliases) == 0 {
			return name
		}
	}
	fx.t.Fatalf("no plain function of kind %d in the seeded account", kind)
	return ""
}

// configure updates a function's configuration and lets the update finish.
func (fx *fixture) configure(in *lambda.UpdateFunctionConfigurationInput) {
	fx.t.Helper()
	_, err := fx.client.UpdateFunctionConfiguration(fx.ctx, in)
	mustNoErr(fx.t, err, "UpdateFunctionConfiguration")
	fx.clock.Advance(Fast().UpdateDelay)
}

// reserve sets a function's reserved concurrency.
func (fx *fixture) reserve(name string, n int32) {
	fx.t.Helper()
	_, err := fx.client.PutFunctionConcurrency(fx.ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String(name), ReservedConcurrentExecutions: aws.Int32(n)})
	mustNoErr(fx.t, err, "PutFunctionConcurrency")
}

// provision publishes a version of name, points alias at it and puts n
// provisioned concurrency on the alias, READY.
func (fx *fixture) provision(name, alias string, n int32) string {
	fx.t.Helper()
	v, err := fx.client.PublishVersion(fx.ctx, &lambda.PublishVersionInput{FunctionName: aws.String(name)})
	mustNoErr(fx.t, err, "PublishVersion")
	_, err = fx.client.CreateAlias(fx.ctx, &lambda.CreateAliasInput{FunctionName: aws.String(name), Name: aws.String(alias), FunctionVersion: v.Version})
	mustNoErr(fx.t, err, "CreateAlias")
	_, err = fx.client.PutProvisionedConcurrencyConfig(fx.ctx, &lambda.PutProvisionedConcurrencyConfigInput{
		FunctionName: aws.String(name), Qualifier: aws.String(alias), ProvisionedConcurrentExecutions: aws.Int32(n)})
	mustNoErr(fx.t, err, "PutProvisionedConcurrencyConfig")
	fx.clock.Advance(Fast().ProvisionedAllocationDelay)
	return *v.Version
}

// recorder is an Observer that keeps everything. Tests read it while HTTP
// handlers write it, so it has its own lock.
type recorder struct {
	mu          sync.Mutex
	invocations []InvocationRecord
	throttles   []ThrottleRecord
	levels      []ConcurrencyRecord
}

func (r *recorder) Invoked(i InvocationRecord) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.invocations = append(r.invocations, i)
}

func (r *recorder) Throttled(t ThrottleRecord) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.throttles = append(r.throttles, t)
}

func (r *recorder) ConcurrencyChanged(c ConcurrencyRecord) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.levels = append(r.levels, c)
}

// snapshot copies what the recorder holds.
func (r *recorder) snapshot() ([]InvocationRecord, []ThrottleRecord, []ConcurrencyRecord) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.invocations), slices.Clone(r.throttles), slices.Clone(r.levels)
}
