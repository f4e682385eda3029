package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/spf13/pflag"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/load"
	"github.com/lambdatune/lambdatune/tune"
)

// loadJournal is what `lambdatune load` needs to journal its runs: every run
// against a known function is recorded, as the console records its runs.
type loadJournal struct {
	stateDir, function string
	off                bool
	// sandboxEndpoint and sandboxFunction are set when --sandbox started one.
	sandboxEndpoint, sandboxFunction string
}

// journalTimeout bounds what journalling a run may add after it: reading
// the configuration and CloudWatch, and the write.
const journalTimeout = 30 * time.Second

// sandboxSettle is how long to wait for the sandbox's CloudWatch to have
// published a run's last second.
const sandboxSettle = 3 * time.Second

func (j *loadJournal) addFlags(f *pflag.FlagSet) {
	f.StringVar(&j.stateDir, "state-dir", "", "where the journal is (default: $XDG_STATE_HOME/lambdatune)")
	f.StringVar(&j.function, "journal-function", "", "with --url: the function behind the URL, to journal the run in its session")
	f.BoolVar(&j.off, "no-journal", false, "do not record the run in the journal")
}

// sandboxAt notes the embedded sandbox --sandbox started.
func (j *loadJournal) sandboxAt(endpoint, function string) {
	j.sandboxEndpoint, j.sandboxFunction = endpoint, function
}

// journalRun records a finished run in the journal. A run that cannot be
// journalled is still a run: the problem is reported, the exit code kept.
func (o *loadOptions) journalRun(ctx context.Context, run *load.Run, stderr io.Writer) {
	if o.journal.off {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), journalTimeout)
	defer cancel()
	id, rec, client, err := o.recordRun(ctx, run)
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "lambdatune: the run was not journalled: %v\n", err)
	case id > 0:
		if line := coldStartLine(rec); line != "" {
			fmt.Fprintln(stderr, line)
		}
		if client.IsSandbox() {
			if lag, ok := tune.SandboxLag(ctx, client, rec.Started, rec.Ended); ok {
				fmt.Fprintf(stderr, "sandbox scheduling lag p99 %s (how late the sandbox's timers ran: large values inflate every latency above)\n", tune.LagText(lag))
			}
		}
		fmt.Fprintf(stderr, "journalled as run %d (lambdatune snapshots list%s)\n", id, o.snapshotsFlags())
	}
}

// coldStartLine is an HTTP run's cold starts as CloudWatch counted them
// (Invoke runs have them from REPORT lines in the table already).
func coldStartLine(rec tune.RunRecord) string {
	cold := rec.ColdStarts()
	if !cold.Known || cold.Source == tune.SourceReport {
		return ""
	}
	line := fmt.Sprintf("function: %d cold starts in the run's window (%s)", cold.Value, cold.Source)
	if cw := rec.CloudWatch; cw != nil && cw.InitDurationAverageMs != nil && cold.Value > 0 {
		line += fmt.Sprintf(", Init Duration avg %.0f ms: not in Lambda's Duration, seen by the client", *cw.InitDurationAverageMs)
	}
	return line
}

func (o *loadOptions) recordRun(ctx context.Context, run *load.Run) (int64, tune.RunRecord, *aws.Client, error) {
	id, rec, target, err := o.recordRunIn(ctx, run)
	return id, rec, target.client, err
}

func (o *loadOptions) recordRunIn(ctx context.Context, run *load.Run) (int64, tune.RunRecord, journalTarget, error) {
	target, err := o.journalTarget(ctx)
	if err != nil || target.function == "" {
		return 0, tune.RunRecord{}, target, err
	}
	detail, err := target.client.FunctionDetail(ctx, target.function)
	if err != nil {
		return 0, tune.RunRecord{}, target, fmt.Errorf("read %s's configuration: %s", target.function, aws.Explain(err))
	}
	meta := tune.RunMeta{Scope: target.scope, Function: target.function, Qualifier: target.qualifier, Path: tune.PathCLI,
		Config: tune.ConfigOf(detail), ConfigKnown: true}
	switch {
	case target.client.IsSandbox(): // any lambdatune sandbox: the one sandbox scope, as the console files it
		meta.Scope = tune.SandboxScope
	case !meta.Scope.Sandbox:
		meta.Scope.Account = aws.AccountIDFromARN(detail.ARN)
	}
	if _, ok := meta.Config.AliasVersion(tune.DefaultAlias); ok && meta.Scope.Sandbox && o.function == "" {
		meta.Qualifier = tune.DefaultAlias // the sandbox's API invokes the lab's alias when it exists
	}
	for name := range o.header {
		meta.HeaderNames = append(meta.HeaderNames, name) // names only: values may be API keys
	}
	slices.Sort(meta.HeaderNames)
	rec, err := tune.NewRunRecord(run, meta)
	if err != nil {
		return 0, rec, target, err
	}
	rec.CloudWatch = tune.AwaitCloudWatchView(ctx, target.client, rec, target.pending, target.settle, clock.Real{})
	j, err := openJournal(ctx, o.journal.stateDir, nil)
	if err != nil {
		return 0, rec, target, err
	}
	defer j.Close()
	id, err := j.AddRun(ctx, rec)
	return id, rec, target, err
}

// journalTarget is the function a run measured and how to read it.
type journalTarget struct {
	function, qualifier string
	scope               tune.Scope
	client              *aws.Client
	pending, settle     time.Duration
}

func (o *loadOptions) journalTarget(ctx context.Context) (journalTarget, error) {
	if o.journal.sandboxFunction != "" {
		client, err := aws.New(ctx, aws.Options{EndpointURL: o.journal.sandboxEndpoint, StaticCredentials: true, ReadOnly: true})
		return journalTarget{function: o.journal.sandboxFunction, scope: tune.SandboxScope, client: client, settle: sandboxSettle}, err
	}
	t := journalTarget{function: o.function, qualifier: o.qualifier}
	if t.function == "" {
		t.function = o.journal.function
	}
	if t.function == "" {
		return t, nil
	}
	endpoint := DiscoverEndpoint(o.endpointURL, o.profile, o.region) // the one the run used
	client, err := aws.New(ctx, aws.Options{Profile: o.profile, Region: o.region, EndpointURL: endpoint, ReadOnly: true,
		StaticCredentials: isLoopbackURL(endpoint)})
	if err != nil {
		return t, fmt.Errorf("%s", aws.Explain(err))
	}
	t.client, t.pending = client, aws.AWSPendingHorizon
	t.scope = tune.ScopeOf(tune.Where{Region: client.Region(), Endpoint: o.endpointURL})
	if isLoopbackURL(o.endpointURL) { // a standalone sandbox publishes at once
		t.pending, t.settle = 0, sandboxSettle
	}
	return t, nil
}

// snapshotsFlags are the flags `snapshots list` needs to find the run.
func (o *loadOptions) snapshotsFlags() string {
	out := ""
	if o.journal.sandboxFunction != "" {
		out += " --sandbox"
	}
	for _, f := range []struct{ name, value string }{
		{"--profile", o.profile}, {"--region", o.region}, {"--endpoint-url", o.endpointURL}, {"--state-dir", o.journal.stateDir},
	} {
		if f.value != "" {
			out += " " + f.name + " " + f.value
		}
	}
	return out
}
