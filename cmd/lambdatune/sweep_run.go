package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/sandbox"
	"github.com/lambdatune/lambdatune/tune"
)

// run checks every flag before connecting, prepares the sweep against the
// function as AWS has it, shows every change, asks once on an account, runs
// it and prints the result.
func (o *sweepOptions) run(cmd *cobra.Command, fn string) error {
	ctx, out, errOut := cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr()
	plan, err := o.plan(fn)
	if err != nil {
		return exitError{code: 1, msg: err.Error()}
	}
	session, stop, err := o.connect(ctx, errOut)
	if err != nil {
		return err
	}
	defer stop()
	if plan.Function == "" {
		if plan.Function = session.Where().ProductsFunction; plan.Function == "" {
			return exitError{code: 1, msg: "name the function to sweep: lambdatune sweep FUNCTION"}
		}
	}
	if err := o.fillLoadTarget(ctx, session, &plan); err != nil {
		return err
	}
	journal, err := openJournal(ctx, o.set.stateDir, nil)
	if err != nil {
		return err
	}
	defer journal.Close()
	session.SetJournal(journal)
	session.SetRecorder(journal.RecorderFor(session))
	if o.prices != "" {
		p, err := session.Prices().Override(o.prices)
		if err != nil {
			return exitError{code: 1, msg: "--prices: " + err.Error()}
		}
		session.SetPrices(p)
	}
	prep, err := session.PrepareSweep(ctx, plan)
	if err != nil {
		return exitError{code: 1, msg: aws.Explain(err)}
	}
	fmt.Fprintf(errOut, "%s\n", session.Where().Label())
	for _, line := range prep.Preview() {
		fmt.Fprintln(errOut, "  "+line)
	}
	if o.set.readOnly {
		return exitError{code: 1, msg: aws.ErrReadOnly.Error() + ": the sweep above was checked and nothing was changed"}
	}
	if !session.Where().Sandbox && !o.set.yes && !confirmSweep(cmd.InOrStdin(), errOut) {
		return exitError{code: 1, msg: "not confirmed: nothing was changed"}
	}
	res, err := session.RunSweep(ctx, prep, tune.SweepOptions{Progress: printSweepProgress(errOut)})
	return o.report(res, err, out, errOut)
}

// plan reads the flags into a sweep plan; nothing is read from AWS yet.
func (o *sweepOptions) plan(fn string) (tune.SweepPlan, error) {
	memories, err := tune.ParseMemoryList(o.memory)
	if err != nil {
		return tune.SweepPlan{}, err
	}
	archs, err := tune.ParseArchitectures(o.arch)
	if err != nil {
		return tune.SweepPlan{}, err
	}
	plan := tune.SweepPlan{Function: fn, Memories: memories, Architectures: archs, ColdStarts: o.coldStarts, ApplyChosen: o.apply,
		Choice: tune.ChoiceOptions{Strategy: tune.Strategy(o.strategy), Percentile: o.percentile, Weight: o.weight}}
	if err := plan.Choice.Validate(); err != nil {
		return plan, err
	}
	if o.runTimeSet {
		if o.invokesSet || o.payload != "" {
			return plan, fmt.Errorf("%w: give --invokes (with --payload) or --run-time, not both", tune.ErrBadSweep)
		}
		ls := tune.LoadSettings{Scenario: o.scenario, Users: o.users, SpawnRate: o.spawnRate, Wait: o.wait, Rate: o.rate,
			RunTime: o.runTime.duration(), MaxRequests: tune.DefaultMaxRequests}
		plan.Workload = tune.SweepWorkload{Load: &ls}
		return plan, nil
	}
	plan.Workload = tune.SweepWorkload{Invokes: o.invokes, Parallel: o.parallel}
	if o.payload != "" {
		data, err := os.ReadFile(o.payload)
		if err != nil {
			return plan, fmt.Errorf("%w: --payload: %v", tune.ErrBadSweep, err)
		}
		if !json.Valid(data) {
			return plan, fmt.Errorf("%w: --payload %s is not JSON (Lambda's payload is a JSON document)", tune.ErrBadSweep, o.payload)
		}
		plan.Workload.Payload, plan.Workload.PayloadName = data, o.payload
	}
	return plan, nil
}

func (s secondsFlag) duration() time.Duration { return time.Duration(s) }

// fillLoadTarget points an HTTP sweep at --url, or at the URL lambdatune
// finds in front of the function.
func (o *sweepOptions) fillLoadTarget(ctx context.Context, session *tune.Session, plan *tune.SweepPlan) error {
	ls := plan.Workload.Load
	if ls == nil {
		return nil
	}
	if o.url != "" {
		t, err := tune.ParseLoadTarget(o.url)
		if err != nil {
			return exitError{code: 1, msg: "--url: " + err.Error()}
		}
		ls.Target = t
		return nil
	}
	d, err := session.Detail(ctx, plan.Function)
	if err != nil {
		return exitError{code: 1, msg: aws.Explain(err)}
	}
	ls.Target = session.FindLoadTarget(ctx, d)
	return nil
}

// connect starts the embedded sandbox (--sandbox) or reaches the account
// the flags name, as `set` does.
func (o *sweepOptions) connect(ctx context.Context, errOut io.Writer) (*tune.Session, func(), error) {
	if !o.sandbox {
		if o.fast {
			return nil, nil, exitError{code: 1, msg: "--fast is for the embedded sandbox: add --sandbox"}
		}
		client, where, err := o.set.client(ctx)
		if err != nil {
			return nil, nil, err
		}
		w := tune.Where{Sandbox: client.IsSandbox(), Why: where, Endpoint: client.Endpoint()}
		if s, ok := FindSandbox(); ok && s.Endpoint == client.Endpoint() {
			w.ProductsAPI, w.ProductsFunction = s.ProductsAPI, s.Function
		}
		return tune.NewSession(client, w), func() {}, nil
	}
	if o.set.profile != "" || o.set.region != "" || o.set.endpointURL != "" || o.set.aws {
		return nil, nil, exitError{code: 1, msg: "--sandbox cannot be combined with --aws, --profile, --region or --endpoint-url"}
	}
	cfg := sandbox.Config{}
	if o.fast {
		cfg = sandbox.Fast()
	}
	sb, err := sandbox.New(cfg)
	if err != nil {
		return nil, nil, exitError{code: 1, msg: "sandbox: " + err.Error()}
	}
	// The sandbox outlives Ctrl-C: the sweep restores the function in it
	// after the interruption, and stop ends it.
	srv, err := sandbox.Start(context.WithoutCancel(ctx), sb, "127.0.0.1:0", "127.0.0.1:0")
	if err != nil {
		return nil, nil, fmt.Errorf("start the embedded sandbox: %w", err)
	}
	stop := func() { _ = srv.Close() }
	client, err := aws.New(ctx, aws.Options{EndpointURL: srv.EndpointURL, StaticCredentials: true, Region: aws.SandboxRegion,
		ReadOnly: o.set.readOnly})
	if err != nil {
		stop()
		return nil, nil, exitError{code: 1, msg: aws.Explain(err)}
	}
	fmt.Fprintf(errOut, "embedded sandbox: products API at %s (function %s)\n", srv.APIURL, sb.ProductFunctionName())
	w := tune.Where{Sandbox: true, Why: "embedded", Endpoint: srv.EndpointURL, ProductsAPI: srv.APIURL, ProductsFunction: sb.ProductFunctionName()}
	return tune.NewSession(client, w), stop, nil
}

// confirmSweep asks once for the whole sweep.
func confirmSweep(in io.Reader, out io.Writer) bool {
	fmt.Fprint(out, "Run this sweep? [y/N] ")
	var line string
	_, _ = fmt.Fscanln(in, &line)
	answer := strings.ToLower(strings.TrimSpace(line))
	return answer == "y" || answer == "yes"
}

// printSweepProgress prints each phase of each step once.
func printSweepProgress(out io.Writer) func(tune.SweepProgress) {
	return func(p tune.SweepProgress) {
		switch {
		case p.Step == 0:
			fmt.Fprintf(out, "  %s\n", p.Phase)
		case p.Phase == "measured" && len(p.Done) > 0:
			fmt.Fprintf(out, "  step %d of %d: %s\n", p.Step, p.Steps, tune.SweepRow(p.Done[len(p.Done)-1], false))
		default:
			fmt.Fprintf(out, "  step %d of %d (%d MB): %s\n", p.Step, p.Steps, p.MemoryMB, p.Phase)
		}
	}
}

// report prints the table (and the JSON) and maps the outcome to the exit code.
func (o *sweepOptions) report(res tune.SweepResult, err error, out, errOut io.Writer) error {
	table := out
	if o.jsonOut {
		table = errOut
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(res); jerr != nil {
			return jerr
		}
	}
	res.WriteTable(table)
	switch {
	case errors.Is(err, context.Canceled) || res.Interrupted:
		return exitError{code: exitInterrupted, msg: "interrupted: " + res.End.What}
	case err != nil:
		return exitError{code: 1, msg: aws.Explain(err)}
	case !res.End.Restored && !res.End.Applied:
		return exitError{code: 1, msg: res.End.What}
	}
	return nil
}
