package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/tune"
)

// setOptions are the flags shared by `lambdatune set memory|reserved|provisioned`.
type setOptions struct {
	profile, region, endpointURL string
	aws, readOnly, yes, publish  bool
	stateDir                     string
}

func newSetCmd() *cobra.Command {
	o := &setOptions{}
	cmd := &cobra.Command{
		Use:   "set",
		Short: "Change a function's memory, reserved or provisioned concurrency, headless",
		Long: `Change one setting of one function: lambdatune shows the change (old → new),
asks before making it (or --yes), validates it with AWS's own rules so a bad value
never leaves the machine, and waits until AWS reports it done, printing progress.

Where: --endpoint-url, --profile or --region when given; otherwise the running
lambdatune sandbox of this user (the console's embedded one, or
` + "`lambdatune sandbox`" + `), and the AWS account in sight when none runs (--aws
skips the sandbox).

  lambdatune set memory NAME 3008
  lambdatune set reserved NAME 20          (none removes it)
  lambdatune set provisioned NAME:live 40  (none removes it)`,
	}
	f := cmd.PersistentFlags()
	f.StringVar(&o.profile, "profile", "", "AWS shared-config profile")
	f.StringVar(&o.region, "region", "", "AWS region")
	f.StringVar(&o.endpointURL, "endpoint-url", "", "AWS-compatible endpoint, e.g. a standalone lambdatune sandbox at http://127.0.0.1:4566")
	f.BoolVar(&o.aws, "aws", false, "use the AWS account in sight even when a lambdatune sandbox is running")
	f.BoolVar(&o.readOnly, "read-only", false, "refuse every change (a dry run of the validation)")
	f.BoolVarP(&o.yes, "yes", "y", false, "make the change without asking")
	f.StringVar(&o.stateDir, "state-dir", "", "where the journal is (default: $XDG_STATE_HOME/lambdatune)")
	cmd.AddCommand(
		o.subcommand("memory NAME MB", "Set the memory (128–10240 MB) and wait until the update is Successful", tune.ChangeMemory),
		o.subcommand("reserved NAME N|none", "Set or remove reserved concurrency", tune.ChangeReserved),
		o.subcommand("provisioned NAME:QUALIFIER N|none", "Set or remove provisioned concurrency on an alias or version and wait until READY", tune.ChangeProvisioned),
	)
	return cmd
}

func (o *setOptions) subcommand(use, short string, kind tune.ChangeKind) *cobra.Command {
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  usageArgs(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(cmd, kind, args[0], args[1])
		},
	}
	// "-1" looks like a flag to the parser; say what is wrong with the value.
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		if value, ok := negativeNumber(err); ok {
			_, verr := requestFor(kind, "", value, false)
			if kind == tune.ChangeProvisioned {
				verr = aws.ValidateProvisioned(-1, aws.ProvisionedTarget{Qualifier: "x"})
			}
			if verr != nil {
				return exitError{code: 1, msg: aws.Explain(verr)}
			}
		}
		return exitError{code: 1, msg: err.Error() + "\nRun '" + c.CommandPath() + " --help' for usage."}
	})
	if kind == tune.ChangeProvisioned {
		cmd.Flags().BoolVar(&o.publish, "publish", false,
			"publish $LATEST as a new version and point the alias at it first (creating it), as the lab's AutoPublishAlias does")
	}
	return cmd
}

// negativeNumber recognises the parser's complaint about a value like -1.
func negativeNumber(err error) (string, bool) {
	msg := err.Error()
	if !strings.HasPrefix(msg, "unknown shorthand flag") {
		return "", false
	}
	i := strings.LastIndex(msg, " in -")
	if i < 0 {
		return "", false
	}
	value := msg[i+len(" in "):]
	if _, perr := strconv.ParseInt(value, 10, 64); perr != nil {
		return "", false
	}
	return value, true
}

// run plans the change against the function and the account as AWS has them
// now — so a value AWS would refuse is refused here, before any question —
// previews it, asks (unless --yes), applies it and waits until AWS reports
// it done.
func (o *setOptions) run(cmd *cobra.Command, kind tune.ChangeKind, target, value string) error {
	ctx := cmd.Context()
	req, err := requestFor(kind, target, value, o.publish)
	if err != nil {
		return exitError{code: 1, msg: aws.Explain(err)}
	}
	client, where, err := o.client(ctx)
	if err != nil {
		return err
	}
	session := tune.NewSession(client, tune.Where{Sandbox: client.IsSandbox()})
	journal, err := openJournal(ctx, o.stateDir, nil)
	if err != nil {
		return err
	}
	defer journal.Close()
	session.SetJournal(journal)
	facts, err := session.Facts(ctx, req.Function)
	if err != nil {
		return exitError{code: 1, msg: aws.Explain(err)}
	}
	plan, err := tune.PlanChange(req, facts)
	if err != nil {
		msg := aws.Explain(err)
		if kind == tune.ChangeProvisioned && strings.Contains(msg, "has no alias or version") {
			msg += " (--publish does both)"
		}
		return exitError{code: 1, msg: msg}
	}
	out := cmd.OutOrStdout()
	printPlan(out, req.Function, plan)
	fmt.Fprintf(out, "  in %s\n", where)
	if o.readOnly {
		return exitError{code: 1, msg: aws.ErrReadOnly.Error() + ": the change above was checked and not sent"}
	}
	if !o.yes && !confirm(cmd.InOrStdin(), out) {
		return exitError{code: 1, msg: "not confirmed: nothing was changed"}
	}
	outcome, err := session.Apply(ctx, plan, tune.ApplyOptions{Path: tune.PathCLI, Progress: printProgress(out)})
	fmt.Fprintln(out, outcome.Summary())
	if err != nil {
		return exitError{code: 1, msg: "the change did not complete"}
	}
	return nil
}

// client connects to the account the flags name, or else to this user's
// running lambdatune sandbox, or else to the account in sight; it makes the
// first contact so that setup errors come in plain words.
func (o *setOptions) client(ctx context.Context) (*aws.Client, string, error) {
	opts := aws.Options{Profile: o.profile, Region: o.region, EndpointURL: o.endpointURL, ReadOnly: o.readOnly}
	where, hint, err := o.choose(&opts)
	if err != nil {
		return nil, "", err
	}
	opts.StaticCredentials = opts.EndpointURL != "" && o.profile == "" && isLoopbackURL(opts.EndpointURL)
	client, err := aws.New(ctx, opts)
	if err != nil {
		return nil, "", exitError{code: 1, msg: aws.Explain(err) + hint}
	}
	if err := probe(ctx, client, hint); err != nil {
		return nil, "", err
	}
	if where == "" {
		where = client.Region()
		if o.profile != "" {
			where += " (profile " + o.profile + ")"
		}
		if opts.EndpointURL != "" {
			where += " at " + opts.EndpointURL
		}
	}
	return client, where, nil
}

// choose fills in the sandbox's endpoint when the flags name no account and
// a lambdatune sandbox runs, and says where the change goes when that is
// not plain from the flags.
func (o *setOptions) choose(opts *aws.Options) (where, hint string, err error) {
	if o.endpointURL != "" || o.profile != "" || o.region != "" {
		return "", "", nil
	}
	if !o.aws {
		if s, ok := FindSandbox(); ok {
			opts.EndpointURL = s.Endpoint
			return s.Describe(), "", nil
		}
	}
	sighting := aws.ConfigInSight(os.Getenv, homeDir())
	if !sighting.Found() && !o.aws {
		return "", "", exitError{code: 1, msg: "no lambdatune sandbox is running and no AWS configuration is in sight: " +
			"start `lambdatune` (its embedded sandbox) or `lambdatune sandbox`, or pass --profile or --region for an account, " +
			"or --endpoint-url for another endpoint"}
	}
	if sighting.Found() && !o.aws {
		hint = fmt.Sprintf("\nlambdatune set used a real AWS account because %s and no lambdatune sandbox is running.", sighting)
	}
	return "", hint, nil
}

// confirm asks on out and reads the answer from in; only y or yes agrees.
func confirm(in io.Reader, out io.Writer) bool {
	fmt.Fprint(out, "Make this change? [y/N] ")
	line, _ := bufio.NewReader(in).ReadString('\n')
	answer := strings.ToLower(strings.TrimSpace(line))
	if file, ok := in.(*os.File); !ok || !isTerminal(file) {
		fmt.Fprintln(out) // a piped answer is not echoed: end the prompt's line
	}
	return answer == "y" || answer == "yes"
}

// printProgress prints each new status AWS reports while a change is applied.
func printProgress(out io.Writer) func(tune.Progress) {
	last := ""
	return func(p tune.Progress) {
		status := p.Status
		if p.Requested > 0 {
			status += fmt.Sprintf(" (%d of %d allocated)", p.Allocated, p.Requested)
		}
		line := status
		if p.Steps > 1 {
			line = fmt.Sprintf("step %d of %d, %s: %s", p.Step, p.Steps, p.Label, status)
		}
		if line != last {
			fmt.Fprintf(out, "  %6.1f s  %s\n", p.Elapsed.Seconds(), line)
			last = line
		}
	}
}
