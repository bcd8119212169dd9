package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// runInteractive starts the terminal UI. Until the UI lands it explains what to run.
func runInteractive(cmd *cobra.Command, _ []string) error {
	fmt.Fprintln(cmd.OutOrStdout(), "ganban: the interactive agent is not built yet. Try the local Bedrock simulator: ganban sim --help")
	return nil
}
