package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lambdatune/lambdatune/sandbox"
)

// sandboxOptions are the flags of `lambdatune sandbox`.
type sandboxOptions struct {
	listen             string
	apiListen          string
	allowRemote        bool
	zeroLatency        bool
	accountConcurrency int
	fast               bool
	seed               int64
	extraFunctions     int
	updateDelay        time.Duration
	allocationDelay    time.Duration
	maxConnections     int
}

func newSandboxCmd() *cobra.Command {
	var opts sandboxOptions
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run the embedded Lambda sandbox standalone, for the AWS CLI and SDKs",
		Long: `Runs the sandbox that lambdatune embeds as a standalone AWS endpoint on
loopback, so that the AWS CLI or any SDK can drive it:

  aws --endpoint-url http://127.0.0.1:4566 lambda list-functions

It also serves the lab's products API (the API Gateway stand-in) on its own
address; its URL ends in the stage, /Prod, like the stack output ProductApiUrl:

  curl http://127.0.0.1:4567/Prod/products

Any credentials are accepted; the account is 123456789012 in us-east-1.
It runs until interrupted (Ctrl-C or SIGTERM).`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("api-listen") {
				opts.apiListen = defaultAPIListen(opts.listen)
			}
			return runSandbox(cmd.Context(), cmd.OutOrStdout(), opts)
		},
	}
	cmd.AddCommand(newSandboxEnvCmd())
	f := cmd.Flags()
	f.StringVar(&opts.listen, "listen", "127.0.0.1:4566", "address to listen on (host:port; port 0 picks a free one)")
	f.StringVar(&opts.apiListen, "api-listen", "127.0.0.1:4567", "address of the products API front (when --listen's port is 0 and this flag is not given: a free port on --listen's host)")
	f.BoolVar(&opts.zeroLatency, "zero-latency", false, "answer as fast as the machine allows: model everything but wait for nothing (capacity benchmarks)")
	f.BoolVar(&opts.allowRemote, "allow-remote", false, "allow a non-loopback --listen address (the sandbox has no authentication)")
	f.IntVar(&opts.accountConcurrency, "account-concurrency", sandbox.DefaultAccountConcurrency, "the account's concurrent-executions limit (10 is a new account)")
	f.BoolVar(&opts.fast, "fast", false, "walkthrough timings: updates finish in 300 ms, provisioned concurrency is READY after 2 s")
	f.Int64Var(&opts.seed, "seed", 1, "seed for the generated functions and every random draw")
	f.IntVar(&opts.extraFunctions, "extra-functions", 0, "generate this many functions beyond the seeded account")
	f.DurationVar(&opts.updateDelay, "update-delay", 0, "how long a configuration update stays InProgress (default 1-3 s, or 300 ms with --fast)")
	f.DurationVar(&opts.allocationDelay, "allocation-delay", 0, "how long provisioned concurrency stays IN_PROGRESS (default 60-120 s, or 2 s with --fast)")
	f.IntVar(&opts.maxConnections, "max-connections", 0, "open connections each address accepts; idle ones are closed to make room (default 1024)")
	return cmd
}

// defaultAPIListen is the front's address when --api-listen is not given:
// 127.0.0.1:4567, or a free port on --listen's host when --listen asks for a
// free port (so that tests and scripts can run several sandboxes at once).
func defaultAPIListen(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err == nil && port == "0" {
		return net.JoinHostPort(host, "0")
	}
	return "127.0.0.1:4567"
}

func runSandbox(ctx context.Context, out io.Writer, opts sandboxOptions) error {
	for _, addr := range []struct{ flag, value string }{{"--listen", opts.listen}, {"--api-listen", opts.apiListen}} {
		if err := checkListenAddress(addr.flag, addr.value, opts.allowRemote); err != nil {
			return err
		}
	}
	if opts.accountConcurrency < 1 {
		return fmt.Errorf("--account-concurrency %d: an account's concurrency limit is at least 1", opts.accountConcurrency)
	}
	if opts.maxConnections < 0 {
		return fmt.Errorf("--max-connections %d: the number of connections cannot be negative", opts.maxConnections)
	}
	cfg := sandbox.Config{Seed: opts.seed, AccountConcurrency: opts.accountConcurrency, ExtraFunctions: opts.extraFunctions,
		ZeroLatency: opts.zeroLatency, AllowRemote: opts.allowRemote}
	cfg.Endpoint.MaxConnections, cfg.Front.MaxConnections = opts.maxConnections, opts.maxConnections
	if opts.fast {
		fast := sandbox.Fast()
		cfg.UpdateDelay, cfg.ProvisionedAllocationDelay = fast.UpdateDelay, fast.ProvisionedAllocationDelay
	}
	if opts.updateDelay > 0 {
		cfg.UpdateDelay = opts.updateDelay
	}
	if opts.allocationDelay > 0 {
		cfg.ProvisionedAllocationDelay = opts.allocationDelay
	}
	sb, err := sandbox.New(cfg)
	if err != nil {
		return err
	}
	limitMemory()
	srv, err := sandbox.Start(ctx, sb, opts.listen, opts.apiListen)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "AWS endpoint: %s\n", srv.EndpointURL)
	fmt.Fprintf(out, "Products API: %s\n", srv.APIURL)
	fmt.Fprintf(out, "Try: AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox aws --region %s --endpoint-url %s lambda list-functions\n",
		sandbox.DefaultRegion, srv.EndpointURL)
	if note := everyInterfaceNote(srv); note != "" {
		fmt.Fprintln(out, note)
	}
	fmt.Fprintf(out, "Lab function: %s. Press Ctrl-C to stop.\n", sb.ProductFunctionName())
	remove := func() {}
	if isLoopbackURL(srv.EndpointURL) { // a sandbox for other machines is not this user's to find
		remove = announce(RunningSandbox{PID: os.Getpid(), Kind: kindStandalone, Endpoint: srv.EndpointURL, ProductsAPI: srv.APIURL,
			Function: sb.ProductFunctionName(), Started: time.Now().UTC()}, func(err error) {
			fmt.Fprintf(out, "(other lambdatune commands will not find this sandbox by themselves: %v)\n", err)
		})
	}
	defer remove()
	<-ctx.Done()
	fmt.Fprintln(out, lagLine(sb.SchedulingLag()))
	return srv.Close()
}

// lagLine tells how late the sandbox's timers ran over its last minute, so
// that numbers measured on a busy machine say so.
func lagLine(lag sandbox.LagStats) string {
	if lag.Samples == 0 {
		return "Scheduling lag: no timers ran in the last minute."
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return fmt.Sprintf("Scheduling lag over the last minute: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d timers).",
		ms(lag.P50), ms(lag.P99), ms(lag.Max), lag.Samples)
}

// checkListenAddress refuses an address reachable from other machines unless
// the user asked for it: the sandbox accepts any credentials.
func checkListenAddress(flag, listen string, allowRemote bool) error {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("%s %q: want host:port, e.g. 127.0.0.1:4566", flag, listen)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%s %q: port %q is not a number from 0 to 65535", flag, listen, port)
	}
	if allowRemote || isLoopbackHost(host) {
		return nil
	}
	return fmt.Errorf("%s %q is reachable from other machines and the sandbox accepts any credentials; use 127.0.0.1, or add --allow-remote if you mean it", flag, listen)
}

func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// everyInterfaceNote warns when a server listens on every interface (an
// --allow-remote listen address with no host, or 0.0.0.0, or ::): the
// sandbox is then reachable from other machines under any name.
func everyInterfaceNote(srv *sandbox.Server) string {
	var every []string
	for _, u := range []string{srv.EndpointURL, srv.APIURL} {
		parsed, err := url.Parse(u)
		if ip := net.ParseIP(parsed.Hostname()); err == nil && ip != nil && ip.IsUnspecified() {
			every = append(every, parsed.Host)
		}
	}
	if len(every) == 0 {
		return ""
	}
	return fmt.Sprintf("Listening on every interface (%s): other machines can reach the sandbox, which accepts any credentials.",
		strings.Join(every, " and "))
}

// sandboxMemoryLimit is the Go runtime's soft memory limit for a standalone
// sandbox: with the sandbox's own bounds on what requests hold, it keeps the
// process under 512 MB of RSS whatever clients send (docs/sandbox-model.md).
// GOMEMLIMIT in the environment overrides it.
const sandboxMemoryLimit = 448 << 20

func limitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(sandboxMemoryLimit)
	}
}
