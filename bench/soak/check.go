package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	transcript "ganban/internal/session"
)

// result kinds of a tool call, as its transcript records them.
const (
	resOK          = "ok"
	resError       = "error"
	resInterrupted = "interrupted"
)

// findings is what checking sessions found.
type findings struct {
	violations  []string
	interrupted int // calls reported "interrupted, may have run"
	ranAnyway   int // of those, how many had run
	toolCalls   int
	badLines    int
}

func (f *findings) violate(s *session, format string, args ...any) {
	f.violations = append(f.violations, fmt.Sprintf("session %03d: ", s.n)+fmt.Sprintf(format, args...))
}

type block struct {
	Type      string          `json:"type"`
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Input     json.RawMessage `json:"input"`
	ToolUseID string          `json:"tool_use_id"`
	Content   json.RawMessage `json:"content"`
	IsError   bool            `json:"is_error"`
}

type entry struct {
	Type    string `json:"type"`
	Message *struct {
		Role    string  `json:"role"`
		Content []block `json:"content"`
	} `json:"message"`
}

// check validates a finished session: every transcript line is JSON, every tool_use is
// answered by exactly one tool_result before the next answer and every tool_result answers
// one; and each step's trace is on disk as often as the transcript says it ran: once when it
// succeeded, never twice, at most once when it was interrupted.
func check(s *session, f *findings) {
	results := map[string][]string{} // step key -> results of its calls
	for _, p := range transcripts(s) {
		checkTranscript(s, p, results, f)
	}
	ledger := readString(filepath.Join(s.repo, "ledger.txt"))
	notes := readString(filepath.Join(s.repo, "notes.md"))
	for k := 0; k < s.steps; k++ {
		key := stepKey(s, k)
		rs := results[key]
		if len(rs) == 0 {
			f.violate(s, "step %d (%s) has no tool call in the transcript", k, key)
			continue
		}
		var done int
		switch k % stepKinds {
		case stepRead:
			continue
		case stepLedger, stepSlowLedger:
			done = countLines(ledger, s.marker(k))
		case stepEdit:
			done = countLines(notes, s.marker(k))
		case stepWrite:
			data, err := os.ReadFile(s.outFile(k))
			if err == nil {
				done = 1
				if string(data) != s.marker(k)+"\n" {
					f.violate(s, "step %d wrote %q", k, data)
				}
			}
		}
		judge(s, k, key, rs, done, f)
	}
}

// judge compares how often a step's effect is on disk with what its calls reported.
func judge(s *session, k int, key string, rs []string, done int, f *findings) {
	ok, errs, intr := 0, 0, 0
	for _, r := range rs {
		switch r {
		case resOK:
			ok++
		case resError:
			errs++
		case resInterrupted:
			intr++
		}
	}
	f.interrupted += intr
	if intr > 0 && done > 0 && ok == 0 {
		f.ranAnyway++
	}
	switch {
	case done > 1:
		f.violate(s, "step %d (%s) took effect %d times (results %v)", k, key, done, rs)
	case ok > 1:
		f.violate(s, "step %d (%s) reported success %d times", k, key, ok)
	case ok == 1 && done == 0:
		f.violate(s, "step %d (%s) reported success but its effect is missing", k, key)
	case ok == 0 && intr == 0 && done > 0:
		f.violate(s, "step %d (%s) failed (%v) but took effect", k, key, rs)
	}
}

// stepKey identifies the calls of step k in a transcript by what they do.
func stepKey(s *session, k int) string {
	st := s.stepOf(k).Content[0]
	var in map[string]any
	_ = json.Unmarshal(st.Input, &in)
	switch st.Name {
	case "Bash":
		return "Bash " + fmt.Sprint(in["command"])
	case "Edit":
		return "Edit " + fmt.Sprint(in["new_string"])
	case "Write", "Read":
		return st.Name + " " + fmt.Sprint(in["file_path"])
	}
	return fmt.Sprintf("%s step %d", st.Name, k)
}

func callKey(b block) string {
	var in map[string]any
	_ = json.Unmarshal(b.Input, &in)
	switch b.Name {
	case "Bash":
		return "Bash " + fmt.Sprint(in["command"])
	case "Edit":
		return "Edit " + fmt.Sprint(in["new_string"])
	case "Write", "Read":
		return b.Name + " " + fmt.Sprint(in["file_path"])
	}
	return b.Name + " " + string(b.Input)
}

func checkTranscript(s *session, path string, results map[string][]string, f *findings) {
	data, err := os.ReadFile(path)
	if err != nil {
		f.violate(s, "read %s: %v", path, err)
		return
	}
	pending := map[string]block{}
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		var e entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Type == "" {
			f.badLines++
			f.violate(s, "%s line %d is not a transcript entry: %.80q", filepath.Base(path), line, sc.Text())
			continue
		}
		if e.Message == nil || (e.Type != "user" && e.Type != "assistant") {
			continue
		}
		for _, b := range e.Message.Content {
			switch {
			case e.Type == "assistant" && b.Type == "tool_use":
				if seen[b.ID] {
					f.violate(s, "%s line %d: tool_use id %s used twice", filepath.Base(path), line, b.ID)
				}
				seen[b.ID] = true
				pending[b.ID] = b
				f.toolCalls++
			case e.Type == "user" && b.Type == "tool_result":
				call, ok := pending[b.ToolUseID]
				if !ok {
					f.violate(s, "%s line %d: tool_result for %s, which no pending tool_use has", filepath.Base(path), line, b.ToolUseID)
					continue
				}
				delete(pending, b.ToolUseID)
				results[callKey(call)] = append(results[callKey(call)], resultKind(b))
			}
		}
		if e.Type == "assistant" && len(pending) > 0 && hasToolUseBefore(e, pending) {
			f.violate(s, "%s line %d: an answer follows tool calls that have no result", filepath.Base(path), line)
		}
	}
	if len(pending) > 0 {
		f.violate(s, "%s ends with %d tool calls without a result", filepath.Base(path), len(pending))
	}
}

// hasToolUseBefore reports whether some pending call came from an earlier entry than e.
func hasToolUseBefore(e entry, pending map[string]block) bool {
	own := map[string]bool{}
	for _, b := range e.Message.Content {
		own[b.ID] = true
	}
	for id := range pending {
		if !own[id] {
			return true
		}
	}
	return false
}

func resultKind(b block) string {
	text := string(b.Content)
	var blocks []struct {
		Text string `json:"text"`
	}
	if json.Unmarshal(b.Content, &blocks) == nil {
		var parts []string
		for _, x := range blocks {
			parts = append(parts, x.Text)
		}
		text = strings.Join(parts, "\n")
	}
	switch {
	case strings.Contains(text, transcript.InterruptedResult):
		return resInterrupted
	case b.IsError:
		return resError
	}
	return resOK
}

func countLines(text, line string) int {
	n := 0
	for _, l := range strings.Split(text, "\n") {
		if l == line {
			n++
		}
	}
	return n
}
