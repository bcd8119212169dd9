package sim_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"ganban/internal/anthropic"
	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
)

// Caching expectations below are computed by hand from the documented estimate: a string of
// n bytes is ceil(n/4) tokens.
func textOfTokens(n int) string { return strings.Repeat("abcd", n) }

func cachedBlock(tokens int, ttl string) map[string]any {
	cc := map[string]any{"type": "ephemeral"}
	if ttl != "" {
		cc["ttl"] = ttl
	}
	return map[string]any{"type": "text", "text": textOfTokens(tokens), "cache_control": cc}
}

func plainBlock(tokens int) map[string]any {
	return map[string]any{"type": "text", "text": textOfTokens(tokens)}
}

func usageOf(t *testing.T, s *simtest.Sim, model string, req map[string]any) anthropic.Usage {
	t.Helper()
	resp, err := invoke(t, runtimeClient(s, goodCreds, "us-east-1"), model, body(t, req))
	if err != nil {
		t.Fatal(err)
	}
	return resp.Usage
}

func TestPromptCachingAcrossTurns(t *testing.T) {
	s := simtest.Start(t, sim.Options{})
	system := []any{cachedBlock(3000, "")} // 3000 tokens >= Sonnet 4.5's 1024 minimum
	turn := func(msgs ...any) map[string]any { return map[string]any{"system": system, "messages": msgs} }
	user := func(content ...any) map[string]any { return map[string]any{"role": "user", "content": content} }
	asst := func(text string) map[string]any { return map[string]any{"role": "assistant", "content": text} }

	// Turn 1: system (3000) written; the user text (10) is plain input.
	u := usageOf(t, s, sonnet45, turn(user(plainBlock(10))))
	if u.CacheCreationInputTokens != 3000 || u.CacheReadInputTokens != 0 || u.InputTokens != 10 {
		t.Errorf("turn 1 = %+v, want write 3000, read 0, input 10", u)
	}
	// Turn 2: the system prompt is read (3000); a breakpoint on the new last user block writes
	// everything after it: user 10 + assistant "okay" (4 bytes, 1 token) + user 50 = 61.
	u = usageOf(t, s, sonnet45, turn(user(plainBlock(10)), asst("okay"), user(cachedBlock(50, ""))))
	if u.CacheReadInputTokens != 3000 || u.CacheCreationInputTokens != 61 || u.InputTokens != 0 {
		t.Errorf("turn 2 = %+v, want read 3000, write 10+1+50=61, input 0", u)
	}
	// Turn 3: the previous breakpoint (prefix 3061) is found by the lookback from the new
	// breakpoint two blocks later; 1 + 20 new tokens are written.
	u = usageOf(t, s, sonnet45, turn(user(plainBlock(10)), asst("okay"), user(plainBlock(50)), asst("okay"), user(cachedBlock(20, ""))))
	if u.CacheReadInputTokens != 3061 || u.CacheCreationInputTokens != 21 || u.InputTokens != 0 {
		t.Errorf("turn 3 = %+v, want read 3061, write 21", u)
	}
	// After the 5-minute TTL nothing is read and everything up to the breakpoint is written.
	s.Advance(5*time.Minute + time.Second)
	u = usageOf(t, s, sonnet45, turn(user(plainBlock(10))))
	if u.CacheReadInputTokens != 0 || u.CacheCreationInputTokens != 3000 {
		t.Errorf("after TTL = %+v, want a fresh write of 3000", u)
	}
	// A hit refreshes the TTL: read at +4 min, then again at +8 min.
	s.Advance(4 * time.Minute)
	if u = usageOf(t, s, sonnet45, turn(user(plainBlock(10)))); u.CacheReadInputTokens != 3000 {
		t.Errorf("+4m = %+v", u)
	}
	s.Advance(4 * time.Minute)
	if u = usageOf(t, s, sonnet45, turn(user(plainBlock(10)))); u.CacheReadInputTokens != 3000 {
		t.Errorf("+8m after a refresh at +4m = %+v", u)
	}
}

func TestPromptCachingRules(t *testing.T) {
	t.Run("below the minimum nothing is cached", func(t *testing.T) {
		s := simtest.Start(t, sim.Options{})
		req := map[string]any{"system": []any{cachedBlock(1000, "")}} // Sonnet 4.5 minimum is 1024
		for range 2 {
			u := usageOf(t, s, sonnet45, req)
			if u.CacheCreationInputTokens != 0 || u.CacheReadInputTokens != 0 || u.InputTokens != 1002 {
				t.Errorf("usage = %+v, want 1000 + 2 (\"hello\") plain input", u)
			}
		}
	})
	t.Run("the minimum is per model", func(t *testing.T) {
		s := simtest.Start(t, sim.Options{})
		req := map[string]any{"system": []any{cachedBlock(2000, "")}}
		if u := usageOf(t, s, "us.anthropic.claude-haiku-4-5-20251001-v1:0", req); u.CacheCreationInputTokens != 0 {
			t.Errorf("Haiku 4.5 (minimum 4096) wrote %d", u.CacheCreationInputTokens)
		}
		if u := usageOf(t, s, sonnet45, req); u.CacheCreationInputTokens != 2000 {
			t.Errorf("Sonnet 4.5 (minimum 1024) wrote %d", u.CacheCreationInputTokens)
		}
	})
	t.Run("lookback stops at 20 blocks", func(t *testing.T) {
		s := simtest.Start(t, sim.Options{})
		first := []any{cachedBlock(2000, "")}
		usageOf(t, s, sonnet45, map[string]any{"system": first})
		// 21 plain blocks after the cached one: the breakpoint at the end cannot see back.
		far := []any{plainBlock(2000)}
		for range 20 {
			far = append(far, plainBlock(1))
		}
		far = append(far, cachedBlock(1, ""))
		if u := usageOf(t, s, sonnet45, map[string]any{"system": far}); u.CacheReadInputTokens != 0 || u.CacheCreationInputTokens != 2021 || u.InputTokens != 2 {
			t.Errorf("21 blocks back = %+v, want no read, a write of 2000+20+1 and input 2 (\"hello\")", u)
		}
		near := append([]any{plainBlock(2000)}, plainBlock(1), cachedBlock(1, ""))
		if u := usageOf(t, s, sonnet45, map[string]any{"system": near}); u.CacheReadInputTokens != 2000 || u.CacheCreationInputTokens != 2 {
			t.Errorf("2 blocks back = %+v, want read 2000, write 2", u)
		}
	})
	t.Run("one-hour TTL billed at its own rate", func(t *testing.T) {
		s := simtest.Start(t, sim.Options{})
		req := map[string]any{"system": []any{cachedBlock(2000, "1h"), cachedBlock(1000, "5m")}}
		resp, err := invoke(t, runtimeClient(s, goodCreds, "us-east-1"), "global.anthropic.claude-sonnet-4-5-20250929-v1:0", body(t, req))
		if err != nil {
			t.Fatal(err)
		}
		cc := resp.Usage.CacheCreation
		if cc == nil || cc.Ephemeral1h != 2000 || cc.Ephemeral5m != 1000 {
			t.Fatalf("cache_creation = %+v, want 1h 2000, 5m 1000", cc)
		}
		// 2000 x $6/M + 1000 x $3.75/M + 2 input x $3/M + output x $15/M, global: no premium.
		out := resp.Usage.OutputTokens
		want := (2000*6 + 1000*3.75 + 2*3 + float64(out)*15) / 1e6
		if got := s.Report().CostUSD; math.Abs(got-want) > 1e-12 {
			t.Errorf("cost = %.9f, want %.9f", got, want)
		}
		s.Advance(30 * time.Minute)
		if u := usageOf(t, s, "global.anthropic.claude-sonnet-4-5-20250929-v1:0", req); u.CacheReadInputTokens != 2000 || u.CacheCreationInputTokens != 1000 {
			t.Errorf("after 30 min = %+v, want the 1h part read and the 5m part rewritten", u)
		}
	})
}

func TestCostByRegionalProfile(t *testing.T) {
	s := simtest.Start(t, sim.Options{})
	// 400,000 bytes of input = 100,000 tokens at $3/M = $0.30 through global, $0.33 through us.
	req := map[string]any{"messages": []any{map[string]any{"role": "user", "content": strings.Repeat("x", 400_000)}}}
	resp, err := invoke(t, runtimeClient(s, goodCreds, "us-east-1"), "global.anthropic.claude-sonnet-4-5-20250929-v1:0", body(t, req))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Usage.InputTokens != 100_000 {
		t.Fatalf("input tokens = %d", resp.Usage.InputTokens)
	}
	out := float64(resp.Usage.OutputTokens)
	if got, want := s.Report().CostUSD, 0.3+out*15/1e6; math.Abs(got-want) > 1e-9 {
		t.Errorf("global cost = %.6f, want %.6f", got, want)
	}
	s.Reset()
	if _, err := invoke(t, runtimeClient(s, goodCreds, "us-east-1"), sonnet45, body(t, req)); err != nil {
		t.Fatal(err)
	}
	if got, want := s.Report().CostUSD, (0.3+out*15/1e6)*1.1; math.Abs(got-want) > 1e-9 {
		t.Errorf("us cost = %.6f, want %.6f", got, want)
	}
}

// TestCacheExpiresThroughTheClockEndpoint: POST /_sim/clock, in both of its forms, moves the
// clock that cache entries expire by. The system prompt (3000 tokens) is written at 0:00, read
// at 4:00 (which refreshes its 5-minute TTL to 9:00), and gone at 9:01.
func TestCacheExpiresThroughTheClockEndpoint(t *testing.T) {
	s := simtest.Start(t, sim.Options{})
	req := map[string]any{"system": []any{cachedBlock(3000, "")}}
	if u := usageOf(t, s, sonnet45, req); u.CacheCreationInputTokens != 3000 {
		t.Fatalf("first request = %+v, want a write of 3000", u)
	}
	cases := []struct {
		name, query, body string
		read, write       int64
	}{
		{"body, within the TTL", "", `{"advance": "4m"}`, 3000, 0},
		{"query, past the refreshed TTL", "?advance=5m1s", "", 0, 3000},
	}
	for _, tc := range cases {
		resp, err := s.HTTPClient().Post(s.URL+"/_sim/clock"+tc.query, "application/json", strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s: POST /_sim/clock: %s", tc.name, resp.Status)
		}
		if u := usageOf(t, s, sonnet45, req); u.CacheReadInputTokens != tc.read || u.CacheCreationInputTokens != tc.write {
			t.Errorf("%s: usage = %+v, want read %d, write %d", tc.name, u, tc.read, tc.write)
		}
	}
}

// TestReportCostByModel: GET /_sim/report splits cost by model, at the catalog's prices per
// million tokens. Each call sends "hello" (2 input tokens) and gets 400 bytes (100 output
// tokens). Sonnet 4.5 through the us profile, twice: (2 x $3 + 100 x $15) / 1M x 1.1 (the
// geography premium) = $0.0016566 each; Haiku 4.5 through global, once: 2 x $1 + 100 x $5 =
// $0.000502.
func TestReportCostByModel(t *testing.T) {
	s := simtest.Start(t, sim.Options{Scenario: scenario(t, hundredTokenReply, nil)})
	c := runtimeClient(s, goodCreds, "us-east-1")
	for _, model := range []string{sonnet45, "global.anthropic.claude-haiku-4-5-20251001-v1:0", sonnet45} {
		if _, err := invoke(t, c, model, body(t, map[string]any{})); err != nil {
			t.Fatal(err)
		}
	}
	var rep struct {
		CostUSD float64 `json:"cost_usd"`
		ByModel map[string]struct {
			Requests int64   `json:"requests"`
			CostUSD  float64 `json:"cost_usd"`
		} `json:"by_model"`
	}
	getJSON(t, s.HTTPClient(), s.URL+"/_sim/report", &rep)
	want := map[string]struct {
		requests int64
		cost     float64
	}{
		"claude-sonnet-4-5-20250929": {2, 2 * 0.0016566},
		"claude-haiku-4-5-20251001":  {1, 0.000502},
	}
	if len(rep.ByModel) != len(want) {
		t.Errorf("by_model = %+v, want %v", rep.ByModel, want)
	}
	for id, w := range want {
		got := rep.ByModel[id]
		if got.Requests != w.requests || math.Abs(got.CostUSD-w.cost) > 1e-12 {
			t.Errorf("by_model[%s] = %+v, want %d requests, $%.7f", id, got, w.requests, w.cost)
		}
	}
	if math.Abs(rep.CostUSD-0.0038152) > 1e-12 {
		t.Errorf("cost_usd = %.7f, want $0.0038152", rep.CostUSD)
	}
}
