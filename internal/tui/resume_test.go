package tui

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ganban/internal/anthropic"
	"ganban/internal/tools"
)

// TestResumedEditsKeepTheirDiffs runs the real Write, Edit and MultiEdit tools, then reads
// their calls back as a transcript would hold them: the diff and the result line must be
// the ones shown live.
func TestResumedEditsKeepTheirDiffs(t *testing.T) {
	dir := t.TempDir()
	var lines []string
	for i := 1; i <= 30; i++ {
		lines = append(lines, "line "+itoa(i))
	}
	path := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := tools.NewEnv(dir, []string{})
	call := func(name string, input any) (json.RawMessage, tools.Result) {
		t.Helper()
		tool, _ := tools.Lookup(tools.Default(), name)
		raw, _ := json.Marshal(input)
		res := tool.Run(context.Background(), env, raw)
		if res.IsError {
			t.Fatalf("%s: %s", name, anthropic.PlainText(res.Content))
		}
		return raw, res
	}
	call("Read", map[string]any{"file_path": path})
	tests := []struct {
		name  string
		input any
		exact bool // the resumed diff is the live one, line numbers and all
	}{
		{"Edit", map[string]any{"file_path": path, "old_string": "line 15\nline 16", "new_string": "line fifteen\nline sixteen\nline 16.5"}, true},
		{"Edit", map[string]any{"file_path": path, "old_string": "line 2\n", "new_string": "line two\n"}, true},
		{"MultiEdit", map[string]any{"file_path": path, "edits": []map[string]any{
			{"old_string": "line 20", "new_string": "line twenty"}, {"old_string": "line 29", "new_string": "line twenty-nine"}}}, false},
		{"Write", map[string]any{"file_path": filepath.Join(dir, "new.txt"), "content": "a\nb\n"}, true},
	}
	hunk := regexp.MustCompile(`(?m)^@@.*$`)
	for _, tt := range tests {
		raw, res := call(tt.name, tt.input)
		diff, summary, ok := resumedEdit(tt.name, raw, anthropic.PlainText(res.Content), dir)
		if !ok {
			t.Fatalf("%s: no diff rebuilt", tt.name)
		}
		if summary != res.Summary {
			t.Errorf("%s: resumed summary %q, live %q", tt.name, summary, res.Summary)
		}
		want := res.Diff
		if !tt.exact {
			// Without a snippet the hunks cannot be placed: compare the changed lines.
			want, diff = hunk.ReplaceAllString(want, "@@"), hunk.ReplaceAllString(diff, "@@")
			want, diff = changedLines(want), changedLines(diff)
		}
		if diff != want {
			t.Errorf("%s: resumed diff\n%s\nlive diff\n%s", tt.name, diff, want)
		}
	}
}

func changedLines(diff string) string {
	var out []string
	for _, l := range strings.Split(diff, "\n") {
		if (strings.HasPrefix(l, "+") || strings.HasPrefix(l, "-")) && !strings.HasPrefix(l, "+++") && !strings.HasPrefix(l, "---") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestResumeShowsDiffAndContext resumes a real session with /resume: the edit shows its
// diff, and the status line the context the last answer used.
func TestResumeShowsDiffAndContext(t *testing.T) {
	lm := newLiveModel(t, liveConfig{scenario: renameScenario})
	lm.rename()
	ctx := regexp.MustCompile(`ctx \d+%`).FindString(lastLine(lm.screen()))
	if ctx == "" || ctx == "ctx 0%" {
		t.Fatalf("no context use after an answer: %q", lastLine(lm.screen()))
	}
	lm.run(lm.slash("/clear"))
	if s := lm.screen(); strings.Contains(s, "Renamed the function.") || !strings.Contains(lastLine(s), "ctx 0%") {
		t.Fatalf("/clear kept the conversation:\n%s", s)
	}
	lm.run(lm.slash("/resume"))
	lm.waitFor("Resume a session")
	lm.run(lm.key(keyMsg("enter")))
	s := lm.waitFor("Resumed")
	for _, want := range []string{"please rename old", "Edited main.go (+1 -1)", "-func old() {}", "+func renamed() {}"} {
		if !strings.Contains(s, want) {
			t.Errorf("the resumed session lacks %q:\n%s", want, s)
		}
	}
	if got := regexp.MustCompile(`ctx \d+%`).FindString(lastLine(s)); got != ctx {
		t.Errorf("resumed status line shows %q, the session had %q", got, ctx)
	}
}

func lastLine(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	return lines[len(lines)-1]
}
