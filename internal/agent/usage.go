package agent

import (
	"ganban/internal/anthropic"
	"ganban/internal/catalog"
	"ganban/internal/session"
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

// account adds a main-model request's usage to the session, reports it and returns the
// request's cost.
func (a *Agent) account(resp *anthropic.Response) float64 {
	u := resp.Usage
	cost := a.requestCost(u)
	a.lastPrompt, a.unmeasured = u.InputTokens+u.CacheReadInputTokens+u.CacheCreationInputTokens, 0
	totals, sessionCost := a.addSpend(tokensOf(u), cost)
	a.emit(Event{Kind: EventUsage, Usage: &Usage{Request: u, RequestCost: cost, Session: totals, SessionCost: sessionCost,
		ContextUsed: a.lastPrompt + u.OutputTokens, ContextLimit: a.contextLimit()}})
	return cost
}

// recordRequest writes a billed request whose answer is not a message of the conversation to
// the transcript (a discarded answer, a continuation, a summary, a title), so that the
// transcript accounts for every dollar the totals do. Like notices, it does not stop the
// session if it cannot be written.
func (a *Agent) recordRequest(purpose string, resp *anthropic.Response, cost float64) {
	_ = a.record(func(w *session.Writer) error { return w.Request(purpose, *resp, resp.RequestID, cost) })
}

// addSpend adds tokens and dollars to the session's totals. Side calls (the title, on the
// small/fast model) spend from another goroutine, hence the lock.
func (a *Agent) addSpend(t catalog.Tokens, cost float64) (catalog.Tokens, float64) {
	a.spendMu.Lock()
	defer a.spendMu.Unlock()
	a.totals = a.totals.Add(t)
	a.cost += cost
	return a.totals, a.cost
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

// discard accounts for a request that failed after its answer had started (and so was billed),
// keeping nothing of the answer.
func (a *Agent) discard(partial *anthropic.Response) {
	if partial == nil || partial.ID == "" {
		return
	}
	a.recordRequest(session.PurposeDiscarded, partial, a.account(partial))
}
