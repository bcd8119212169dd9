package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"ganban/internal/tui"
)

// runInteractive starts the terminal UI: a new session, or with -c/-r a resumed one shown
// with its history (-r without an ID opens the session picker).
func runInteractive(cmd *cobra.Command, f sessionFlags, args []string) error {
	return runTUI(cmd, f, tui.Options{Prompt: strings.Join(args, " ")})
}

// runTUI runs the UI with the session flags added to o. When the user takes the demo the
// setup screen offers, the demo follows in the same terminal.
func runTUI(cmd *cobra.Command, f sessionFlags, o tui.Options) error {
	if !term.IsTerminal(int(os.Stdin.Fd())) || !term.IsTerminal(int(os.Stdout.Fd())) {
		return &exitError{code: 1, err: errorf(`the interactive UI needs a terminal; for scripts use print mode: ganban -p "your request"`)}
	}
	boot, err := f.boot()
	if err != nil {
		return err
	}
	resume, pick := f.resume, false
	if resume == resumePick {
		resume, pick = "", true
	}
	if f.cont && (resume != "" || pick) {
		return &exitError{code: 1, err: errorf("use either -c/--continue or -r/--resume, not both")}
	}
	// Ctrl+C is a key in the UI (raw mode); SIGTERM and SIGHUP end the session cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	o.Boot, o.Continue, o.Resume, o.PickResume, o.SessionID = boot, f.cont, resume, pick, f.sessionID
	o.SystemPrompt, o.AppendSystemPrompt = f.systemPrompt, f.appendSystemPrompt
	o.MaxTurns, o.MaxBudgetUSD, o.Version = f.maxTurns, f.maxBudget, version
	err = tui.Run(ctx, o)
	switch {
	case errors.Is(err, tui.ErrDemoChosen):
		stop()
		return runDemo(cmd, false, "")
	case err != nil:
		return &exitError{code: 1, err: err}
	}
	return nil
}
