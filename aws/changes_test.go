package aws_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdatune/lambdatune/aws"
)

// progressLog collects progress reports.
type progressLog struct {
	mu       sync.Mutex
	statuses []string
}

func (p *progressLog) report(pr aws.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.statuses); n == 0 || p.statuses[n-1] != pr.Status {
		p.statuses = append(p.statuses, pr.Status)
	}
}

func (p *progressLog) String() string { return strings.Join(p.statuses, " → ") }

func TestSetMemoryWaitsUntilSuccessful(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fastSandbox(), aws.Options{})
	var progress progressLog
	f, err := e.client.SetMemory(e.ctx, e.product(), 3008, progress.report)
	if err != nil {
		t.Fatal(err)
	}
	if f.MemoryMB != 3008 || f.LastUpdateStatus != "Successful" {
		t.Fatalf("after SetMemory: %d MB, %s", f.MemoryMB, f.LastUpdateStatus)
	}
	if progress.String() != "InProgress → Successful" {
		t.Fatalf("progress reported %q, want InProgress → Successful", progress.String())
	}
	detail, err := e.client.FunctionDetail(e.ctx, e.product())
	if err != nil || detail.MemoryMB != 3008 {
		t.Fatalf("detail after change: %d MB, %v", detail.MemoryMB, err)
	}
}

func TestUpdateWhileInProgressConflicts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fastSandbox(), aws.Options{})
	_, err := e.client.Lambda().UpdateFunctionConfiguration(e.ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: sdkaws.String(e.product()), MemorySize: sdkaws.Int32(512)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.client.SetMemory(e.ctx, e.product(), 1024, nil)
	expectError[*types.ResourceConflictException](t, err,
		"The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:"+e.product())
	if msg := aws.Explain(err); !strings.HasPrefix(msg, "another change to this function is still being applied") {
		t.Fatalf("Explain = %q", msg)
	}
}

// TestBadValuesNeverLeaveTheProcess tries every invalid value the console can
// be given: each fails with AWS's wording and no write reaches the sandbox.
func TestBadValuesNeverLeaveTheProcess(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fastSandbox(), aws.Options{})
	cases := []struct {
		name string
		call func() error
		want string
	}{
		{"memory too large", func() error { _, err := e.client.SetMemory(e.ctx, e.product(), 10241, nil); return err },
			"1 validation error detected: Value '10241' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240"},
		{"memory too small", func() error { _, err := e.client.SetMemory(e.ctx, e.product(), 64, nil); return err },
			"Member must have value greater than or equal to 128"},
		{"reserved negative", func() error { return e.client.SetReserved(e.ctx, e.product(), -1) },
			"Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		{"reserved below the floor", func() error { return e.client.SetReserved(e.ctx, e.product(), 950) },
			"Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]."},
		{"provisioned on $LATEST", func() error { _, err := e.client.SetProvisioned(e.ctx, e.product(), "$LATEST", 5, nil); return err },
			"Provisioned Concurrency Configs cannot be applied to unpublished function versions."},
		{"provisioned zero", func() error { _, err := e.client.SetProvisioned(e.ctx, e.product(), "live", 0, nil); return err },
			"Value '0' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"provisioned below the floor", func() error { _, err := e.client.SetProvisioned(e.ctx, e.product(), "1", 900, nil); return err },
			"Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]."},
	}
	for _, tc := range cases {
		err := tc.call()
		if !errors.Is(err, aws.ErrInvalidValue) {
			t.Errorf("%s: %v is not a validation error", tc.name, err)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, err.Error(), tc.want)
		}
	}
	if n := e.rec.writes(); n != 0 {
		t.Fatalf("%d write requests reached the sandbox: %v", n, e.rec.paths)
	}
}

// TestSandboxAgreesWithClientValidation sends the same bad values straight
// through the SDK: the sandbox refuses them with the same words, so the
// client's checks are AWS's rules, not ours.
func TestSandboxAgreesWithClientValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fastSandbox(), aws.Options{})
	sdk := e.client.Lambda()
	name := sdkaws.String(e.product())
	_, err := sdk.UpdateFunctionConfiguration(e.ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: name, MemorySize: sdkaws.Int32(10241)})
	local := aws.ValidateMemory(10241)
	if err == nil || !strings.Contains(err.Error(), local.Error()) {
		t.Errorf("sandbox memory error %v, client says %q", err, local)
	}
	_, err = sdk.PutFunctionConcurrency(e.ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: name, ReservedConcurrentExecutions: sdkaws.Int32(950)})
	expectError[*types.InvalidParameterValueException](t, err,
		"Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].")
	_, err = sdk.PutProvisionedConcurrencyConfig(e.ctx, &lambda.PutProvisionedConcurrencyConfigInput{FunctionName: name,
		Qualifier: sdkaws.String("$LATEST"), ProvisionedConcurrentExecutions: sdkaws.Int32(5)})
	expectError[*types.InvalidParameterValueException](t, err, "Provisioned Concurrency Configs cannot be applied to unpublished function versions.")
}

func TestReservedConcurrency(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fastSandbox(), aws.Options{})
	before, err := e.client.AccountSettings(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.client.SetReserved(e.ctx, e.product(), 20); err != nil {
		t.Fatal(err)
	}
	conc, err := e.client.FunctionConcurrency(e.ctx, e.product())
	if err != nil || conc.Reserved == nil || *conc.Reserved != 20 {
		t.Fatalf("reserved after set: %v, %v", conc.Reserved, err)
	}
	after, _ := e.client.AccountSettings(e.ctx)
	if after.Unreserved != before.Unreserved-20 {
		t.Fatalf("unreserved %d → %d, want a drop of 20", before.Unreserved, after.Unreserved)
	}
	if err := e.client.SetReserved(e.ctx, e.product(), 0); err != nil {
		t.Fatalf("reserved 0 (throttle all) refused: %v", err)
	}
	if err := e.client.RemoveReserved(e.ctx, e.product()); err != nil {
		t.Fatal(err)
	}
	conc, _ = e.client.FunctionConcurrency(e.ctx, e.product())
	if conc.Reserved != nil {
		t.Fatalf("reserved after remove: %d", *conc.Reserved)
	}
}

// publishLive publishes $LATEST as a version and points alias live at it, as
// the lab's stack does.
func publishLive(t *testing.T, e env) string {
	t.Helper()
	out, err := e.client.Lambda().PublishVersion(e.ctx, &lambda.PublishVersionInput{FunctionName: sdkaws.String(e.product())})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.client.Lambda().CreateAlias(e.ctx, &lambda.CreateAliasInput{FunctionName: sdkaws.String(e.product()),
		Name: sdkaws.String("live"), FunctionVersion: out.Version})
	if err != nil {
		t.Fatal(err)
	}
	return *out.Version
}

func TestProvisionedConcurrencyOnAlias(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fastSandbox(), aws.Options{})
	version := publishLive(t, e)
	var progress progressLog
	pc, err := e.client.SetProvisioned(e.ctx, e.product(), "live", 40, progress.report)
	if err != nil {
		t.Fatal(err)
	}
	if pc.Status != "READY" || pc.Allocated != 40 || pc.Available != 40 {
		t.Fatalf("after SetProvisioned: %+v", pc)
	}
	if progress.String() != "IN_PROGRESS → READY" {
		t.Fatalf("progress %q, want IN_PROGRESS → READY", progress.String())
	}
	detail, err := e.client.FunctionDetail(e.ctx, e.product())
	if err != nil {
		t.Fatal(err)
	}
	if len(detail.Aliases) != 1 || detail.Aliases[0].Version != version || len(detail.Versions) != 1 {
		t.Fatalf("aliases %+v versions %+v", detail.Aliases, detail.Versions)
	}
	if p, ok := detail.ProvisionedFor("live"); !ok || p.Requested != 40 {
		t.Fatalf("provisioned on live: %+v %v", p, ok)
	}
	if err := e.client.RemoveProvisioned(e.ctx, e.product(), "live"); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.GetProvisioned(e.ctx, e.product(), "live")
	expectError[*types.ProvisionedConcurrencyConfigNotFoundException](t, err, "No Provisioned Concurrency Config found for this function")
}

func TestProvisionedAboveReserved(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fastSandbox(), aws.Options{})
	publishLive(t, e)
	if err := e.client.SetReserved(e.ctx, e.product(), 20); err != nil {
		t.Fatal(err)
	}
	_, err := e.client.SetProvisioned(e.ctx, e.product(), "live", 21, nil)
	if !errors.Is(err, aws.ErrInvalidValue) ||
		err.Error() != "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function" {
		t.Fatalf("client: %v", err)
	}
	writes := e.rec.writes()
	_, err = e.client.Lambda().PutProvisionedConcurrencyConfig(e.ctx, &lambda.PutProvisionedConcurrencyConfigInput{
		FunctionName: sdkaws.String(e.product()), Qualifier: sdkaws.String("live"), ProvisionedConcurrentExecutions: sdkaws.Int32(21)})
	expectError[*types.InvalidParameterValueException](t, err,
		"Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function")
	if e.rec.writes() != writes+1 {
		t.Fatal("the raw SDK call did not reach the sandbox")
	}
	if _, err := e.client.SetProvisioned(e.ctx, e.product(), "live", 20, nil); err != nil {
		t.Fatalf("provisioned equal to reserved refused: %v", err)
	}
}

// TestReadOnlyAgainstTheSandbox runs every change the console can make in
// read-only mode: reads happen, no write request reaches the sandbox.
func TestReadOnlyAgainstTheSandbox(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fastSandbox(), aws.Options{ReadOnly: true})
	calls := map[string]func() error{
		"memory":             func() error { _, err := e.client.SetMemory(e.ctx, e.product(), 1024, nil); return err },
		"reserved":           func() error { return e.client.SetReserved(e.ctx, e.product(), 10) },
		"remove reserved":    func() error { return e.client.RemoveReserved(e.ctx, e.product()) },
		"provisioned":        func() error { _, err := e.client.SetProvisioned(e.ctx, e.product(), "live", 5, nil); return err },
		"remove provisioned": func() error { return e.client.RemoveProvisioned(e.ctx, e.product(), "live") },
		"publish (raw SDK)": func() error {
			_, err := e.client.Lambda().PublishVersion(e.ctx, &lambda.PublishVersionInput{FunctionName: sdkaws.String(e.product())})
			return err
		},
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, aws.ErrReadOnly) {
			t.Errorf("%s in read-only mode: %v", name, err)
		}
	}
	if _, err := e.client.FunctionDetail(e.ctx, e.product()); err != nil {
		t.Fatalf("a read failed in read-only mode: %v", err)
	}
	if n := e.rec.writes(); n != 0 {
		t.Fatalf("%d write requests left the process in read-only mode: %v", n, e.rec.paths)
	}
}

// DeleteVersion deletes one published version and refuses, without a
// request, anything that is not a version number: it can never delete the
// function itself or $LATEST.
func TestDeleteVersionOnlyDeletesAVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fastSandbox(), aws.Options{})
	for _, bad := range []string{"", "$LATEST", "live", "01", "-1", "1.0"} {
		if err := e.client.DeleteVersion(e.ctx, e.product(), bad); !errors.Is(err, aws.ErrInvalidValue) {
			t.Errorf("DeleteVersion(%q) = %v, want a validation error", bad, err)
		}
	}
	if n := e.rec.writes(); n != 0 {
		t.Fatalf("%d write requests reached the sandbox: %v", n, e.rec.paths)
	}
	v, err := e.client.PublishVersion(e.ctx, e.product(), "published by lambdatune")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.client.DeleteVersion(e.ctx, e.product(), v.Version); err != nil {
		t.Fatal(err)
	}
	d, err := e.client.FunctionDetail(e.ctx, e.product())
	if err != nil || len(d.Versions) != 0 || d.Name != e.product() {
		t.Fatalf("after deleting version %s: %+v, %v", v.Version, d.Versions, err)
	}
}
