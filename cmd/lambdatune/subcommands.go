package main

import "github.com/spf13/cobra"

// addSubcommands registers each subcommand; every subcommand lives in its own
// file and adds one line here.
func addSubcommands(root *cobra.Command) {
	root.AddCommand(newSandboxCmd())
	root.AddCommand(newLoadCmd())
	root.AddCommand(newSetCmd())
	root.AddCommand(newSnapshotsCmd())
	root.AddCommand(newLabCmd())
	root.AddCommand(newSweepCmd())
}
