package agent

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"ganban/internal/anthropic"
	"ganban/internal/bedrock"
	"ganban/internal/session"
)

// compactPrompt asks the main model for a summary the session can continue from.
const compactPrompt = `Summarize this coding session so that it can be continued from the summary alone. Include: the user's requests and goals, decisions made, files read or changed (with paths) and what changed, commands run and their outcomes, errors met and how they were resolved, and what remains to be done next. Be specific and complete; omit pleasantries.`

// compactBudget is the output budget of a summary.
const compactBudget = 8192

func (a *Agent) compactThreshold() int64 {
	if a.cfg.CompactAt > 0 {
		return a.cfg.CompactAt
	}
	return int64(float64(a.contextLimit()) * defaultCompactF)
}

// maybeCompact compacts before a request when the last prompt came close to the window.
func (a *Agent) maybeCompact(ctx context.Context) error {
	if !a.cfg.AutoCompact || a.lastPrompt < a.compactThreshold() {
		return nil
	}
	a.notice("compact", fmt.Sprintf("The conversation uses %d of %d tokens; compacting it into a summary.", a.lastPrompt, a.contextLimit()))
	return a.Compact(ctx, "")
}

// Compact replaces the conversation with a summary written by the main model (a real
// request, not a truncation). The transcript records the boundary, so a resumed session
// starts from the summary too.
func (a *Agent) Compact(ctx context.Context, instructions string) error {
	if len(a.messages) == 0 {
		return errors.New("nothing to compact yet")
	}
	prompt := compactPrompt
	if instructions != "" {
		prompt += "\n\nAlso: " + instructions
	}
	msgs := append([]anthropic.Message(nil), a.messages...)
	if msgs[len(msgs)-1].Role == anthropic.RoleUser {
		last := msgs[len(msgs)-1]
		last.Content = append(append([]anthropic.Block(nil), last.Content...), anthropic.Text(prompt))
		msgs[len(msgs)-1] = last
	} else {
		msgs = append(msgs, anthropic.Message{Role: anthropic.RoleUser, Content: []anthropic.Block{anthropic.Text(prompt)}})
	}
	resp, err := a.cfg.Provider.Invoke(ctx, bedrock.Call{
		Model: a.cfg.Model.ID, Info: a.cfg.Model.Info, LongContext: a.cfg.Model.LongContext, MaxTokens: compactBudget, NoThinking: true,
		Request: &anthropic.Request{System: []anthropic.Block{anthropic.Text("You write precise summaries of coding sessions.")}, Messages: msgs},
	})
	if err != nil {
		return fmt.Errorf("compact the conversation: %w", err)
	}
	a.recordRequest(session.PurposeCompact, resp, a.account(resp))
	summary := strings.TrimSpace(anthropic.PlainText(resp.Content))
	if summary == "" {
		return errors.New("compact the conversation: the summary came back empty")
	}
	a.messages = []anthropic.Message{{Role: anthropic.RoleUser, Content: []anthropic.Block{anthropic.Text(session.CompactPreamble + summary)}}}
	a.lastPrompt = 0
	a.emit(Event{Kind: EventCompacted, Text: summary})
	return a.record(func(w *session.Writer) error { return w.Compacted(summary) })
}
