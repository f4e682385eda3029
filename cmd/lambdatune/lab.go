package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/load"
	"github.com/lambdatune/lambdatune/tune"
)

// labOptions are the flags of `lambdatune lab`: the console's (which
// account, the embedded sandbox) and the lab's own.
type labOptions struct {
	consoleFlags
	headless, yes bool
	runTime       secondsFlag
	url, report   string
}

// defaultLabRunTime is each step's load test: a few minutes in all.
const defaultLabRunTime = 60 * time.Second

// labChangeLimit bounds the changes one step makes (it needs at most four).
const labChangeLimit = 8

func newLabCmd() *cobra.Command {
	o := &labOptions{runTime: secondsFlag(defaultLabRunTime)}
	cmd := &cobra.Command{
		Use:   "lab [FUNCTION] [--headless] [flags]",
		Short: "Walk the AWS lab's four tuning steps and judge each against what the lab expects",
		Long: `Walk the AWS training lab on the products API: 1. baseline at 128 MB, 2. memory
3008 MB, 3. provisioned concurrency 40 on alias live, 4. reserved concurrency 20.
Each step's change is previewed and confirmed (y/N, or --yes), then the lab's load
test runs (products scenario, 100 users, spawn rate 3/s, --run-time each) and its
numbers are judged against the lab's expectations (docs/lab.md). At the end
lambdatune offers to restore the function's original configuration (with --yes it
restores) and prints the table of results.

Where: the embedded sandbox by default (with --fast's quick allocation: provisioned
concurrency READY in seconds; --fast=false takes AWS's own delays) and its products
function; with --endpoint-url, --profile or --region an account: FUNCTION, or the
lab stack's function found by its name (…ProductApiFunction…), loaded through its
API (its stack's API URL output, or --url).

Exit codes:
  0    every expectation held
  2    one did not hold, or could not be judged (too busy, no data)
  1    the lab could not run (bad flags, a change failed or was declined, the API could not be reached)
  130  interrupted (Ctrl-C): the load stops, the run is kept, the function's state is printed`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLab(cmd, o, args)
		},
	}
	o.register(cmd)
	fast := cmd.Flags().Lookup("fast")
	fast.DefValue, fast.Usage = "true", "embedded sandbox: apply changes and allocate provisioned concurrency in seconds (false: AWS's real delays)"
	_ = fast.Value.Set("true")
	f := cmd.Flags()
	f.BoolVar(&o.headless, "headless", false, "walk the lab on the terminal and print the table (instead of the console's Lab screen)")
	f.BoolVarP(&o.yes, "yes", "y", false, "make every change and the restore at the end without asking")
	f.VarP(&o.runTime, "run-time", "t", "each step's load test: 60s, 5m, or seconds")
	f.StringVar(&o.url, "url", "", "the API to load (default: the products API, or the function's stack's API URL output)")
	f.StringVar(&o.report, "report", "", "write the session's report with every step to a file: Markdown if its name ends in .md, HTML in .html")
	return cmd
}

func runLab(cmd *cobra.Command, o *labOptions, args []string) error {
	format, err := o.validate()
	if err == nil && !o.headless {
		start := consoleStart{lab: true, labRunTime: time.Duration(o.runTime), labURL: o.url}
		if len(args) == 1 {
			start.labFunction = args[0]
		}
		return runConsoleOn(cmd, &o.consoleFlags, start)
	}
	if err != nil {
		return err
	}
	w, stop, err := o.start(cmd, args)
	if err != nil {
		return err
	}
	defer stop()
	w.format = format
	return w.walk(cmd.Context())
}

func (o *labOptions) validate() (tune.Format, error) {
	if o.readOnly {
		return "", exitError{code: 1, msg: "the lab changes the function at every step: it cannot run with --read-only"}
	}
	if rt := time.Duration(o.runTime); rt <= 0 || rt > load.MaxRunTime {
		return "", exitError{code: 1, msg: fmt.Sprintf("--run-time %s: each step's load test runs between 1s and %v", rt, load.MaxRunTime)}
	}
	if o.url != "" {
		if t, err := tune.ParseLoadTarget(o.url); err != nil || t.Kind != tune.TargetHTTP {
			return "", exitError{code: 1, msg: fmt.Sprintf("--url %q: give the API's http(s) URL", o.url)}
		}
	}
	if o.report == "" {
		return "", nil
	}
	switch strings.ToLower(filepath.Ext(o.report)) {
	case ".md":
		return tune.FormatMarkdown, nil
	case ".html", ".htm":
		return tune.FormatHTML, nil
	}
	return "", exitError{code: 1, msg: fmt.Sprintf("--report %s: the report is Markdown (.md) or HTML (.html)", o.report)}
}

// labWalk is one headless walk of the lab.
type labWalk struct {
	session *tune.Session
	lab     *tune.Lab
	yes     bool
	prompt  *prompter
	out     io.Writer
	errOut  io.Writer
	report  string
	format  tune.Format
	results []tune.LabResult
}

// start connects (as the console does), opens the journal, finds the
// function and its API and reads the function's original configuration.
func (o *labOptions) start(cmd *cobra.Command, args []string) (*labWalk, func(), error) {
	ctx := cmd.Context()
	log := slog.New(slog.DiscardHandler)
	// The embedded sandbox outlives a Ctrl-C (which ends ctx): the state is
	// read and the restore offered after it. stop closes it.
	conn, err := o.connect(context.WithoutCancel(ctx), log)
	if err != nil {
		return nil, nil, err
	}
	closers := []func(){conn.stop}
	stop := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	fail := func(err error) (*labWalk, func(), error) { stop(); return nil, nil, err }
	client, err := aws.New(ctx, conn.opts)
	if err != nil {
		return fail(exitError{code: 1, msg: aws.Explain(err) + conn.hint})
	}
	if err := probe(ctx, client, conn.hint); err != nil {
		return fail(err)
	}
	session := tune.NewSession(client, conn.recognise(client))
	journal, err := openJournal(ctx, o.stateDir, log)
	if err != nil {
		return fail(err)
	}
	closers = append(closers, func() { _ = journal.Close() })
	session.SetJournal(journal)
	fn := ""
	if len(args) == 1 {
		fn = args[0]
	} else if fn, err = session.FindLabFunction(ctx); err != nil {
		return fail(exitError{code: 1, msg: aws.Explain(err)})
	}
	detail, err := session.Detail(ctx, fn)
	if err != nil {
		return fail(exitError{code: 1, msg: aws.Explain(err)})
	}
	target := session.FindLoadTarget(ctx, detail)
	if o.url != "" {
		target, _ = tune.ParseLoadTarget(o.url)
		target.Source = "--url"
	}
	if target.Kind != tune.TargetHTTP {
		return fail(exitError{code: 1, msg: fmt.Sprintf("no API found in front of %s: the lab loads the function through its API; give it with --url", fn)})
	}
	out := cmd.OutOrStdout()
	lab, err := tune.NewLab(ctx, session, tune.LabOptions{Function: fn, Settings: tune.DefaultLabSettings(target, time.Duration(o.runTime)),
		Notify: func(s string) { fmt.Fprintln(out, "  "+s) }})
	if err != nil {
		return fail(exitError{code: 1, msg: aws.Explain(err)})
	}
	fmt.Fprintf(out, "lambdatune lab: %s in %s\n", fn, session.Where().Label())
	fmt.Fprintf(out, "  load: products scenario, %d users (spawn %g/s, wait %s) for %v each step → %s (%s)\n",
		tune.DefaultUsers, float64(tune.DefaultSpawnRate), tune.DefaultWait, time.Duration(o.runTime), target.URL, target.Source)
	fmt.Fprintf(out, "  before the lab: %s\n", lab.Original().Summary())
	return &labWalk{session: session, lab: lab, yes: o.yes, prompt: newPrompter(cmd.InOrStdin(), out), out: out,
		errOut: cmd.ErrOrStderr(), report: o.report}, stop, nil
}

// errDeclined is a change the user did not confirm.
var errDeclined = errors.New("not confirmed")

// walk runs the four steps, then offers the restore, writes the report and
// prints the table; its error carries the exit code.
func (w *labWalk) walk(ctx context.Context) error {
	done := make(chan struct{})
	defer close(done)
	go secondInterruptQuits(ctx, done, w.errOut)
	interrupted, couldNotRun := false, false
	for _, step := range w.lab.Steps() {
		w.announce(step)
		res, err := w.step(ctx, step)
		if res.Step != 0 {
			w.results = append(w.results, res)
			w.printChecks(res)
		}
		if ctx.Err() != nil {
			interrupted = true
			break
		}
		if err != nil || res.Problem != "" {
			couldNotRun = true
			break
		}
	}
	fmt.Fprintf(w.out, "\n%s", tune.LabTable(w.results))
	// The restore and the report outlive a Ctrl-C: the function must not be
	// left changed without the offer.
	after := context.WithoutCancel(ctx)
	if interrupted {
		fmt.Fprintln(w.out, "\ninterrupted: the load stopped and the step's run is kept in the journal")
	}
	w.restore(after)
	if err := w.writeReport(after); err != nil {
		fmt.Fprintf(w.errOut, "lambdatune: the report was not written: %s\n", aws.Explain(err))
		couldNotRun = true
	}
	switch {
	case interrupted:
		return exitError{code: exitInterrupted}
	case couldNotRun || len(w.results) < len(w.lab.Steps()):
		return exitError{code: exitCannotRun, msg: "the lab could not run every step"}
	}
	for _, r := range w.results {
		switch r.Verdict() {
		case tune.LabMet:
		case tune.LabTooBusy:
			return exitError{code: exitThresholds, msg: "the machine was too busy to judge every expectation (see the lag p99 column)"}
		default:
			return exitError{code: exitThresholds, msg: "an expectation of the lab did not hold"}
		}
	}
	return nil
}

func (w *labWalk) announce(step tune.LabStep) {
	fmt.Fprintf(w.out, "\nStep %d of %d: %s\n  %s\n  expected:\n", step.Number, len(w.lab.Steps()), step.Title, step.Explain)
	for _, e := range step.Expect {
		fmt.Fprintf(w.out, "    - %s\n", e)
	}
}

// step brings the function to the step's target and runs its load test. A
// change that fails or is declined is the step's Problem.
func (w *labWalk) step(ctx context.Context, step tune.LabStep) (tune.LabResult, error) {
	if err := w.reach(ctx, step.Number); err != nil {
		if ctx.Err() != nil {
			return tune.LabResult{}, err
		}
		problem := "the change failed: " + aws.Explain(err) + "; run `lambdatune lab` again to retry"
		if errors.Is(err, errDeclined) {
			problem = "the step's change was not confirmed: nothing was changed"
		}
		return tune.LabResult{Step: step.Number, Problem: problem}, err
	}
	fmt.Fprintf(w.out, "  running the load test (%v)…\n", w.lab.Settings().RunTime)
	var stopProgress func()
	res, err := w.lab.Run(ctx, step.Number, func(r *load.Run) { stopProgress = showProgress(r, w.errOut) })
	if stopProgress != nil {
		stopProgress()
	}
	if err != nil && res.Step == 0 {
		return tune.LabResult{Step: step.Number, Problem: aws.Explain(err)}, err
	}
	return res, err
}

// reach makes step n's changes, one previewed and confirmed plan at a time.
func (w *labWalk) reach(ctx context.Context, n int) error {
	fn := w.lab.Function()
	for range labChangeLimit {
		plan, done, err := w.lab.NextChange(ctx, n)
		if err != nil || done {
			return err
		}
		printPlan(w.out, fn, plan)
		fmt.Fprintf(w.out, "  in %s\n", w.session.Where().Label())
		if !w.yes && !w.prompt.confirm("Make this change? [y/N] ") {
			return errDeclined
		}
		outcome, err := w.session.Apply(ctx, plan, tune.ApplyOptions{Path: tune.PathLab, Progress: printProgress(w.out)})
		fmt.Fprintln(w.out, "  "+outcome.Summary())
		if err != nil {
			return err
		}
	}
	return fmt.Errorf("step %d: %s is still not at the step's configuration after %d changes", n, fn, labChangeLimit)
}

func (w *labWalk) printChecks(res tune.LabResult) {
	if res.Problem != "" {
		fmt.Fprintf(w.out, "  step %d: no data — %s\n", res.Step, res.Problem)
		return
	}
	t := res.Run.Total
	lag := ""
	if res.LagKnown {
		lag = ", sandbox scheduling lag p99 " + tune.LagText(res.LagP99)
	}
	fmt.Fprintf(w.out, "  step %d: %d requests, average %s, max %s%s: %s\n", res.Step, t.Requests,
		t.Average.Round(time.Millisecond), t.Max.Round(time.Millisecond), lag, res.Verdict())
	for _, c := range res.Checks {
		line := fmt.Sprintf("    %s — %s: %s", c.Expect, c.Got, c.Verdict)
		if c.Why != "" {
			line += " (" + c.Why + ")"
		}
		fmt.Fprintln(w.out, line)
	}
}

// restore says where the function is and offers to bring it back as it was
// before the lab (with --yes: restores).
func (w *labWalk) restore(ctx context.Context) {
	state, err := w.lab.State(ctx)
	if err != nil {
		fmt.Fprintf(w.out, "\nthe function's state could not be read: %s\n", aws.Explain(err))
		return
	}
	fmt.Fprintf(w.out, "\n%s now: %s\n", w.lab.Function(), state)
	plan, done, err := w.lab.RestorePlan(ctx)
	switch {
	case err != nil:
		fmt.Fprintf(w.out, "the restore could not be planned: %s\n", aws.Explain(err))
		return
	case done:
		return
	}
	fmt.Fprintln(w.out, "\nRestore the original configuration:")
	printPlan(w.out, w.lab.Function(), plan)
	fmt.Fprintf(w.out, "  in %s\n", w.session.Where().Label())
	if !w.yes && !w.prompt.confirm("Restore it? [y/N] ") {
		fmt.Fprintf(w.out, "not restored: %s stays at %s\n", w.lab.Function(), state)
		return
	}
	outcome, err := w.session.Apply(ctx, plan, tune.ApplyOptions{Path: tune.PathLab, Progress: printProgress(w.out)})
	fmt.Fprintln(w.out, "  "+outcome.Summary())
	if err == nil {
		if state, err = w.lab.State(ctx); err == nil {
			fmt.Fprintf(w.out, "%s now: %s\n", w.lab.Function(), state)
		}
	}
}

func (w *labWalk) writeReport(ctx context.Context) error {
	if w.report == "" {
		return nil
	}
	f, err := os.Create(w.report)
	if err != nil {
		return err
	}
	if err := w.lab.Report(ctx, w.format, f); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(w.out, "report written to %s\n", w.report)
	return nil
}

// secondInterruptQuits gives Ctrl-C back its default once ctx has ended (the
// first Ctrl-C): while the lab reports the state and offers the restore, a
// second Ctrl-C quits at once, leaving the function as it is.
func secondInterruptQuits(ctx context.Context, done <-chan struct{}, errOut io.Writer) {
	select {
	case <-done:
	case <-ctx.Done():
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		fmt.Fprintln(errOut, "lambdatune: interrupted; Ctrl-C again quits at once, leaving the function as it is")
	}
}

// prompter asks y/N questions on one input: one reader for every answer, so
// answers piped in together are read one line each.
type prompter struct {
	in   *bufio.Reader
	file *os.File
	out  io.Writer
}

func newPrompter(in io.Reader, out io.Writer) *prompter {
	file, _ := in.(*os.File)
	return &prompter{in: bufio.NewReader(in), file: file, out: out}
}

// confirm asks question; only y or yes agrees (end of input is no).
func (p *prompter) confirm(question string) bool {
	fmt.Fprint(p.out, question)
	line, _ := p.in.ReadString('\n')
	if p.file == nil || !isTerminal(p.file) {
		fmt.Fprintln(p.out) // a piped answer is not echoed: end the prompt's line
	}
	answer := strings.ToLower(strings.TrimSpace(line))
	return answer == "y" || answer == "yes"
}
