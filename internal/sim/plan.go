package sim

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"

	"ganban/internal/anthropic"
)

// defaultReply is the answer without a scenario: honest about what answered.
var defaultReply = Reply{Content: []anthropic.Block{anthropic.Text(
	"This is ganban sim, a local Amazon Bedrock simulator: no model ran. Start it with --scenario to script the answers.")}}

// plan is how the simulator will answer one request.
type plan struct {
	Conversation string // name or match text; "" for the fallback
	Step         int    // -1 for the fallback
	Reply        *Reply
	Faults       []string
	// attemptKey identifies this step of this conversation for this session, so that
	// retries walk through the step's faults while parallel sessions keep their own count.
	attemptKey string
	Failures   []string
}

// planReply picks the step that answers a request: a request carrying tools is an agent turn,
// answered by the first conversation whose match text occurs in its first user message, at
// the step numbered by the assistant messages before its last user message. A trailing
// assistant prefill continues the same step.
func (s *Server) planReply(req *anthropic.Request) plan {
	sc := s.opts.Scenario
	fallback := plan{Step: -1, Reply: &defaultReply}
	if sc == nil {
		return fallback
	}
	if sc.FallbackReply != nil {
		fallback.Reply = sc.FallbackReply
	}
	if len(req.Tools) == 0 {
		return fallback
	}
	first := firstUserText(req.Messages)
	step := stepIndex(req.Messages)
	for ci, c := range sc.Conversations {
		if !strings.Contains(first, c.MatchFirstUserText) {
			continue
		}
		if step >= len(c.Steps) {
			return fallback
		}
		st := &c.Steps[step]
		name := c.Name
		if name == "" {
			name = c.MatchFirstUserText
		}
		sum := sha256.Sum256([]byte(first))
		return plan{
			Conversation: name, Step: step, Reply: &st.Reply, Faults: st.Faults,
			attemptKey: fmt.Sprintf("%d/%d/%x", ci, step, sum[:8]),
			Failures:   st.Expect.check(req),
		}
	}
	return fallback
}

func firstUserText(msgs []anthropic.Message) string {
	for _, m := range msgs {
		if m.Role == anthropic.RoleUser {
			return anthropic.PlainText(m.Content)
		}
	}
	return ""
}

// stepIndex counts the assistant messages before the last user message.
func stepIndex(msgs []anthropic.Message) int {
	last := -1
	for i, m := range msgs {
		if m.Role == anthropic.RoleUser {
			last = i
		}
	}
	n := 0
	for _, m := range msgs[:max(last, 0)] {
		if m.Role == anthropic.RoleAssistant {
			n++
		}
	}
	return n
}

// check returns a description of every expectation the request fails.
func (e *Expect) check(req *anthropic.Request) []string {
	if e == nil {
		return nil
	}
	var fails []string
	failf := func(format string, args ...any) { fails = append(fails, fmt.Sprintf(format, args...)) }
	names := make([]string, len(req.Tools))
	for i, t := range req.Tools {
		names[i] = t.Name
	}
	for _, n := range e.ToolsInclude {
		if !slices.Contains(names, n) {
			failf("tools_include: tool %q not offered (tools: %s)", n, strings.Join(names, ", "))
		}
	}
	for _, n := range e.ToolsExclude {
		if slices.Contains(names, n) {
			failf("tools_exclude: tool %q offered", n)
		}
	}
	last := lastUserMessage(req.Messages)
	result, hasResult := lastToolResult(last)
	if e.LastToolResultContains != "" && !strings.Contains(anthropic.PlainText(result.Content), e.LastToolResultContains) {
		failf("last_tool_result_contains: %q not in the last tool result (%s)", e.LastToolResultContains, excerpt(anthropic.PlainText(result.Content)))
	}
	if e.LastToolResultIsError != nil && (!hasResult || result.IsError != *e.LastToolResultIsError) {
		failf("last_tool_result_is_error: want %v", *e.LastToolResultIsError)
	}
	if e.LastUserTextContains != "" && !strings.Contains(anthropic.PlainText(last.Content), e.LastUserTextContains) {
		failf("last_user_text_contains: %q not in the last user message", e.LastUserTextContains)
	}
	if e.SystemContains != "" && !strings.Contains(anthropic.PlainText(req.System), e.SystemContains) {
		failf("system_contains: %q not in the system prompt", e.SystemContains)
	}
	if e.SystemExcludes != "" && strings.Contains(anthropic.PlainText(req.System), e.SystemExcludes) {
		failf("system_excludes: %q in the system prompt", e.SystemExcludes)
	}
	if e.MaxTokensAtLeast > 0 && req.MaxTokens < e.MaxTokensAtLeast {
		failf("max_tokens_at_least: max_tokens is %d, want at least %d", req.MaxTokens, e.MaxTokensAtLeast)
	}
	if e.CacheControl != nil && (countCacheControl(req) > 0) != *e.CacheControl {
		failf("cache_control: want breakpoints %v, request has %d", *e.CacheControl, countCacheControl(req))
	}
	thinking := req.Thinking != nil && req.Thinking.Type != "disabled"
	if e.Thinking != nil && thinking != *e.Thinking {
		failf("thinking: want %v, got %v", *e.Thinking, thinking)
	}
	return fails
}

func lastUserMessage(msgs []anthropic.Message) anthropic.Message {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == anthropic.RoleUser {
			return msgs[i]
		}
	}
	return anthropic.Message{}
}

func lastToolResult(m anthropic.Message) (anthropic.Block, bool) {
	for i := len(m.Content) - 1; i >= 0; i-- {
		if m.Content[i].Type == anthropic.BlockToolResult {
			return m.Content[i], true
		}
	}
	return anthropic.Block{}, false
}

func excerpt(s string) string {
	const n = 120
	if len(s) <= n {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q...", s[:n])
}
