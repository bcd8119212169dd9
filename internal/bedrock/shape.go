package bedrock

import (
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"ganban/internal/anthropic"
	"ganban/internal/catalog"
)

// beta flags ganban sends.
const betaContext1M = "context-1m-2025-08-07"

// Call is one request: the model as configured (never rewritten), the region it goes to ("" is
// the main region), and the conversation. MaxTokens overrides the configured output budget,
// for the agent's recovery from a cut-off answer.
type Call struct {
	Model       string
	Region      string
	Request     *anthropic.Request
	MaxTokens   int
	LongContext bool // the model was chosen with a [1m] suffix
	// Info is what the catalog knows of the model, nil for an unknown one.
	Info *catalog.Model
	// NoThinking leaves extended thinking off (side calls such as titles).
	NoThinking bool
}

// shape fills in what the setup guide prescribes for every request (S18-S21): the Bedrock
// anthropic_version, max_tokens (CLAUDE_CODE_MAX_OUTPUT_TOKENS, default 4096, capped at the
// model's limit), extended thinking (MAX_THINKING_TOKENS, in the form the model accepts, with
// max_tokens raised above the budget), the 1M-context beta, and prompt-caching breakpoints. It
// returns a copy; the caller's request is not changed.
func (c *Client) shape(call Call, caching bool) *anthropic.Request {
	r := *call.Request
	r.AnthropicVersion = anthropic.Version
	m := call.Info
	maxTokens := call.MaxTokens
	if maxTokens == 0 {
		maxTokens = c.cfg.MaxOutputTokens
	}
	if maxTokens == 0 {
		maxTokens = DefaultMaxOutputTokens
	}
	r.Thinking = nil
	if budget := c.cfg.ThinkingTokens; budget > 0 && !call.NoThinking && (m == nil || len(m.Thinking) > 0) {
		switch {
		case m != nil && !m.Supports(catalog.ThinkingEnabled):
			r.Thinking = &anthropic.Thinking{Type: catalog.ThinkingAdaptive}
		default:
			if budget >= maxTokens {
				maxTokens = budget + max(c.cfg.MaxOutputTokens, DefaultMaxOutputTokens)
			}
			r.Thinking = &anthropic.Thinking{Type: catalog.ThinkingEnabled, BudgetTokens: budget}
		}
	}
	if m != nil && maxTokens > m.MaxOutput {
		maxTokens = m.MaxOutput
		if r.Thinking != nil && r.Thinking.BudgetTokens >= maxTokens {
			r.Thinking.BudgetTokens = max(maxTokens/2, minThinkingBudget)
		}
	}
	r.MaxTokens = maxTokens
	if call.LongContext && m != nil && m.LongContextWindow > m.ContextWindow && !slices.Contains(r.AnthropicBeta, betaContext1M) {
		r.AnthropicBeta = append(slices.Clone(r.AnthropicBeta), betaContext1M)
	}
	if !caching {
		return stripBreakpoints(&r)
	}
	ttl := ""
	if c.cfg.CacheTTL1h && (m == nil || m.CacheTTL1h) {
		ttl = "1h"
	}
	addBreakpoints(&r, ttl)
	return &r
}

// cachingWanted reports whether a call should carry cache breakpoints.
func (c *Client) cachingWanted(call Call) bool {
	family := ""
	if call.Info != nil {
		family = call.Info.Family
	}
	if c.cfg.CachingDisabled(family) {
		return false
	}
	return !c.cachingRefused(c.regionOf(call), call.Model)
}

func (c *Client) regionOf(call Call) string { return c.CallRegion(call.Model, call.Region) }

// CallRegion is where a call for model goes: the region asked for, else the one an ARN names
// (Bedrock serves a resource only in its own region, and the ARN is the user's explicit
// choice of it, as in the guide's S17), else the configured region.
func (c *Client) CallRegion(model, region string) string {
	if region != "" {
		return region
	}
	if a, err := arn.Parse(model); err == nil && a.Region != "" {
		return a.Region
	}
	return c.cfg.Region
}

// addBreakpoints puts at most four cache breakpoints where a long session reads nearly all
// of its prefix from cache: after the tools, after the system prompt, on the newest message,
// and on the user message of the previous turn, where the last request wrote its entry. That
// last one makes the read exact even when a turn added more than the service's 20-block
// lookback. Existing breakpoints are replaced; the caller's blocks are not modified.
func addBreakpoints(r *anthropic.Request, ttl string) {
	cc := &anthropic.CacheControl{Type: "ephemeral", TTL: ttl}
	r.Tools = slices.Clone(r.Tools)
	for i := range r.Tools {
		r.Tools[i].CacheControl = nil
	}
	if n := len(r.Tools); n > 0 {
		r.Tools[n-1].CacheControl = cc
	}
	r.System = clearBreakpoints(r.System)
	if i := lastCacheable(r.System); i >= 0 {
		r.System[i].CacheControl = cc
	}
	r.Messages = slices.Clone(r.Messages)
	for i := range r.Messages {
		r.Messages[i].Content = clearBreakpoints(r.Messages[i].Content)
	}
	marked := 0
	for i := len(r.Messages) - 1; i >= 0 && marked < 2; i-- {
		m := &r.Messages[i]
		if m.Role != anthropic.RoleUser {
			continue
		}
		if j := lastCacheable(m.Content); j >= 0 {
			m.Content[j].CacheControl = cc
			marked++
		}
	}
}

func clearBreakpoints(blocks []anthropic.Block) []anthropic.Block {
	out := slices.Clone(blocks)
	for i := range out {
		out[i].CacheControl = nil
	}
	return out
}

// lastCacheable is the last block that may carry cache_control (thinking blocks may not).
func lastCacheable(blocks []anthropic.Block) int {
	for i := len(blocks) - 1; i >= 0; i-- {
		switch blocks[i].Type {
		case anthropic.BlockThinking, anthropic.BlockRedactedThinking:
		default:
			if blocks[i].Type == anthropic.BlockText && blocks[i].Text == "" {
				continue
			}
			return i
		}
	}
	return -1
}

// stripBreakpoints removes every cache_control: caching is off, or the region refuses it.
func stripBreakpoints(r *anthropic.Request) *anthropic.Request {
	out := *r
	out.Tools = slices.Clone(r.Tools)
	for i := range out.Tools {
		out.Tools[i].CacheControl = nil
	}
	out.System = clearBreakpoints(r.System)
	out.Messages = slices.Clone(r.Messages)
	for i := range out.Messages {
		out.Messages[i].Content = clearBreakpoints(out.Messages[i].Content)
	}
	return &out
}
