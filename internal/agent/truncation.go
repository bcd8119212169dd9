package agent

import (
	"context"
	"fmt"
	"strings"

	"ganban/internal/anthropic"
	"ganban/internal/bedrock"
	"ganban/internal/session"
)

// maxContinuations bounds how often a cut-off text answer is continued.
const maxContinuations = 4

// recoverTruncation handles an answer that stopped at max_tokens (the guide's S20 failure).
// A cut-off tool call is never run: the turn is asked again with twice the output budget, up
// to the model's maximum (next, nil). A cut-off text answer is continued from where it
// stopped and returned whole (0, final).
func (a *Agent) recoverTruncation(ctx context.Context, resp *anthropic.Response, budget int, announced *bool) (int, *anthropic.Response, error) {
	// At max_tokens the answer used its whole budget, so its output count is the budget
	// that was in force.
	current := budget
	if current == 0 {
		current = int(resp.Usage.OutputTokens)
	}
	if current <= 0 {
		current = bedrock.DefaultMaxOutputTokens
	}
	limit := bedrock.DefaultMaxOutputTokens * 16
	if m := a.cfg.Model.Info; m != nil {
		limit = m.MaxOutput
	}
	if len(toolUses(resp.Content)) > 0 || !continuable(resp) {
		next := min(current*2, limit)
		if next <= current {
			return 0, nil, fmt.Errorf("the answer did not fit in %d output tokens, the model's maximum; ask for smaller steps (e.g. write the file in parts)", current)
		}
		if !*announced {
			*announced = true
			a.notice("max_tokens", fmt.Sprintf("The answer hit max_tokens (%d) in the middle of a tool call; asking again with %d tokens. The cut-off call was not run.", current, next))
		}
		return next, nil, nil
	}
	merged := *resp
	merged.Content = append([]anthropic.Block(nil), resp.Content...)
	a.notice("max_tokens", "The answer hit max_tokens; continuing it.")
	for i := 0; i < maxContinuations && merged.StopReason != nil && *merged.StopReason == anthropic.StopMaxTokens; i++ {
		prefill := anthropic.Message{Role: anthropic.RoleAssistant, Content: trimTrailingSpace(merged.Content)}
		more, err := a.request(ctx, budget, &prefill)
		if err != nil {
			a.discard(more)
			return 0, nil, err
		}
		cost := a.account(more)
		if len(toolUses(more.Content)) > 0 && more.StopReason != nil && *more.StopReason == anthropic.StopMaxTokens {
			a.recordRequest(session.PurposeDiscarded, more, cost)
			break
		}
		// The merged answer keeps the usage of its first request; each continuation is
		// recorded with its own, so no token is counted twice.
		a.recordRequest(session.PurposeContinuation, more, cost)
		merged.Content = appendContinuation(prefill.Content, more.Content)
		merged.StopReason = more.StopReason
	}
	return 0, &merged, nil
}

// continuable reports whether an answer can be continued with a prefill: text only, and no
// thinking (the service refuses assistant prefills with extended thinking).
func continuable(resp *anthropic.Response) bool {
	for _, b := range resp.Content {
		if b.Type != anthropic.BlockText {
			return false
		}
	}
	return len(resp.Content) > 0
}

// trimTrailingSpace drops trailing whitespace of the last text block: the service refuses an
// assistant prefill that ends with it.
func trimTrailingSpace(blocks []anthropic.Block) []anthropic.Block {
	out := append([]anthropic.Block(nil), blocks...)
	if n := len(out); n > 0 && out[n-1].Type == anthropic.BlockText {
		out[n-1].Text = strings.TrimRight(out[n-1].Text, " \t\r\n")
	}
	return out
}

// appendContinuation joins a continuation to the text it continues.
func appendContinuation(prefix, more []anthropic.Block) []anthropic.Block {
	out := append([]anthropic.Block(nil), prefix...)
	for i, b := range more {
		if i == 0 && b.Type == anthropic.BlockText && len(out) > 0 && out[len(out)-1].Type == anthropic.BlockText {
			out[len(out)-1].Text += b.Text
			continue
		}
		out = append(out, b)
	}
	return out
}
