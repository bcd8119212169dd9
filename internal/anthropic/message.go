package anthropic

import (
	"encoding/json"
	"fmt"
)

// Message is one turn of the conversation. On the wire its content may be a plain string;
// it is always read into blocks.
type Message struct {
	Role    string  `json:"role"`
	Content []Block `json:"content"`
}

// UnmarshalJSON accepts string or block-list content.
func (m *Message) UnmarshalJSON(data []byte) error {
	var w struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	m.Role = w.Role
	m.Content = nil
	if len(w.Content) == 0 || string(w.Content) == "null" {
		return nil
	}
	c, err := unmarshalContent(w.Content)
	if err != nil {
		return fmt.Errorf("message content: %w", err)
	}
	m.Content = c
	return nil
}

// Tool is a tool definition offered to the model.
type Tool struct {
	Name         string          `json:"name"`
	Description  string          `json:"description,omitempty"`
	InputSchema  json.RawMessage `json:"input_schema"`
	CacheControl *CacheControl   `json:"cache_control,omitempty"`
}

// ToolChoice says whether and which tool the model must call.
type ToolChoice struct {
	Type string `json:"type"` // auto, any, tool, none
	Name string `json:"name,omitempty"`
}

// Thinking configures extended thinking.
type Thinking struct {
	Type         string `json:"type"` // enabled, adaptive, disabled
	BudgetTokens int    `json:"budget_tokens,omitempty"`
}

// Metadata is the request metadata Bedrock accepts (only user_id).
type Metadata struct {
	UserID string `json:"user_id,omitempty"`
}

// Request is a Claude Messages request body as sent to Bedrock's Invoke API: no "model" and
// no "stream" (the path carries both), anthropic_version and anthropic_beta in the body.
type Request struct {
	AnthropicVersion string        `json:"anthropic_version"`
	AnthropicBeta    []string      `json:"anthropic_beta,omitempty"`
	MaxTokens        int           `json:"max_tokens"`
	System           []Block       `json:"system,omitempty"`
	Messages         []Message     `json:"messages"`
	Tools            []Tool        `json:"tools,omitempty"`
	ToolChoice       *ToolChoice   `json:"tool_choice,omitempty"`
	Thinking         *Thinking     `json:"thinking,omitempty"`
	StopSequences    []string      `json:"stop_sequences,omitempty"`
	Temperature      *float64      `json:"temperature,omitempty"`
	TopP             *float64      `json:"top_p,omitempty"`
	TopK             *int          `json:"top_k,omitempty"`
	Metadata         *Metadata     `json:"metadata,omitempty"`
	OutputConfig     *OutputConfig `json:"output_config,omitempty"`
}

// OutputConfig carries the effort level of adaptive-thinking models.
type OutputConfig struct {
	Effort string `json:"effort,omitempty"`
}

// UnmarshalJSON accepts a plain-string system prompt.
func (r *Request) UnmarshalJSON(data []byte) error {
	type plain Request
	var w struct {
		plain
		System json.RawMessage `json:"system"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*r = Request(w.plain)
	r.System = nil
	if len(w.System) > 0 && string(w.System) != "null" {
		s, err := unmarshalContent(w.System)
		if err != nil {
			return fmt.Errorf("system: %w", err)
		}
		r.System = s
	}
	return nil
}

// Usage is the token accounting of one response.
type Usage struct {
	InputTokens              int64          `json:"input_tokens"`
	CacheCreationInputTokens int64          `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int64          `json:"cache_read_input_tokens"`
	CacheCreation            *CacheCreation `json:"cache_creation,omitempty"`
	OutputTokens             int64          `json:"output_tokens"`
}

// CacheCreation splits cache writes by TTL.
type CacheCreation struct {
	Ephemeral5m int64 `json:"ephemeral_5m_input_tokens"`
	Ephemeral1h int64 `json:"ephemeral_1h_input_tokens"`
}

// Response is a complete assistant message.
type Response struct {
	ID           string  `json:"id"`
	Type         string  `json:"type"` // "message"
	Role         string  `json:"role"`
	Model        string  `json:"model"`
	Content      []Block `json:"content"`
	StopReason   *string `json:"stop_reason"`
	StopSequence *string `json:"stop_sequence"`
	Usage        Usage   `json:"usage"`
	// RequestID is the provider's ID of the request that produced the message (Bedrock's
	// X-Amzn-RequestId), set by the client; it is not part of the body.
	RequestID string `json:"-"`
}
