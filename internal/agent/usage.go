package agent

import (
	"ganban/internal/anthropic"
	"ganban/internal/catalog"
)

func tokensOf(u anthropic.Usage) catalog.Tokens {
	t := catalog.Tokens{Input: u.InputTokens, Output: u.OutputTokens, CacheRead: u.CacheReadInputTokens}
	if cc := u.CacheCreation; cc != nil && cc.Ephemeral5m+cc.Ephemeral1h == u.CacheCreationInputTokens {
		t.CacheWrite5m, t.CacheWrite1h = cc.Ephemeral5m, cc.Ephemeral1h
	} else {
		t.CacheWrite5m = u.CacheCreationInputTokens
	}
	return t
}

// requestCost prices one request at the catalog's rates; a model the catalog does not know
// costs 0 (and the user is told the cost is unknown elsewhere).
func (a *Agent) requestCost(u anthropic.Usage) float64 {
	m := a.cfg.Model.Info
	if m == nil {
		return 0
	}
	return m.Cost(tokensOf(u), a.cfg.Model.Ref.Geo)
}

// account adds a request's usage to the session and reports it.
func (a *Agent) account(resp *anthropic.Response) {
	u := resp.Usage
	cost := a.requestCost(u)
	a.totals = a.totals.Add(tokensOf(u))
	a.cost += cost
	a.lastPrompt = u.InputTokens + u.CacheReadInputTokens + u.CacheCreationInputTokens
	a.emit(Event{Kind: EventUsage, Usage: &Usage{Request: u, RequestCost: cost, Session: a.totals, SessionCost: a.cost,
		ContextUsed: a.lastPrompt + u.OutputTokens, ContextLimit: a.contextLimit()}})
}

func (a *Agent) contextLimit() int64 {
	m := a.cfg.Model.Info
	if m == nil {
		return 200000
	}
	if a.cfg.Model.LongContext && m.LongContextWindow > m.ContextWindow {
		return int64(m.LongContextWindow)
	}
	return int64(m.ContextWindow)
}
