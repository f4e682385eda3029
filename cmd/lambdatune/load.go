package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/load"
	"github.com/lambdatune/lambdatune/sandbox"
)

// Defaults and caps of `lambdatune load`: every run is bounded.
const (
	defaultRunTime     = 60 * time.Second
	defaultMaxRequests = 10_000_000
	maxMaxRequests     = 1_000_000_000
	defaultOpenWorkers = 100
	exitThresholds     = 2
	exitInterrupted    = 130
)

// loadOptions are the flags of `lambdatune load`.
type loadOptions struct {
	url, function, qualifier             string
	profile, region, endpointURL         string
	users                                int
	spawnRate, rate, rampFrom            float64
	runTime                              secondsFlag
	ramp, timeout                        time.Duration
	wait, scenario, csvPrefix            string
	maxRequests, seed                    uint64
	jsonOut, sandbox                     bool
	failIf                               []string
	thresholds                           []load.Threshold
	usersSet, spawnSet, waitSet, rateSet bool
	journal                              loadJournal // load_journal.go
}

func newLoadCmd() *cobra.Command {
	o := &loadOptions{runTime: secondsFlag(defaultRunTime)}
	cmd := &cobra.Command{
		Use:   "load (--url URL | --function NAME) [flags]",
		Short: "Run a load test headless and print Locust's table (CSV, JSON and thresholds for CI)",
		Long: `Run a load test against an HTTP URL (the sandbox's products API, an API Gateway
stage, a function URL) or straight at a Lambda function with Invoke.

Closed model (like Locust): -u users started at -r per second, each repeating a
task and --wait between tasks. Open model (like wrk2): --rate requests per second
whatever the answers take; latency counts from each request's due time.

Every run is bounded by --run-time (default 60s, at most 24h) and
--max-requests (default 10,000,000). Ctrl-C stops at once and prints the results
so far. Exit codes: 0 done, 1 could not run, 2 a --fail-if threshold was
crossed, 130 interrupted. See docs/load.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.usersSet, o.spawnSet = cmd.Flags().Changed("users"), cmd.Flags().Changed("spawn-rate")
			o.waitSet, o.rateSet = cmd.Flags().Changed("wait"), cmd.Flags().Changed("rate")
			return runLoad(cmd.Context(), o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	addLoadFlags(cmd, o)
	return cmd
}

func addLoadFlags(cmd *cobra.Command, o *loadOptions) {
	f := cmd.Flags()
	f.StringVar(&o.url, "url", "", "base URL to load (http:// or https://)")
	f.BoolVar(&o.sandbox, "sandbox", false, "start the embedded sandbox and load its products API (the lab's stack, at 128 MB)")
	f.StringVar(&o.function, "function", "", "Lambda function to Invoke directly (API Gateway proxy events)")
	f.StringVar(&o.qualifier, "qualifier", "", "version or alias to invoke (default $LATEST)")
	f.StringVar(&o.profile, "profile", "", "AWS shared-config profile (--function)")
	f.StringVar(&o.region, "region", "", "AWS region (--function)")
	f.StringVar(&o.endpointURL, "endpoint-url", "", "AWS-compatible endpoint, e.g. the sandbox (--function)")
	f.IntVarP(&o.users, "users", "u", 1, "closed model: number of users; open model: most connections (default 100)")
	f.Float64VarP(&o.spawnRate, "spawn-rate", "r", 1, "users started per second (closed model)")
	f.VarP(&o.runTime, "run-time", "t", "how long to run: 90s, 5m, 1h30m, or seconds")
	f.StringVar(&o.wait, "wait", "0", `wait between a user's tasks: 0, 500ms, "between(1s,3s)", "pacing(1s)"`)
	f.Float64Var(&o.rate, "rate", 0, "open model: requests per second (fixed arrival rate)")
	f.DurationVar(&o.ramp, "ramp", 0, "open model: ramp the rate up over this long first")
	f.Float64Var(&o.rampFrom, "ramp-from", 0, "open model: rate at the start of --ramp")
	f.StringVar(&o.scenario, "scenario", "products", "products (CRUD on /products) or get (GET the URL as given)")
	f.Uint64Var(&o.maxRequests, "max-requests", defaultMaxRequests, "stop after this many requests")
	f.DurationVar(&o.timeout, "timeout", 60*time.Second, "per-request timeout")
	f.StringVar(&o.csvPrefix, "csv", "", "write Locust-compatible PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv")
	f.BoolVar(&o.jsonOut, "json", false, "print the results as JSON on stdout (the table goes to stderr)")
	f.StringArrayVar(&o.failIf, "fail-if", nil, `exit 2 if a condition holds, e.g. 'p95>200ms', 'avg>100ms', 'fail-ratio>1%' (repeatable)`)
	f.Uint64Var(&o.seed, "seed", 0, "random seed for task choice and generated products (0: from the clock)")
	o.journal.addFlags(f)
}

// secondsFlag is a duration that also accepts bare seconds, as Locust's -t does.
type secondsFlag time.Duration

func (s *secondsFlag) String() string { return time.Duration(*s).String() }
func (s *secondsFlag) Type() string   { return "duration" }
func (s *secondsFlag) Set(v string) error {
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		*s = secondsFlag(time.Duration(secs * float64(time.Second)))
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("%q is not a duration (try 90s, 5m or 1h30m)", v)
	}
	*s = secondsFlag(d)
	return nil
}

func runLoad(ctx context.Context, o *loadOptions, stdout, stderr io.Writer) error {
	if err := o.validate(); err != nil {
		return err
	}
	if err := o.parseThresholds(); err != nil {
		return err
	}
	if o.sandbox {
		stop, err := o.startSandbox(ctx, stderr)
		if err != nil {
			return err
		}
		defer stop()
	}
	cfg, err := o.config(ctx)
	if err != nil {
		return err
	}
	run, err := load.Start(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintln(stderr, describeRun(run.Info(), cfg))
	stopProgress := showProgress(run, stderr)
	snap := run.Wait()
	stopProgress()
	defer o.journalRun(ctx, run, stderr) // after the table; before the sandbox stops
	return report(run, snap, o, stdout, stderr)
}

func describeRun(info load.RunInfo, cfg load.Config) string {
	model := fmt.Sprintf("%d users (spawn %g/s, wait %s)", info.Users, info.SpawnRate, info.Wait)
	if info.Model == "open" {
		model = fmt.Sprintf("open model at %s (up to %d connections)", info.Rate, info.Users)
	}
	return fmt.Sprintf("lambdatune load: %s scenario, %s → %s for %v (at most %d requests)",
		info.Scenario, model, info.Target, cfg.RunTime, cfg.MaxRequests)
}

// startSandbox starts the embedded sandbox, with AWS's real latencies, and
// points the run at its products API.
func (o *loadOptions) startSandbox(ctx context.Context, stderr io.Writer) (func(), error) {
	sb, err := sandbox.New(sandbox.Config{})
	if err != nil {
		return nil, err
	}
	srv, err := sandbox.Start(ctx, sb, "127.0.0.1:0", "")
	if err != nil {
		return nil, fmt.Errorf("start the embedded sandbox: %w", err)
	}
	o.url = srv.APIURL
	o.journal.sandboxAt(srv.EndpointURL, sb.ProductFunctionName())
	fmt.Fprintf(stderr, "embedded sandbox: products API at %s (function %s)\n", srv.APIURL, sb.ProductFunctionName())
	return func() { _ = srv.Close() }, nil
}

// isTerminal reports whether w is a terminal, without any terminal library.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// newInvokeClient builds the aws client for --function, with a connection
// pool as large as the load needs.
// It is the SDK's buildable client, so AWS_CA_BUNDLE and the like still apply.
func newInvokeClient(ctx context.Context, o *loadOptions, connections int) (*aws.Client, error) {
	httpClient := awshttp.NewBuildableClient().
		WithTimeout(o.timeout).
		WithDialerOptions(func(d *net.Dialer) {
			d.Timeout, d.KeepAlive = 5*time.Second, 30*time.Second
		}).
		WithTransportOptions(func(t *http.Transport) {
			t.MaxIdleConns, t.MaxIdleConnsPerHost = connections+10, connections+10
			t.IdleConnTimeout, t.TLSHandshakeTimeout = 90*time.Second, 5*time.Second
		})
	return aws.New(ctx, aws.Options{
		Profile: o.profile, Region: o.region, EndpointURL: o.endpointURL,
		StaticCredentials: isLoopbackURL(o.endpointURL),
		HTTPClient:        httpClient,
	})
}

// isLoopbackURL: an endpoint on this machine is the sandbox (or another
// emulator), which accepts any credentials.
func isLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return false
	}
	if u.Hostname() == "localhost" {
		return true
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}
