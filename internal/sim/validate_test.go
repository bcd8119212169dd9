package sim_test

import (
	"strings"
	"testing"

	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
)

func TestBodyValidation(t *testing.T) {
	lenient := simtest.Start(t, sim.Options{})
	strict := simtest.Start(t, sim.Options{Strict: true})
	user := func(text string) map[string]any { return map[string]any{"role": "user", "content": text} }
	asst := func(content any) map[string]any { return map[string]any{"role": "assistant", "content": content} }
	toolUse := map[string]any{"type": "tool_use", "id": "toolu_1", "name": "Read", "input": map[string]any{}}
	toolResult := func(id string) map[string]any {
		return map[string]any{"role": "user", "content": []any{map[string]any{"type": "tool_result", "tool_use_id": id, "content": "ok"}}}
	}
	cc := map[string]any{"type": "ephemeral"}
	cachedText := map[string]any{"type": "text", "text": "x", "cache_control": cc}
	cases := []struct {
		name     string
		raw      string // when set, sent as is
		req      map[string]any
		drop     string // top-level key to delete after defaults
		model    string
		strict   bool
		contains string // "" = accepted
	}{
		{name: "valid", req: map[string]any{}},
		{name: "not JSON", raw: "not json", contains: "Malformed input request"},
		{name: "missing anthropic_version", req: map[string]any{}, drop: "anthropic_version", contains: "required key [anthropic_version] not found"},
		{name: "missing max_tokens", req: map[string]any{}, drop: "max_tokens", contains: "required key [max_tokens] not found"},
		{name: "wrong anthropic_version", req: map[string]any{"anthropic_version": "latest"}, contains: "anthropic_version"},
		{name: "newer SDK anthropic_version", req: map[string]any{"anthropic_version": "2026-10-21"}},
		{name: "unknown dated anthropic_version, lenient", req: map[string]any{"anthropic_version": "2027-01-01"}},
		{name: "unknown dated anthropic_version, strict", strict: true, req: map[string]any{"anthropic_version": "2027-01-01"}, contains: "anthropic_version"},
		{name: "model in body", req: map[string]any{"model": "x"}, contains: "extraneous key [model] is not permitted"},
		{name: "stream in body", req: map[string]any{"stream": true}, contains: "extraneous key [stream] is not permitted"},
		{name: "max_tokens above model limit", req: map[string]any{"max_tokens": 200000}, contains: "maximum allowed number of output tokens"},
		{name: "first message from assistant", req: map[string]any{"messages": []any{asst("hi"), user("x")}}, contains: `first message must use the "user" role`},
		{name: "two user messages in a row", req: map[string]any{"messages": []any{user("a"), user("b")}}, contains: "roles must alternate"},
		{name: "empty text", req: map[string]any{"messages": []any{user("")}}, contains: "text content blocks must be non-empty"},
		{name: "empty content", req: map[string]any{"messages": []any{map[string]any{"role": "user", "content": []any{}}}}, contains: "all messages must have non-empty content"},
		{name: "tool_result without tool_use", req: map[string]any{"messages": []any{user("a"), asst("b"), toolResult("toolu_x")}}, contains: "unexpected `tool_use_id` found in `tool_result` blocks: toolu_x"},
		{name: "tool_use without tool_result", req: map[string]any{"messages": []any{user("a"), asst([]any{toolUse}), user("b")}}, contains: "`tool_use` ids were found without `tool_result` blocks immediately after: toolu_1"},
		{name: "tool pair ok", req: map[string]any{"messages": []any{user("a"), asst([]any{toolUse}), toolResult("toolu_1")}}},
		{name: "five breakpoints", req: map[string]any{"system": []any{cachedText, cachedText, cachedText, cachedText, cachedText}}, contains: "A maximum of 4 blocks with cache_control may be provided. Found 5."},
		{name: "four breakpoints", req: map[string]any{"system": []any{cachedText, cachedText, cachedText, cachedText}}},
		{name: "1h after 5m", req: map[string]any{"system": []any{cachedText, map[string]any{"type": "text", "text": "y", "cache_control": map[string]any{"type": "ephemeral", "ttl": "1h"}}}}, contains: "ttl='1h'"},
		{name: "thinking budget >= max_tokens", req: map[string]any{"max_tokens": 2000, "thinking": map[string]any{"type": "enabled", "budget_tokens": 2000}}, contains: "`max_tokens` must be greater than `thinking.budget_tokens`"},
		{name: "thinking budget too small", req: map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": 512}}, contains: "greater than or equal to 1024"},
		{name: "thinking dropped before tool_use", req: map[string]any{"max_tokens": 4096, "thinking": map[string]any{"type": "enabled", "budget_tokens": 1024},
			"messages": []any{user("a"), asst([]any{toolUse}), toolResult("toolu_1")}}, contains: "Expected `thinking` or `redacted_thinking`, but found `tool_use`"},
		{name: "thinking kept before tool_use", req: map[string]any{"max_tokens": 4096, "thinking": map[string]any{"type": "enabled", "budget_tokens": 1024},
			"messages": []any{user("a"), asst([]any{map[string]any{"type": "thinking", "thinking": "t", "signature": "s"}, toolUse}), toolResult("toolu_1")}}},
		{name: "enabled thinking on adaptive-only model", model: "global.anthropic.claude-opus-4-7", req: map[string]any{"thinking": map[string]any{"type": "enabled", "budget_tokens": 1024}}, contains: "thinking.type.enabled is not supported"},
		{name: "adaptive thinking", model: "global.anthropic.claude-opus-4-7", req: map[string]any{"thinking": map[string]any{"type": "adaptive"}}},
		{name: "temperature with top_p", req: map[string]any{"temperature": 0.5, "top_p": 0.9}, contains: "cannot both be specified"},
		{name: "metadata other than user_id", req: map[string]any{"metadata": map[string]any{"tags": "x"}}, contains: "metadata.tags: Extra inputs are not permitted"},
		{name: "first-party-only beta", req: map[string]any{"anthropic_beta": []string{"extended-cache-ttl-2025-04-11"}}, contains: "invalid beta flag"},
		{name: "newer beta, lenient", req: map[string]any{"anthropic_beta": []string{"thinking-token-count-2026-05-13"}}},
		{name: "newer beta, strict", strict: true, req: map[string]any{"anthropic_beta": []string{"thinking-token-count-2026-05-13"}}, contains: "invalid beta flag"},
		{name: "output_config, lenient", req: map[string]any{"output_config": map[string]any{"effort": "medium"}}},
		{name: "output_config, strict", strict: true, req: map[string]any{"output_config": map[string]any{"effort": "medium"}}, contains: "extraneous key [output_config]"},
		{name: "defer_loading, lenient", req: map[string]any{"tools": []any{map[string]any{"name": "T", "input_schema": map[string]any{"type": "object"}, "defer_loading": true}}}},
		{name: "defer_loading, strict", strict: true, req: map[string]any{"tools": []any{map[string]any{"name": "T", "input_schema": map[string]any{"type": "object"}, "defer_loading": true}}}, contains: "tools.0.custom.defer_loading: Extra inputs are not permitted"},
		{name: "system role message, lenient", req: map[string]any{"messages": []any{user("a"), map[string]any{"role": "system", "content": "s"}, asst("b"), user("c")}}},
		{name: "system role message, strict", strict: true, req: map[string]any{"messages": []any{user("a"), map[string]any{"role": "system", "content": "s"}}}, contains: "Input should be 'user' or 'assistant'"},
		{name: "duplicate tool names", req: map[string]any{"tools": []any{readTool, readTool}}, contains: "Tool names must be unique"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := lenient
			if tc.strict {
				srv = strict
			}
			raw := tc.raw
			if raw == "" {
				m := tc.req
				b := body(t, m)
				if tc.drop != "" {
					delete(m, tc.drop)
					b = []byte(mustJSON(t, m))
				}
				raw = string(b)
			}
			model := sonnet45
			if tc.model != "" {
				model = tc.model
			}
			_, err := invoke(t, runtimeClient(srv, goodCreds, "us-east-1"), model, []byte(raw))
			if tc.contains == "" {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			if apiCode(err) != "ValidationException" || !strings.Contains(apiMessage(err), tc.contains) {
				t.Errorf("err = %v, want ValidationException containing %q", err, tc.contains)
			}
		})
	}
	if notes := lenient.Report().Notes; len(notes) < 4 {
		t.Errorf("lenient mode should record what it accepted beyond the catalog, notes = %v", notes)
	}
}
