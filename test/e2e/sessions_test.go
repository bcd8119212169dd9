package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// TestSessionsListsTitleTurnsCostAndAge: ganban sessions shows every session of the directory,
// newest first, each with its title, the prompts it has had, what it cost and its age.
func TestSessionsListsTitleTurnsCostAndAge(t *testing.T) {
	w := printWorld(t, `{"conversations": [
	  {"match_first_user_text": "remember", "steps": [
	    {"reply": {"content": [{"type": "text", "text": "noted"}]}},
	    {"expect": {"last_user_text_contains": "recall"}, "reply": {"content": [{"type": "text", "text": "42"}]}}]},
	  {"match_first_user_text": "list", "steps": [
	    {"reply": {"content": [{"type": "tool_use", "name": "LS", "input": {"path": "{{cwd}}"}}]}},
	    {"reply": {"content": [{"type": "text", "text": "one file"}]}}]}],
	 "fallback_reply": {"content": [{"type": "text", "text": "Scripted title"}]}}`)
	if r := w.ganban("sessions"); r.Code != 0 || !strings.Contains(r.Stdout, "No sessions in this directory yet.") {
		t.Errorf("before any session: exit %d %q", r.Code, r.Stdout)
	}
	var older, newer []map[string]any
	older = append(older, w.ganban("-p", "remember 42", "--output-format", "json").JSON(t))
	older = append(older, w.ganban("-p", "-c", "recall it", "--output-format", "json").JSON(t))
	newer = append(newer, w.ganban("-p", "list the files", "--output-format", "json").JSON(t))
	if older[0]["session_id"] != older[1]["session_id"] || older[0]["session_id"] == newer[0]["session_id"] {
		t.Fatalf("sessions: %v %v %v", older[0]["session_id"], older[1]["session_id"], newer[0]["session_id"])
	}
	r := w.ganban("sessions")
	defer w.dumpOnFailure(r)
	lines := strings.Split(strings.TrimSpace(r.Stdout), "\n")
	if r.Code != 0 || len(lines) != 3 {
		t.Fatalf("exit %d:\n%s", r.Code, r.Stdout)
	}
	cols := regexp.MustCompile(`\s{2,}`)
	if got := strings.Join(cols.Split(strings.TrimSpace(lines[0]), -1), "|"); got != "ID|TITLE|TURNS|COST|AGE" {
		t.Errorf("header %q", got)
	}
	cost := func(runs []map[string]any) string {
		sum := 0.0
		for _, r := range runs {
			sum += r["total_cost_usd"].(float64)
		}
		return fmt.Sprintf("$%.4f", sum)
	}
	for i, want := range [][]string{
		{newer[0]["session_id"].(string), "Scripted title", "1", cost(newer), "just now"},
		{older[0]["session_id"].(string), "Scripted title", "2", cost(older), "just now"},
	} {
		if got := cols.Split(strings.TrimSpace(lines[i+1]), -1); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("row %d = %q, want %q", i+1, got, want)
		}
	}
}
