package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/lambdatune/lambdatune/sandbox"
)

// sandboxOptions are the flags of `lambdatune sandbox`.
type sandboxOptions struct {
	listen             string
	allowRemote        bool
	accountConcurrency int
	fast               bool
	seed               int64
	extraFunctions     int
	updateDelay        time.Duration
	allocationDelay    time.Duration
}

func newSandboxCmd() *cobra.Command {
	var opts sandboxOptions
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run the embedded Lambda sandbox standalone, for the AWS CLI and SDKs",
		Long: `Runs the sandbox that lambdatune embeds as a standalone AWS endpoint on
loopback, so that the AWS CLI or any SDK can drive it:

  aws --endpoint-url http://127.0.0.1:4566 lambda list-functions

Any credentials are accepted; the account is 123456789012 in us-east-1.
It runs until interrupted (Ctrl-C or SIGTERM).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSandbox(cmd.Context(), cmd.OutOrStdout(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.listen, "listen", "127.0.0.1:4566", "address to listen on (host:port; port 0 picks a free one)")
	f.BoolVar(&opts.allowRemote, "allow-remote", false, "allow a non-loopback --listen address (the sandbox has no authentication)")
	f.IntVar(&opts.accountConcurrency, "account-concurrency", sandbox.DefaultAccountConcurrency, "the account's concurrent-executions limit (10 is a new account)")
	f.BoolVar(&opts.fast, "fast", false, "walkthrough timings: updates finish in 300 ms, provisioned concurrency is READY after 2 s")
	f.Int64Var(&opts.seed, "seed", 1, "seed for the generated functions and every random draw")
	f.IntVar(&opts.extraFunctions, "extra-functions", 0, "generate this many functions beyond the seeded account")
	f.DurationVar(&opts.updateDelay, "update-delay", 0, "how long a configuration update stays InProgress (default 1-3 s, or 300 ms with --fast)")
	f.DurationVar(&opts.allocationDelay, "allocation-delay", 0, "how long provisioned concurrency stays IN_PROGRESS (default 60-120 s, or 2 s with --fast)")
	return cmd
}

func runSandbox(ctx context.Context, out io.Writer, opts sandboxOptions) error {
	if err := checkListenAddress(opts.listen, opts.allowRemote); err != nil {
		return err
	}
	if opts.accountConcurrency < 1 {
		return fmt.Errorf("--account-concurrency %d: an account's concurrency limit is at least 1", opts.accountConcurrency)
	}
	cfg := sandbox.Config{Seed: opts.seed, AccountConcurrency: opts.accountConcurrency, ExtraFunctions: opts.extraFunctions}
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
	srv, err := sandbox.Start(ctx, sb, opts.listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "AWS endpoint: %s\n", srv.EndpointURL)
	fmt.Fprintf(out, "Try: AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox aws --region %s --endpoint-url %s lambda list-functions\n",
		sandbox.DefaultRegion, srv.EndpointURL)
	fmt.Fprintf(out, "Lab function: %s. Press Ctrl-C to stop.\n", sb.ProductFunctionName())
	<-ctx.Done()
	return srv.Close()
}

// checkListenAddress refuses an address reachable from other machines unless
// the user asked for it: the sandbox accepts any credentials.
func checkListenAddress(listen string, allowRemote bool) error {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("--listen %q: want host:port, e.g. 127.0.0.1:4566", listen)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("--listen %q: port %q is not a number from 0 to 65535", listen, port)
	}
	if allowRemote || isLoopbackHost(host) {
		return nil
	}
	return fmt.Errorf("--listen %q is reachable from other machines and the sandbox accepts any credentials; use 127.0.0.1, or add --allow-remote if you mean it", listen)
}

func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
