package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"ganban/internal/demo"
)

func newDemoCmd() *cobra.Command {
	var printMode bool
	var dir string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Try ganban without AWS: a scratch project and a local Bedrock simulator",
		Long: `Start a local Amazon Bedrock simulator in this process, create a scratch project with a
failing test, and open ganban on it. The model's answers are scripted: ganban reads the code,
runs the test, asks before editing, fixes the bug and runs the test again. Nothing leaves
this machine and no AWS account is needed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := demo.Start(dir)
			if err != nil {
				return err
			}
			defer d.Close()
			for k, v := range d.Env() {
				os.Setenv(k, v)
			}
			if err := os.Chdir(d.Dir); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "ganban demo: project in %s, simulator at %s\n", d.Dir, d.URL)
			f := sessionFlags{print: printMode}
			if printMode {
				f.permissionMode, f.allowedTools = "acceptEdits", []string{"Bash(sh test.sh)"}
				return runPrint(cmd, f, []string{demo.Prompt})
			}
			return runInteractive(cmd, f, nil)
		},
	}
	cmd.Flags().BoolVarP(&printMode, "print", "p", false, "run the demo in print mode instead of the interactive UI")
	cmd.Flags().StringVar(&dir, "dir", "", "where to create the scratch project (default: a temporary directory)")
	return cmd
}
