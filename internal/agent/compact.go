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

// maybeCompact compacts before a request when the prompt it would send comes close to the
// window: the last prompt as measured plus what was added since, tool results included, since
// a few large results can fill the window in one step.
func (a *Agent) maybeCompact(ctx context.Context) error {
	next := a.nextPromptTokens()
	if !a.cfg.AutoCompact || next < a.compactThreshold() || !a.hasAnswers() {
		return nil
	}
	a.notice("compact", fmt.Sprintf("The next prompt would hold about %d of %d tokens; compacting the conversation into a summary.", next, a.contextLimit()))
	return a.Compact(ctx, "")
}

// compactAfterOverflow compacts the conversation after the service refused a prompt as too
// long (the estimate let it through), so that the turn can be asked again; it reports whether
// it did.
func (a *Agent) compactAfterOverflow(ctx context.Context, err error) (bool, error) {
	if !a.cfg.AutoCompact || !promptTooLong(err) || !a.hasAnswers() {
		return false, nil
	}
	a.notice("compact", "The prompt was too long for the model's context window; compacting the conversation and asking again.")
	if cerr := a.Compact(ctx, ""); cerr != nil {
		return false, fmt.Errorf("%w; compacting the conversation to make room failed: %w", err, cerr)
	}
	return true, nil
}

func promptTooLong(err error) bool {
	var be *bedrock.Error
	return errors.As(err, &be) && be.Kind == bedrock.KindPromptTooLong
}

// hasAnswers reports whether the conversation holds more than prompts: something a summary
// could shorten.
func (a *Agent) hasAnswers() bool {
	for _, m := range a.messages {
		if m.Role == anthropic.RoleAssistant {
			return true
		}
	}
	return false
}

// summaryRoom is the share of the window, after the summary's own output, that the
// conversation sent for summarising may fill by estimate: real tokenizers count code at fewer
// bytes per token than the estimate, so it keeps well clear of the limit.
const summaryRoom = 0.6

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
	msgs = shrinkToolResults(msgs, int64(float64(a.contextLimit()-compactBudget)*summaryRoom))
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
	a.remeasure()
	a.emit(Event{Kind: EventCompacted, Text: summary})
	return a.record(func(w *session.Writer) error { return w.Compacted(summary) })
}
