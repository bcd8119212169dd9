package agent

import (
	"ganban/internal/anthropic"
	"ganban/internal/catalog"
	"ganban/internal/tools"
)

// EventKind says what happened.
type EventKind int

// Event kinds.
const (
	// EventText and EventThinking carry a piece of the answer as it streams.
	EventText EventKind = iota + 1
	EventThinking
	// EventRestart: the answer is being requested again; discard what was shown of it.
	EventRestart
	// EventAssistant carries a complete assistant message.
	EventAssistant
	// EventToolStart and EventToolEnd frame one tool call; EventToolProgress carries, in
	// Text, the last lines a running call has written (redacted), for people to watch.
	EventToolStart
	EventToolEnd
	// EventToolResults carries the user message with all results of one answer.
	EventToolResults
	// EventNotice is something the user should know: a retry, a credential refresh, a
	// recovery from max_tokens, a compaction.
	EventNotice
	// EventUsage reports one request's tokens and cost, and the session's totals.
	EventUsage
	// EventCompacted: the conversation was replaced by a summary.
	EventCompacted
	// EventTitle: the session got its title.
	EventTitle
	EventToolProgress
)

// Event is one thing the agent reports.
type Event struct {
	Kind      EventKind
	Text      string
	Message   *anthropic.Response
	Results   *anthropic.Message
	Tool      *ToolCall
	Usage     *Usage
	NoticeFor string // what a notice is about: "retry", "refresh", "max_tokens", "compact", "caching", "permission"
}

// ToolCall is a tool call as the user interface shows it.
type ToolCall struct {
	ID, Name string
	Input    []byte
	Target   tools.Target
	// Result is set on EventToolEnd.
	Result *tools.Result
	// Denied says the call did not run because permission was refused.
	Denied bool
}

// Usage is the accounting of one request and of the session so far.
type Usage struct {
	Request      anthropic.Usage
	RequestCost  float64
	Session      catalog.Tokens
	SessionCost  float64
	ContextUsed  int64 // tokens of the last prompt: input, cache reads and cache writes
	ContextLimit int64
}

// CacheHitRatio is the share of the session's prompt tokens read from cache.
func (u Usage) CacheHitRatio() float64 {
	total := u.Session.Input + u.Session.CacheRead + u.Session.CacheWrite()
	if total == 0 {
		return 0
	}
	return float64(u.Session.CacheRead) / float64(total)
}
