package main

import (
	"context"
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
	err = tui.Run(ctx, tui.Options{
		Boot: boot, Continue: f.cont, Resume: resume, PickResume: pick, SessionID: f.sessionID,
		SystemPrompt: f.systemPrompt, AppendSystemPrompt: f.appendSystemPrompt,
		MaxTurns: f.maxTurns, MaxBudgetUSD: f.maxBudget, Prompt: strings.Join(args, " "), Version: version,
	})
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	return nil
}
