package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/lambdatune/lambdatune/aws"
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
	stateDir           string
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
	fl.StringVar(&f.stateDir, "state-dir", "", "where the journal of runs and changes is kept (default: $XDG_STATE_HOME/lambdatune)")
	fl.StringVar(&f.logFile, "log-file", "", "debug log file (default: $XDG_STATE_HOME/lambdatune/lambdatune.log)")
}

// connectTimeout bounds the first call, which proves the endpoint answers and
// accepts the credentials before the console takes over the terminal.
const connectTimeout = 10 * time.Second

func runConsole(cmd *cobra.Command, f *consoleFlags) error {
	return runConsoleOn(cmd, f, consoleStart{})
}

// consoleStart says which screen the console opens on: the Functions list,
// or the Lab screen (lambdatune lab).
type consoleStart struct {
	lab bool
	// labFunction is the lab's function; the lab stack's (the sandbox's
	// products function, or the one named …ProductApiFunction…) when empty.
	labFunction string
	// labRunTime and labURL fill the Lab screen's form: each step's load
	// test and the API (found in front of the function when empty).
	labRunTime time.Duration
	labURL     string
}

func runConsoleOn(cmd *cobra.Command, f *consoleFlags, start consoleStart) error {
	ctx := cmd.Context()
	log, closeLog, err := openLog(f.logFile)
	if err != nil {
		return err
	}
	defer closeLog()
	started := time.Now()
	phase := func(name string) {
		log.Info("startup", "phase", name, "after", time.Since(started).Round(time.Millisecond))
	}
	conn, err := f.connect(ctx, log)
	if err != nil {
		return err
	}
	defer conn.stop()
	client, err := aws.New(ctx, conn.opts)
	if err != nil {
		return exitError{code: 1, msg: aws.Explain(err) + conn.hint}
	}
	phase("connected")
	if err := probe(ctx, client, conn.hint); err != nil {
		return err
	}
	phase("probed")
	session := tune.NewSession(client, conn.recognise(client))
	opts := tui.Options{Session: session, Logger: log}
	if start.lab {
		opts.Lab, opts.LabRunTime, opts.LabURL = start.labFunction, start.labRunTime, start.labURL
		if opts.Lab == "" {
			if opts.Lab, err = session.FindLabFunction(ctx); err != nil {
				return exitError{code: 1, msg: aws.Explain(err) + ": name the function, lambdatune lab FUNCTION"}
			}
		}
	}
	journal, err := openJournal(ctx, f.stateDir, log)
	if err != nil {
		return err
	}
	defer journal.Close()
	session.SetJournal(journal)
	phase("journal open")
	return tui.Run(ctx, opts, cmd.InOrStdin(), cmd.OutOrStdout())
}

// probe makes the first contact (aws.Client.Probe) so that a wrong endpoint,
// missing or expired credentials are reported in plain words, with hint (why
// this account was chosen), before the console takes over the terminal.
func probe(ctx context.Context, client *aws.Client, hint string) error {
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	err := client.Probe(ctx)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		where := "AWS"
		if client.Endpoint() != "" {
			where = client.Endpoint()
		}
		return exitError{code: 1, msg: fmt.Sprintf("no answer from %s within %s%s", where, connectTimeout, hint)}
	}
	return exitError{code: 1, msg: aws.Explain(err) + hint}
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
