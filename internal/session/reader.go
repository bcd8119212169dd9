package session

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"ganban/internal/anthropic"
)

// Transcript is a session read back from disk.
type Transcript struct {
	ID, Path string
	Entries  []Entry
	// Messages is the conversation to continue: from the last compaction summary on.
	Messages []anthropic.Message
	Title    string
	LastUUID string
	CostUSD  float64
	// Turns counts the user prompts (not tool results).
	Turns   int
	Model   string
	Updated time.Time
	// Skipped counts lines that could not be read (a crash mid-write, an edit by hand).
	Skipped int
}

// maxLine bounds one transcript line; a tool result with a large file is big but not this big.
const maxLine = 64 << 20

// Read loads a transcript. Unreadable lines are skipped and counted, never fatal: a session
// must survive whatever happened to its file.
func Read(path string) (*Transcript, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open session: %w", err)
	}
	defer f.Close()
	t := &Transcript{Path: path, ID: strings.TrimSuffix(filepath.Base(path), ".jsonl")}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	for sc.Scan() {
		var e Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Type == "" {
			t.Skipped++
			continue
		}
		t.add(e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read session %s: %w", path, err)
	}
	return t, nil
}

func (t *Transcript) add(e Entry) {
	t.Entries = append(t.Entries, e)
	if !e.Timestamp.IsZero() {
		t.Updated = e.Timestamp
	}
	switch e.Type {
	case TypeSummary:
		t.Title = e.Summary
	case TypeSystem:
		switch e.Subtype {
		case SubtypeCompact:
			t.Messages = []anthropic.Message{{Role: anthropic.RoleUser, Content: []anthropic.Block{anthropic.Text(CompactPreamble + e.Content)}}}
			t.LastUUID = e.UUID
		case SubtypeRewind:
			if keep, err := strconv.Atoi(e.Content); err == nil && keep >= 0 && keep <= len(t.Messages) {
				t.Messages = t.Messages[:keep]
				t.LastUUID = e.UUID
			}
		case SubtypeRequest:
			t.CostUSD += e.CostUSD
		}
	case TypeUser, TypeAssistant:
		if e.Message == nil {
			return
		}
		t.LastUUID = e.UUID
		t.CostUSD += e.CostUSD
		if e.Type == TypeUser && !e.ToolUseResult {
			t.Turns++
		}
		if e.Type == TypeAssistant && e.Message.Model != "" {
			t.Model = e.Message.Model
		}
		t.appendMessage(e.Message.AsMessage())
	}
}

// appendMessage adds a message, merging it into the previous one when both have the same
// role (a compaction summary followed by the next prompt, a retried prompt).
func (t *Transcript) appendMessage(m anthropic.Message) {
	if n := len(t.Messages); n > 0 && t.Messages[n-1].Role == m.Role {
		t.Messages[n-1].Content = append(t.Messages[n-1].Content, m.Content...)
		return
	}
	t.Messages = append(t.Messages, m)
}

// CompactPreamble opens the user message that replaces a compacted conversation.
const CompactPreamble = "This session continues an earlier conversation that was compacted. Summary of it:\n\n"

// InterruptedResult is the tool result recorded for a call that was on disk when the session
// stopped but has no result: it may or may not have run, and it is never run again by itself.
const InterruptedResult = "Interrupted: the session stopped while this tool call was running or about to run. It may have run; check its effects before running it again."

// Unanswered lists the tool calls of the last assistant message that have no result.
func (t *Transcript) Unanswered() []anthropic.Block {
	n := len(t.Messages)
	if n == 0 || t.Messages[n-1].Role != anthropic.RoleAssistant {
		return nil
	}
	var out []anthropic.Block
	for _, b := range t.Messages[n-1].Content {
		if b.Type == anthropic.BlockToolUse {
			out = append(out, b)
		}
	}
	return out
}

// Summary is a session in a listing.
type Summary struct {
	ID, Path, Title string
	Turns           int
	CostUSD         float64
	Updated         time.Time
}

// List returns the sessions of a project directory, most recent first.
func List(dir string) ([]Summary, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, err
	}
	idx := loadIndex(dir)
	out := make([]Summary, 0, len(matches))
	for _, p := range matches {
		s, ok := idx.summary(p)
		if !ok {
			continue
		}
		out = append(out, s)
	}
	idx.save()
	sort.Slice(out, func(i, j int) bool { return out[i].Updated.After(out[j].Updated) })
	return out, nil
}

// ErrNoSession is returned when there is no session to continue or resume.
var ErrNoSession = errors.New("no session found")

// Find locates a session by id (or unique id prefix) in dir; "" finds the most recent.
func Find(dir, id string) (string, error) {
	if id == "" {
		all, err := List(dir)
		if err != nil || len(all) == 0 {
			return "", fmt.Errorf("%w in %s: start one with ganban, then continue it with -c", ErrNoSession, dir)
		}
		return all[0].Path, nil
	}
	exact, err := fileName(dir, id)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(exact); err == nil {
		return exact, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	matches, _ := filepath.Glob(filepath.Join(dir, id+"*.jsonl"))
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return "", fmt.Errorf("%w: %s (ganban sessions lists them)", ErrNoSession, id)
	}
	return "", fmt.Errorf("session id %s is ambiguous: %d sessions start with it", id, len(matches))
}

// Repair gives every tool call left without a result an InterruptedResult, in the transcript
// on disk and in t.Messages, so the conversation is valid again and nothing runs twice.
func (t *Transcript) Repair(w *Writer) error {
	calls := t.Unanswered()
	if len(calls) == 0 {
		return nil
	}
	results := make([]anthropic.Block, len(calls))
	for i, c := range calls {
		results[i] = anthropic.ToolResult(c.ID, InterruptedResult, true)
	}
	msg := anthropic.Message{Role: anthropic.RoleUser, Content: results}
	if err := w.User(msg, true); err != nil {
		return err
	}
	t.appendMessage(msg)
	return nil
}
