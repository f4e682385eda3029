package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/smithy-go"
	"github.com/spf13/cobra"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/sandbox"
	"github.com/lambdatune/lambdatune/tui"
	"github.com/lambdatune/lambdatune/tune"
)

// consoleFlags are the root command's flags: which account to open and how.
type consoleFlags struct {
	sandbox            bool
	aws                bool
	profile            string
	region             string
	endpointURL        string
	readOnly           bool
	fast               bool
	accountConcurrency int
	logFile            string
}

func (f *consoleFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&f.sandbox, "sandbox", false, "use the embedded sandbox even if an AWS configuration is in sight")
	fl.BoolVar(&f.aws, "aws", false, "use a real AWS account (the SDK's default credentials chain)")
	fl.StringVar(&f.profile, "profile", "", "AWS shared-config profile (implies --aws)")
	fl.StringVar(&f.region, "region", "", "AWS region (implies --aws)")
	fl.StringVar(&f.endpointURL, "endpoint-url", "", "AWS-compatible endpoint URL, e.g. a standalone lambdatune sandbox at http://127.0.0.1:4566")
	fl.BoolVar(&f.readOnly, "read-only", false, "block every change: nothing that writes leaves the process")
	fl.BoolVar(&f.fast, "fast", false, "embedded sandbox: apply changes in about a second instead of AWS's real delays")
	fl.IntVar(&f.accountConcurrency, "account-concurrency", 1000, "embedded sandbox: the account's concurrency limit (10 models a new account)")
	fl.StringVar(&f.logFile, "log-file", "", "debug log file (default: $XDG_STATE_HOME/lambdatune/lambdatune.log)")
}

// connectTimeout bounds the first call, which proves the endpoint answers and
// accepts the credentials before the console takes over the terminal.
const connectTimeout = 10 * time.Second

func runConsole(cmd *cobra.Command, f *consoleFlags) error {
	ctx := cmd.Context()
	log, closeLog, err := openLog(f.logFile)
	if err != nil {
		return err
	}
	defer closeLog()
	opts, where, stop, err := f.connect(ctx, log)
	if err != nil {
		return err
	}
	defer stop()
	client, err := aws.New(ctx, opts)
	if err != nil {
		return exitError{code: 1, msg: aws.Explain(err)}
	}
	if err := probe(ctx, client); err != nil {
		return err
	}
	session := tune.NewSession(client, where)
	return tui.Run(ctx, tui.Options{Session: session, Logger: log}, cmd.InOrStdin(), cmd.OutOrStdout())
}

// connect chooses the mode (design.md, Modes): the sandbox when asked for, or
// when no AWS configuration is in sight; otherwise the account the flags and
// the SDK's chain name. In sandbox mode it starts the sandbox on loopback.
func (f *consoleFlags) connect(ctx context.Context, log *slog.Logger) (aws.Options, tune.Where, func(), error) {
	opts := aws.Options{Profile: f.profile, Region: f.region, EndpointURL: f.endpointURL, ReadOnly: f.readOnly, Logger: log}
	wantsAWS := f.aws || f.profile != "" || f.region != ""
	if f.sandbox && (wantsAWS || f.endpointURL != "") {
		return opts, tune.Where{}, nil, exitError{code: 2, msg: "--sandbox cannot be combined with --aws, --profile, --region or --endpoint-url"}
	}
	if f.endpointURL != "" {
		opts.StaticCredentials = !wantsAWS && !aws.ConfigInSight(os.Getenv, homeDir())
		return opts, tune.Where{Endpoint: f.endpointURL, Profile: f.profile}, func() {}, nil
	}
	if wantsAWS || (!f.sandbox && aws.ConfigInSight(os.Getenv, homeDir())) {
		return opts, tune.Where{Profile: f.profile}, func() {}, nil
	}
	why := "embedded, no AWS configuration found"
	if f.sandbox {
		why = "embedded"
	}
	where, stop, err := f.startSandbox(ctx, log)
	if err != nil {
		return opts, tune.Where{}, nil, err
	}
	where.Why = why
	opts.EndpointURL, opts.StaticCredentials, opts.Region = where.Endpoint, true, aws.SandboxRegion
	return opts, where, stop, nil
}

func (f *consoleFlags) startSandbox(ctx context.Context, log *slog.Logger) (tune.Where, func(), error) {
	if f.accountConcurrency < 1 {
		return tune.Where{}, nil, exitError{code: 2, msg: fmt.Sprintf("--account-concurrency %d: an account's concurrency limit is at least 1", f.accountConcurrency)}
	}
	cfg := sandbox.Config{AccountConcurrency: f.accountConcurrency}
	if f.fast {
		cfg = sandbox.Fast()
		cfg.AccountConcurrency = f.accountConcurrency
	}
	sb, err := sandbox.New(cfg)
	if err != nil {
		return tune.Where{}, nil, exitError{code: 2, msg: "sandbox: " + err.Error()}
	}
	srv, err := sandbox.Start(ctx, sb, "127.0.0.1:0", "127.0.0.1:0")
	if err != nil {
		return tune.Where{}, nil, fmt.Errorf("start the embedded sandbox: %w", err)
	}
	log.Info("embedded sandbox started", "endpoint", srv.EndpointURL, "products_api", srv.APIURL)
	where := tune.Where{Sandbox: true, Endpoint: srv.EndpointURL, ProductsAPI: srv.APIURL, ProductsFunction: sb.ProductFunctionName()}
	return where, func() { _ = srv.Close() }, nil
}

// probe makes one cheap read so that a wrong endpoint or expired credentials
// are reported in plain words before the console opens.
func probe(ctx context.Context, client *aws.Client) error {
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	_, err := client.AccountSettings(ctx)
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && strings.HasPrefix(apiErr.ErrorCode(), "AccessDenied") {
		return nil // the credentials work; the console shows what they may read
	}
	if err != nil {
		where := "AWS"
		if client.Endpoint() != "" {
			where = client.Endpoint()
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return exitError{code: 1, msg: fmt.Sprintf("no answer from %s within %s", where, connectTimeout)}
		}
		return exitError{code: 1, msg: aws.Explain(err)}
	}
	return nil
}

// openLog opens the debug log: a file, never the terminal the console draws on.
func openLog(path string) (*slog.Logger, func(), error) {
	if path == "" {
		path = filepath.Join(stateDir(), "lambdatune.log")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, nil, fmt.Errorf("create log directory: %w", err)
	}
	file, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open log file: %w", err)
	}
	return slog.New(slog.NewTextHandler(file, nil)), func() { _ = file.Close() }, nil
}

// stateDir is where lambdatune keeps its log and journal (XDG state dir).
func stateDir() string {
	if dir := os.Getenv("XDG_STATE_HOME"); dir != "" {
		return filepath.Join(dir, "lambdatune")
	}
	return filepath.Join(homeDir(), ".local", "state", "lambdatune")
}

func homeDir() string {
	home, _ := os.UserHomeDir()
	return home
}
