package tune_test

// The lab against a sandbox served on loopback (its AWS endpoint and its
// products API front), with the real aws client and the real load engine
// over HTTP; the sandbox's latencies are not waited out (ZeroLatency), so
// the runs are short and their numbers are not the lab's: judging is tested
// on hand-made records in lab_judge_test.go.

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/load"
	"github.com/lambdatune/lambdatune/sandbox"
	"github.com/lambdatune/lambdatune/tune"
)

type labFixture struct {
	sb      *sandbox.Sandbox
	srv     *sandbox.Server
	client  *aws.Client
	session *tune.Session
	journal *tune.Journal
	fn      string
}

func newLabFixture(t *testing.T) labFixture {
	t.Helper()
	cfg := sandbox.Fast()
	cfg.ZeroLatency = true
	cfg.UpdateDelay, cfg.ProvisionedAllocationDelay = 20*time.Millisecond, 100*time.Millisecond
	cfg.ControlPlaneRate, cfg.GetFunctionRate = -1, -1
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sandbox.Start(context.Background(), sb, "127.0.0.1:0", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close(); sb.Close() })
	client, err := aws.New(t.Context(), aws.Options{EndpointURL: srv.EndpointURL, StaticCredentials: true,
		ControlPlaneRate: -1, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	session := tune.NewSession(client, tune.Where{Sandbox: true, Endpoint: srv.EndpointURL, ProductsAPI: srv.APIURL,
		ProductsFunction: sb.ProductFunctionName()})
	j := openTestJournal(t, t.TempDir())
	session.SetJournal(j)
	return labFixture{sb: sb, srv: srv, client: client, session: session, journal: j, fn: sb.ProductFunctionName()}
}

// settings is a short lab load: a few users, a request cap.
func (f labFixture) settings(url string, requests uint64) tune.LoadSettings {
	ls := tune.DefaultLabSettings(tune.LoadTarget{Kind: tune.TargetHTTP, URL: url}, 20*time.Second)
	ls.Users, ls.SpawnRate, ls.Wait, ls.MaxRequests, ls.Seed = 4, 100, "constant(0s)", requests, 7
	return ls
}

func (f labFixture) lab(t *testing.T, requests uint64) *tune.Lab {
	t.Helper()
	lab, err := tune.NewLab(t.Context(), f.session, tune.LabOptions{Function: f.fn, Settings: f.settings(f.srv.APIURL, requests)})
	if err != nil {
		t.Fatal(err)
	}
	return lab
}

// reach applies step n's changes the way a caller does, and returns their titles.
func reach(t *testing.T, f labFixture, lab *tune.Lab, n int) []string {
	t.Helper()
	var titles []string
	for range 10 {
		plan, done, err := lab.NextChange(t.Context(), n)
		if err != nil {
			t.Fatalf("step %d: %v", n, err)
		}
		if done {
			return titles
		}
		titles = append(titles, plan.Title())
		if _, err := f.session.Apply(t.Context(), plan, tune.ApplyOptions{Path: tune.PathLab}); err != nil {
			t.Fatalf("step %d: apply %s: %v", n, plan.Title(), err)
		}
	}
	t.Fatalf("step %d: still not at its target after 10 changes: %v", n, titles)
	return nil
}

func TestLabStepsAreTheLabsFour(t *testing.T) {
	t.Parallel()
	steps := tune.LabSteps()
	if len(steps) != 4 {
		t.Fatalf("%d steps", len(steps))
	}
	want := []struct {
		title       string
		memory      int64
		reserved    int64 // -1: none
		provisioned int64
	}{
		{"Baseline: 128 MB", 128, -1, 0},
		{"Memory 3008 MB", 3008, -1, 0},
		{"Provisioned concurrency 40 on live", 128, -1, 40},
		{"Reserved concurrency 20", 128, 20, 0},
	}
	for i, s := range steps {
		w := want[i]
		reserved := int64(-1)
		if s.Target.Reserved != nil {
			reserved = *s.Target.Reserved
		}
		if s.Number != i+1 || s.Title != w.title || s.Target.MemoryMB != w.memory || reserved != w.reserved || s.Target.Provisioned != w.provisioned {
			t.Errorf("step %d = %d %q %+v (reserved %d), want %+v", i+1, s.Number, s.Title, s.Target, reserved, w)
		}
		if sentences := strings.Count(s.Explain, ". ") + 1; sentences < 2 || sentences > 4 {
			t.Errorf("step %d explains in %d sentences: %q", s.Number, sentences, s.Explain)
		}
		if len(s.Expect) == 0 {
			t.Errorf("step %d expects nothing", s.Number)
		}
	}
	ls := tune.DefaultLabSettings(tune.LoadTarget{Kind: tune.TargetHTTP, URL: "http://127.0.0.1:1/Prod"}, time.Minute)
	if ls.Scenario != "products" || ls.Users != 100 || ls.SpawnRate != 3 || ls.Wait != tune.DefaultWait || ls.RunTime != time.Minute {
		t.Fatalf("lab settings %+v", ls)
	}
}

// Walking the four steps in order reaches each step's target through
// NextChange and Apply, step 3 by publishing a version and creating the
// alias; the restore then brings every setting back, alias and version too.
func TestLabWalksEveryStepAndRestores(t *testing.T) {
	t.Parallel()
	f := newLabFixture(t)
	lab := f.lab(t, 20)
	orig := lab.Original()
	if orig.MemoryMB != 128 || orig.Reserved != nil || len(orig.Provisioned) != 0 || len(orig.Aliases) != 0 {
		t.Fatalf("the sandbox's lab function starts at %s, want the lab's 128 MB with nothing set", orig.Summary())
	}
	if got := reach(t, f, lab, 1); len(got) != 0 {
		t.Fatalf("step 1 at the start needs %v", got)
	}
	if got := reach(t, f, lab, 2); len(got) != 1 || got[0] != "memory 128 MB → 3008 MB" {
		t.Fatalf("step 2 changes %v", got)
	}
	if got := reach(t, f, lab, 3); len(got) != 2 || got[0] != "memory 3008 MB → 128 MB" ||
		!strings.Contains(got[1], "provisioned concurrency on live none → 40") || !strings.Contains(got[1], "alias live none → version") {
		t.Fatalf("step 3 changes %v", got)
	}
	d, err := f.session.Detail(t.Context(), f.fn)
	if err != nil {
		t.Fatal(err)
	}
	if c := tune.ConfigOf(d); c.ProvisionedOn("live") != 40 || len(d.Versions) != 1 || d.Versions[0].MemoryMB != 128 {
		t.Fatalf("after step 3: %s, versions %+v", c.Summary(), d.Versions)
	}
	state, err := lab.State(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(state, "provisioned 40 on live (was none)") || !strings.Contains(state, "alias live → version 1 (was none)") {
		t.Fatalf("state after step 3: %q", state)
	}
	if got := reach(t, f, lab, 4); len(got) != 2 || !strings.Contains(got[0], "provisioned concurrency on live 40 → none") ||
		got[1] != "reserved concurrency none → 20" {
		t.Fatalf("step 4 changes %v", got)
	}
	// Going back to step 2 with the alias in place moves the alias too:
	// the API invokes it, so its version must run at 3008 MB.
	if got := reach(t, f, lab, 2); len(got) != 3 || !strings.Contains(got[2], "alias live version 1 → version") {
		t.Fatalf("step 2 after step 4 changes %v", got)
	}

	plan, done, err := lab.RestorePlan(t.Context())
	if err != nil || done {
		t.Fatalf("restore plan: done %v, %v", done, err)
	}
	preview := strings.Join(plan.Preview(), "\n")
	for _, want := range []string{"memory 3008 MB → 128 MB", "delete alias live", "delete version 2", "delete version 1"} {
		if !strings.Contains(preview, want) {
			t.Errorf("restore preview lacks %q:\n%s", want, preview)
		}
	}
	if _, err := f.session.Apply(t.Context(), plan, tune.ApplyOptions{Path: tune.PathLab}); err != nil {
		t.Fatal(err)
	}
	if _, done, err := lab.RestorePlan(t.Context()); err != nil || !done {
		t.Fatalf("after the restore: done %v, %v", done, err)
	}
	d, err = f.session.Detail(t.Context(), f.fn)
	if err != nil {
		t.Fatal(err)
	}
	if c := tune.ConfigOf(d); c.Summary() != orig.Summary() || len(d.Versions) != 0 || len(d.Aliases) != 0 {
		t.Fatalf("restored to %s with versions %+v and aliases %+v; want %s and none", c.Summary(), d.Versions, d.Aliases, orig.Summary())
	}
	if state, _ := lab.State(t.Context()); !strings.HasPrefix(state, "as it was before the lab") {
		t.Fatalf("state after the restore: %q", state)
	}
}

// The restore keeps what the function had before the lab: an alias it had
// is moved back, not deleted, and versions it had are kept.
func TestLabRestoreKeepsTheOriginalAliasAndVersions(t *testing.T) {
	t.Parallel()
	f := newLabFixture(t)
	v, err := f.client.PublishVersion(t.Context(), f.fn, "the stack's own")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.PointAlias(t.Context(), f.fn, "live", v.Version); err != nil {
		t.Fatal(err)
	}
	lab := f.lab(t, 20)
	reach(t, f, lab, 2) // memory 3008 and the alias moved to a new version
	reach(t, f, lab, 3)
	plan, _, err := lab.RestorePlan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.session.Apply(t.Context(), plan, tune.ApplyOptions{Path: tune.PathLab}); err != nil {
		t.Fatal(err)
	}
	d, err := f.session.Detail(t.Context(), f.fn)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Aliases) != 1 || d.Aliases[0].Version != v.Version || len(d.Versions) != 1 || d.Versions[0].Version != v.Version {
		t.Fatalf("after the restore aliases %+v versions %+v; want live on version %s only", d.Aliases, d.Versions, v.Version)
	}
	if c := tune.ConfigOf(d); c.Summary() != lab.Original().Summary() {
		t.Fatalf("restored to %s, want %s", c.Summary(), lab.Original().Summary())
	}
}

func TestLabRunMeasuresTheStepAndJournalsIt(t *testing.T) {
	t.Parallel()
	f := newLabFixture(t)
	lab := f.lab(t, 30)
	var live *load.Run
	res, err := lab.Run(t.Context(), 1, func(r *load.Run) { live = r })
	if err != nil {
		t.Fatal(err)
	}
	if live == nil || res.Problem != "" || res.RunID <= 0 || res.Run.Requests() != 30 || res.Step != 1 {
		t.Fatalf("result %+v (live %v)", res, live != nil)
	}
	if len(res.Checks) != 2 || res.Checks[0].Expect != tune.LabSteps()[0].Expect[0] {
		t.Fatalf("checks %+v", res.Checks)
	}
	if !res.LagKnown {
		t.Fatal("the sandbox's scheduling lag was not read")
	}
	kept, err := f.journal.Run(t.Context(), res.RunID)
	if err != nil || kept.Path != tune.PathLab || kept.Function != f.fn {
		t.Fatalf("journal has %+v, %v", kept.Path, err)
	}
	if got, ok := lab.Result(1); !ok || got.RunID != res.RunID {
		t.Fatal("the lab does not keep step 1's result")
	}
	if table := tune.LabTable(lab.Results()); !strings.Contains(table, "| 1. Baseline: 128 MB | 30 |") {
		t.Fatalf("table:\n%s", table)
	}
	// Step 2 is not reached yet: Run refuses in words.
	if _, err := lab.Run(t.Context(), 2, nil); err == nil || !strings.Contains(err.Error(), "apply the step's change first") {
		t.Fatalf("run of step 2 at 128 MB: %v", err)
	}
}

// A load that cannot reach the API gives a Problem, never numbers.
func TestLabRunUnreachableAPIIsAProblem(t *testing.T) {
	t.Parallel()
	f := newLabFixture(t)
	lab, err := tune.NewLab(t.Context(), f.session, tune.LabOptions{Function: f.fn, Settings: f.settings("http://127.0.0.1:1/Prod", 10)})
	if err != nil {
		t.Fatal(err)
	}
	res, err := lab.Run(t.Context(), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Problem == "" || len(res.Checks) != 0 || res.Verdict() != tune.LabNoData {
		t.Fatalf("unreachable API: %+v", res)
	}
	if !strings.Contains(res.Problem, "could not reach the API") {
		t.Fatalf("problem %q", res.Problem)
	}
	if table := tune.LabTable([]tune.LabResult{res}); !strings.Contains(table, "no data — the load test could not reach the API") {
		t.Fatalf("table:\n%s", table)
	}
}

// Quitting mid-step: the run is cut short, kept in the journal and returned
// with the context's error; the function's state can be reported.
func TestLabQuitMidStepKeepsTheRun(t *testing.T) {
	t.Parallel()
	f := newLabFixture(t)
	ls := f.settings(f.srv.APIURL, 1_000_000)
	ls.Wait = "constant(5ms)"
	lab, err := tune.NewLab(t.Context(), f.session, tune.LabOptions{Function: f.fn, Settings: ls})
	if err != nil {
		t.Fatal(err)
	}
	reach(t, f, lab, 2)
	ctx, cancel := context.WithCancel(t.Context())
	res, err := lab.Run(ctx, 2, func(r *load.Run) {
		go func() {
			for i := 0; i < 2000 && r.Snapshot().Total.Requests < 5; i++ {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if res.RunID <= 0 || res.Run.Requests() == 0 {
		t.Fatalf("the cut run was not kept: %+v", res.RunID)
	}
	if _, err := f.journal.Run(t.Context(), res.RunID); err != nil {
		t.Fatal(err)
	}
	state, err := lab.State(t.Context())
	if err != nil || state != "memory 3008 MB (was 128 MB)" {
		t.Fatalf("state %q, %v", state, err)
	}
}

// A change that fails leaves the function as it was; the next NextChange
// plans the same change again, so the step can be retried.
func TestLabFailedChangeCanBeRetried(t *testing.T) {
	t.Parallel()
	f := newLabFixture(t)
	lab := f.lab(t, 20)
	plan, done, err := lab.NextChange(t.Context(), 2)
	if err != nil || done {
		t.Fatal(done, err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := f.session.Apply(ctx, plan, tune.ApplyOptions{Path: tune.PathLab}); err == nil {
		t.Fatal("a change under a cancelled context succeeded")
	}
	again, done, err := lab.NextChange(t.Context(), 2)
	if err != nil || done || again.Title() != plan.Title() {
		t.Fatalf("after a failed change: %q done %v %v; want %q again", again.Title(), done, err, plan.Title())
	}
}

func TestLabReportHasEveryStep(t *testing.T) {
	t.Parallel()
	f := newLabFixture(t)
	lab := f.lab(t, 20)
	for n := 1; n <= 2; n++ {
		reach(t, f, lab, n)
		if _, err := lab.Run(t.Context(), n, nil); err != nil {
			t.Fatal(err)
		}
	}
	var b strings.Builder
	if err := lab.Report(t.Context(), tune.FormatMarkdown, &b); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, want := range []string{"# The lab on " + f.fn, "| 1. Baseline: 128 MB |", "| 2. Memory 3008 MB |", "memory 128 MB → 3008 MB"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	b.Reset()
	if err := lab.Report(t.Context(), tune.FormatHTML, &b); err != nil || !strings.Contains(b.String(), "<html") {
		t.Fatalf("html report: %v", err)
	}
}

// Each step is judged on its own seconds: a run right after a busier one in
// the same minute does not inherit its concurrency (the minute-wide
// CloudWatch view would), in a sandbox with its real latencies.
func TestLabJudgesEachRunOnItsOwnSeconds(t *testing.T) {
	t.Parallel()
	cfg := sandbox.Fast()
	cfg.ControlPlaneRate, cfg.GetFunctionRate = -1, -1
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sandbox.Start(context.Background(), sb, "127.0.0.1:0", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close(); sb.Close() })
	client, err := aws.New(t.Context(), aws.Options{EndpointURL: srv.EndpointURL, StaticCredentials: true, ControlPlaneRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	session := tune.NewSession(client, tune.Where{Sandbox: true})
	f := labFixture{sb: sb, srv: srv, client: client, session: session, fn: sb.ProductFunctionName()}
	run := func(users int) tune.LabResult {
		ls := f.settings(srv.APIURL, 1_000_000)
		ls.Users, ls.RunTime = users, 1500*time.Millisecond
		lab, err := tune.NewLab(t.Context(), session, tune.LabOptions{Function: f.fn, Settings: ls})
		if err != nil {
			t.Fatal(err)
		}
		res, err := lab.Run(t.Context(), 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	busy := run(8)
	time.Sleep(1100 * time.Millisecond) // the next run starts in a later second
	quiet := run(1)
	if busy.Run.CloudWatch == nil || busy.Run.CloudWatch.ConcurrentMax == nil || *busy.Run.CloudWatch.ConcurrentMax < 4 {
		t.Fatalf("8 users reached concurrency %v", busy.Run.CloudWatch)
	}
	if c := quiet.Run.CloudWatch; c == nil || c.ConcurrentMax == nil || *c.ConcurrentMax != 1 {
		t.Fatalf("1 user after 8: concurrency %+v, want 1", c)
	}
}

// On an account (here the sandbox behind a proxy that hides what it is, as
// AWS would look) there is no scheduling lag to read: the step is judged on
// its numbers alone, and the lag column says n/a.
func TestLabOnAnAccountHasNoLag(t *testing.T) {
	t.Parallel()
	f := newLabFixture(t)
	target, err := url.Parse(f.srv.EndpointURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(r *http.Response) error { r.Header.Del(aws.SandboxHeader); return nil }
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	client, err := aws.New(t.Context(), aws.Options{EndpointURL: front.URL, StaticCredentials: true, ControlPlaneRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	session := tune.NewSession(client, tune.Where{Endpoint: front.URL})
	var notes []string
	lab, err := tune.NewLab(t.Context(), session, tune.LabOptions{Function: f.fn, Settings: f.settings(f.srv.APIURL, 20),
		Notify: func(s string) { notes = append(notes, s) }})
	if err != nil {
		t.Fatal(err)
	}
	res, err := lab.Run(t.Context(), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if client.IsSandbox() || res.LagKnown || res.Problem != "" || len(res.Checks) != 2 {
		t.Fatalf("on an account: sandbox %v, lag known %v, problem %q, %d checks", client.IsSandbox(), res.LagKnown, res.Problem, len(res.Checks))
	}
	if table := tune.LabTable([]tune.LabResult{res}); !strings.Contains(table, "| n/a |") {
		t.Fatalf("table:\n%s", table)
	}
}
