package sim

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"ganban/internal/anthropic"
)

// answerBlock is a block of the answer with, for tool_use, the input JSON text as it is
// streamed: cut short when the answer hit its token budget inside it.
type answerBlock struct {
	anthropic.Block
	inputText string
	cut       bool
}

// answer is one generated assistant message.
type answer struct {
	ID           string
	Blocks       []answerBlock
	StopReason   string
	OutputTokens int64
}

const idAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newID returns prefix + 24 random base62 characters, the shape of Bedrock's msg_bdrk_ and
// toolu_bdrk_ ids. Every answer gets fresh ids because clients merge blocks by message id.
func newID(prefix string) string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return prefix + string(b[:])
}

func newSignature() string {
	var b [48]byte
	_, _ = rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

// buildAnswer turns a scripted reply into a message with fresh ids, adds the thinking block a
// thinking-enabled request gets from a real model, and cuts it at budget output tokens.
func buildAnswer(req *anthropic.Request, r *Reply, budget int64) answer {
	a := answer{ID: newID("msg_bdrk_")}
	blocks := continueAfter(prefillText(req), r.Content)
	thinking := req.Thinking != nil && req.Thinking.Type != "disabled"
	if thinking && (len(blocks) == 0 || blocks[0].Type != anthropic.BlockThinking) {
		blocks = append([]anthropic.Block{{Type: anthropic.BlockThinking, Thinking: "Following the scripted step."}}, blocks...)
	}
	hasToolUse := false
	for _, b := range blocks {
		ab := answerBlock{Block: b}
		switch b.Type {
		case anthropic.BlockToolUse:
			hasToolUse = true
			ab.ID = newID("toolu_bdrk_")
			ab.inputText = inputText(b.Input)
		case anthropic.BlockThinking:
			ab.Signature = newSignature()
		}
		a.Blocks = append(a.Blocks, ab)
	}
	a.StopReason = r.StopReason
	if a.StopReason == "" {
		a.StopReason = anthropic.StopEndTurn
		if hasToolUse {
			a.StopReason = anthropic.StopToolUse
		}
	}
	a.cut(budget)
	return a
}

// cut truncates the answer to budget output tokens, as the service stops generating at
// max_tokens: the block in progress is cut (mid-JSON for a tool input) and later ones dropped.
func (a *answer) cut(budget int64) {
	var used int64
	for i := range a.Blocks {
		b := &a.Blocks[i]
		need := blockTokens(b.Block)
		if used+need <= budget {
			used += need
			continue
		}
		room := budget - used
		switch b.Type {
		case anthropic.BlockText:
			b.Text = truncateRunes(b.Text, room*4)
		case anthropic.BlockThinking:
			b.Thinking = truncateRunes(b.Thinking, room*4)
			b.Signature = ""
		case anthropic.BlockToolUse:
			b.inputText = truncateRunes(b.inputText, max(room-estimate(b.Name), 0)*4)
		}
		b.cut = true
		a.Blocks = a.Blocks[:i+1]
		a.StopReason = anthropic.StopMaxTokens
		a.OutputTokens = budget
		return
	}
	a.OutputTokens = used
}

// truncateRunes cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncateRunes(s string, n int64) string {
	if int64(len(s)) <= n {
		return s
	}
	i := int(n)
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

// inputText is the text a scripted tool input is streamed as: an object compacted, as the
// service sends it, or a string's content verbatim (input a model wrote that is not JSON).
func inputText(in []byte) string {
	var s string
	if json.Unmarshal(in, &s) == nil {
		return s
	}
	return string(compactJSON(in))
}

// message is the answer as a complete Messages response. A tool call cut mid-input, or whose
// input is not JSON, keeps what could be parsed: nothing, so its input is empty.
func (a *answer) message(model string, u anthropic.Usage) anthropic.Response {
	stop := a.StopReason
	resp := anthropic.Response{ID: a.ID, Type: "message", Role: anthropic.RoleAssistant, Model: model, StopReason: &stop, Usage: u}
	for _, b := range a.Blocks {
		blk := b.Block
		if blk.Type == anthropic.BlockToolUse {
			blk.Input = []byte(b.inputText)
			if b.cut || !json.Valid(blk.Input) {
				blk.Input = []byte("{}")
			}
		}
		resp.Content = append(resp.Content, blk)
	}
	return resp
}

// prefillText is the text of a trailing assistant message: an answer the client asks the
// model to continue.
func prefillText(req *anthropic.Request) string {
	n := len(req.Messages)
	if n == 0 || req.Messages[n-1].Role != anthropic.RoleAssistant {
		return ""
	}
	return anthropic.PlainText(req.Messages[n-1].Content)
}

// continueAfter drops the part of the scripted reply the prefill already holds, so that a
// client continuing a cut-off answer gets the rest of it, as from a real model.
func continueAfter(prefill string, blocks []anthropic.Block) []anthropic.Block {
	if prefill == "" || len(blocks) == 0 || blocks[0].Type != anthropic.BlockText {
		return blocks
	}
	rest, ok := strings.CutPrefix(blocks[0].Text, prefill)
	if !ok {
		return blocks
	}
	out := append([]anthropic.Block{anthropic.Text(rest)}, blocks[1:]...)
	if rest == "" {
		out = out[1:]
	}
	return out
}
