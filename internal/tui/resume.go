package tui

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"ganban/internal/anthropic"
	"ganban/internal/session"
)

// loadTranscript shows a resumed session as it happened: prompts, answers, tool calls with
// their results, compactions and notices, followed by a line saying it was resumed.
func (c *conversation) loadTranscript(t *session.Transcript, workDir string) {
	c.workDir = workDir
	for _, e := range t.Entries {
		switch e.Type {
		case session.TypeUser:
			if e.Message == nil {
				continue
			}
			if e.ToolUseResult {
				c.loadResults(e.Message.Content)
				continue
			}
			if text := strings.TrimSpace(anthropic.PlainText(e.Message.Content)); text != "" {
				c.addUser(text)
			}
		case session.TypeAssistant:
			if e.Message == nil {
				continue
			}
			for _, b := range e.Message.Content {
				switch b.Type {
				case anthropic.BlockText:
					if strings.TrimSpace(b.Text) != "" {
						c.add(&entry{kind: kindAssistant, text: strings.TrimSpace(b.Text)})
					}
				case anthropic.BlockThinking:
					if b.Thinking != "" {
						c.add(&entry{kind: kindThinking, text: b.Thinking})
					}
				case anthropic.BlockToolUse:
					c.queueTool(b.ID, b.Name, b.Input)
				}
			}
		case session.TypeSystem:
			switch e.Subtype {
			case session.SubtypeCompact:
				c.output("Conversation compacted", e.Content, levelInfo)
			case session.SubtypeNotice:
				c.notice(levelInfo, e.Content)
			}
		}
	}
	// Calls on disk without a result were repaired as interrupted; mark any left over.
	c.finishRun()
	title := t.Title
	if title == "" {
		title = t.ID
	}
	c.notice(levelInfo, fmt.Sprintf("Resumed %q: %d prompts so far, $%.4f. Continue below.", title, t.Turns, t.CostUSD))
}

// loadResults fills in the calls of a resumed answer. Edits get their diffs back, rebuilt
// from what the transcript keeps: the call's input and the tool's answer.
func (c *conversation) loadResults(blocks []anthropic.Block) {
	for _, b := range blocks {
		e, ok := c.byTool[b.ToolUseID]
		if b.Type != anthropic.BlockToolResult || !ok {
			continue
		}
		ts := e.tool
		ts.setResult(b)
		c.touch(e)
		if b.IsError {
			continue
		}
		if diff, summary, ok := resumedEdit(ts.name, ts.input, ts.output, c.workDir); ok {
			ts.diff, ts.resultSummary = diff, summary
			continue
		}
		ts.resultSummary = fmt.Sprintf("done (%d lines of output)", strings.Count(strings.TrimRight(ts.output, "\n"), "\n")+1)
	}
}

// contextUsed is the context the session's last answer used, as its usage reports it:
// what the status line shows before the next answer. A compaction makes it unknown.
func contextUsed(t *session.Transcript) int64 {
	var used int64
	for _, e := range t.Entries {
		switch {
		case e.Type == session.TypeAssistant && e.Message != nil && e.Message.Usage != nil:
			u := e.Message.Usage
			used = u.InputTokens + u.CacheReadInputTokens + u.CacheCreationInputTokens + u.OutputTokens
		case e.Type == session.TypeSystem && e.Subtype == session.SubtypeCompact:
			used = 0
		}
	}
	return used
}

// describeCall is a call's line in the conversation and its dimmed detail, from the call's
// input alone, so that a call reads the same live and read back from a transcript (the
// tool's own Target needs the files as they were). A Bash line is the command itself, with
// the model's description of it as the detail.
func describeCall(name string, input json.RawMessage, workDir string) (summary, detail string) {
	var in map[string]any
	_ = json.Unmarshal(input, &in)
	str := func(k string) string { s, _ := in[k].(string); return s }
	rel := func(p string) string { return relPath(p, workDir) }
	switch name {
	case "Bash":
		return bashSummary(str("command")), firstLine(str("description"))
	case "Read", "Write", "Edit", "MultiEdit":
		return name + " " + rel(str("file_path")), ""
	case "Glob", "Grep":
		return fmt.Sprintf("%s %q", name, str("pattern")), ""
	case "LS":
		return "List " + rel(str("path")), ""
	case "WebFetch":
		return "Fetch " + str("url"), ""
	case "TodoWrite":
		return "Update todos", ""
	}
	return name, ""
}

// bashSummary is a Bash call's line: the command's first line, marked when more follow.
func bashSummary(command string) string {
	command = strings.TrimSpace(command)
	s := "Bash: " + firstLine(command)
	if strings.Contains(command, "\n") {
		s += " …"
	}
	return s
}

// relPath shows p relative to workDir when it is inside it, as the tools name files.
func relPath(p, workDir string) string {
	if workDir != "" {
		if r, err := filepath.Rel(workDir, p); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
	}
	return p
}
