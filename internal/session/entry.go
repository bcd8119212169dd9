package session

import (
	"time"

	"ganban/internal/anthropic"
)

// Entry types.
const (
	TypeUser      = "user"
	TypeAssistant = "assistant"
	TypeSummary   = "summary" // a session title, as the transcript format stores it
	TypeSystem    = "system"  // ganban's own records: compaction boundaries, notices
)

// System entry subtypes.
const (
	SubtypeCompact = "compact_boundary"
	SubtypeNotice  = "notice"
	SubtypeRewind  = "rewind" // Content: how many messages remain
	// SubtypeRequest is a billed model request whose answer is not a message of the
	// conversation, with its usage (Message) and cost; Content says what it was for (one of
	// the Purpose constants). The transcript so accounts for everything the session spent,
	// for ganban sessions and for usage tools that read message.usage from every line.
	SubtypeRequest = "api_request"
)

// What a SubtypeRequest entry was for.
const (
	// PurposeDiscarded is an answer nothing of which was kept: cut off at max_tokens in a
	// tool call (and asked again with more room), or ended by cancellation or an error.
	PurposeDiscarded    = "discarded"
	PurposeContinuation = "continuation" // the rest of a cut-off text answer, merged into it
	PurposeCompact      = "compact"      // a compaction summary
	PurposeTitle        = "title"        // the session's title, from the small/fast model
)

// Entry is one line of a transcript.
type Entry struct {
	Type        string    `json:"type"`
	UUID        string    `json:"uuid,omitempty"`
	ParentUUID  *string   `json:"parentUuid"`
	SessionID   string    `json:"sessionId,omitempty"`
	Timestamp   time.Time `json:"timestamp"`
	CWD         string    `json:"cwd,omitempty"`
	Version     string    `json:"version,omitempty"`
	GitBranch   string    `json:"gitBranch,omitempty"`
	UserType    string    `json:"userType,omitempty"`
	IsSidechain bool      `json:"isSidechain"`
	RequestID   string    `json:"requestId,omitempty"`
	// Message is the user or assistant message.
	Message *Message `json:"message,omitempty"`
	// CostUSD is the price of the request that produced an assistant message.
	CostUSD float64 `json:"costUSD,omitempty"`
	// ToolUseResult marks a user entry that carries tool results.
	ToolUseResult bool `json:"toolUseResult,omitempty"`
	// Summary and LeafUUID form a title entry.
	Summary  string `json:"summary,omitempty"`
	LeafUUID string `json:"leafUuid,omitempty"`
	// Subtype and Content describe a system entry.
	Subtype string `json:"subtype,omitempty"`
	Content string `json:"content,omitempty"`
}

// Message is a message as transcripts store it: the Messages shape plus the answer's id,
// model, stop reason and usage for assistant messages.
type Message struct {
	ID         string            `json:"id,omitempty"`
	Type       string            `json:"type,omitempty"`
	Role       string            `json:"role"`
	Model      string            `json:"model,omitempty"`
	Content    []anthropic.Block `json:"content"`
	StopReason *string           `json:"stop_reason,omitempty"`
	Usage      *anthropic.Usage  `json:"usage,omitempty"`
}

// AsMessage returns the Messages-API form of the entry's message.
func (m *Message) AsMessage() anthropic.Message {
	return anthropic.Message{Role: m.Role, Content: m.Content}
}
