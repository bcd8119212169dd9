package agent

import (
	"context"

	"ganban/internal/anthropic"
	"ganban/internal/bedrock"
)

// request asks the model for the next answer and streams it to the user. maxTokens 0 is the
// configured budget. prefill, when set, is a cut-off assistant message to continue. On error
// it returns what had arrived, for the transcript.
func (a *Agent) request(ctx context.Context, maxTokens int, prefill *anthropic.Message) (*anthropic.Response, error) {
	msgs := a.messages
	if prefill != nil {
		msgs = append(append([]anthropic.Message(nil), msgs...), *prefill)
	}
	call := bedrock.Call{
		Model: a.cfg.Model.ID, Info: a.cfg.Model.Info, LongContext: a.cfg.Model.LongContext, MaxTokens: maxTokens,
		Request: &anthropic.Request{System: a.system(), Messages: msgs, Tools: a.defs},
	}
	var acc anthropic.Accumulator
	requestID := ""
	message := func() *anthropic.Response {
		m := acc.Message()
		m.RequestID = requestID
		return &m
	}
	for part, err := range a.cfg.Provider.Stream(ctx, call) {
		if err != nil {
			return message(), err
		}
		if part.Restart {
			// The attempt that broke off had its prompt read, and is billed for it: it counts
			// in the session's cost and in the transcript like any answer that was cut short.
			a.discard(message())
			acc = anthropic.Accumulator{}
			a.emit(Event{Kind: EventRestart})
			continue
		}
		requestID = part.RequestID
		e := *part.Event
		if err := acc.Add(e); err != nil {
			return message(), err
		}
		if e.Type == anthropic.EventContentBlockDelta {
			switch e.Delta.Type {
			case anthropic.DeltaText:
				a.emit(Event{Kind: EventText, Text: e.Delta.Text})
			case anthropic.DeltaThinking:
				a.emit(Event{Kind: EventThinking, Text: e.Delta.Thinking})
			}
		}
	}
	if ctx.Err() != nil {
		return message(), ctx.Err()
	}
	return message(), nil
}

func (a *Agent) system() []anthropic.Block {
	if a.cfg.System == "" {
		return nil
	}
	return []anthropic.Block{anthropic.Text(a.cfg.System)}
}
