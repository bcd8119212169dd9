package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at release time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// exitError carries a process exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

func versionString() string {
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += "+" + s.Value[:12]
			}
		}
	}
	return fmt.Sprintf("%s (%s %s/%s)", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func newRootCmd() *cobra.Command {
	var f sessionFlags
	root := &cobra.Command{
		Use:   "ganban [prompt]",
		Short: "A terminal coding agent for Claude on Amazon Bedrock",
		Long: `ganban is a coding agent for Claude on Amazon Bedrock. Without arguments it starts the
interactive UI; with -p it runs one prompt and prints the answer (print mode).

It reads the settings and environment of the Bedrock setup guide: CLAUDE_CODE_USE_BEDROCK,
AWS_REGION, AWS credentials (profiles, SSO, keys, AWS_BEARER_TOKEN_BEDROCK), ANTHROPIC_MODEL,
~/.claude/settings.json and .claude/settings.json with their "env" block.`,
		Version:       versionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.print {
				return runPrint(cmd, f, args)
			}
			return runInteractive(cmd, f, args)
		},
	}
	root.SetVersionTemplate("ganban {{.Version}}\n")
	f.register(root)
	root.AddCommand(newSimCmd(), newDoctorCmd(), newModelsCmd(), newIAMPolicyCmd(), newConfigCmd(), newSessionsCmd(), newDemoCmd())
	return root
}

func execute(args []string) int {
	root := newRootCmd()
	root.SetArgs(normalizeArgs(root, args))
	err := root.Execute()
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(os.Stderr, "ganban:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(os.Stderr, "ganban:", err)
	return 1
}
