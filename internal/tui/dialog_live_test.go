package tui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAlwaysAllowWritesTheRule: the dialog's third option saves the rule it names, relative
// to the project, in its .claude/settings.local.json, where the next session finds it.
func TestAlwaysAllowWritesTheRule(t *testing.T) {
	lm := newLiveModel(t, liveConfig{scenario: renameScenario})
	if err := os.WriteFile(filepath.Join(lm.dir, "main.go"), []byte("package main\n\nfunc old() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := lm.submit("please rename old", "Make this change?")
	rule := lm.dialog.ask.q.Suggest.String()
	if rule != "Edit(./**)" {
		t.Errorf("the rule offered for main.go in the working directory is %s, want Edit(./**): a rule written relative to the project still holds when it moves", rule)
	}
	if !strings.Contains(s, "3. Yes, and always allow "+rule[:10]) {
		t.Fatalf("the dialog does not offer to save %s:\n%s", rule, s)
	}
	lm.advance(answerGuard)
	lm.keys("3")
	lm.waitFor("Renamed the function.", "+func renamed() {}")
	lm.idle()
	data, err := os.ReadFile(filepath.Join(lm.dir, ".claude", "settings.local.json"))
	if err != nil {
		t.Fatalf("always allow wrote no settings file: %v", err)
	}
	var f struct {
		Permissions struct{ Allow []string } `json:"permissions"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("settings.local.json: %v\n%s", err, data)
	}
	if len(f.Permissions.Allow) != 1 || f.Permissions.Allow[0] != rule {
		t.Errorf("permissions.allow = %q, want [%q]", f.Permissions.Allow, rule)
	}
	lm.submit("/permissions", "allow  "+rule)
}

// TestDenyReasonReachesTheModel: the reason typed after "No" is in the tool result the
// model reads, and the file is left alone.
func TestDenyReasonReachesTheModel(t *testing.T) {
	lm := newLiveModel(t, liveConfig{scenario: `{"conversations": [{"match_first_user_text": "rename", "steps": [
  {"reply": {"content": [{"type": "tool_use", "name": "Read", "input": {"file_path": "{{cwd}}/main.go"}}]}},
  {"reply": {"content": [{"type": "tool_use", "name": "Edit", "input": {"file_path": "{{cwd}}/main.go", "old_string": "func old()", "new_string": "func renamed()"}}]}},
  {"expect": {"last_tool_result_is_error": true, "last_tool_result_contains": "keep the old name"},
   "reply": {"content": [{"type": "text", "text": "Keeping the old name."}]}}]}],
 "fallback_reply": {"content": [{"type": "text", "text": "unexpected request"}]}}`})
	main := filepath.Join(lm.dir, "main.go")
	if err := os.WriteFile(main, []byte("package main\n\nfunc old() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	lm.submit("please rename old", "Make this change?")
	lm.advance(answerGuard)
	lm.keys("4")
	lm.typeText("keep the old name")
	lm.keys("enter")
	lm.waitFor("Keeping the old name.")
	lm.idle()
	if f := lm.sim.Report().ExpectationFailures; len(f) > 0 {
		t.Errorf("the model did not get the reason: %+v", f)
	}
	if data, _ := os.ReadFile(main); string(data) != "package main\n\nfunc old() {}\n" {
		t.Errorf("a denied edit changed main.go: %q", data)
	}
}

// TestEscStopsTheRunningTool: Esc while a command runs stops the command, not only the
// answer, and what was said before stays.
func TestEscStopsTheRunningTool(t *testing.T) {
	lm := newLiveModel(t, liveConfig{scenario: `{"conversations": [{"match_first_user_text": "wait", "steps": [
  {"reply": {"content": [{"type": "text", "text": "Waiting a while."},
    {"type": "tool_use", "name": "Bash", "input": {"command": "sleep 30 && touch finished", "description": "Wait"}}]}}]}],
 "fallback_reply": {"content": [{"type": "text", "text": "unexpected request"}]}}`})
	lm.submit("please wait", "Run this command?")
	lm.advance(answerGuard)
	lm.keys("enter")
	lm.waitFor("Bash: sleep 30 && touch finished")
	for deadline := time.Now().Add(10 * time.Second); lm.conv.last() == nil || lm.conv.last().tool == nil || lm.conv.last().tool.status != toolRunning; {
		if time.Now().After(deadline) {
			t.Fatalf("the command never ran:\n%s", lm.screen())
		}
		lm.drain(20 * time.Millisecond)
	}
	start := time.Now()
	lm.keys("esc")
	lm.idle()
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the command ran on for %s after Esc", d)
	}
	s := lm.screen()
	if !strings.Contains(s, "Waiting a while.") || !strings.Contains(s, "Interrupted.") {
		t.Errorf("after Esc:\n%s", s)
	}
	if _, err := os.Stat(filepath.Join(lm.dir, "finished")); err == nil {
		t.Error("the command finished despite Esc")
	}
}
