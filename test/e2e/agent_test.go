package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"ganban/internal/testenv"
)

// TestReadGrepEditBash runs a session that searches, reads, edits and tests code in a repo.
func TestReadGrepEditBash(t *testing.T) {
	w := newWorld(t, worldOpts{scenario: `{"conversations": [{"match_first_user_text": "fix the greeting", "steps": [
	  {"reply": {"content": [{"type": "tool_use", "name": "Grep", "input": {"pattern": "Helo", "path": "{{cwd}}", "output_mode": "content", "-n": true}}]}},
	  {"expect": {"last_tool_result_contains": "greet.go:3"}, "reply": {"content": [{"type": "tool_use", "name": "Read", "input": {"file_path": "{{cwd}}/greet.go"}}]}},
	  {"reply": {"content": [{"type": "tool_use", "name": "Edit", "input": {"file_path": "{{cwd}}/greet.go", "old_string": "Helo", "new_string": "Hello"}}]}},
	  {"expect": {"last_tool_result_is_error": false}, "reply": {"content": [{"type": "tool_use", "name": "Bash", "input": {"command": "grep -c Hello greet.go", "description": "check"}}]}},
	  {"expect": {"last_tool_result_contains": "1"}, "reply": {"content": [{"type": "text", "text": "Fixed the typo."}]}}]}]}`})
	w.keys()
	w.env["ANTHROPIC_MODEL"] = sonnet45
	w.write(filepath.Join(w.Repo, "greet.go"), "package main\n\nconst greeting = \"Helo\"\n")
	r := w.ganban("-p", "fix the greeting typo", "--allowedTools", "Edit", "--allowedTools", "Bash(grep:*)")
	defer w.dumpOnFailure(r)
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != "Fixed the typo." {
		t.Fatalf("exit %d stdout %q", r.Code, r.Stdout)
	}
	data, _ := os.ReadFile(filepath.Join(w.Repo, "greet.go"))
	if !strings.Contains(string(data), `"Hello"`) {
		t.Errorf("greet.go = %s", data)
	}
	if rep := w.Sim.Report(); len(rep.ExpectationFailures) > 0 || rep.StepsServed < 5 {
		t.Errorf("report: %+v", rep)
	}
}

// TestPermissionModesAndRules: one edit (and one command) per mode and rule kind, in print
// mode, where whatever would ask is denied with a message to the model.
func TestPermissionModesAndRules(t *testing.T) {
	scenario := `{"conversations": [{"match_first_user_text": "change", "steps": [
	  {"reply": {"content": [{"type": "tool_use", "name": "Read", "input": {"file_path": "{{cwd}}/a.txt"}}]}},
	  {"reply": {"content": [{"type": "tool_use", "name": "Edit", "input": {"file_path": "{{cwd}}/a.txt", "old_string": "one", "new_string": "two"}}]}},
	  {"reply": {"content": [{"type": "tool_use", "name": "Bash", "input": {"command": "echo ran > ran.txt", "description": "mark"}}]}},
	  {"reply": {"content": [{"type": "text", "text": "finished"}]}}]}]}`
	cases := []struct {
		name          string
		args          []string
		settings      string
		edited, ran   bool
		denialsAtMost int
		denialHint    string
	}{
		{name: "default mode denies in print mode", edited: false, ran: false, denialHint: "--allowedTools"},
		{name: "acceptEdits", args: []string{"--permission-mode", "acceptEdits"}, edited: true, ran: false},
		{name: "plan mode is read-only", args: []string{"--permission-mode", "plan"}, edited: false, ran: false, denialHint: "plan"},
		{name: "bypassPermissions", args: []string{"--permission-mode", "bypassPermissions"}, edited: true, ran: true},
		{name: "allow rules from flags", args: []string{"--allowedTools", "Edit Bash(echo:*)"}, edited: true, ran: true},
		{name: "several values after one --allowedTools", args: []string{"--allowedTools", "Edit", "Bash(echo:*)"}, edited: true, ran: true},
		{name: "several values after one --disallowedTools", args: []string{"--permission-mode", "bypassPermissions", "--disallowedTools", "Edit", "Bash(echo:*)"}, edited: false, ran: false, denialHint: "--disallowedTools"},
		{name: "a command rule does not cover its redirection", args: []string{"--allowedTools", "Edit(a.txt) Bash(echo:*)"}, edited: true, ran: false},
		{name: "allow rules from settings", settings: `{"permissions": {"allow": ["Edit", "Bash(echo ran *)"]}}`, edited: true, ran: true},
		{name: "deny beats bypass", args: []string{"--permission-mode", "bypassPermissions"}, settings: `{"permissions": {"deny": ["Bash"]}}`, edited: true, ran: false, denialHint: "denied by rule"},
		{name: "deny rule on a path", args: []string{"--allowedTools", "Edit"}, settings: `{"permissions": {"deny": ["Edit(./a.txt)"]}}`, edited: false, ran: false},
		{name: "disallowedTools", args: []string{"--permission-mode", "acceptEdits", "--disallowedTools", "Edit"}, edited: false, ran: false},
		{name: "an ask rule denies in print mode", args: []string{"--allowedTools", "Edit", "Bash"}, settings: `{"permissions": {"ask": ["Bash(echo:*)"]}}`,
			edited: true, ran: false, denialHint: "Nobody can answer a permission question"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, worldOpts{scenario: scenario})
			w.keys()
			w.env["ANTHROPIC_MODEL"] = sonnet45
			w.write(filepath.Join(w.Repo, "a.txt"), "one\n")
			if tc.settings != "" {
				w.write(filepath.Join(w.Repo, ".claude", "settings.json"), tc.settings)
			}
			r := w.ganban(append([]string{"-p", "change a.txt", "--output-format", "json"}, tc.args...)...)
			defer w.dumpOnFailure(r)
			res := r.JSON(t)
			if r.Code != 0 || res["result"] != "finished" {
				t.Fatalf("exit %d result %v", r.Code, res)
			}
			data, _ := os.ReadFile(filepath.Join(w.Repo, "a.txt"))
			if got := strings.TrimSpace(string(data)) == "two"; got != tc.edited {
				t.Errorf("edited = %v, want %v", got, tc.edited)
			}
			if _, err := os.Stat(filepath.Join(w.Repo, "ran.txt")); (err == nil) != tc.ran {
				t.Errorf("command ran = %v, want %v", err == nil, tc.ran)
			}
			denials := res["permission_denials"].([]any)
			wantDenials := 0
			if !tc.edited {
				wantDenials++
			}
			if !tc.ran {
				wantDenials++
			}
			if len(denials) != wantDenials {
				t.Errorf("permission_denials = %v, want %d", denials, wantDenials)
			}
			if tc.denialHint != "" && !strings.Contains(readTranscripts(t, w), tc.denialHint) {
				t.Errorf("the model was not told %q", tc.denialHint)
			}
		})
	}
}

func readTranscripts(t *testing.T, w *world) string {
	var all []byte
	filepath.Walk(filepath.Join(w.Home, ".ganban"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".jsonl") {
			b, _ := os.ReadFile(p)
			all = append(all, b...)
		}
		return nil
	})
	return string(all)
}

// TestTruncatedWriteRecoveredAt4096: a Write too large for the guide's 4096-token budget is
// cut mid-input; ganban never runs it, asks again with 8192, and the file is whole (S20).
func TestTruncatedWriteRecoveredAt4096(t *testing.T) {
	content := strings.Repeat("line of generated content number 0123456789\n", 600) // about 6,600 tokens
	input, _ := json.Marshal(map[string]string{"file_path": "FILE", "content": content})
	scenario := `{"conversations": [{"match_first_user_text": "generate", "steps": [
	  {"reply": {"content": [{"type": "text", "text": "Writing it."}, {"type": "tool_use", "name": "Write", "input": ` + strings.Replace(string(input), "FILE", "{{cwd}}/big.txt", 1) + `}]}},
	  {"expect": {"last_tool_result_is_error": false}, "reply": {"content": [{"type": "text", "text": "Wrote big.txt."}]}}]}]}`
	w := newWorld(t, worldOpts{scenario: scenario})
	w.keys()
	w.env["ANTHROPIC_MODEL"] = sonnet45
	w.env["CLAUDE_CODE_MAX_OUTPUT_TOKENS"] = "4096"
	r := w.ganban("-p", "generate big.txt", "--allowedTools", "Write")
	defer w.dumpOnFailure(r)
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != "Wrote big.txt." {
		t.Fatalf("exit %d stdout %q", r.Code, r.Stdout)
	}
	data, _ := os.ReadFile(filepath.Join(w.Repo, "big.txt"))
	if string(data) != content {
		t.Errorf("big.txt has %d bytes, want %d", len(data), len(content))
	}
	if strings.Count(r.Stderr, "max_tokens") != 1 || !strings.Contains(r.Stderr, "asking again with 8192") {
		t.Errorf("stderr should say once that the answer was asked again:\n%s", r.Stderr)
	}
	var stops []string
	for _, l := range w.logLines() {
		if l["operation"] == "InvokeModelWithResponseStream" {
			stops = append(stops, fmt.Sprint(l["stop_reason"]))
		}
	}
	if strings.Join(stops, ",") != "max_tokens,tool_use,end_turn" {
		t.Errorf("stream stop reasons = %v", stops)
	}
}

// TestCutOffTextIsContinued: a long text answer cut at max_tokens is continued, not redone.
func TestCutOffTextIsContinued(t *testing.T) {
	long := strings.Repeat("All work and no play. ", 1000) // about 5,500 tokens
	w := newWorld(t, worldOpts{scenario: `{"conversations": [{"match_first_user_text": "essay", "steps": [
	  {"reply": {"content": [{"type": "text", "text": "` + long + `"}]}}]}]}`})
	w.keys()
	w.env["ANTHROPIC_MODEL"] = sonnet45
	r := w.ganban("-p", "write an essay")
	defer w.dumpOnFailure(r)
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != strings.TrimSpace(long) {
		t.Errorf("exit %d, %d bytes out, want %d", r.Code, len(strings.TrimSpace(r.Stdout)), len(strings.TrimSpace(long)))
	}
}

func TestAutoCompaction(t *testing.T) {
	w := newWorld(t, worldOpts{scenario: `{"conversations": [
	  {"match_first_user_text": "survey", "steps": [
	    {"reply": {"content": [{"type": "tool_use", "name": "Read", "input": {"file_path": "{{cwd}}/notes.txt"}}]}},
	    {"reply": {"content": [{"type": "tool_use", "name": "Read", "input": {"file_path": "{{cwd}}/notes.txt"}}]}}]},
	  {"name": "after compaction", "match_first_user_text": "This session continues", "steps": [
	    {"expect": {"last_user_text_contains": "SUMMARY-OF-WORK"}, "reply": {"content": [{"type": "text", "text": "Continued after compaction."}]}}]}],
	 "fallback_reply": {"content": [{"type": "text", "text": "SUMMARY-OF-WORK: read notes twice."}]}}`})
	w.keys()
	w.env["ANTHROPIC_MODEL"] = sonnet45
	w.env["CLAUDE_CODE_AUTO_COMPACT_WINDOW"] = "3000"
	w.write(filepath.Join(w.Repo, "notes.txt"), strings.Repeat("a note about the project\n", 400))
	r := w.ganban("-p", "survey the notes", "--output-format", "stream-json")
	defer w.dumpOnFailure(r)
	if r.Code != 0 || !strings.Contains(r.Stdout, `"subtype":"compact_boundary"`) || !strings.Contains(r.Stdout, "Continued after compaction.") {
		t.Fatalf("exit %d:\n%s", r.Code, r.Stdout)
	}
	if rep := w.Sim.Report(); len(rep.ExpectationFailures) > 0 {
		t.Errorf("expectations: %+v", rep.ExpectationFailures)
	}
	// The summary is a request of its own to the main model, not a cut of the conversation.
	summaries := 0
	for _, l := range w.logLines() {
		if l["operation"] == "InvokeModel" && l["model"] == sonnet45 && l["status"] == 200.0 {
			summaries++
		}
	}
	if summaries != 1 {
		t.Errorf("%d summary requests to the main model, want 1", summaries)
	}
	// The compacted session resumes from the summary.
	r2 := w.ganban("-p", "-c", "and now?", "--output-format", "json")
	if r2.Code != 0 {
		t.Errorf("resume after compaction: %d %s", r2.Code, r2.Stderr)
	}
	if !strings.Contains(readTranscripts(t, w), `"subtype":"compact_boundary"`) {
		t.Error("the transcript has no compaction boundary")
	}
	off := newWorld(t, worldOpts{scenario: `{"conversations": [{"match_first_user_text": "survey", "steps": [
	    {"reply": {"content": [{"type": "tool_use", "name": "Read", "input": {"file_path": "{{cwd}}/notes.txt"}}]}},
	    {"reply": {"content": [{"type": "text", "text": "no compaction"}]}}]}]}`})
	off.keys()
	off.env["ANTHROPIC_MODEL"], off.env["CLAUDE_CODE_AUTO_COMPACT_WINDOW"], off.env["DISABLE_AUTO_COMPACT"] = sonnet45, "3000", "1"
	off.write(filepath.Join(off.Repo, "notes.txt"), strings.Repeat("a note about the project\n", 400))
	if r := off.ganban("-p", "survey the notes"); strings.TrimSpace(r.Stdout) != "no compaction" {
		t.Errorf("DISABLE_AUTO_COMPACT=1: %q %s", r.Stdout, r.Stderr)
	}
}

// TestParallelReadOnlyTools: the read-only calls of one answer run together. Two WebFetch
// calls reach a server that answers only once both are waiting, so run one after the other
// they would each wait alone until its patience ran out.
func TestParallelReadOnlyTools(t *testing.T) {
	var mu sync.Mutex
	waiting, both := 0, make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if waiting++; waiting == 2 {
			close(both)
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "text/plain")
		select {
		case <-both:
			fmt.Fprint(w, "fetched together")
		case <-time.After(10 * time.Second):
			fmt.Fprint(w, "fetched alone")
		}
	}))
	defer srv.Close()
	w := newWorld(t, worldOpts{scenario: `{"conversations": [{"match_first_user_text": "look", "steps": [
	  {"reply": {"content": [
	    {"type": "tool_use", "name": "Glob", "input": {"pattern": "**/*.go", "path": "{{cwd}}"}},
	    {"type": "tool_use", "name": "WebFetch", "input": {"url": "` + srv.URL + `/a", "prompt": "read it"}},
	    {"type": "tool_use", "name": "Read", "input": {"file_path": "{{cwd}}/a.go"}},
	    {"type": "tool_use", "name": "WebFetch", "input": {"url": "` + srv.URL + `/b", "prompt": "read it"}},
	    {"type": "tool_use", "name": "Grep", "input": {"pattern": "package", "path": "{{cwd}}"}},
	    {"type": "tool_use", "name": "LS", "input": {"path": "{{cwd}}"}}]}},
	  {"reply": {"content": [{"type": "text", "text": "looked"}]}}]}]}`})
	w.keys()
	w.env["ANTHROPIC_MODEL"] = sonnet45
	w.write(filepath.Join(w.Repo, "a.go"), "package a\n")
	r := w.ganban("-p", "look around", "--output-format", "stream-json", "--allowedTools", "WebFetch(domain:127.0.0.1)")
	defer w.dumpOnFailure(r)
	var results []map[string]any
	for _, line := range strings.Split(r.Stdout, "\n") {
		var ev map[string]any
		if json.Unmarshal([]byte(line), &ev) == nil && ev["type"] == "user" {
			for _, c := range ev["message"].(map[string]any)["content"].([]any) {
				results = append(results, c.(map[string]any))
			}
		}
	}
	if len(results) != 6 {
		t.Fatalf("tool results = %d", len(results))
	}
	for i, res := range results {
		text := fmt.Sprint(res["content"])
		if res["is_error"] == true || (i == 1 || i == 3) && !strings.Contains(text, "fetched together") {
			t.Errorf("result %d: %v", i, res)
		}
	}
}

// TestResumeAfterKill9: ganban is killed while a command runs; -c repairs the session, tells
// the model the call was interrupted, and does not run it again by itself.
func TestResumeAfterKill9(t *testing.T) {
	w := newWorld(t, worldOpts{scenario: `{"conversations": [{"match_first_user_text": "slow", "steps": [
	  {"reply": {"content": [{"type": "tool_use", "name": "Bash", "input": {"command": "echo run >> runs.txt; sleep 30", "description": "slow"}}]}},
	  {"expect": {"last_tool_result_contains": "Interrupted"}, "reply": {"content": [{"type": "text", "text": "I see it was interrupted."}]}}]}]}`})
	w.keys()
	w.env["ANTHROPIC_MODEL"] = sonnet45
	cmd := exec.Command(ganbanBin, "-p", "slow task", "--allowedTools", "Bash Edit")
	cmd.Dir = w.Repo
	cmd.Env = w.environ()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { b, _ := os.ReadFile(filepath.Join(w.Repo, "runs.txt")); return len(b) > 0 })
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Wait()
	r := w.ganban("-p", "-c", "what happened?", "--allowedTools", "Bash Edit")
	defer w.dumpOnFailure(r)
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != "I see it was interrupted." {
		t.Fatalf("resume: exit %d %q", r.Code, r.Stdout)
	}
	if b, _ := os.ReadFile(filepath.Join(w.Repo, "runs.txt")); strings.Count(string(b), "run") != 1 {
		t.Errorf("the command ran %d times", strings.Count(string(b), "run"))
	}
}

// TestCtrlC: SIGINT during a running command cancels it, exits 130 and leaves the session
// resumable.
func TestCtrlC(t *testing.T) {
	w := newWorld(t, worldOpts{scenario: `{"conversations": [{"match_first_user_text": "wait", "steps": [
	  {"reply": {"content": [{"type": "tool_use", "name": "Bash", "input": {"command": "touch started; sleep 30; touch finished", "description": "wait"}}]}},
	  {"reply": {"content": [{"type": "text", "text": "resumed fine"}]}}]}]}`})
	w.keys()
	w.env["ANTHROPIC_MODEL"] = sonnet45
	cmd := exec.Command(ganbanBin, "-p", "wait a while", "--allowedTools", "Bash Edit")
	cmd.Dir = w.Repo
	cmd.Env = w.environ()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { _, err := os.Stat(filepath.Join(w.Repo, "started")); return err == nil })
	start := time.Now()
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Errorf("exit = %v, want 130", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("took %v to stop", time.Since(start))
	}
	if _, err := os.Stat(filepath.Join(w.Repo, "finished")); err == nil {
		t.Error("the command was not killed")
	}
	if r := w.ganban("-p", "-c", "go on"); r.Code != 0 || strings.TrimSpace(r.Stdout) != "resumed fine" {
		t.Errorf("resume: %d %q %s", r.Code, r.Stdout, r.Stderr)
	}
}

func (w *world) environ() []string {
	extra := []string{"AWS_CONFIG_FILE=" + filepath.Join(w.Home, ".aws", "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(w.Home, ".aws", "credentials")}
	for k, v := range w.env {
		extra = append(extra, k+"="+v)
	}
	return testenv.Env(w.Home, extra...)
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestEditsOutsideTheWorkingDirectories: a change outside the working directories always
// asks, whatever the mode or allow rules say, so print mode denies it and names --add-dir;
// --add-dir and additionalDirectories make the directory a working one.
func TestEditsOutsideTheWorkingDirectories(t *testing.T) {
	cases := []struct {
		name     string
		args     []string
		settings string
		written  bool
	}{
		{name: "bypassPermissions asks", args: []string{"--permission-mode", "bypassPermissions"}},
		{name: "an allow rule for the path asks", args: []string{"--allowedTools", "Edit(//OUT/**)"}},
		{name: "acceptEdits asks", args: []string{"--permission-mode", "acceptEdits"}},
		{name: "--add-dir", args: []string{"--add-dir", "OUT", "--permission-mode", "acceptEdits"}, written: true},
		{name: "--add-dir with a rule", args: []string{"--add-dir", "OUT", "--allowedTools", "Edit(//OUT/**)"}, written: true},
		{name: "additionalDirectories", settings: `{"permissions": {"additionalDirectories": ["OUT"], "defaultMode": "acceptEdits"}}`, written: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			w := newWorld(t, worldOpts{scenario: `{"conversations": [{"match_first_user_text": "note", "steps": [
			  {"reply": {"content": [{"type": "tool_use", "name": "Write", "input": {"file_path": "` + out + `/note.txt", "content": "hi\n"}}]}},
			  {"reply": {"content": [{"type": "text", "text": "finished"}]}}]}]}`})
			w.keys()
			w.env["ANTHROPIC_MODEL"] = sonnet45
			if tc.settings != "" {
				w.write(filepath.Join(w.Repo, ".claude", "settings.json"), strings.ReplaceAll(tc.settings, "OUT", out))
			}
			args := []string{"-p", "write a note", "--output-format", "json"}
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(strings.ReplaceAll(a, "//OUT", "/"+out), "OUT", out))
			}
			r := w.ganban(args...)
			defer w.dumpOnFailure(r)
			res := r.JSON(t)
			if r.Code != 0 || res["result"] != "finished" {
				t.Fatalf("exit %d result %v", r.Code, res)
			}
			_, err := os.Stat(filepath.Join(out, "note.txt"))
			if written := err == nil; written != tc.written {
				t.Errorf("written = %v, want %v", written, tc.written)
			}
			if denials := res["permission_denials"].([]any); len(denials) != map[bool]int{true: 0, false: 1}[tc.written] {
				t.Errorf("permission_denials = %v", denials)
			}
			if !tc.written && !strings.Contains(readTranscripts(t, w), "--add-dir "+out) {
				t.Error("the model was not told about --add-dir")
			}
		})
	}
}

// TestReadDenyRuleHidesFilesFromSearches: a Read deny rule in .claude/settings.json keeps the
// file from Read and from what Grep, Glob and LS show of the working directory.
func TestReadDenyRuleHidesFilesFromSearches(t *testing.T) {
	w := newWorld(t, worldOpts{scenario: `{"conversations": [{"match_first_user_text": "look", "steps": [
	  {"reply": {"content": [
	    {"type": "tool_use", "name": "Grep", "input": {"pattern": "SECRET", "path": "{{cwd}}"}},
	    {"type": "tool_use", "name": "Grep", "input": {"pattern": "SECRET", "output_mode": "content"}},
	    {"type": "tool_use", "name": "Glob", "input": {"pattern": "**/*"}},
	    {"type": "tool_use", "name": "Glob", "input": {"pattern": "**/.env*"}},
	    {"type": "tool_use", "name": "LS", "input": {"path": "{{cwd}}"}},
	    {"type": "tool_use", "name": "Read", "input": {"file_path": "{{cwd}}/secrets/key.txt"}}]}},
	  {"reply": {"content": [{"type": "text", "text": "looked"}]}}]}]}`})
	w.keys()
	w.env["ANTHROPIC_MODEL"] = sonnet45
	w.write(filepath.Join(w.Repo, "main.go"), "package main // SECRET is a word here\n")
	w.write(filepath.Join(w.Repo, "secrets", "key.txt"), "SECRET-CONTENT\n")
	w.write(filepath.Join(w.Repo, "conf", ".env.local"), "TOKEN=SECRET-CONTENT\n")
	w.write(filepath.Join(w.Repo, ".claude", "settings.json"), `{"permissions": {"deny": ["Read(./secrets/**)", "Read(.env*)"]}}`)
	r := w.ganban("-p", "look around", "--output-format", "stream-json")
	defer w.dumpOnFailure(r)
	var results []string
	for _, line := range strings.Split(r.Stdout, "\n") {
		var ev map[string]any
		if json.Unmarshal([]byte(line), &ev) == nil && ev["type"] == "user" {
			for _, c := range ev["message"].(map[string]any)["content"].([]any) {
				b, _ := json.Marshal(c)
				results = append(results, string(b))
			}
		}
	}
	if r.Code != 0 || len(results) != 6 {
		t.Fatalf("exit %d, %d results", r.Code, len(results))
	}
	for i, res := range results[:5] {
		for _, leak := range []string{"key.txt", ".env", "SECRET-CONTENT"} {
			if strings.Contains(res, leak) {
				t.Errorf("result %d shows %q: %s", i, leak, res)
			}
		}
		if !strings.Contains(res, "hidden by permission rules") {
			t.Errorf("result %d does not say that files were hidden: %s", i, res)
		}
	}
	if !strings.Contains(results[5], "denied by rule Read(./secrets/**)") {
		t.Errorf("Read result: %s", results[5])
	}
	if strings.Contains(readTranscripts(t, w), "SECRET-CONTENT") {
		t.Error("the transcript holds the denied content")
	}
}

// TestLargeReadsAreCompactedInTime: four parallel Reads of 250 KB files make a prompt past the
// 200k window (the simulator enforces it). ganban compacts before sending it (or, when the
// configured window lets it through, after Bedrock refuses it) and the session continues
// with -c.
func TestLargeReadsAreCompactedInTime(t *testing.T) {
	for _, window := range []string{"", "1000000"} {
		t.Run("window="+window, func(t *testing.T) {
			w := newWorld(t, worldOpts{scenario: `{"conversations": [{"match_first_user_text": "survey", "steps": [
			    {"reply": {"content": [
			      {"type": "tool_use", "name": "Read", "input": {"file_path": "{{cwd}}/a.txt"}},
			      {"type": "tool_use", "name": "Read", "input": {"file_path": "{{cwd}}/b.txt"}},
			      {"type": "tool_use", "name": "Read", "input": {"file_path": "{{cwd}}/c.txt"}},
			      {"type": "tool_use", "name": "Read", "input": {"file_path": "{{cwd}}/d.txt"}}]}},
			    {"reply": {"content": [{"type": "text", "text": "read them all at once"}]}}]},
			  {"match_first_user_text": "This session continues", "steps": [
			    {"reply": {"content": [{"type": "text", "text": "continued from the summary"}]}},
			    {"expect": {"last_user_text_contains": "next"}, "reply": {"content": [{"type": "text", "text": "and again"}]}}]}],
			 "fallback_reply": {"content": [{"type": "text", "text": "SUMMARY: read four large files."}]}}`})
			w.keys()
			w.env["ANTHROPIC_MODEL"] = sonnet45
			if window != "" {
				w.env["CLAUDE_CODE_AUTO_COMPACT_WINDOW"] = window
			}
			for _, name := range []string{"a", "b", "c", "d"} {
				w.write(filepath.Join(w.Repo, name+".txt"), strings.Repeat(strings.Repeat(name, 119)+"\n", 2100))
			}
			r := w.ganban("-p", "survey the files", "--output-format", "json")
			defer w.dumpOnFailure(r)
			if res := r.JSON(t); r.Code != 0 || res["result"] != "continued from the summary" {
				t.Fatalf("exit %d: %v", r.Code, res["result"])
			}
			r = w.ganban("-p", "-c", "next", "--output-format", "json")
			if res := r.JSON(t); r.Code != 0 || res["result"] != "and again" {
				t.Fatalf("continue: exit %d: %v\n%s", r.Code, res["result"], r.Stderr)
			}
			refused := w.Sim.Report().Errors["ValidationException"]
			if (window == "") != (refused == 0) {
				t.Errorf("%d prompts refused as too long", refused)
			}
		})
	}
}

// TestWebFetchDomainRules: WebFetch(domain:...) rules allow or deny fetches by host, in print
// mode as everywhere; the denial names the rule that would allow the fetch.
func TestWebFetchDomainRules(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "page body")
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	cases := []struct {
		name         string
		args         []string
		settings     string
		loopback, lh string // what the results for 127.0.0.1 and localhost must say
	}{
		{name: "allow rule", args: []string{"--allowedTools", "WebFetch(domain:127.0.0.1)"},
			loopback: "page body", lh: "WebFetch(domain:localhost)"},
		{name: "deny rule beats bypass", args: []string{"--permission-mode", "bypassPermissions"}, settings: `{"permissions": {"deny": ["WebFetch(domain:127.0.0.1)"]}}`,
			loopback: "denied by rule WebFetch(domain:127.0.0.1)", lh: "page body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, worldOpts{scenario: `{"conversations": [{"match_first_user_text": "fetch", "steps": [
			  {"reply": {"content": [
			    {"type": "tool_use", "name": "WebFetch", "input": {"url": "http://127.0.0.1:` + port + `/", "prompt": "read it"}},
			    {"type": "tool_use", "name": "WebFetch", "input": {"url": "http://localhost:` + port + `/", "prompt": "read it"}}]}},
			  {"reply": {"content": [{"type": "text", "text": "fetched"}]}}]}]}`})
			w.keys()
			w.env["ANTHROPIC_MODEL"] = sonnet45
			if tc.settings != "" {
				w.write(filepath.Join(w.Repo, ".claude", "settings.json"), tc.settings)
			}
			r := w.ganban(append([]string{"-p", "fetch the pages", "--output-format", "stream-json"}, tc.args...)...)
			defer w.dumpOnFailure(r)
			var results []string
			for _, line := range strings.Split(r.Stdout, "\n") {
				var ev map[string]any
				if json.Unmarshal([]byte(line), &ev) == nil && ev["type"] == "user" {
					for _, c := range ev["message"].(map[string]any)["content"].([]any) {
						results = append(results, fmt.Sprint(c.(map[string]any)["content"]))
					}
				}
			}
			if r.Code != 0 || len(results) != 2 {
				t.Fatalf("exit %d, results %q", r.Code, results)
			}
			if !strings.Contains(results[0], tc.loopback) || !strings.Contains(results[1], tc.lh) {
				t.Errorf("results:\n%s\n%s", results[0], results[1])
			}
			if denials := r.JSON(t)["permission_denials"].([]any); len(denials) != 1 {
				t.Errorf("permission_denials = %v", denials)
			}
		})
	}
}

// TestCtrlCWhileStreaming: SIGINT while the answer streams stops the request at once, exits
// 130 with an error_interrupted result, keeps the text that had arrived, and -c goes on.
func TestCtrlCWhileStreaming(t *testing.T) {
	w := newWorld(t, worldOpts{scenario: `{"conversations": [{"match_first_user_text": "stream", "steps": [
	  {"faults": ["stall:30000:3"], "reply": {"content": [{"type": "text", "text": "The answer begins here and goes on for a while."}]}},
	  {"expect": {"last_user_text_contains": "go on"}, "reply": {"content": [{"type": "text", "text": "resumed after the interruption"}]}}]}]}`})
	w.keys()
	w.env["ANTHROPIC_MODEL"] = sonnet45
	w.env["CLAUDE_STREAM_IDLE_TIMEOUT_MS"] = "60000"
	cmd := exec.Command(ganbanBin, "-p", "stream slowly", "--output-format", "json")
	cmd.Dir = w.Repo
	cmd.Env = w.environ()
	var stdout strings.Builder
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return w.Sim.Report().FaultsServed > 0 })
	time.Sleep(300 * time.Millisecond) // into the stall: three events have been sent
	start := time.Now()
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Errorf("exit = %v, want 130", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to stop", d)
	}
	res := run{Stdout: stdout.String()}.JSON(t)
	if res["subtype"] != "error_interrupted" || res["is_error"] != true {
		t.Errorf("result %v", res)
	}
	if !strings.Contains(readTranscripts(t, w), "The answer begi") {
		t.Error("the text that had arrived was not kept")
	}
	r := w.ganban("-p", "-c", "go on")
	defer w.dumpOnFailure(r)
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != "resumed after the interruption" {
		t.Errorf("resume: %d %q %s", r.Code, r.Stdout, r.Stderr)
	}
	if f := w.Sim.Report().ExpectationFailures; len(f) > 0 {
		t.Errorf("expectations: %+v", f)
	}
}
