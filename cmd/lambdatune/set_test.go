package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/sandbox"
	"github.com/lambdatune/lambdatune/tune"
)

// standalone is a sandbox served over loopback as `lambdatune sandbox` would
// serve it, counting the requests that could change something.
type standalone struct {
	url      string
	stateDir string
	product  string
	writes   atomic.Int64
	client   *aws.Client
}

func startStandalone(t *testing.T) *standalone {
	t.Helper()
	cfg := sandbox.Fast()
	cfg.ProvisionedAllocationDelay = 300 * time.Millisecond
	cfg.ControlPlaneRate, cfg.GetFunctionRate = -1, -1
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := &standalone{product: sb.ProductFunctionName()}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Lambda writes; CloudWatch's reads are POSTs too, on other paths.
		if r.Method != http.MethodGet && strings.HasPrefix(r.URL.Path, "/20") {
			s.writes.Add(1)
		}
		sb.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(func() { sb.Close(); srv.Close() })
	s.url, s.stateDir = srv.URL, t.TempDir()
	s.client, err = aws.New(t.Context(), aws.Options{EndpointURL: srv.URL, StaticCredentials: true, ControlPlaneRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *standalone) set(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetArgs(append(append([]string{"set"}, args...), "--endpoint-url", s.url, "--state-dir", s.stateDir))
	err := cmd.ExecuteContext(t.Context())
	return out.String(), err
}

func (s *standalone) memory(t *testing.T) int32 {
	t.Helper()
	d, err := s.client.FunctionDetail(t.Context(), s.product)
	if err != nil {
		t.Fatal(err)
	}
	return d.MemoryMB
}

func TestSetMemoryPreviewsConfirmsAndWaits(t *testing.T) {
	s := startStandalone(t)
	out, err := s.set(t, "y\n", "memory", s.product, "3008")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		s.product + ": memory 128 MB → 3008 MB",
		"CPU share 0.07 → 1.70 vCPU",
		"Make this change? [y/N]", "InProgress", "Successful",
		"done in", "3008 MB · x86_64 · reserved none · provisioned none",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if got := s.memory(t); got != 3008 {
		t.Fatalf("memory after set: %d", got)
	}
	// The change is journalled, in the sandbox's session, as made headless.
	j, err := tune.OpenJournal(t.Context(), tune.JournalPath(s.stateDir), tune.JournalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	session, err := j.Session(t.Context(), tune.SandboxScope, s.product)
	if err != nil || len(session.Changes) != 1 {
		t.Fatalf("journal: %v, %d changes", err, len(session.Changes))
	}
	if c := session.Changes[0]; c.Path != tune.PathCLI || !strings.HasPrefix(c.BeforeSummary, "128 MB") || !strings.HasPrefix(c.AfterSummary, "3008 MB") {
		t.Fatalf("journalled change %+v", c)
	}
}

func TestSetDeclinedChangesNothing(t *testing.T) {
	s := startStandalone(t)
	out, err := s.set(t, "n\n", "memory", s.product, "1024")
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "not confirmed: nothing was changed") {
		t.Fatalf("exit %d %v\n%s", exitCode(err), err, out)
	}
	if n := s.writes.Load(); n != 0 || s.memory(t) != 128 {
		t.Fatalf("%d writes, memory %d after a declined change", n, s.memory(t))
	}
}

func TestSetRefusesBadValuesBeforeSending(t *testing.T) {
	s := startStandalone(t)
	cases := map[string][]string{
		"1 validation error detected: Value '10241' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240": {"memory", s.product, "10241"},
		`"1.5" is not a whole number: memory must be a whole number`:                                                                                  {"memory", s.product, "1.5"},
		"Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].":     {"reserved", s.product, "990"},
		"Provisioned Concurrency Configs cannot be applied to unpublished function versions.":                                                         {"provisioned", s.product, "5"},
		"read-only mode: changes are disabled": {"memory", s.product, "512", "--read-only", "--yes"},
	}
	for want, args := range cases {
		out, err := s.set(t, "y\n", args...)
		if exitCode(err) != 1 || !strings.Contains(err.Error(), want) {
			t.Errorf("set %v: exit %d %v, want %q\n%s", args, exitCode(err), err, want, out)
		}
	}
	if n := s.writes.Load(); n != 0 {
		t.Fatalf("%d write requests reached the sandbox", n)
	}
}

func TestSetReservedAndProvisioned(t *testing.T) {
	s := startStandalone(t)
	out, err := s.set(t, "", "reserved", s.product, "50", "--yes")
	if err != nil || !strings.Contains(out, "reserved concurrency none → 50") {
		t.Fatalf("%v\n%s", err, out)
	}
	out, err = s.set(t, "", "provisioned", s.product+":live", "5", "-y")
	if exitCode(err) != 1 || !strings.Contains(err.Error(), `has no alias or version "live"`) ||
		!strings.Contains(err.Error(), "--publish") || s.writes.Load() != 1 {
		t.Fatalf("provisioned on a missing alias: %v (%d writes)\n%s", err, s.writes.Load(), out)
	}
	v, err := s.client.Lambda().PublishVersion(t.Context(), &lambda.PublishVersionInput{FunctionName: sdkaws.String(s.product)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.client.Lambda().CreateAlias(t.Context(), &lambda.CreateAliasInput{FunctionName: sdkaws.String(s.product),
		Name: sdkaws.String("live"), FunctionVersion: v.Version})
	if err != nil {
		t.Fatal(err)
	}
	out, err = s.set(t, "", "provisioned", s.product+":live", "5", "-y")
	for _, want := range []string{"provisioned concurrency on live none → 5", "IN_PROGRESS (0 of 5 allocated)", "READY (5 of 5 allocated)",
		"reserved 50 · provisioned 5 on live"} {
		if err != nil || !strings.Contains(out, want) {
			t.Fatalf("output lacks %q (%v):\n%s", want, err, out)
		}
	}
	out, err = s.set(t, "", "reserved", s.product, "4", "-y")
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "should not be lower than function's total provisioned concurrency [5]") {
		t.Fatalf("reserved below provisioned: %v\n%s", err, out)
	}
	out, err = s.set(t, "", "reserved", s.product, "none", "-y")
	if err != nil || !strings.Contains(out, "reserved concurrency 50 → none") {
		t.Fatalf("%v\n%s", err, out)
	}
}

// The lab's step 3 from its start, headless: publish, alias live, provision.
func TestSetProvisionedPublishes(t *testing.T) {
	s := startStandalone(t)
	out, err := s.set(t, "", "provisioned", s.product+":live", "40", "--publish", "-y")
	for _, want := range []string{"alias live none → version (new)", "step 1 of 3: publish $LATEST as a new version",
		"step 3 of 3, request provisioned concurrency 40 on live and wait until READY: READY (40 of 40 allocated)",
		"provisioned 40 on live"} {
		if err != nil || !strings.Contains(out, want) {
			t.Fatalf("output lacks %q (%v):\n%s", want, err, out)
		}
	}
}

// Refused before the question: values AWS would refuse, a negative number,
// and read-only mode, each with no Lambda write sent.
func TestSetRefusesBeforeItAsks(t *testing.T) {
	s := startStandalone(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"reserved", s.product, "5000"}, "below its minimum value of [100]"},
		{[]string{"reserved", s.product, "950"}, "below its minimum value of [100]"},
		{[]string{"reserved", s.product, "-1"}, "Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		{[]string{"memory", s.product, "-5"}, "Value '-5' at 'memorySize'"},
		{[]string{"memory", s.product, "1024", "--read-only"}, "read-only mode"},
	}
	for _, tc := range cases {
		out, err := s.set(t, "y\n", tc.args...)
		if exitCode(err) != 1 || !strings.Contains(err.Error(), tc.want) || strings.Contains(out, "Make this change?") {
			t.Errorf("set %v: exit %d %v; want %q before any question\n%s", tc.args, exitCode(err), err, tc.want, out)
		}
	}
	if n := s.writes.Load(); n != 0 {
		t.Fatalf("%d Lambda writes reached the sandbox", n)
	}
}

func TestSetNeedsAnAccount(t *testing.T) {
	for _, name := range []string{"AWS_PROFILE", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_CONFIG_FILE", "AWS_DEFAULT_REGION"} {
		t.Setenv(name, "")
	}
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir()) // no running sandbox either
	_, _, err := runCLI(t.Context(), "set", "memory", "fn", "512")
	if exitCode(err) != 1 || !strings.Contains(err.Error(), "no lambdatune sandbox is running and no AWS configuration is in sight") {
		t.Fatalf("exit %d: %v", exitCode(err), err)
	}
}
