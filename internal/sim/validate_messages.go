package sim

import (
	"strings"

	"ganban/internal/anthropic"
	"ganban/internal/catalog"
)

// checkMessages checks roles, their order and content.
func checkMessages(req *anthropic.Request, _ *catalog.Model, strict bool) ([]string, *apiError) {
	var notes []string
	prev := ""
	for i, m := range req.Messages {
		switch m.Role {
		case anthropic.RoleUser, anthropic.RoleAssistant:
		case "system":
			if strict {
				return notes, errValidation("messages.%d.role: Input should be 'user' or 'assistant'", i)
			}
			notes = append(notes, "accepted a message with role \"system\"")
			continue
		default:
			return notes, errValidation("messages.%d.role: Input should be 'user' or 'assistant'", i)
		}
		if prev == "" && m.Role != anthropic.RoleUser {
			return notes, errValidation("messages: first message must use the \"user\" role")
		}
		if m.Role == prev {
			return notes, errValidation("messages: roles must alternate between \"user\" and \"assistant\", but found multiple %q roles in a row", m.Role)
		}
		prev = m.Role
		last := i == len(req.Messages)-1
		if len(m.Content) == 0 && !(last && m.Role == anthropic.RoleAssistant) {
			return notes, errValidation("messages.%d: all messages must have non-empty content except for the optional final assistant message", i)
		}
		for j, b := range m.Content {
			if err := checkBlock(b, m.Role, i, j); err != nil {
				return notes, err
			}
		}
	}
	return notes, nil
}

func checkBlock(b anthropic.Block, role string, i, j int) *apiError {
	switch b.Type {
	case anthropic.BlockText:
		if b.Text == "" {
			return errValidation("messages: text content blocks must be non-empty")
		}
	case anthropic.BlockToolUse:
		if role != anthropic.RoleAssistant {
			return errValidation("messages.%d.content.%d: tool_use blocks may only appear in assistant messages", i, j)
		}
		if b.ID == "" || b.Name == "" {
			return errValidation("messages.%d.content.%d.tool_use: id and name are required", i, j)
		}
	case anthropic.BlockToolResult:
		if role != anthropic.RoleUser {
			return errValidation("messages.%d.content.%d: tool_result blocks may only appear in user messages", i, j)
		}
	case anthropic.BlockThinking, anthropic.BlockRedactedThinking:
		if role != anthropic.RoleAssistant {
			return errValidation("messages.%d.content.%d: thinking blocks may only appear in assistant messages", i, j)
		}
	case anthropic.BlockImage, anthropic.BlockDocument:
		if b.Source == nil {
			return errValidation("messages.%d.content.%d.%s.source: Field required", i, j, b.Type)
		}
	default:
		return errValidation("messages.%d.content.%d.type: Input tag '%s' found using 'type' does not match any of the expected tags", i, j, b.Type)
	}
	return nil
}

// checkToolPairs enforces that every tool_use is answered by a tool_result in the very next
// message, and every tool_result answers a tool_use of the message before it.
func checkToolPairs(req *anthropic.Request, _ *catalog.Model, _ bool) ([]string, *apiError) {
	msgs := req.Messages
	for i, m := range msgs {
		switch m.Role {
		case anthropic.RoleUser:
			var prevUses map[string]bool
			if i > 0 {
				prevUses = toolUseIDs(msgs[i-1])
			}
			for j, b := range m.Content {
				if b.Type == anthropic.BlockToolResult && !prevUses[b.ToolUseID] {
					return nil, errValidation("messages.%d.content.%d: unexpected `tool_use_id` found in `tool_result` blocks: %s. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.", i, j, b.ToolUseID)
				}
			}
		case anthropic.RoleAssistant:
			uses := toolUseIDs(m)
			if len(uses) == 0 || i == len(msgs)-1 {
				continue
			}
			answered := map[string]bool{}
			for _, b := range msgs[i+1].Content {
				if b.Type == anthropic.BlockToolResult {
					answered[b.ToolUseID] = true
				}
			}
			var missing []string
			for _, b := range m.Content {
				if b.Type == anthropic.BlockToolUse && !answered[b.ID] {
					missing = append(missing, b.ID)
				}
			}
			if len(missing) > 0 {
				return nil, errValidation("messages.%d: `tool_use` ids were found without `tool_result` blocks immediately after: %s. Each `tool_use` block must have a corresponding `tool_result` block in the next message.", i, strings.Join(missing, ", "))
			}
		}
	}
	return nil, nil
}

func toolUseIDs(m anthropic.Message) map[string]bool {
	ids := map[string]bool{}
	if m.Role != anthropic.RoleAssistant {
		return ids
	}
	for _, b := range m.Content {
		if b.Type == anthropic.BlockToolUse {
			ids[b.ID] = true
		}
	}
	return ids
}

// maxBreakpoints is the service's cap on cache_control blocks per request.
const maxBreakpoints = 4

// checkCacheControl enforces the breakpoint cap, known TTLs, and that 1-hour breakpoints come
// before 5-minute ones.
func checkCacheControl(req *anthropic.Request, m *catalog.Model, _ bool) ([]string, *apiError) {
	if n := countCacheControl(req); n > maxBreakpoints {
		return nil, errValidation("A maximum of %d blocks with cache_control may be provided. Found %d.", maxBreakpoints, n)
	}
	seen5m := false
	for _, s := range promptSegments(req) {
		cc := s.Breakpoint
		if cc == nil {
			continue
		}
		switch {
		case cc.Type != "ephemeral":
			return nil, errValidation("cache_control.type: Input should be 'ephemeral'")
		case cc.TTL == "" || cc.TTL == "5m":
			seen5m = true
		case cc.TTL == "1h":
			if !m.CacheTTL1h {
				return nil, errValidation("cache_control.ttl: a 1-hour cache TTL is not supported for %s", m.ID)
			}
			if seen5m {
				return nil, errValidation("a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: `tools`, `system`, `messages`.")
			}
		default:
			return nil, errValidation("cache_control.ttl: Input should be '5m' or '1h'")
		}
	}
	return nil, nil
}

func countCacheControl(req *anthropic.Request) int {
	n := 0
	for _, t := range req.Tools {
		if t.CacheControl != nil {
			n++
		}
	}
	for _, b := range req.System {
		if b.CacheControl != nil {
			n++
		}
	}
	for _, m := range req.Messages {
		for _, b := range m.Content {
			if b.CacheControl != nil {
				n++
			}
		}
	}
	return n
}

// minThinkingBudget is the smallest budget_tokens the service accepts.
const minThinkingBudget = 1024

func checkThinking(req *anthropic.Request, m *catalog.Model, _ bool) ([]string, *apiError) {
	t := req.Thinking
	if t == nil || t.Type == "disabled" {
		if t != nil && len(m.Thinking) == 1 && m.Thinking[0] == catalog.ThinkingAdaptive {
			return nil, errValidation("thinking.type.disabled is not supported for this model. Use thinking.type.adaptive and output_config.effort to control thinking behavior.")
		}
		return nil, nil
	}
	switch t.Type {
	case catalog.ThinkingEnabled:
		if !m.Supports(catalog.ThinkingEnabled) {
			if m.Supports(catalog.ThinkingAdaptive) {
				return nil, errValidation("thinking.type.enabled is not supported for this model. Use thinking.type.adaptive and output_config.effort to control thinking behavior.")
			}
			return nil, errValidation("thinking: extended thinking is not supported for %s", m.ID)
		}
		if t.BudgetTokens < minThinkingBudget {
			return nil, errValidation("thinking.enabled.budget_tokens: Input should be greater than or equal to %d", minThinkingBudget)
		}
		if t.BudgetTokens >= req.MaxTokens {
			return nil, errValidation("`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size")
		}
	case catalog.ThinkingAdaptive:
		if !m.Supports(catalog.ThinkingAdaptive) {
			return nil, errValidation("thinking.type.adaptive is not supported for %s", m.ID)
		}
	default:
		return nil, errValidation("thinking.type: Input should be 'enabled', 'adaptive' or 'disabled'")
	}
	if tc := req.ToolChoice; tc != nil && (tc.Type == "any" || tc.Type == "tool") {
		return nil, errValidation("Thinking may not be enabled when tool_choice forces tool use.")
	}
	return nil, checkThinkingKept(req.Messages)
}

// checkThinkingKept rejects a tool loop whose assistant turn lost its thinking block: with
// thinking on, the last assistant message before the final tool results must start with one.
func checkThinkingKept(msgs []anthropic.Message) *apiError {
	n := len(msgs)
	if n < 2 || msgs[n-1].Role != anthropic.RoleUser {
		return nil
	}
	if _, ok := lastToolResult(msgs[n-1]); !ok {
		return nil
	}
	a := msgs[n-2]
	if a.Role != anthropic.RoleAssistant || len(toolUseIDs(a)) == 0 || len(a.Content) == 0 {
		return nil
	}
	first := a.Content[0].Type
	if first == anthropic.BlockThinking || first == anthropic.BlockRedactedThinking {
		return nil
	}
	return errValidation("messages.%d.content.0.type: Expected `thinking` or `redacted_thinking`, but found `%s`. When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking", n-2, first)
}

// samplingStrictSince is the first release that refuses temperature together with top_p.
const samplingStrictSince = "2025-08-05"

func checkSampling(req *anthropic.Request, m *catalog.Model, _ bool) ([]string, *apiError) {
	thinking := req.Thinking != nil && req.Thinking.Type != "disabled"
	switch {
	case req.Temperature != nil && (*req.Temperature < 0 || *req.Temperature > 1):
		return nil, errValidation("temperature: Input should be less than or equal to 1")
	case thinking && req.Temperature != nil && *req.Temperature != 1:
		return nil, errValidation("`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility")
	case thinking && req.TopK != nil:
		return nil, errValidation("`top_k` is not supported when thinking is enabled.")
	case req.Temperature != nil && req.TopP != nil && m.Released >= samplingStrictSince:
		return nil, errValidation("The model returned the following errors: `temperature` and `top_p` cannot both be specified for this model. Please use only one.")
	}
	return nil, nil
}
