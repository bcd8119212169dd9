package anthropic

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Accumulator folds stream events into the message they describe, the way clients do: text
// and thinking deltas appended, tool input re-assembled from its partial_json pieces, usage
// from message_start updated by message_delta. The zero value is ready to use.
type Accumulator struct {
	msg     Response
	started bool
	stopped bool
	// parts collect each block's streamed text, thinking, signature or tool input: appending
	// to the block's strings directly would copy the whole text at every delta.
	parts map[int]*blockParts
	open  map[int]bool
}

type blockParts struct {
	text, thinking, signature, input strings.Builder
}

// Add applies one event. An event that does not fit the sequence (a delta for a block never
// started, a second message_start) is an error: the stream is broken.
func (a *Accumulator) Add(e Event) error {
	if a.parts == nil {
		a.parts, a.open = map[int]*blockParts{}, map[int]bool{}
	}
	switch e.Type {
	case EventMessageStart:
		if a.started || e.Message == nil {
			return fmt.Errorf("stream: unexpected message_start")
		}
		a.started, a.msg = true, *e.Message
		a.msg.Content = nil
	case EventContentBlockStart:
		if !a.started || e.Index == nil || e.ContentBlock == nil || *e.Index != len(a.msg.Content) {
			return fmt.Errorf("stream: content_block_start out of order")
		}
		b := *e.ContentBlock
		p := &blockParts{}
		p.text.WriteString(b.Text)
		p.thinking.WriteString(b.Thinking)
		p.signature.WriteString(b.Signature)
		if b.Type == BlockToolUse {
			b.Input = nil
		}
		a.msg.Content = append(a.msg.Content, b)
		a.parts[*e.Index] = p
		a.open[*e.Index] = true
	case EventContentBlockDelta:
		if e.Index == nil || !a.open[*e.Index] || e.Delta == nil {
			return fmt.Errorf("stream: delta for a block that is not open")
		}
		a.applyDelta(*e.Index, e.Delta)
	case EventContentBlockStop:
		if e.Index == nil || !a.open[*e.Index] {
			return fmt.Errorf("stream: content_block_stop for a block that is not open")
		}
		a.open[*e.Index] = false
		a.settle(*e.Index)
	case EventMessageDelta:
		if e.Delta != nil && e.Delta.StopReason != "" {
			sr := e.Delta.StopReason
			a.msg.StopReason = &sr
			a.msg.StopSequence = e.Delta.StopSequence
		}
		if u := e.Usage; u != nil {
			a.msg.Usage.OutputTokens = u.OutputTokens
			if u.InputTokens != nil {
				a.msg.Usage.InputTokens = *u.InputTokens
			}
			if u.CacheCreationInputTokens != nil {
				a.msg.Usage.CacheCreationInputTokens = *u.CacheCreationInputTokens
			}
			if u.CacheReadInputTokens != nil {
				a.msg.Usage.CacheReadInputTokens = *u.CacheReadInputTokens
			}
		}
	case EventMessageStop:
		a.stopped = true
	case EventError:
		if e.Error != nil {
			return fmt.Errorf("stream error %s: %s", e.Error.Type, e.Error.Message)
		}
		return fmt.Errorf("stream error")
	}
	return nil
}

func (a *Accumulator) applyDelta(i int, d *Delta) {
	p := a.parts[i]
	switch d.Type {
	case DeltaText:
		p.text.WriteString(d.Text)
	case DeltaThinking:
		p.thinking.WriteString(d.Thinking)
	case DeltaSignature:
		p.signature.WriteString(d.Signature)
	case DeltaInputJSON:
		if d.PartialJSON != nil {
			p.input.WriteString(*d.PartialJSON)
		}
	}
}

// settle writes block i's collected parts into it.
func (a *Accumulator) settle(i int) {
	b, p := &a.msg.Content[i], a.parts[i]
	b.Text, b.Thinking, b.Signature = p.text.String(), p.thinking.String(), p.signature.String()
	if b.Type == BlockToolUse && !a.open[i] {
		b.Input, b.MalformedInput = toolInput(p.input.String())
	}
}

// toolInput is a streamed tool input as a block keeps it. A model can write input that is not
// JSON, and the service passes it on as it is: such input becomes {} with the text kept aside,
// because a block holding it could be neither stored nor sent back.
func toolInput(raw string) (json.RawMessage, string) {
	trimmed := strings.TrimSpace(raw)
	switch {
	case trimmed == "":
		return json.RawMessage("{}"), ""
	case trimmed[0] == '{' && json.Valid([]byte(trimmed)):
		return json.RawMessage(raw), ""
	}
	return json.RawMessage("{}"), raw
}

// Complete reports whether message_stop arrived.
func (a *Accumulator) Complete() bool { return a.stopped }

// Message returns the message so far. Tool inputs of blocks still open are not set.
func (a *Accumulator) Message() Response {
	for i := range a.msg.Content {
		a.settle(i)
	}
	m := a.msg
	m.Content = append([]Block(nil), a.msg.Content...)
	return m
}
