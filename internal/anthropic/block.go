package anthropic

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Block types.
const (
	BlockText             = "text"
	BlockImage            = "image"
	BlockDocument         = "document"
	BlockToolUse          = "tool_use"
	BlockToolResult       = "tool_result"
	BlockThinking         = "thinking"
	BlockRedactedThinking = "redacted_thinking"
)

// CacheControl marks a prompt-caching breakpoint.
type CacheControl struct {
	Type string `json:"type"`          // "ephemeral"
	TTL  string `json:"ttl,omitempty"` // "5m" (default) or "1h"
}

// Source is the data of an image or document block.
type Source struct {
	Type      string `json:"type"` // base64, text, url
	MediaType string `json:"media_type,omitempty"`
	Data      string `json:"data,omitempty"`
	URL       string `json:"url,omitempty"`
}

// Block is one content block. Which fields are meaningful depends on Type; MarshalJSON writes
// only those, so a block serialises exactly as the service expects it.
type Block struct {
	Type string

	Text string // text

	ID    string          // tool_use
	Name  string          // tool_use
	Input json.RawMessage // tool_use: a JSON object
	// MalformedInput is, for a tool_use whose streamed input was not a JSON object, that
	// input as it arrived; Input is then {}, so the block can still be stored and sent back.
	// It is never serialised.
	MalformedInput string

	ToolUseID string  // tool_result
	Content   []Block // tool_result: text and image blocks
	IsError   bool    // tool_result

	Thinking  string // thinking
	Signature string // thinking
	Data      string // redacted_thinking

	Source *Source // image, document

	CacheControl *CacheControl
}

// Text returns a text block.
func Text(s string) Block { return Block{Type: BlockText, Text: s} }

// ToolResult returns a tool_result block with text content.
func ToolResult(toolUseID, text string, isError bool) Block {
	return Block{Type: BlockToolResult, ToolUseID: toolUseID, Content: []Block{Text(text)}, IsError: isError}
}

type wireBlock struct {
	Type         string          `json:"type"`
	Text         *string         `json:"text,omitempty"`
	ID           string          `json:"id,omitempty"`
	Name         string          `json:"name,omitempty"`
	Input        json.RawMessage `json:"input,omitempty"`
	ToolUseID    string          `json:"tool_use_id,omitempty"`
	Content      json.RawMessage `json:"content,omitempty"`
	IsError      bool            `json:"is_error,omitempty"`
	Thinking     *string         `json:"thinking,omitempty"`
	Signature    *string         `json:"signature,omitempty"`
	Data         string          `json:"data,omitempty"`
	Source       *Source         `json:"source,omitempty"`
	CacheControl *CacheControl   `json:"cache_control,omitempty"`
}

// MarshalJSON writes the fields of the block's type.
func (b Block) MarshalJSON() ([]byte, error) {
	w := wireBlock{Type: b.Type, CacheControl: b.CacheControl}
	switch b.Type {
	case BlockText:
		w.Text = &b.Text
	case BlockToolUse:
		w.ID, w.Name, w.Input = b.ID, b.Name, b.Input
		if len(bytes.TrimSpace(w.Input)) == 0 {
			w.Input = json.RawMessage("{}")
		}
	case BlockToolResult:
		w.ToolUseID, w.IsError = b.ToolUseID, b.IsError
		if len(b.Content) > 0 {
			c, err := json.Marshal(b.Content)
			if err != nil {
				return nil, err
			}
			w.Content = c
		}
	case BlockThinking:
		w.Thinking, w.Signature = &b.Thinking, &b.Signature
	case BlockRedactedThinking:
		w.Data = b.Data
	case BlockImage, BlockDocument:
		w.Source = b.Source
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads a block; tool_result content may be a string or a list of blocks.
func (b *Block) UnmarshalJSON(data []byte) error {
	var w wireBlock
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*b = Block{
		Type: w.Type, ID: w.ID, Name: w.Name, Input: w.Input, ToolUseID: w.ToolUseID,
		IsError: w.IsError, Data: w.Data, Source: w.Source, CacheControl: w.CacheControl,
	}
	if w.Text != nil {
		b.Text = *w.Text
	}
	if w.Thinking != nil {
		b.Thinking = *w.Thinking
	}
	if w.Signature != nil {
		b.Signature = *w.Signature
	}
	if len(w.Content) > 0 {
		c, err := unmarshalContent(w.Content)
		if err != nil {
			return fmt.Errorf("tool_result content: %w", err)
		}
		b.Content = c
	}
	return nil
}

// unmarshalContent reads content that is either a plain string or a list of blocks.
func unmarshalContent(data []byte) ([]Block, error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return nil, err
		}
		return []Block{Text(s)}, nil
	}
	var blocks []Block
	if err := json.Unmarshal(data, &blocks); err != nil {
		return nil, err
	}
	return blocks, nil
}

// PlainText joins the text of text blocks, the way a reader sees them.
func PlainText(blocks []Block) string {
	var buf bytes.Buffer
	for _, b := range blocks {
		if b.Type == BlockText {
			buf.WriteString(b.Text)
		}
	}
	return buf.String()
}
