package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
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
	exitCannotRun      = 1
	exitThresholds     = 2
	exitInterrupted    = 130
)

func newLoadCmd() *cobra.Command {
	o := &loadOptions{runTime: secondsFlag(defaultRunTime)}
	cmd := &cobra.Command{
		Use:   "load (--url URL | -H URL | --function NAME | --sandbox) [flags]",
		Short: "Run a load test headless and print Locust's table (CSV, JSON and thresholds for CI)",
		Long: `Run a load test against an HTTP URL (the sandbox's products API, an API Gateway
stage, a function URL) or straight at a Lambda function with Invoke.

Closed model (like Locust): -u users started at -r per second, each repeating a
task and --wait between tasks. Open model (like wrk2): --rate requests per second
whatever the answers take; latency counts from each request's due time.

Every run is bounded by --run-time (default 60s, at most 24h) and
--max-requests (default 10,000,000). Ctrl-C stops at once and prints the results
so far; requests it cuts off are reported as in flight at stop. A run that
cannot connect to the target at all stops after about 3 s.

Exit codes (the first that applies; see docs/load.md):
  1    could not run: bad flags, no AWS region, or nothing is listening at the target
  2    a --fail-if threshold was crossed
  130  interrupted (Ctrl-C)
  1    some requests failed (--exit-code-on-error sets this code; 0 ignores failures)
  0    the run completed, every request succeeded and no threshold was crossed`,
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

func runLoad(ctx context.Context, o *loadOptions, stdout, stderr io.Writer) error {
	if err := o.validate(); err != nil {
		return err
	}
	if err := o.parseThresholds(); err != nil {
		return err
	}
	if err := o.parseHeaders(); err != nil {
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
	// With no account named, a running lambdatune sandbox of this user is the target.
	o.endpointURL = DiscoverEndpoint(o.endpointURL, o.profile, o.region)
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
