package main

import (
	"github.com/spf13/cobra"
)

// exitUsage is the exit code of a bad flag or argument, for every command:
// 1, like any other failure to start; docs/load.md keeps 2 for a crossed
// --fail-if threshold.
const exitUsage = 1

func newRootCmd() *cobra.Command {
	flags := &consoleFlags{}
	root := &cobra.Command{
		Use:   "lambdatune",
		Short: "Tune AWS Lambda functions for latency and cost from the terminal",
		Long: `lambdatune opens a terminal console on your Lambda functions: list them, open one,
change memory, reserved or provisioned concurrency, and watch the effect.

With no AWS configuration in sight (no --profile/--region, no AWS_* variables, no
~/.aws/config) it opens on an embedded sandbox that behaves like Lambda; --sandbox
opens it whatever is in sight.`,
		Version:       versionString(),
		Args:          usageArgs(cobra.NoArgs),
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runConsole(cmd, flags)
		},
	}
	flags.register(root)
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError(cmd, err)
	})
	addSubcommands(root)
	return root
}

// usageError is a bad flag or argument: the problem, where help is, exit 1.
func usageError(cmd *cobra.Command, err error) error {
	return exitError{code: exitUsage, msg: err.Error() + "\nRun '" + cmd.CommandPath() + " --help' for usage."}
}

// usageArgs makes an argument check's error a usage error.
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return usageError(cmd, err)
		}
		return nil
	}
}
