package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"ganban/internal/doctor"
)

// runInteractive starts the terminal UI. Until it lands, it checks the setup and says what
// is missing, or how to run a prompt.
func runInteractive(cmd *cobra.Command, f sessionFlags, args []string) error {
	boot, err := f.boot()
	if err != nil {
		return err
	}
	checks := doctor.Run(cmd.Context(), boot)
	if doctor.Failed(checks) {
		fmt.Fprintln(cmd.OutOrStdout(), "ganban cannot reach Claude on Bedrock yet:")
		doctor.Render(cmd.OutOrStdout(), checks)
		fmt.Fprintln(cmd.OutOrStdout(), "\nTo try ganban without AWS, run the local Bedrock simulator: ganban sim --help")
		return &exitError{code: 1}
	}
	fmt.Fprintln(cmd.OutOrStdout(), `Setup looks good. The interactive UI is not built yet; run a prompt with: ganban -p "your request"`)
	return nil
}
