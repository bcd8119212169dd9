package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"ganban/internal/agent"
	"ganban/internal/anthropic"
	"ganban/internal/bedrock"
)

// submit handles what Enter sends: a slash command, a shell command or a prompt.
func (m *Model) submit() tea.Cmd {
	shown := strings.TrimSpace(m.in.value())
	text := strings.TrimSpace(m.in.expanded())
	if text == "" {
		return nil
	}
	m.in.reset()
	m.nav.reset()
	m.vp.follow = true
	_ = m.hist.Add(text) // the store redacts and caps it
	switch {
	case strings.HasPrefix(text, "/") && !strings.HasPrefix(text, "//"):
		return m.slash(text)
	case strings.HasPrefix(text, "!"):
		return m.shell(strings.TrimSpace(text[1:]))
	}
	return m.send(text, shown)
}

// send starts the agent on a prompt, or queues it while an answer is in progress.
func (m *Model) send(text, shown string) tea.Cmd {
	if m.eng == nil {
		m.flash("no session yet")
		return nil
	}
	if m.running {
		m.queued = append(m.queued, text)
		m.flash(fmt.Sprintf("queued: sent when the current answer ends (%d waiting)", len(m.queued)))
		return nil
	}
	if shown == "" {
		shown = text
	}
	m.conv.addUser(shown)
	m.lastPrompt = text
	blocks := []anthropic.Block{anthropic.Text(text)}
	if len(m.attach) > 0 {
		blocks = append([]anthropic.Block{anthropic.Text(strings.Join(m.attach, "\n\n"))}, blocks...)
		m.attach = nil
	}
	m.startRun(blocks)
	return nil
}

// startRun runs the agent in a goroutine the Model owns; its result comes back as
// runDoneMsg, after every event of the run (the bridge keeps the order).
func (m *Model) startRun(blocks []anthropic.Block) {
	ctx, cancel := context.WithCancel(m.ctx)
	m.running, m.runCancel, m.runStart = true, cancel, m.now()
	eng, post := m.eng, m.post
	m.work.Add(1)
	go func() {
		defer m.work.Done()
		res := eng.Run(ctx, blocks)
		cancel()
		post(runDoneMsg{res: res})
	}()
}

// interrupt cancels the answer or the tool in progress; the agent keeps what was said.
// Prompts queued behind it are not sent: they go back into the input, ahead of any draft,
// to be sent again or edited.
func (m *Model) interrupt() {
	if m.runCancel != nil {
		m.runCancel()
	}
	if len(m.queued) == 0 {
		return
	}
	text := strings.Join(m.queued, "\n\n")
	if draft := m.in.value(); strings.TrimSpace(draft) != "" {
		text += "\n\n" + draft
	}
	m.in.setValue(text)
	m.flash(fmt.Sprintf("interrupted · %d queued prompt(s) moved back to the input", len(m.queued)))
	m.queued = nil
}

func (m *Model) runDone(res agent.Result) tea.Cmd {
	m.running, m.runCancel = false, nil
	m.conv.finishRun()
	m.retry, m.refreshing = nil, false
	m.flushRefresh()
	// Questions of this run can no longer be answered.
	m.dialog, m.asks = nil, nil
	switch res.Subtype {
	case agent.Success:
	case agent.ErrInterrupted:
		m.conv.notice(levelWarn, "Interrupted. What was said so far is kept; press Esc twice to edit your last prompt.")
	case agent.ErrMaxTurns:
		m.conv.notice(levelWarn, fmt.Sprintf("Stopped after %d turns (--max-turns).", res.Turns))
	case agent.ErrMaxBudget:
		m.conv.notice(levelWarn, fmt.Sprintf("Stopped: the session has cost $%.4f, the --max-budget-usd limit.", res.CostUSD))
	default:
		m.conv.notice(levelError, m.errorText(res.Err))
	}
	if len(m.queued) > 0 {
		next := m.queued[0]
		m.queued = m.queued[1:]
		return m.send(next, "")
	}
	return nil
}

// errorText is an error for people: what went wrong and, for Bedrock errors, what to do.
func (m *Model) errorText(err error) string {
	if err == nil {
		return "The answer failed."
	}
	text := err.Error()
	var be *bedrock.Error
	if errors.As(err, &be) && m.live != nil && m.live.rt != nil {
		if a := bedrock.Advice(err, m.live.rt.CatalogOrDefault()); a != "" {
			text += "\nNext step: " + a
		}
	}
	return text
}
