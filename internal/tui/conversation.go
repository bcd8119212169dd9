package tui

import (
	"encoding/json"
	"strings"

	"ganban/internal/agent"
	"ganban/internal/anthropic"
)

// entryKind is what one piece of the conversation is.
type entryKind int

const (
	kindUser entryKind = iota
	kindAssistant
	kindThinking
	kindTool
	kindNotice
	kindShell
	kindOutput
)

// level grades notices and command output.
type level int

const (
	levelInfo level = iota
	levelWarn
	levelError
)

// entry is one piece of the conversation with its rendered lines cached: rendering happens
// when the entry changes or the width does, never on every frame.
type entry struct {
	kind  entryKind
	text  string
	title string
	level level
	tool  *toolState
	// sections are two-column tables (/help) laid out at the width of the screen.
	sections []section
	// open is the user's expand/collapse choice for this entry (a click on it).
	open bool

	lines []string
	width int
	dirty bool
}

// toolStatus is where a tool call stands.
type toolStatus int

const (
	toolQueued toolStatus = iota
	toolRunning
	toolDone
	toolFailed
	toolDenied
)

// toolState is a tool call as shown: what it targets and, once done, its result.
type toolState struct {
	id, name, summary string
	// detail follows the summary, dimmed: the model's description of a Bash command.
	detail string
	// input is the call's input as the model wrote it.
	input  json.RawMessage
	status toolStatus
	// resultSummary and output come from the result; diff from Result.Diff.
	resultSummary, output, diff string
	// live is the tail of what the call has written so far, while it runs.
	live string
}

// section is a headed two-column table in command output.
type section struct {
	head string
	rows [][2]string
}

// conversation is the scrollback: the entries and their lines flattened for the viewport.
type conversation struct {
	entries []*entry
	byTool  map[string]*entry
	// liveFrom is the index of the first entry of the answer streaming now, -1 between
	// answers; a restart removes the text and thinking shown from there.
	liveFrom  int
	expandAll bool
	// workDir shortens paths in tool summaries.
	workDir string

	flat  []string
	owner []int
	plain []string
	dirty bool
}

func newConversation() *conversation {
	return &conversation{byTool: map[string]*entry{}, liveFrom: -1, dirty: true}
}

func (c *conversation) add(e *entry) *entry {
	e.dirty = true
	c.entries = append(c.entries, e)
	c.dirty = true
	return e
}

func (c *conversation) touch(e *entry) {
	e.dirty = true
	c.dirty = true
}

// invalidate re-renders every entry (width, theme or expand-all changed).
func (c *conversation) invalidate() {
	for _, e := range c.entries {
		e.dirty = true
	}
	c.dirty = true
}

func (c *conversation) last() *entry {
	if len(c.entries) == 0 {
		return nil
	}
	return c.entries[len(c.entries)-1]
}

func (c *conversation) addUser(text string) {
	c.add(&entry{kind: kindUser, text: text})
}

// dropLastExchange removes the last prompt and everything shown after it (a rewind).
func (c *conversation) dropLastExchange() {
	for i := len(c.entries) - 1; i >= 0; i-- {
		if c.entries[i].kind == kindUser {
			for _, e := range c.entries[i:] {
				for id, t := range c.byTool {
					if t == e {
						delete(c.byTool, id)
					}
				}
			}
			c.entries = c.entries[:i]
			c.dirty = true
			return
		}
	}
}

// appendDelta adds streamed text or thinking to the answer in progress.
func (c *conversation) appendDelta(kind entryKind, text string) {
	if c.liveFrom < 0 {
		c.liveFrom = len(c.entries)
	}
	if l := c.last(); l != nil && l.kind == kind && len(c.entries)-1 >= c.liveFrom {
		l.text += text
		c.touch(l)
		return
	}
	if kind == kindAssistant {
		text = strings.TrimLeft(text, "\n")
	}
	c.add(&entry{kind: kind, text: text})
}

// restart discards what was shown of an answer that is being requested again.
func (c *conversation) restart() {
	if c.liveFrom < 0 || c.liveFrom > len(c.entries) {
		return
	}
	kept := c.entries[:c.liveFrom]
	for _, e := range c.entries[c.liveFrom:] {
		if e.kind != kindAssistant && e.kind != kindThinking {
			kept = append(kept, e)
		}
	}
	c.entries = kept
	c.dirty = true
}

// answer completes the answer in progress with the whole message: text that did not stream
// (a resumed session, a restart) is filled in, and its tool calls are listed as queued.
func (c *conversation) answer(resp *anthropic.Response) {
	if c.liveFrom < 0 {
		c.liveFrom = len(c.entries)
	}
	var streamed strings.Builder
	for _, e := range c.entries[min(c.liveFrom, len(c.entries)):] {
		if e.kind == kindAssistant {
			streamed.WriteString(e.text)
		}
	}
	text := strings.TrimSpace(anthropic.PlainText(textBlocks(resp.Content)))
	if strings.TrimSpace(streamed.String()) == "" && text != "" {
		c.add(&entry{kind: kindAssistant, text: text})
	}
	for _, b := range resp.Content {
		if b.Type == anthropic.BlockToolUse {
			c.queueTool(b.ID, b.Name, b.Input)
		}
	}
	c.liveFrom = -1
}

func textBlocks(blocks []anthropic.Block) []anthropic.Block {
	var out []anthropic.Block
	for _, b := range blocks {
		if b.Type == anthropic.BlockText {
			out = append(out, b)
		}
	}
	return out
}

func (c *conversation) queueTool(id, name string, input json.RawMessage) *entry {
	if e, ok := c.byTool[id]; ok {
		return e
	}
	summary, detail := describeCall(name, input, c.workDir)
	e := c.add(&entry{kind: kindTool, tool: &toolState{id: id, name: name, summary: summary, detail: detail, input: input}})
	c.byTool[id] = e
	return e
}

// toolEvent updates a call from EventToolStart or EventToolEnd.
func (c *conversation) toolEvent(call *agent.ToolCall, end bool) {
	e := c.queueTool(call.ID, call.Name, call.Input)
	ts := e.tool
	switch {
	case call.Name == "Bash" && call.Target.Command != "":
		// The tool's summary is the model's description; the line shows what runs.
		ts.summary = bashSummary(call.Target.Command)
	case call.Name != "Bash" && call.Target.Summary != "":
		ts.summary = call.Target.Summary
	}
	ts.status = toolRunning
	if end {
		ts.status, ts.live = toolDone, ""
		if r := call.Result; r != nil {
			ts.resultSummary, ts.output, ts.diff = r.Summary, r.Text(), r.Diff
			if r.IsError {
				ts.status = toolFailed
			}
		}
		if call.Denied {
			ts.status = toolDenied
		}
	}
	c.touch(e)
}

// toolProgress shows the latest output of a running call.
func (c *conversation) toolProgress(id, text string) {
	e, ok := c.byTool[id]
	if !ok || e.tool.status != toolRunning {
		return
	}
	e.tool.live = text
	c.touch(e)
}

// unranResults shows the results of calls that never started: bad input, an unknown tool,
// calls skipped after a refusal or an interruption. The agent reports those only with the
// answer's results, so without this they would look interrupted.
func (c *conversation) unranResults(blocks []anthropic.Block) {
	for _, b := range blocks {
		e, ok := c.byTool[b.ToolUseID]
		if b.Type != anthropic.BlockToolResult || !ok || e.tool.status >= toolDone {
			continue
		}
		e.tool.setResult(b)
		c.touch(e)
	}
}

// setResult takes a call's outcome from its tool_result block.
func (ts *toolState) setResult(b anthropic.Block) {
	ts.output = anthropic.PlainText(b.Content)
	ts.status, ts.resultSummary = toolDone, firstLine(ts.output)
	if b.IsError {
		ts.status = toolFailed
	}
}

// finishRun marks calls that never ran (an interrupted run) as failed, so no spinner is
// left turning.
func (c *conversation) finishRun() {
	for _, e := range c.entries {
		if e.kind == kindTool && (e.tool.status == toolQueued || e.tool.status == toolRunning) {
			e.tool.status = toolFailed
			if e.tool.resultSummary == "" {
				e.tool.resultSummary = "not run: interrupted"
			}
			c.touch(e)
		}
	}
	c.liveFrom = -1
}

func (c *conversation) notice(lv level, text string) {
	c.add(&entry{kind: kindNotice, level: lv, text: text})
}

func (c *conversation) output(title, text string, lv level) {
	c.add(&entry{kind: kindOutput, title: title, text: text, level: lv})
}

// touchRunning re-renders the entries that animate (spinners).
func (c *conversation) touchRunning() {
	for _, e := range c.entries {
		if e.kind == kindTool && e.tool.status == toolRunning {
			c.touch(e)
		}
	}
}

// firstLine is the index of entry i's first line among the flat lines of the last render.
func (c *conversation) firstLine(i int) int {
	for j, o := range c.owner {
		if o == i {
			if i > 0 {
				return j + 1 // the blank line between entries belongs to the later one
			}
			return j
		}
	}
	return len(c.owner)
}

// toggle expands or collapses the entry that owns flat line i.
func (c *conversation) toggle(i int) bool {
	if i < 0 || i >= len(c.owner) {
		return false
	}
	e := c.entries[c.owner[i]]
	switch e.kind {
	case kindTool, kindThinking, kindShell, kindOutput:
		e.open = !e.open
		c.touch(e)
		return true
	}
	return false
}
