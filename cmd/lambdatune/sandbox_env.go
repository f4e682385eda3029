package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lambdatune/lambdatune/aws"
)

// newSandboxEnvCmd is `lambdatune sandbox env`: the shell lines that point
// the AWS CLI, curl and scripts at this user's running sandbox.
func newSandboxEnvCmd() *cobra.Command {
	wait := 5 * time.Second
	cmd := &cobra.Command{
		Use:   "env",
		Short: "Print shell lines for the running sandbox: dummy credentials, region, E (AWS endpoint), API, FN",
		Long: `Finds this user's running lambdatune sandbox — the console's embedded one or
` + "`lambdatune sandbox`" + ` — and prints shell lines for it:

  eval "$(lambdatune sandbox env)"
  aws --endpoint-url $E lambda get-function --function-name $FN
  curl $API/products

They export dummy credentials and the region (aws-cli 1.x needs
AWS_DEFAULT_REGION), and set E (its AWS endpoint), API (its products API) and
FN (the lab function). With credentials exported, plain ` + "`lambdatune`" + ` opens a
real account; use ` + "`lambdatune --endpoint-url $E`" + ` to watch this sandbox.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return printSandboxEnv(cmd.Context(), cmd.OutOrStdout(), wait)
		},
	}
	cmd.Flags().DurationVar(&wait, "wait", wait, "how long to wait for a sandbox that is still starting")
	return cmd
}

func printSandboxEnv(ctx context.Context, out io.Writer, wait time.Duration) error {
	s, err := awaitSandbox(ctx, wait)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "# %s\n", s.Describe())
	fmt.Fprintf(out, "export AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox AWS_REGION=%s AWS_DEFAULT_REGION=%s\n",
		aws.SandboxRegion, aws.SandboxRegion)
	fmt.Fprintf(out, "E=%s\nAPI=%s\nFN=%s\n", shellQuote(s.Endpoint), shellQuote(s.ProductsAPI), shellQuote(s.Function))
	return nil
}

// awaitSandbox finds the running sandbox, polling for up to wait while one
// may still be starting.
func awaitSandbox(ctx context.Context, wait time.Duration) (RunningSandbox, error) {
	deadline := time.Now().Add(wait)
	for {
		if s, ok := FindSandbox(); ok {
			return s, nil
		}
		if !time.Now().Before(deadline) {
			return RunningSandbox{}, exitError{code: 1, msg: "no lambdatune sandbox of this user is running: start `lambdatune` (its embedded sandbox) or `lambdatune sandbox`"}
		}
		select {
		case <-ctx.Done():
			return RunningSandbox{}, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// shellQuote quotes a value for sh when it holds anything but the
// characters of URLs and function names.
func shellQuote(v string) string {
	if strings.Trim(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/") == "" {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}
