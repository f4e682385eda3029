package main

import (
	"github.com/spf13/cobra"

	"github.com/lambdatune/lambdatune/tune"
)

// sweepOptions are the flags of `lambdatune sweep`.
type sweepOptions struct {
	set                           setOptions // the account flags, --yes, --read-only, --state-dir
	memory, arch, payload, prices string
	invokes, parallel, users      int
	runTime                       secondsFlag
	spawnRate, rate, weight       float64
	wait, scenario, url           string
	strategy, percentile          string
	coldStarts, apply, jsonOut    bool
	sandbox, fast                 bool
	invokesSet, runTimeSet        bool
}

func newSweepCmd() *cobra.Command {
	o := &sweepOptions{}
	cmd := &cobra.Command{
		Use:   "sweep [FUNCTION] [flags]",
		Short: "Measure a function across memory sizes and choose one by cost, speed or a balance",
		Long: `Measure one function at each memory size in --memory: change the memory (validated,
waited on), run the workload, record the client's latency percentiles, the
function's duration, billed duration, init duration and cold starts from its
REPORT lines (CloudWatch for HTTP load), errors, throttles and timeouts, and the
cost per invocation and per 1M. Then choose by --strategy and put the function
back as it was (or at the chosen size with --apply). An interrupted sweep
restores too. Every step is a run in the journal. See docs/sweep.md.

Workload, one of:
  --invokes N [--payload FILE] [--parallel P]   N Invokes of $LATEST per step
                                                (default: 100, one at a time)
  --run-time D [--users U --spawn-rate R --wait W | --rate RPS] [--url URL]
                                                the load test of lambdatune load per step

On an account the sweep lists every change and asks once (--yes skips it).
--sandbox starts the embedded sandbox (the lab's function is the default
FUNCTION there); --fast makes its changes take about a second.

Exit codes: 0 the sweep completed, 1 it could not run (or could not restore),
130 interrupted (after restoring).`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.invokesSet, o.runTimeSet = cmd.Flags().Changed("invokes"), cmd.Flags().Changed("run-time")
			fn := ""
			if len(args) == 1 {
				fn = args[0]
			}
			return o.run(cmd, fn)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.memory, "memory", "128,256,512,1024,1536,2048,3008", "memory sizes to measure, in MB (128–10240, whole MB)")
	f.StringVar(&o.arch, "arch", "", "architectures to measure (x86_64, arm64); only the function's own is possible")
	f.IntVar(&o.invokes, "invokes", tune.DefaultSweepInvokes, "Invokes per step")
	f.StringVar(&o.payload, "payload", "", "file whose contents are the payload of every Invoke (default: the products API's proxy events)")
	f.IntVar(&o.parallel, "parallel", 1, "Invokes in flight at once")
	f.Var(&o.runTime, "run-time", "run a load test of this long per step instead of Invokes: 30s, 2m")
	f.IntVarP(&o.users, "users", "u", 10, "load test: users (closed model), or most connections (open model)")
	f.Float64VarP(&o.spawnRate, "spawn-rate", "r", 100, "load test: users started per second")
	f.StringVar(&o.wait, "wait", "0", `load test: wait between a user's tasks: 0, 500ms, "between(0.25s,0.55s)"`)
	f.Float64Var(&o.rate, "rate", 0, "load test: open model at this many requests per second")
	f.StringVar(&o.scenario, "scenario", "products", "load test: products or get")
	f.StringVar(&o.url, "url", "", "load test: the URL in front of the function (default: the one lambdatune finds)")
	f.BoolVar(&o.coldStarts, "cold-starts", false, "measure cold starts only: force a new execution environment before each Invoke")
	f.StringVar(&o.strategy, "strategy", "cost", "how to choose: cost, speed or balanced")
	f.StringVar(&o.percentile, "percentile", tune.DefaultPercentile, "latency percentile speed and balanced judge by: p50, p95, p99")
	f.Float64Var(&o.weight, "weight", 0.5, "balanced: weight of cost, 0 (speed only) to 1 (cost only)")
	f.BoolVar(&o.apply, "apply", false, "end at the chosen memory instead of the original")
	f.BoolVar(&o.jsonOut, "json", false, "print the whole result as JSON on stdout (the table goes to stderr)")
	f.StringVar(&o.prices, "prices", "", `override prices (USD), e.g. "duration=0.0000166667,requests=0.2" (docs/cost.md)`)
	f.BoolVar(&o.sandbox, "sandbox", false, "start the embedded sandbox and sweep there")
	f.BoolVar(&o.fast, "fast", false, "embedded sandbox: apply changes in about a second instead of AWS's real delays")
	s := &o.set
	f.StringVar(&s.profile, "profile", "", "AWS shared-config profile")
	f.StringVar(&s.region, "region", "", "AWS region")
	f.StringVar(&s.endpointURL, "endpoint-url", "", "AWS-compatible endpoint, e.g. a standalone lambdatune sandbox")
	f.BoolVar(&s.aws, "aws", false, "use the AWS account in sight even when a lambdatune sandbox is running")
	f.BoolVar(&s.readOnly, "read-only", false, "check the sweep and change nothing")
	f.BoolVarP(&s.yes, "yes", "y", false, "sweep without asking")
	f.StringVar(&s.stateDir, "state-dir", "", "where the journal is (default: $XDG_STATE_HOME/lambdatune)")
	return cmd
}
