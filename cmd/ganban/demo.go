package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"ganban/internal/demo"
	"ganban/internal/tui"
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
this machine and no AWS account is needed; your own settings and AWS files are not read.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDemo(cmd, printMode, dir) },
	}
	cmd.Flags().BoolVarP(&printMode, "print", "p", false, "run the demo in print mode instead of the interactive UI")
	cmd.Flags().StringVar(&dir, "dir", "", "where to create the scratch project (default: a temporary directory)")
	return cmd
}

// runDemo starts the demo's simulator and project, points this process at them, and runs
// a session there: in print mode with the demo's prompt, or in the UI with the prompt
// ready in the input.
func runDemo(cmd *cobra.Command, printMode bool, dir string) error {
	d, err := demo.Start(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	for _, k := range demo.Foreign(os.Environ()) {
		os.Unsetenv(k)
	}
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
	return runTUI(cmd, f, tui.Options{Draft: demo.Prompt})
}
