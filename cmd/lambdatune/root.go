package main

import (
	"github.com/spf13/cobra"
)

func newRootCmd() *cobra.Command {
	flags := &consoleFlags{}
	root := &cobra.Command{
		Use:   "lambdatune",
		Short: "Tune AWS Lambda functions for latency and cost from the terminal",
		Long: `lambdatune opens a terminal console on your Lambda functions: list them, open one,
change memory, reserved or provisioned concurrency, and watch the effect.

With no AWS configuration in sight (no --profile/--region, no AWS_* variables, no
~/.aws/config) it opens on an embedded sandbox that behaves like Lambda.`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runConsole(cmd, flags)
		},
	}
	flags.register(root)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return exitError{code: 2, msg: err.Error() + "\nRun '" + cmd.CommandPath() + " --help' for usage."}
	})
	addSubcommands(root)
	return root
}
