package sim

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"

	"ganban/internal/anthropic"
)

// The simulator's token estimate is deterministic and simple enough to compute by hand in a
// test: a string of n bytes is ceil(n/4) tokens; an image or document with binary data is a
// flat 1,600 tokens. A block counts the strings a model reads:
//
//	text                 its text
//	tool_use             name + compact JSON of input
//	tool_result          the sum of its content blocks
//	thinking             its thinking text (redacted_thinking: its data)
//	tool definition      name + description + compact JSON of input_schema
//
// No per-message or per-request overhead is added.
const mediaTokens = 1600

// estimate is ceil(len(s)/4).
func estimate(s string) int64 { return (int64(len(s)) + 3) / 4 }

func estimateBytes(b []byte) int64 { return (int64(len(b)) + 3) / 4 }

// blockTokens estimates one content block.
func blockTokens(b anthropic.Block) int64 {
	switch b.Type {
	case anthropic.BlockText:
		return estimate(b.Text)
	case anthropic.BlockToolUse:
		return estimate(b.Name) + estimateBytes(compactJSON(b.Input))
	case anthropic.BlockToolResult:
		var n int64
		for _, c := range b.Content {
			n += blockTokens(c)
		}
		return n
	case anthropic.BlockThinking:
		return estimate(b.Thinking)
	case anthropic.BlockRedactedThinking:
		return estimate(b.Data)
	case anthropic.BlockImage, anthropic.BlockDocument:
		if b.Source != nil && b.Source.Type == "text" {
			return estimate(b.Source.Data)
		}
		return mediaTokens
	}
	return 0
}

func toolTokens(t anthropic.Tool) int64 {
	return estimate(t.Name) + estimate(t.Description) + estimateBytes(compactJSON(t.InputSchema))
}

func compactJSON(raw json.RawMessage) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return raw
	}
	return buf.Bytes()
}

// segment is one cacheable unit of the prompt, in the order the service reads it: tools,
// then system blocks, then message blocks.
type segment struct {
	Tokens int64
	// Prefix is the hash of the prompt up to and including this segment, without cache_control
	// markers, so that moving a breakpoint does not change what is cached.
	Prefix [32]byte
	// Breakpoint is the segment's cache_control, or nil.
	Breakpoint *anthropic.CacheControl
}

// promptSegments splits a request into segments with their running prefix hash.
func promptSegments(req *anthropic.Request) []segment {
	var segs []segment
	h := sha256.New()
	var prev [32]byte
	add := func(kind string, v any, tokens int64, cc *anthropic.CacheControl) {
		data, _ := json.Marshal(v)
		h.Reset()
		h.Write(prev[:])
		h.Write([]byte(kind))
		h.Write(data)
		copy(prev[:], h.Sum(nil))
		segs = append(segs, segment{Tokens: tokens, Prefix: prev, Breakpoint: cc})
	}
	for _, t := range req.Tools {
		cc := t.CacheControl
		t.CacheControl = nil
		add("tool", t, toolTokens(t), cc)
	}
	for _, b := range req.System {
		cc := b.CacheControl
		b.CacheControl = nil
		add("system", b, blockTokens(b), cc)
	}
	for _, m := range req.Messages {
		for _, b := range m.Content {
			cc := b.CacheControl
			b.CacheControl = nil
			add(m.Role, b, blockTokens(b), cc)
		}
	}
	return segs
}

// promptTokens is the estimate of a whole request's input.
func promptTokens(segs []segment) int64 {
	var n int64
	for _, s := range segs {
		n += s.Tokens
	}
	return n
}
