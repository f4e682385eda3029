package tune_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/sandbox"
	"github.com/lambdatune/lambdatune/tune"
)

func invokePlan(fn string, memories ...int32) tune.SweepPlan {
	return tune.SweepPlan{Function: fn, Memories: memories, Choice: tune.DefaultChoice(),
		Workload: tune.SweepWorkload{Invokes: 12, Parallel: 3}}
}

func (f journalFixture) memory(t *testing.T, fn string) int32 {
	t.Helper()
	d, err := f.session.Detail(context.Background(), fn)
	if err != nil {
		t.Fatal(err)
	}
	return d.MemoryMB
}

func (f journalFixture) sweep(t *testing.T, ctx context.Context, plan tune.SweepPlan, opts tune.SweepOptions) (tune.SweepResult, error) {
	t.Helper()
	prep, err := f.session.PrepareSweep(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	return f.session.RunSweep(ctx, prep, opts)
}

func TestSweepMeasuresEachSizeAndRestores(t *testing.T) {
	t.Parallel()
	f := newJournalFixture(t)
	f.session.SetJournal(f.journal)
	var heard []string
	res, err := f.sweep(t, t.Context(), invokePlan(f.fn, 128, 512, 2048), tune.SweepOptions{
		Progress: func(p tune.SweepProgress) { heard = append(heard, p.Phase) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Steps) != 3 {
		t.Fatalf("%d steps", len(res.Steps))
	}
	for _, s := range res.Steps {
		if s.Requests != 12 || s.DurationSource != tune.SourceReport || !s.CostKnown || s.RunID == 0 || !s.ColdStarts.Known {
			t.Fatalf("step %+v: want 12 journalled Invokes with REPORT durations and a cost", s)
		}
	}
	// The model: CPU share ∝ memory, so the function's duration falls.
	if !(res.Steps[0].DurationAverage > 2*res.Steps[1].DurationAverage && res.Steps[1].DurationAverage > res.Steps[2].DurationAverage) {
		t.Fatalf("durations %v, %v, %v do not fall with memory", res.Steps[0].DurationAverage, res.Steps[1].DurationAverage, res.Steps[2].DurationAverage)
	}
	if !res.End.Restored || res.End.MemoryMB != 128 || f.memory(t, f.fn) != 128 {
		t.Fatalf("end %+v; function at %d MB", res.End, f.memory(t, f.fn))
	}
	if !res.Choice.Found() || !res.Sandbox || len(res.ModelNotes) != 2 {
		t.Fatalf("choice %+v, sandbox %v, notes %v", res.Choice, res.Sandbox, res.ModelNotes)
	}
	for _, st := range res.Steps {
		kept, err := f.journal.Run(t.Context(), st.RunID)
		if err != nil || kept.Path != tune.PathSweep || kept.Config.MemoryMB != st.MemoryMB {
			t.Fatalf("journal run %d: path %q at %d MB, %v", st.RunID, kept.Path, kept.Config.MemoryMB, err)
		}
	}
	if !strings.Contains(strings.Join(heard, "|"), "measuring") || !strings.Contains(strings.Join(heard, "|"), "restoring") {
		t.Fatalf("progress heard %v", heard)
	}
}

// A read-only session refuses before the first change.
func TestSweepReadOnlyRefusesBeforeTheFirstChange(t *testing.T) {
	t.Parallel()
	f := newJournalFixture(t)
	ro, err := aws.New(t.Context(), aws.Options{EndpointURL: f.client.Endpoint(), StaticCredentials: true, ReadOnly: true, ControlPlaneRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	session := tune.NewSession(ro, tune.Where{Sandbox: true})
	prep, err := session.PrepareSweep(t.Context(), invokePlan(f.fn, 256, 512))
	if err != nil {
		t.Fatal(err)
	}
	res, err := session.RunSweep(t.Context(), prep, tune.SweepOptions{})
	if !errors.Is(err, aws.ErrReadOnly) || len(res.Steps) != 0 {
		t.Fatalf("err %v, %d steps", err, len(res.Steps))
	}
	if f.memory(t, f.fn) != 128 {
		t.Fatal("the memory changed")
	}
}

// Cancelling mid-sweep keeps the steps done, restores and says so.
func TestSweepCancelledRestores(t *testing.T) {
	t.Parallel()
	f := newJournalFixture(t)
	ctx, cancel := context.WithCancel(t.Context())
	res, err := f.sweep(t, ctx, invokePlan(f.fn, 256, 1024, 2048), tune.SweepOptions{Progress: func(p tune.SweepProgress) {
		if p.Step == 2 && p.Phase == "measuring" {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || !res.Interrupted {
		t.Fatalf("err %v, interrupted %v", err, res.Interrupted)
	}
	if len(res.Steps) < 1 || len(res.Steps) > 2 {
		t.Fatalf("%d steps kept", len(res.Steps))
	}
	if !res.End.Restored || f.memory(t, f.fn) != 128 || !strings.Contains(res.End.What, "1024 MB → 128 MB") {
		t.Fatalf("end %+v, memory %d", res.End, f.memory(t, f.fn))
	}
}

// A function that times out at small sizes: the step is recorded as
// failing, the sweep goes on, and the failing step is not chosen.
func TestSweepStepThatTimesOutIsRecordedAndTheSweepGoesOn(t *testing.T) {
	t.Parallel()
	f := newJournalFixture(t)
	fn := imageFunction(t, f)
	if _, err := f.client.Lambda().UpdateFunctionConfiguration(t.Context(), &lambda.UpdateFunctionConfigurationInput{
		FunctionName: sdkaws.String(fn), Timeout: sdkaws.Int32(3), MemorySize: sdkaws.Int32(128)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.WaitUpdated(t.Context(), fn, nil); err != nil {
		t.Fatal(err)
	}
	plan := invokePlan(fn, 128, 2048)
	plan.Workload = tune.SweepWorkload{Invokes: 4, Parallel: 2, Payload: []byte(`{"width":2000,"height":1500}`), PayloadName: "image.json"}
	res, err := f.sweep(t, t.Context(), plan, tune.SweepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	small, big := res.Steps[0], res.Steps[1]
	if small.Failures != 4 || small.Timeouts != 4 || big.Failures != 0 {
		t.Fatalf("128 MB: %d failures, %d timeouts (%v); 2048 MB: %d failures", small.Failures, small.Timeouts, small.Errors, big.Failures)
	}
	if res.Choice.MemoryMB != 2048 || f.memory(t, fn) != 128 {
		t.Fatalf("chose %d MB; function at %d MB", res.Choice.MemoryMB, f.memory(t, fn))
	}
}

// imageFunction is a seeded function that resizes images: CPU-bound.
func imageFunction(t *testing.T, f journalFixture) string {
	t.Helper()
	fns, err := f.client.ListFunctions(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range fns {
		flat := strings.ReplaceAll(strings.ToLower(fn.Name), "-", "")
		for _, w := range []string{"resizer", "processor", "exporter", "aggregator", "indexer"} {
			if strings.Contains(flat, w) && fn.Architecture == "x86_64" {
				return fn.Name
			}
		}
	}
	t.Fatal("no image function in the seeded account")
	return ""
}

// Cold-start mode: every measured Invoke is a cold start, and the nonce
// variable is gone at the end.
func TestSweepColdStartsOnly(t *testing.T) {
	t.Parallel()
	f := newJournalFixture(t)
	plan := invokePlan(f.fn, 128, 1024)
	plan.ColdStarts, plan.Workload = true, tune.SweepWorkload{Invokes: 3, Parallel: 1}
	res, err := f.sweep(t, t.Context(), plan, tune.SweepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Steps {
		if s.ColdStarts.Value != 3 || s.Requests != 3 || s.InitAverage == 0 {
			t.Fatalf("%d MB: %d cold starts of %d Invokes", s.MemoryMB, s.ColdStarts.Value, s.Requests)
		}
	}
	if !strings.Contains(res.ColdStartMethod, tune.SweepNonceVariable) {
		t.Fatalf("method %q", res.ColdStartMethod)
	}
	has, err := f.client.HasEnvironmentVariable(t.Context(), f.fn, tune.SweepNonceVariable)
	if err != nil || has {
		t.Fatalf("nonce still set: %v %v", has, err)
	}
	if !strings.Contains(res.End.What, "removed") || f.memory(t, f.fn) != 128 {
		t.Fatalf("end %q", res.End.What)
	}
}

// With provisioned concurrency on an alias the sweep says what it leaves
// alone, and refuses HTTP load that would measure the alias.
func TestSweepExplainsProvisionedConcurrencyOnAnAlias(t *testing.T) {
	t.Parallel()
	f := newJournalFixture(t)
	facts, err := f.session.Facts(t.Context(), f.fn)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := tune.PlanChange(tune.ChangeRequest{Function: f.fn, Kind: tune.ChangeProvisioned, Qualifier: "live", Provisioned: 2, PublishAlias: true}, facts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.session.Apply(t.Context(), plan, tune.ApplyOptions{Path: tune.PathCLI}); err != nil {
		t.Fatal(err)
	}
	prep, err := f.session.PrepareSweep(t.Context(), invokePlan(f.fn, 256))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(prep.Preview(), "\n")
	for _, want := range []string{"alias live → version 1 is not touched", "the sweep measures $LATEST", "2 provisioned environments on live stay allocated"} {
		if !strings.Contains(text, want) {
			t.Errorf("preview lacks %q:\n%s", want, text)
		}
	}
	http := invokePlan(f.fn, 256)
	ls := tune.DefaultLoadSettings(tune.LoadTarget{Kind: tune.TargetHTTP, URL: "http://127.0.0.1:1/Prod"})
	http.Workload = tune.SweepWorkload{Load: &ls}
	if _, err := f.session.PrepareSweep(t.Context(), http); err == nil || !strings.Contains(err.Error(), "HTTP load would measure version 1") {
		t.Fatalf("HTTP load through live: %v", err)
	}
}

func TestSweepRefusesAnotherArchitecture(t *testing.T) {
	t.Parallel()
	f := newJournalFixture(t)
	plan := invokePlan(f.fn, 256)
	plan.Architectures = []string{"arm64"}
	_, err := f.session.PrepareSweep(t.Context(), plan)
	if err == nil || !strings.Contains(err.Error(), "UpdateFunctionCode") {
		t.Fatalf("arm64 on an x86_64 function: %v", err)
	}
}

// restartable serves a sandbox on a fixed loopback address that a test can
// take away and bring back.
type restartable struct {
	addr string
	sb   *sandbox.Sandbox
	srv  *http.Server
}

func (r *restartable) up(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", r.addr)
	if err != nil {
		t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	r.srv = &http.Server{Handler: r.sb.Handler()}
	go func() { _ = r.srv.Serve(ln) }()
}

func (r *restartable) down() { _ = r.srv.Close() }

func vanishingFixture(t *testing.T) (*restartable, *tune.Session, string) {
	t.Helper()
	cfg := sandbox.Fast()
	cfg.ZeroLatency = true
	cfg.UpdateDelay, cfg.ControlPlaneRate, cfg.GetFunctionRate = 20*time.Millisecond, -1, -1
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := &restartable{addr: "127.0.0.1:0", sb: sb}
	r.up(t)
	t.Cleanup(func() { r.down(); sb.Close() })
	client, err := aws.New(t.Context(), aws.Options{EndpointURL: "http://" + r.addr, StaticCredentials: true,
		ControlPlaneRate: -1, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return r, tune.NewSession(client, tune.Where{Sandbox: true}), sb.ProductFunctionName()
}

// The endpoint vanishes after the first step: the sweep stops, and restores
// once the endpoint answers again.
func TestSweepEndpointVanishesThenComesBack(t *testing.T) {
	t.Parallel()
	r, session, fn := vanishingFixture(t)
	prep, err := session.PrepareSweep(t.Context(), invokePlan(fn, 512, 1024, 2048))
	if err != nil {
		t.Fatal(err)
	}
	res, err := session.RunSweep(t.Context(), prep, tune.SweepOptions{RestoreWait: 20 * time.Second, Progress: func(p tune.SweepProgress) {
		switch {
		case p.Step == 1 && p.Phase == "measured":
			r.down()
		case p.Phase == "restoring":
			go func() { time.Sleep(300 * time.Millisecond); r.up(t) }()
		}
	}})
	if !errors.Is(err, tune.ErrSweepStopped) || res.Stopped == "" || len(res.Steps) != 1 {
		t.Fatalf("err %v, stopped %q, %d steps", err, res.Stopped, len(res.Steps))
	}
	if !res.End.Restored || res.End.MemoryMB != 128 || !strings.Contains(res.End.What, "512 MB → 128 MB") {
		t.Fatalf("end %+v", res.End)
	}
}

// The endpoint never comes back: the result says plainly what state the
// function is in and how to put it back.
func TestSweepEndpointGoneSaysWhatStateTheFunctionIsIn(t *testing.T) {
	t.Parallel()
	r, session, fn := vanishingFixture(t)
	prep, err := session.PrepareSweep(t.Context(), invokePlan(fn, 512, 1024))
	if err != nil {
		t.Fatal(err)
	}
	res, err := session.RunSweep(t.Context(), prep, tune.SweepOptions{RestoreWait: 1500 * time.Millisecond, Progress: func(p tune.SweepProgress) {
		if p.Step == 1 && p.Phase == "measured" {
			r.down()
		}
	}})
	if !errors.Is(err, tune.ErrSweepStopped) || res.End.Restored {
		t.Fatalf("err %v, end %+v", err, res.End)
	}
	for _, want := range []string{"NOT RESTORED", "original memory is 128 MB", "lambdatune set memory " + fn + " 128"} {
		if !strings.Contains(res.End.What, want) {
			t.Fatalf("end %q lacks %q", res.End.What, want)
		}
	}
}

// A journalled sweep's steps are runs of the session, and the HTML report
// renders the sweep with its chart of cost against latency.
func TestSweepInTheJournalReport(t *testing.T) {
	t.Parallel()
	f := newJournalFixture(t)
	f.session.SetJournal(f.journal)
	if _, err := f.sweep(t, t.Context(), invokePlan(f.fn, 128, 512, 1024), tune.SweepOptions{}); err != nil {
		t.Fatal(err)
	}
	report, err := f.journal.SessionReport(t.Context(), tune.SandboxScope, f.fn, f.session.Prices())
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Sweeps) != 1 || len(report.Sweeps[0].Points) != 3 || report.Sweeps[0].Points[2].MemoryMB != 1024 {
		t.Fatalf("sweeps %+v", report.Sweeps)
	}
	var html strings.Builder
	if err := report.WriteHTML(&html); err != nil {
		t.Fatal(err)
	}
	page := html.String()
	sweep := page[strings.Index(page, `<section class="sweep">`):]
	for _, want := range []string{"Sweep started", "<svg", "1024 MB x86_64", "cost against latency"} {
		if !strings.Contains(sweep, want) {
			t.Fatalf("the sweep's section lacks %q", want)
		}
	}
}

// An HTTP sweep (the products load through the sandbox's API): each step's
// duration and cold starts are CloudWatch's for exactly its own seconds.
func TestSweepWithTheProductsLoad(t *testing.T) {
	t.Parallel()
	f := newJournalFixture(t)
	api := httptestServer(t, f.sb.APIHandler())
	ls := tune.DefaultLoadSettings(tune.LoadTarget{Kind: tune.TargetHTTP, URL: api + "/Prod"})
	ls.Users, ls.SpawnRate, ls.Wait, ls.RunTime = 4, 100, "constant(10ms)", 1500*time.Millisecond
	plan := invokePlan(f.fn, 128, 2048)
	plan.Workload = tune.SweepWorkload{Load: &ls}
	res, err := f.sweep(t, t.Context(), plan, tune.SweepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	small, big := res.Steps[0], res.Steps[1]
	if small.DurationSource != tune.SourceCloudWatch || !small.CostKnown || small.Requests == 0 {
		t.Fatalf("128 MB step %+v", small)
	}
	if !(small.DurationAverage > 3*big.DurationAverage) {
		t.Fatalf("CloudWatch duration %v at 128 MB against %v at 2048 MB", small.DurationAverage, big.DurationAverage)
	}
	if !big.ColdStarts.Known || big.ColdStarts.Value == 0 || big.ColdStarts.Value > 4 {
		t.Fatalf("2048 MB cold starts %v: want its own (at most one per user), not the sweep's so far", big.ColdStarts)
	}
}

func httptestServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
