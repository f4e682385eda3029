package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lambdatune/lambdatune/tune"
)

// snapshotsOptions are the flags of `lambdatune snapshots`.
type snapshotsOptions struct {
	account          accountFlags
	stateDir, prices string
	format, output   string
	jsonOut          bool
}

func newSnapshotsCmd() *cobra.Command {
	o := &snapshotsOptions{}
	cmd := &cobra.Command{
		Use:   "snapshots",
		Short: "List, show and export the journal's before/after snapshots of each change",
		Long: `Every load test and every change lambdatune makes is kept in its journal
($XDG_STATE_HOME/lambdatune/journal.db, see docs/journal.md). A snapshot pairs
the changes made between two runs with the run before and the run after.

  lambdatune snapshots list [FUNCTION]           every snapshot, newest last
  lambdatune snapshots show ID                   one snapshot's before → after
  lambdatune snapshots export ID --format html   one snapshot as md, json, csv or html
  lambdatune snapshots report [FUNCTION]         a function's whole session

The session is chosen like the account of ` + "`set`" + `: --profile, --region,
--endpoint-url (or --account to skip reading it from AWS), or --sandbox for the
embedded sandbox's sessions, which are kept apart.`,
	}
	f := cmd.PersistentFlags()
	f.StringVar(&o.account.profile, "profile", "", "AWS shared-config profile")
	f.StringVar(&o.account.region, "region", "", "AWS region")
	f.StringVar(&o.account.endpointURL, "endpoint-url", "", "AWS-compatible endpoint, e.g. a standalone sandbox")
	f.StringVar(&o.account.account, "account", "", "the 12-digit account id (otherwise read from a function's ARN)")
	f.BoolVar(&o.account.sandbox, "sandbox", false, "the embedded sandbox's sessions")
	f.StringVar(&o.stateDir, "state-dir", "", "where the journal is (default: $XDG_STATE_HOME/lambdatune)")
	f.StringVar(&o.prices, "prices", "", "override prices, e.g. duration=0.0000166667,requests=0.20 (docs/cost.md)")
	cmd.AddCommand(o.listCmd(), o.showCmd(), o.exportCmd(), o.reportCmd())
	return cmd
}

func (o *snapshotsOptions) listCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "list [FUNCTION]", Short: "List the snapshots of a function (or of every function)", Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.withJournal(cmd, func(ctx context.Context, j *tune.Journal, scope tune.Scope, p tune.Prices) error {
				return o.list(ctx, cmd.OutOrStdout(), j, scope, p, firstArg(args))
			})
		}}
	cmd.Flags().BoolVar(&o.jsonOut, "json", false, "print JSON")
	return cmd
}

func (o *snapshotsOptions) showCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "show ID", Short: "Show one snapshot: its changes, runs and before → after", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.withSnapshot(cmd, args[0], func(r tune.Report, p tune.Prices) error {
				if o.jsonOut {
					return r.WriteJSON(cmd.OutOrStdout())
				}
				return writeShow(cmd.OutOrStdout(), r, p)
			})
		}}
	cmd.Flags().BoolVar(&o.jsonOut, "json", false, "print the snapshot as JSON (everything: runs, histograms, deltas)")
	return cmd
}

func (o *snapshotsOptions) exportCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "export ID", Short: "Export one snapshot as Markdown, JSON, CSV or a self-contained HTML report", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.withSnapshot(cmd, args[0], func(r tune.Report, _ tune.Prices) error { return o.write(cmd.OutOrStdout(), r) })
		}}
	o.addOutputFlags(cmd)
	return cmd
}

func (o *snapshotsOptions) reportCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "report [FUNCTION]", Short: "Export a function's whole session: every snapshot, in order", Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.withJournal(cmd, func(ctx context.Context, j *tune.Journal, scope tune.Scope, p tune.Prices) error {
				fn, err := onlyFunction(ctx, j, scope, firstArg(args))
				if err != nil {
					return err
				}
				r, err := j.SessionReport(ctx, scope, fn, p)
				if err != nil {
					return explainJournal(err)
				}
				return o.write(cmd.OutOrStdout(), r)
			})
		}}
	o.addOutputFlags(cmd)
	return cmd
}

func (o *snapshotsOptions) addOutputFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.format, "format", "", "md, json, csv or html (default: from --output's extension, else md)")
	cmd.Flags().StringVarP(&o.output, "output", "o", "", "write to FILE instead of standard output")
}

func firstArg(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

// withJournal resolves the scope and prices, opens the journal and runs fn.
func (o *snapshotsOptions) withJournal(cmd *cobra.Command, fn func(context.Context, *tune.Journal, tune.Scope, tune.Prices) error) error {
	ctx := cmd.Context()
	scope, _, err := o.account.scope(ctx)
	if err != nil {
		return err
	}
	prices, err := o.pricesFor(scope)
	if err != nil {
		return err
	}
	j, err := openJournal(ctx, o.stateDir, nil)
	if err != nil {
		return err
	}
	defer j.Close()
	return fn(ctx, j, scope, prices)
}

func (o *snapshotsOptions) withSnapshot(cmd *cobra.Command, arg string, fn func(tune.Report, tune.Prices) error) error {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id < 1 {
		return exitError{code: 1, msg: fmt.Sprintf("%q is not a snapshot ID: `lambdatune snapshots list` shows them", arg)}
	}
	return o.withJournal(cmd, func(ctx context.Context, j *tune.Journal, scope tune.Scope, p tune.Prices) error {
		r, err := j.SnapshotReport(ctx, scope, id, p)
		if err != nil {
			return explainJournal(err)
		}
		return fn(r, p)
	})
}

func (o *snapshotsOptions) pricesFor(scope tune.Scope) (tune.Prices, error) {
	p, _ := tune.PricesFor(scope.Region)
	if o.prices == "" {
		return p, nil
	}
	p, err := p.Override(o.prices)
	if err != nil {
		return p, exitError{code: 1, msg: "--prices: " + err.Error()}
	}
	return p, nil
}

func explainJournal(err error) error {
	if errors.Is(err, tune.ErrNotFound) {
		return exitError{code: 1, msg: err.Error()}
	}
	return err
}

// onlyFunction is the function a report is about: the one named, or the
// only one the scope has sessions for.
func onlyFunction(ctx context.Context, j *tune.Journal, scope tune.Scope, named string) (string, error) {
	if named != "" {
		return named, nil
	}
	sessions, err := j.Sessions(ctx, scope)
	if err != nil {
		return "", err
	}
	switch len(sessions) {
	case 0:
		return "", exitError{code: 1, msg: fmt.Sprintf("the journal has no session in %s", scope)}
	case 1:
		return sessions[0].Function, nil
	}
	names := make([]string, len(sessions))
	for i, s := range sessions {
		names[i] = s.Function
	}
	return "", exitError{code: 1, msg: fmt.Sprintf("%s has sessions for several functions: name one of %s", scope, strings.Join(names, ", "))}
}

// write writes the report in the chosen format to --output or w. A file is
// written whole or not at all (through a temporary file renamed over it).
func (o *snapshotsOptions) write(w io.Writer, r tune.Report) error {
	format, err := o.chosenFormat()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := r.Write(&buf, format); err != nil {
		return err
	}
	if o.output == "" || o.output == "-" {
		_, err := w.Write(buf.Bytes())
		return err
	}
	tmp := o.output + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return exitError{code: 1, msg: fmt.Sprintf("write %s: %v", o.output, err)}
	}
	return os.Rename(tmp, o.output)
}

func (o *snapshotsOptions) chosenFormat() (tune.Format, error) {
	spec := o.format
	if spec == "" {
		spec = strings.TrimPrefix(filepath.Ext(o.output), ".")
	}
	if spec == "" || spec == "-" {
		return tune.FormatMarkdown, nil
	}
	f, err := tune.ParseFormat(spec)
	if err != nil {
		return "", exitError{code: 1, msg: "--format: " + err.Error()}
	}
	return f, nil
}
