package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"ganban/internal/headless"
)

func runPrint(cmd *cobra.Command, f sessionFlags, args []string) error {
	boot, err := f.boot()
	if err != nil {
		return err
	}
	resume := f.resume
	if resume == resumePick {
		return &exitError{code: 1, err: errorf("print mode needs a session ID with -r: ganban -p -r ID \"prompt\" (ganban sessions lists them)")}
	}
	var stdin io.Reader
	if !term.IsTerminal(int(os.Stdin.Fd())) {
		stdin = os.Stdin
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := headless.Run(ctx, headless.Options{
		Boot: boot, Prompt: strings.Join(args, " "), Stdin: stdin,
		OutputFormat: f.outputFormat, InputFormat: f.inputFormat, Verbose: f.verbose,
		Continue: f.cont, Resume: resume, SessionID: f.sessionID, MaxTurns: f.maxTurns, MaxBudgetUSD: f.maxBudget,
		SystemPrompt: f.systemPrompt, AppendSystemPrompt: f.appendSystemPrompt,
		Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr(), Version: version,
	})
	if code != 0 {
		return &exitError{code: code}
	}
	return nil
}
