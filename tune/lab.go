package tune

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/load"
)

// The AWS training lab's numbers (docs/walkthrough.md, docs/lab.md): a
// products API at 128 MB, then 3008 MB, then provisioned concurrency 40 on
// alias live, then reserved concurrency 20, each under the same Locust run.
const (
	LabBaselineMB  = 128
	LabLargeMB     = 3008
	LabProvisioned = 40
	LabReserved    = 20
)

// LabStep is one step of the AWS lab, as data.
type LabStep struct {
	Number  int    // 1..4
	Title   string // "Baseline: 128 MB", "Memory 3008 MB", …
	Explain string // two or three sentences: what will change and why it should matter
	// Target is the configuration the step's load test runs under.
	Target LabTarget
	// Expect is what the lab expects, in words, shown before the run: one
	// line per check the step's result judges.
	Expect []string
}

// LabTarget is a step's configuration: memory, reserved concurrency (nil =
// none) and provisioned concurrency on the lab's alias (0 = none).
type LabTarget struct {
	MemoryMB    int64
	Reserved    *int64
	Provisioned int64
}

// String is the target in a line: "128 MB · reserved none · provisioned 40 on live".
func (t LabTarget) describe(alias string) string {
	reserved := "reserved none"
	if t.Reserved != nil {
		reserved = fmt.Sprintf("reserved %d", *t.Reserved)
	}
	provisioned := "provisioned none"
	if t.Provisioned > 0 {
		provisioned = fmt.Sprintf("provisioned %d on %s", t.Provisioned, alias)
	}
	return fmt.Sprintf("%d MB · %s · %s", t.MemoryMB, reserved, provisioned)
}

// The lab's expectations, in the words the table and the screen show. The
// thresholds and why they are what they are: docs/lab.md.
const (
	expectAverage128  = "average ≥ 90 ms at 128 MB (the 100 ms target is not met with margin)"
	expectMax128      = "maximum ≥ 700 ms at 128 MB (cold starts near 1 s)"
	expectAverage3008 = "average ≤ 60 % of step 1's at 3008 MB"
	expectMaxCut      = "maximum under half of step 1's with provisioned 40 (no cold starts below 40)"
	expectCapped      = "peak concurrency ≤ 20 with reserved 20"
	expectThrottled   = "throttles > 0 with reserved 20 (429/500 seen)"
)

// The thresholds behind the expectations.
const (
	labAverage128Min = 90 * time.Millisecond
	labMax128Min     = 700 * time.Millisecond
	labAverageRatio  = 0.60
	labMaxRatio      = 0.50
)

// LabSteps are the lab's four steps.
func LabSteps() []LabStep {
	reserved := int64(LabReserved)
	return []LabStep{
		{Number: 1, Title: "Baseline: 128 MB", Target: LabTarget{MemoryMB: LabBaselineMB},
			Explain: "The products API as the lab deploys it: 128 MB, which gives the function about 7 % of a vCPU. " +
				"Every new execution environment starts cold (Init and a slow first invoke), so the first requests of the ramp take close to a second, " +
				"and the handler's CPU work is slow on so small a share.",
			Expect: []string{expectAverage128, expectMax128}},
		{Number: 2, Title: "Memory 3008 MB", Target: LabTarget{MemoryMB: LabLargeMB},
			Explain: "Memory is also the CPU dial: at 3008 MB the function gets 1.7 vCPU, and a single-threaded Python handler runs at full speed. " +
				"The handler's CPU time shrinks about 14-fold, so the average falls; the cold starts remain, because Init is boosted anyway.",
			Expect: []string{expectAverage3008}},
		{Number: 3, Title: fmt.Sprintf("Provisioned concurrency %d on %s", LabProvisioned, DefaultAlias),
			Target: LabTarget{MemoryMB: LabBaselineMB, Provisioned: LabProvisioned},
			Explain: "Back to 128 MB, with 40 execution environments initialised before the test on alias live (a published version: " +
				"provisioned concurrency cannot go on $LATEST). Requests up to 40 at a time find a warm environment, so the cold starts " +
				"and their near-1 s maxima should go; beyond 40, requests spill over to on-demand and start cold again.",
			Expect: []string{expectMaxCut}},
		{Number: 4, Title: fmt.Sprintf("Reserved concurrency %d", LabReserved), Target: LabTarget{MemoryMB: LabBaselineMB, Reserved: &reserved},
			Explain: "Provisioned concurrency removed, and the function capped at 20 concurrent executions with reserved concurrency. " +
				"Reserved concurrency guarantees and limits at once: past 20 in flight Lambda throttles (429), which API Gateway answers as 500.",
			Expect: []string{expectCapped, expectThrottled}},
	}
}

// DefaultLabSettings is the lab's load test (products scenario, 100 users,
// spawn rate 3/s, the lab's wait, the given run time) against target (the
// products API).
func DefaultLabSettings(target LoadTarget, runTime time.Duration) LoadSettings {
	ls := DefaultLoadSettings(target)
	ls.RunTime = runTime
	return ls
}

// LabOptions says what the lab runs against.
type LabOptions struct {
	Function string       // the function under test (the products API's function)
	Settings LoadSettings // the load test every step runs
	Alias    string       // "live" when empty
	// Notify, when set, hears what the lab waits for (on AWS, the next
	// minute before a run).
	Notify func(string)
}

// Lab walks the lab's steps on one function and keeps the function's
// original configuration for the restore at the end. Safe for concurrent use.
type Lab struct {
	s        *Session
	opts     LabOptions
	steps    []LabStep
	original aws.FunctionDetail

	mu      sync.Mutex
	results map[int]LabResult
}

// NewLab reads the function and keeps its original configuration (memory,
// reserved, provisioned per qualifier, aliases and versions) for the restore
// at the end.
func NewLab(ctx context.Context, s *Session, opts LabOptions) (*Lab, error) {
	if opts.Function == "" {
		return nil, errors.New("lab: no function: name the products API's function")
	}
	if opts.Alias == "" {
		opts.Alias = DefaultAlias
	}
	if err := aws.ValidateQualifier(opts.Alias); err != nil {
		return nil, err
	}
	if err := opts.Settings.Validate(); err != nil {
		return nil, err
	}
	d, err := s.Detail(ctx, opts.Function)
	if err != nil {
		return nil, err
	}
	return &Lab{s: s, opts: opts, steps: LabSteps(), original: d, results: map[int]LabResult{}}, nil
}

// Steps are the lab's steps.
func (l *Lab) Steps() []LabStep { return slices.Clone(l.steps) }

// Function is the function under test.
func (l *Lab) Function() string { return l.opts.Function }

// Alias is the alias step 3 provisions on.
func (l *Lab) Alias() string { return l.opts.Alias }

// Settings is the load test every step runs.
func (l *Lab) Settings() LoadSettings { return l.opts.Settings }

// Original is the function's configuration when the lab began.
func (l *Lab) Original() FunctionConfig { return ConfigOf(l.original) }

func (l *Lab) step(n int) (LabStep, error) {
	if n < 1 || n > len(l.steps) {
		return LabStep{}, fmt.Errorf("the lab has steps 1 to %d, not %d", len(l.steps), n)
	}
	return l.steps[n-1], nil
}

// NextChange plans the next change step n still needs, against the function
// as it is now (fresh facts): done is true when the function already runs
// under the step's target. Callers loop: NextChange → preview → confirm →
// Session.Apply → NextChange … done. Step 3's provisioned change publishes
// $LATEST and points (or creates) the alias (PublishAlias).
func (l *Lab) NextChange(ctx context.Context, n int) (Plan, bool, error) {
	step, err := l.step(n)
	if err != nil {
		return Plan{}, false, err
	}
	facts, err := l.s.Facts(ctx, l.opts.Function)
	if err != nil {
		return Plan{}, false, err
	}
	req, ok := l.nextRequest(facts.Detail, step.Target)
	if !ok {
		return Plan{}, true, nil
	}
	plan, err := PlanChange(req, facts)
	if errors.Is(err, ErrNothingToChange) {
		// nextRequest only asks for what differs: say so rather than loop.
		return Plan{}, false, fmt.Errorf("step %d: %s differs from the step's target but nothing can be planned to change it", n, l.opts.Function)
	}
	return plan, false, err
}

// nextRequest is the first change that brings d closer to t, in an order AWS
// accepts: provisioned concurrency lowered first (a reservation may not
// shrink under it), then memory, then the reservation, then the alias moved
// to a version with the target's memory, then provisioned concurrency raised.
func (l *Lab) nextRequest(d aws.FunctionDetail, t LabTarget) (ChangeRequest, bool) {
	cfg, alias, fn := ConfigOf(d), l.opts.Alias, l.opts.Function
	provisioned := int64(cfg.ProvisionedOn(alias))
	version, aliased := cfg.AliasVersion(alias)
	switch {
	case provisioned > t.Provisioned:
		return ChangeRequest{Function: fn, Kind: ChangeProvisioned, Qualifier: alias, Provisioned: t.Provisioned}, true
	case int64(cfg.MemoryMB) != t.MemoryMB:
		return ChangeRequest{Function: fn, Kind: ChangeMemory, MemoryMB: t.MemoryMB}, true
	case !sameReserved(cfg.Reserved, t.Reserved):
		return ChangeRequest{Function: fn, Kind: ChangeReserved, Reserved: t.Reserved}, true
	case aliased && versionMemory(d, version) != 0 && int64(versionMemory(d, version)) != t.MemoryMB:
		// The API invokes the alias: its version must run at the target's memory.
		return ChangeRequest{Function: fn, Kind: ChangeProvisioned, Qualifier: alias, Provisioned: t.Provisioned, PublishAlias: true}, true
	case t.Provisioned > 0 && (!aliased || provisioned != t.Provisioned):
		return ChangeRequest{Function: fn, Kind: ChangeProvisioned, Qualifier: alias, Provisioned: t.Provisioned, PublishAlias: !aliased}, true
	}
	return ChangeRequest{}, false
}

func sameReserved(have *int32, want *int64) bool {
	if have == nil || want == nil {
		return have == nil && want == nil
	}
	return int64(*have) == *want
}

// versionMemory is the memory a published version was published with (0 when unknown).
func versionMemory(d aws.FunctionDetail, version string) int32 {
	for _, v := range d.Versions {
		if v.Version == version {
			return v.MemoryMB
		}
	}
	return 0
}

// atTarget says why the function is not at step n's target ("" when it is).
func (l *Lab) atTarget(d aws.FunctionDetail, step LabStep) string {
	if _, pending := l.nextRequest(d, step.Target); !pending {
		return ""
	}
	return fmt.Sprintf("step %d runs under %s, but %s is at %s: apply the step's change first",
		step.Number, step.Target.describe(l.opts.Alias), l.opts.Function, l.describe(d))
}

// describe is the function's configuration as the lab sees it, with the
// version behind the alias when there is one.
func (l *Lab) describe(d aws.FunctionDetail) string {
	cfg := ConfigOf(d)
	s := fmt.Sprintf("%d MB · reserved %s · provisioned %s", cfg.MemoryMB, cfg.ReservedText(), provisionedText(cfg))
	if v, ok := cfg.AliasVersion(l.opts.Alias); ok {
		s += fmt.Sprintf(" · alias %s → version %s", l.opts.Alias, v)
		if m := versionMemory(d, v); m != 0 && m != cfg.MemoryMB {
			s += fmt.Sprintf(" at %d MB", m)
		}
	}
	return s
}

func provisionedText(cfg FunctionConfig) string {
	if len(cfg.Provisioned) == 0 {
		return "none"
	}
	parts := make([]string, len(cfg.Provisioned))
	for i, p := range cfg.Provisioned {
		parts[i] = fmt.Sprintf("%d on %s", p.Requested, p.Qualifier)
	}
	return strings.Join(parts, ", ")
}

// Run measures step n: it refuses (in words) if the function is not at the
// step's target, runs the load through Session.Measure (in the journal when
// the session keeps one), reads the sandbox's scheduling lag over the run
// (sandbox only) and judges each expectation. started hears the live run
// (may be nil). A cancelled run returns its result with ctx's error.
func (l *Lab) Run(ctx context.Context, n int, started func(*load.Run)) (LabResult, error) {
	step, err := l.step(n)
	if err != nil {
		return LabResult{}, err
	}
	d, err := l.s.Detail(ctx, l.opts.Function)
	if err != nil {
		return LabResult{}, err
	}
	if why := l.atTarget(d, step); why != "" {
		return LabResult{}, errors.New(why)
	}
	cfg := ConfigOf(d)
	if err := l.awaitFreshMinute(ctx); err != nil {
		return LabResult{}, err
	}
	meta := RunMeta{Function: l.opts.Function, Path: PathLab, Config: cfg, ConfigKnown: true}
	if _, ok := cfg.AliasVersion(l.opts.Alias); ok && l.opts.Settings.Target.Kind == TargetHTTP {
		meta.Qualifier = l.opts.Alias
	}
	id, rec, runErr := l.s.Measure(ctx, Measure{Settings: l.opts.Settings, Meta: meta, Started: started})
	res := LabResult{Step: n, RunID: id, Run: rec}
	if rec.Started.IsZero() {
		// The load never started (a bad target, a refused setting).
		res.Problem = "the load test could not start: " + aws.Explain(runErr)
		l.keep(res)
		return res, runErr
	}
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), measureRecordTimeout)
	defer cancel()
	res.LagP99, res.LagKnown = l.lag(lctx, rec)
	res.Problem = unreachable(rec)
	if res.Problem == "" && ctx.Err() == nil {
		res.Run = l.ownSeconds(lctx, rec)
		if n >= 3 { // steps 3 and 4 read concurrency, throttles and spill-over
			res.Run = l.awaitPublished(ctx, res.Run)
		}
	}
	if runErr != nil && ctx.Err() != nil {
		// A run cut short drove another load: it is kept, not judged.
		res.Problem = fmt.Sprintf("interrupted after %s of %s: the run is kept, not judged", rec.Elapsed.Round(100*time.Millisecond), l.opts.Settings.RunTime)
	}
	if res.Problem == "" {
		res.Checks = l.judge(step, res)
	}
	l.keep(res)
	return res, runErr
}

func (l *Lab) keep(res LabResult) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.results[res.Step] = res
}

// Result is step n's latest result, if it has run.
func (l *Lab) Result(n int) (LabResult, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r, ok := l.results[n]
	return r, ok
}

// Results are the latest results, in step order.
func (l *Lab) Results() []LabResult {
	var out []LabResult
	for n := 1; n <= len(l.steps); n++ {
		if r, ok := l.Result(n); ok {
			out = append(out, r)
		}
	}
	return out
}

// unreachable says why a run has no numbers to judge ("" when it has):
// no request answered with an HTTP status (or, for Invoke, at all).
func unreachable(rec RunRecord) string {
	t := rec.Total
	if t.Requests == 0 {
		return "no request completed: the load test sent nothing the API answered (" + rec.StopReason + ")"
	}
	var answered uint64
	for code, n := range t.StatusCodes {
		if code > 0 {
			answered += n
		}
	}
	if len(t.StatusCodes) > 0 && answered > 0 || t.Failures < t.Requests {
		return ""
	}
	return fmt.Sprintf("the load test could not reach the API: all %d requests failed without an answer (%s)",
		t.Requests, topError(t.Errors))
}

func topError(errs map[string]uint64) string {
	best, n := "no error recorded", uint64(0)
	for e, c := range errs {
		if c > n || c == n && e < best {
			best, n = e, c
		}
	}
	return best
}

// lag reads the sandbox's scheduling lag over the run; it is known only in
// the sandbox.
func (l *Lab) lag(ctx context.Context, rec RunRecord) (time.Duration, bool) {
	if !l.s.where.Sandbox && !l.s.client.IsSandbox() {
		return 0, false
	}
	return SandboxLag(ctx, l.s.client, rec.Started, rec.Ended)
}

// SandboxLag reads the sandbox's scheduling lag (CloudWatch
// Lambdatune/Sandbox SchedulingLag) over a run from start to end: its p99
// over every sample of the minutes the run touched, as one CloudWatch
// period (like the run's CloudWatch view), so one slow second among many
// does not decide it but a machine starved through the run does. ok is
// false when there is no data (AWS publishes no such metric).
func SandboxLag(ctx context.Context, client *aws.Client, start, end time.Time) (time.Duration, bool) {
	from := start.Truncate(time.Minute)
	period := max(end.Sub(from).Truncate(time.Minute)+time.Minute, time.Minute)
	w := aws.MetricWindow{Start: from, End: from.Add(period), Period: period}
	series, err := client.MetricSeries(ctx, w, []aws.MetricQuery{{
		Namespace: SandboxNamespace, MetricName: SchedulingLagMetric, Stat: "p99", Unit: "Milliseconds"}})
	if err != nil || len(series) != 1 {
		return 0, false
	}
	p, ok := series[0].Last()
	if !ok {
		return 0, false
	}
	return time.Duration(p.Value * float64(time.Millisecond)), true
}

// LagText writes a scheduling lag: "0.4 ms", "12 ms".
func LagText(d time.Duration) string { return msText(d) }

// The sandbox's own CloudWatch metric of how late its timers run (the
// sandbox package's metrics.SchedulingLagID; tune does not import sandbox).
const (
	SandboxNamespace    = "Lambdatune/Sandbox"
	SchedulingLagMetric = "SchedulingLag"
)

// RestorePlan plans the way back to the original configuration, including
// deleting the alias and the versions the lab published for step 3: done is
// true when nothing differs.
func (l *Lab) RestorePlan(ctx context.Context) (Plan, bool, error) {
	facts, err := l.s.Facts(ctx, l.opts.Function)
	if err != nil {
		return Plan{}, false, err
	}
	target := l.Original()
	versions := l.labVersions(facts.Detail)
	plan, err := PlanChange(ChangeRequest{Function: l.opts.Function, Kind: ChangeRestore, Target: &target}, facts)
	switch {
	case errors.Is(err, ErrNothingToChange) && len(versions) == 0:
		return Plan{}, true, nil
	case errors.Is(err, ErrNothingToChange):
		now := ConfigOf(facts.Detail)
		plan = Plan{Request: ChangeRequest{Function: l.opts.Function, Kind: ChangeRestore, Target: &target}, Before: now, After: now,
			UnreservedBefore: facts.Account.Unreserved, UnreservedAfter: facts.Account.Unreserved}
	case err != nil:
		return Plan{}, false, err
	}
	sim := newSimulation(plan.After, facts.Account)
	for _, v := range versions {
		step := Step{Action: ActionDeleteVersion, Version: v}
		if err := sim.apply(step); err != nil {
			return Plan{}, false, err
		}
		plan.Steps = append(plan.Steps, step)
		plan.Effects = append(plan.Effects, fmt.Sprintf("delete version %s, published by lambdatune during the lab", v))
	}
	return plan, false, nil
}

// labVersions are the versions published by lambdatune since the lab began,
// newest first: the restore deletes them.
func (l *Lab) labVersions(now aws.FunctionDetail) []string {
	var out []string
	for _, v := range now.Versions {
		if v.Description != publishDescription || slices.ContainsFunc(l.original.Versions, func(o aws.Version) bool { return o.Version == v.Version }) {
			continue
		}
		out = append([]string{v.Version}, out...)
	}
	return out
}

// State says, in words, where the function is now against the original:
// "memory 3008 MB (was 128 MB); provisioned 40 on live (was none)".
func (l *Lab) State(ctx context.Context) (string, error) {
	d, err := l.s.Detail(ctx, l.opts.Function)
	if err != nil {
		return "", err
	}
	now, was := ConfigOf(d), l.Original()
	var parts []string
	if now.MemoryMB != was.MemoryMB {
		parts = append(parts, fmt.Sprintf("memory %d MB (was %d MB)", now.MemoryMB, was.MemoryMB))
	}
	if now.ReservedText() != was.ReservedText() {
		parts = append(parts, fmt.Sprintf("reserved %s (was %s)", now.ReservedText(), was.ReservedText()))
	}
	for _, q := range qualifiers(now, was) {
		if a, b := now.ProvisionedOn(q), was.ProvisionedOn(q); a != b {
			parts = append(parts, fmt.Sprintf("provisioned %s on %s (was %s)", countOrNone(a), q, countOrNone(b)))
		}
	}
	for _, name := range aliasNames(now, was) {
		a, _ := now.AliasVersion(name)
		b, _ := was.AliasVersion(name)
		if a != b {
			parts = append(parts, fmt.Sprintf("alias %s → %s (was %s)", name, versionOrNone(a), versionOrNone(b)))
		}
	}
	if vs := l.labVersions(d); len(vs) > 0 {
		slices.Reverse(vs)
		parts = append(parts, fmt.Sprintf("version %s published by the lab", strings.Join(vs, ", ")))
	}
	if len(parts) == 0 {
		return "as it was before the lab: " + was.Summary(), nil
	}
	return strings.Join(parts, "; "), nil
}

// Report writes the session's report (the journal's export, Markdown or
// HTML) with every step's runs and changes; the Markdown starts with the
// lab's table.
func (l *Lab) Report(ctx context.Context, f Format, w io.Writer) error {
	if l.s.journal == nil {
		return ErrNoJournal
	}
	scope, err := l.s.Scope(ctx, l.opts.Function)
	if err != nil {
		return err
	}
	r, err := l.s.journal.SessionReport(ctx, scope, l.opts.Function, l.s.prices)
	if err != nil {
		return err
	}
	if f == FormatMarkdown {
		if _, err := fmt.Fprintf(w, "# The lab on %s\n\n%s\n", l.opts.Function, LabTable(l.Results())); err != nil {
			return err
		}
	}
	return r.Write(w, f)
}
