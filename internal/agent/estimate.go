package agent

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"ganban/internal/anthropic"
)

// Token estimates for what has not been measured yet: the messages added since the last
// answer reported its prompt's size (an answer, the tool results about to be sent), and a
// resumed or compacted conversation. A token is about four bytes of English or code; images
// and documents are billed by size, up to about 1,600 tokens for a full-size image.
const (
	bytesPerToken = 4
	mediaTokens   = 1600
)

func textTokens(s string) int64 { return int64(len(s)+bytesPerToken-1) / bytesPerToken }

// blockTokens estimates one content block.
func blockTokens(b anthropic.Block) int64 {
	switch b.Type {
	case anthropic.BlockText:
		return textTokens(b.Text)
	case anthropic.BlockToolUse:
		return textTokens(b.Name) + textTokens(string(b.Input))
	case anthropic.BlockToolResult:
		return blocksTokens(b.Content)
	case anthropic.BlockThinking:
		return textTokens(b.Thinking)
	case anthropic.BlockRedactedThinking:
		return textTokens(b.Data)
	case anthropic.BlockImage, anthropic.BlockDocument:
		if b.Source != nil && b.Source.Type == "text" {
			return textTokens(b.Source.Data)
		}
		return mediaTokens
	}
	return 0
}

func blocksTokens(blocks []anthropic.Block) int64 {
	var n int64
	for _, b := range blocks {
		n += blockTokens(b)
	}
	return n
}

func messagesTokens(msgs []anthropic.Message) int64 {
	var n int64
	for _, m := range msgs {
		n += blocksTokens(m.Content)
	}
	return n
}

// fixedTokens estimates what every request repeats: the system prompt and the tool
// definitions.
func (a *Agent) fixedTokens() int64 {
	n := textTokens(a.cfg.System)
	for _, d := range a.defs {
		n += textTokens(d.Name) + textTokens(d.Description) + textTokens(string(d.InputSchema))
	}
	return n
}

// nextPromptTokens estimates the prompt the next request will send: the last one measured
// plus what was added since.
func (a *Agent) nextPromptTokens() int64 { return a.lastPrompt + a.unmeasured }

// remeasure forgets the last measurement after the conversation changed as a whole (a
// compaction, a rewind) and estimates all of it.
func (a *Agent) remeasure() {
	a.lastPrompt = 0
	a.unmeasured = a.fixedTokens() + messagesTokens(a.messages)
}

// shrinkToolResults returns msgs with the text of the largest tool results cut, head and tail
// kept, until the whole fits in budget tokens (as far as cutting tool results can make it
// fit). The blocks of msgs are not changed. A summary request uses it: the conversation being
// summarised may itself be too large to send, often because of the very results that made it
// need a summary.
func shrinkToolResults(msgs []anthropic.Message, budget int64) []anthropic.Message {
	total := messagesTokens(msgs)
	if total <= budget {
		return msgs
	}
	var sizes []int64
	var results int64
	forEachResultText(msgs, func(b *anthropic.Block) {
		n := textTokens(b.Text)
		sizes = append(sizes, n)
		results += n
	})
	limit := waterLevel(sizes, max(budget-(total-results), 0))
	out := make([]anthropic.Message, len(msgs))
	for i, m := range msgs {
		m.Content = copyBlocks(m.Content)
		out[i] = m
	}
	forEachResultText(out, func(b *anthropic.Block) {
		if textTokens(b.Text) > limit {
			b.Text = elide(b.Text, int(max(limit-elisionTokens, 0))*bytesPerToken)
		}
	})
	return out
}

// forEachResultText calls f with every text block inside a tool result.
func forEachResultText(msgs []anthropic.Message, f func(*anthropic.Block)) {
	for _, m := range msgs {
		for i := range m.Content {
			if b := &m.Content[i]; b.Type == anthropic.BlockToolResult {
				for j := range b.Content {
					if b.Content[j].Type == anthropic.BlockText {
						f(&b.Content[j])
					}
				}
			}
		}
	}
}

// copyBlocks copies blocks and the content of tool results, so they can be changed.
func copyBlocks(blocks []anthropic.Block) []anthropic.Block {
	out := append([]anthropic.Block(nil), blocks...)
	for i := range out {
		if out[i].Type == anthropic.BlockToolResult {
			out[i].Content = append([]anthropic.Block(nil), out[i].Content...)
		}
	}
	return out
}

// waterLevel is the largest size limit under which sizes, each cut to the limit, add up to at
// most room.
func waterLevel(sizes []int64, room int64) int64 {
	sorted := append([]int64(nil), sizes...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	for i, s := range sorted {
		rest := int64(len(sorted) - i)
		if s*rest > room {
			return room / rest
		}
		room -= s
	}
	if len(sorted) == 0 {
		return 0
	}
	return sorted[len(sorted)-1]
}

// elisionNote says what elide left out; elisionTokens is at least its size.
const (
	elisionNote   = "\n[... %d bytes left out so that the conversation fits the summary request ...]\n"
	elisionTokens = 25
)

// elide cuts s to n bytes and a note, keeping its head and tail.
func elide(s string, n int) string {
	if len(s) <= n {
		return s
	}
	head, tail := n*2/3, n/3
	for head > 0 && !utf8.RuneStart(s[head]) {
		head--
	}
	cut := len(s) - tail
	for cut < len(s) && !utf8.RuneStart(s[cut]) {
		cut++
	}
	var b strings.Builder
	b.WriteString(s[:head])
	fmt.Fprintf(&b, elisionNote, cut-head)
	b.WriteString(s[cut:])
	return b.String()
}
