package bedrock

import (
	"testing"

	"ganban/internal/anthropic"
	"ganban/internal/catalog"
)

func testModel(t *testing.T, id string) *catalog.Model {
	m, ok := catalog.Default().Model(id)
	if !ok {
		t.Fatalf("no model %s", id)
	}
	return m
}

func conversation(turns int) *anthropic.Request {
	r := &anthropic.Request{System: []anthropic.Block{anthropic.Text("system")},
		Tools: []anthropic.Tool{{Name: "Read", InputSchema: []byte(`{"type":"object"}`)}, {Name: "Edit", InputSchema: []byte(`{"type":"object"}`)}}}
	for i := range turns {
		r.Messages = append(r.Messages, anthropic.Message{Role: "user", Content: []anthropic.Block{anthropic.Text("question")}})
		if i < turns-1 {
			r.Messages = append(r.Messages, anthropic.Message{Role: "assistant", Content: []anthropic.Block{
				{Type: "thinking", Thinking: "t", Signature: "s"}, anthropic.Text("answer")}})
		}
	}
	return r
}

func breakpoints(r *anthropic.Request) (tools, system int, msgs []int) {
	for _, t := range r.Tools {
		if t.CacheControl != nil {
			tools++
		}
	}
	for _, b := range r.System {
		if b.CacheControl != nil {
			system++
		}
	}
	for i, m := range r.Messages {
		for _, b := range m.Content {
			if b.CacheControl != nil {
				msgs = append(msgs, i)
			}
		}
	}
	return
}

func TestShape(t *testing.T) {
	sonnet := testModel(t, "claude-sonnet-4-5-20250929")
	opus47 := testModel(t, "claude-opus-4-7")
	cases := []struct {
		name      string
		cfg       Config
		call      Call
		caching   bool
		maxTokens int
		thinking  *anthropic.Thinking
		betas     []string
		msgMarks  []int
	}{
		{name: "guide defaults", call: Call{Info: sonnet}, caching: true, maxTokens: 4096, msgMarks: []int{2, 4}},
		{name: "recovery budget", call: Call{Info: sonnet, MaxTokens: 8192}, maxTokens: 8192},
		{name: "capped at the model", cfg: Config{MaxOutputTokens: 200000}, call: Call{Info: sonnet}, maxTokens: 64000},
		{name: "thinking 1024 with 4096", cfg: Config{MaxOutputTokens: 4096, ThinkingTokens: 1024}, call: Call{Info: sonnet}, maxTokens: 4096,
			thinking: &anthropic.Thinking{Type: "enabled", BudgetTokens: 1024}},
		{name: "thinking above output raises max_tokens", cfg: Config{MaxOutputTokens: 4096, ThinkingTokens: 8000}, call: Call{Info: sonnet}, maxTokens: 12096,
			thinking: &anthropic.Thinking{Type: "enabled", BudgetTokens: 8000}},
		{name: "adaptive-only model", cfg: Config{ThinkingTokens: 1024}, call: Call{Info: opus47}, maxTokens: 4096, thinking: &anthropic.Thinking{Type: "adaptive"}},
		{name: "no thinking for side calls", cfg: Config{ThinkingTokens: 1024}, call: Call{Info: sonnet, NoThinking: true}, maxTokens: 4096},
		{name: "1m beta only where a longer window needs it", call: Call{Info: &catalog.Model{ContextWindow: 200000, LongContextWindow: 1000000, MaxOutput: 64000}, LongContext: true},
			maxTokens: 4096, betas: []string{"context-1m-2025-08-07"}},
		{name: "no beta for a model whose window is already 1M", call: Call{Info: opus47, LongContext: true}, maxTokens: 4096},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := &Client{cfg: tc.cfg}
			tc.call.Request = conversation(3)
			r := c.shape(tc.call, tc.caching)
			if r.MaxTokens != tc.maxTokens || r.AnthropicVersion != anthropic.Version {
				t.Errorf("max_tokens %d version %s", r.MaxTokens, r.AnthropicVersion)
			}
			if (r.Thinking == nil) != (tc.thinking == nil) || (r.Thinking != nil && *r.Thinking != *tc.thinking) {
				t.Errorf("thinking = %+v, want %+v", r.Thinking, tc.thinking)
			}
			if len(tc.betas) > 0 && (len(r.AnthropicBeta) != 1 || r.AnthropicBeta[0] != tc.betas[0]) {
				t.Errorf("betas = %v", r.AnthropicBeta)
			}
			tools, system, msgs := breakpoints(r)
			if tc.caching {
				if tools != 1 || system != 1 || len(msgs) != 2 || msgs[0] != tc.msgMarks[0] || msgs[1] != tc.msgMarks[1] {
					t.Errorf("breakpoints tools %d system %d messages %v", tools, system, msgs)
				}
			} else if tools+system+len(msgs) != 0 {
				t.Errorf("caching off but breakpoints present")
			}
			if _, _, orig := breakpoints(tc.call.Request); len(orig) != 0 {
				t.Error("shape modified the caller's request")
			}
		})
	}
}
