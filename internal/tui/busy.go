package tui

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// A blocking operation (listing and probing models, compacting, opening a session) replaces
// the input with a line saying what it does. It runs on a context of its own, so Esc can
// cancel it without touching anything else.

// busyMsg updates the line of the operation whose context is ctx: what it is at now.
type busyMsg struct {
	ctx  context.Context
	text string
}

// startBusy shows text while an operation runs and returns the context to run it on.
func (m *Model) startBusy(text string) context.Context {
	m.endBusy()
	ctx, cancel := context.WithCancel(m.ctx)
	m.busy, m.busyCancel, m.busySince = text, cancel, m.now()
	return ctx
}

// endBusy clears the line and releases the operation's context; a late progress report
// of it is then ignored.
func (m *Model) endBusy() {
	if m.busyCancel != nil {
		m.busyCancel()
	}
	m.busy, m.busyCancel = "", nil
}

// cancelBusy is Esc during an operation: it is told to stop, and its result, an error of
// cancellation, ends it.
func (m *Model) cancelBusy() bool {
	if m.busyCancel == nil {
		return false
	}
	m.busyCancel()
	m.busy = "cancelling…"
	return true
}

func (m *Model) busyProgress(msg busyMsg) {
	if msg.ctx.Err() == nil && m.busy != "" {
		m.busy = msg.text
	}
}

// busyLine is the line shown for the operation: what, for how long, and how to stop it.
func (m *Model) busyLine() string {
	line := m.spinner() + " " + m.busy
	if m.busyCancel != nil {
		line += fmt.Sprintf(" %s · esc to cancel", m.now().Sub(m.busySince).Round(time.Second))
	}
	return line
}

// cancelled reports whether err ended an operation the person cancelled.
func cancelled(err error) bool { return errors.Is(err, context.Canceled) }
