package session

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ganban/internal/anthropic"
)

func userMsg(s string) anthropic.Message {
	return anthropic.Message{Role: "user", Content: []anthropic.Block{anthropic.Text(s)}}
}

func answer(id string, blocks ...anthropic.Block) anthropic.Response {
	stop := "end_turn"
	return anthropic.Response{ID: id, Model: "claude-sonnet-4-5-20250929", Content: blocks, StopReason: &stop,
		Usage: anthropic.Usage{InputTokens: 10, OutputTokens: 5, CacheReadInputTokens: 100}}
}

func TestWriteAndRead(t *testing.T) {
	dir := t.TempDir()
	w, err := Create(dir, "s1", Meta{CWD: "/src", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	w.User(userMsg("read main.go"), false)
	w.Assistant(answer("msg_1", anthropic.Text("ok"), anthropic.Block{Type: "tool_use", ID: "toolu_1", Name: "Read", Input: []byte(`{"file_path":"/src/main.go"}`)}), "req_1", 0.01)
	w.User(anthropic.Message{Role: "user", Content: []anthropic.Block{anthropic.ToolResult("toolu_1", "package main", false)}}, true)
	w.Assistant(answer("msg_2", anthropic.Text("done")), "req_2", 0.02)
	w.Title("Read main")
	w.Close()

	tr, err := Read(filepath.Join(dir, "s1.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if tr.Title != "Read main" || tr.Turns != 1 || len(tr.Messages) != 4 || tr.CostUSD != 0.03 || tr.Model != "claude-sonnet-4-5-20250929" {
		t.Errorf("transcript = %+v", tr)
	}
	// The transcript format: parent chain, session id, ISO timestamps, usage with cache fields.
	data, _ := os.ReadFile(filepath.Join(dir, "s1.jsonl"))
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	var first, second map[string]any
	json.Unmarshal([]byte(lines[0]), &first)
	json.Unmarshal([]byte(lines[1]), &second)
	if first["parentUuid"] != nil || second["parentUuid"] != first["uuid"] || second["sessionId"] != "s1" || second["cwd"] != "/src" {
		t.Errorf("lines:\n%s\n%s", lines[0], lines[1])
	}
	msg := second["message"].(map[string]any)
	if msg["id"] != "msg_1" || msg["usage"].(map[string]any)["cache_read_input_tokens"].(float64) != 100 || second["requestId"] != "req_1" {
		t.Errorf("assistant entry = %s", lines[1])
	}
	if _, err := os.Stat(filepath.Join(dir, "s1.jsonl")); err != nil {
		t.Fatal(err)
	}
}

func TestCrashMidWriteAndResume(t *testing.T) {
	dir := t.TempDir()
	w, _ := Create(dir, "s2", Meta{})
	w.User(userMsg("edit it"), false)
	w.Assistant(answer("msg_1", anthropic.Block{Type: "tool_use", ID: "toolu_9", Name: "Edit", Input: []byte(`{}`)}), "", 0)
	w.Close()
	path := filepath.Join(dir, "s2.jsonl")
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"type":"user","message":{"role":"user","content":[{"type":"tool_res`) // kill -9 mid-line
	f.Close()

	w2, tr, err := Append(path, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Skipped != 0 || len(tr.Messages) != 2 {
		t.Errorf("after trimming the partial line: skipped %d, %d messages", tr.Skipped, len(tr.Messages))
	}
	un := tr.Unanswered()
	if len(un) != 1 || un[0].ID != "toolu_9" {
		t.Fatalf("unanswered = %+v", un)
	}
	w2.User(anthropic.Message{Role: "user", Content: []anthropic.Block{anthropic.ToolResult("toolu_9", InterruptedResult, true)}}, true)
	w2.Close()
	tr, _ = Read(path)
	if len(tr.Unanswered()) != 0 || tr.Skipped != 0 || len(tr.Messages) != 3 {
		t.Errorf("repaired transcript: %+v", tr.Messages)
	}
}

func TestCompactionBoundary(t *testing.T) {
	dir := t.TempDir()
	w, _ := Create(dir, "s3", Meta{})
	w.User(userMsg("old question"), false)
	w.Assistant(answer("msg_1", anthropic.Text("old answer")), "", 0)
	w.Compacted("we discussed X")
	w.User(userMsg("new question"), false)
	w.Close()
	tr, _ := Read(filepath.Join(dir, "s3.jsonl"))
	if len(tr.Messages) != 1 || !strings.Contains(anthropic.PlainText(tr.Messages[0].Content), "we discussed X") ||
		!strings.Contains(anthropic.PlainText(tr.Messages[0].Content), "new question") {
		t.Errorf("messages after compaction = %+v", tr.Messages)
	}
}

func TestSecretsAreRedacted(t *testing.T) {
	dir := t.TempDir()
	w, _ := Create(dir, "s4", Meta{})
	w.User(anthropic.Message{Role: "user", Content: []anthropic.Block{anthropic.ToolResult("t", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", false)}}, true)
	w.Close()
	data, _ := os.ReadFile(filepath.Join(dir, "s4.jsonl"))
	if strings.Contains(string(data), "wJalrXUtnFEMI") {
		t.Error("a secret reached the transcript")
	}
}

func TestListAndFind(t *testing.T) {
	dir := t.TempDir()
	for _, id := range []string{"aaaa-1", "bbbb-2"} {
		w, _ := Create(dir, id, Meta{})
		w.User(userMsg("hi "+id), false)
		w.Close()
	}
	all, err := List(dir)
	if err != nil || len(all) != 2 || all[0].ID != "bbbb-2" {
		t.Fatalf("list = %+v %v", all, err)
	}
	if p, err := Find(dir, ""); err != nil || !strings.HasSuffix(p, "bbbb-2.jsonl") {
		t.Errorf("latest = %s %v", p, err)
	}
	if p, err := Find(dir, "aaaa"); err != nil || !strings.HasSuffix(p, "aaaa-1.jsonl") {
		t.Errorf("prefix = %s %v", p, err)
	}
	if _, err := Find(dir, "zzz"); err == nil {
		t.Error("found a session that does not exist")
	}
	if _, err := Find(t.TempDir(), ""); err == nil {
		t.Error("found a session in an empty directory")
	}
}

func TestProjectDir(t *testing.T) {
	if got := ProjectDir("/h/.ganban", "/home/u/my.proj"); got != "/h/.ganban/projects/-home-u-my-proj" {
		t.Errorf("ProjectDir = %s", got)
	}
}

// FuzzRead reads any bytes as a transcript without failing, and the listing's quick scan
// (see index.go) agrees with the full read on title, prompts and cost wherever every line
// that the read kept is also one the scan counts.
func FuzzRead(f *testing.F) {
	f.Add([]byte(`{"type":"user","message":{"role":"user","content":"hi"}}` + "\n" + `{"type":"assistant"`))
	f.Add([]byte(`{"type":"summary","summary":"t","timestamp":"2026-01-02T03:04:05Z"}` + "\n" +
		`{"type":"system","subtype":"api_request","costUSD":0.5}` + "\n" +
		`{"type":"assistant","costUSD":0.25,"message":{"role":"assistant","content":[{"type":"text","text":"x"}]}}` + "\n" +
		`{"type":"user","toolUseResult":true,"message":{"role":"user","content":"r"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.jsonl")
		os.WriteFile(p, data, 0o600)
		tr, err := Read(p)
		if err != nil {
			if !strings.Contains(err.Error(), "token too long") {
				t.Fatal(err)
			}
			return
		}
		e, err := scan(p)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Skipped == 0 && (e.Title != tr.Title || e.Turns != tr.Turns || e.CostUSD != tr.CostUSD || !e.Updated.Equal(tr.Updated)) {
			t.Errorf("scan %+v, read %q %d %v %v", e, tr.Title, tr.Turns, tr.CostUSD, tr.Updated)
		}
	})
}

func TestRewind(t *testing.T) {
	dir := t.TempDir()
	w, _ := Create(dir, "s5", Meta{})
	w.User(userMsg("first"), false)
	w.Assistant(answer("msg_1", anthropic.Text("one")), "", 0)
	w.User(userMsg("second, badly put"), false)
	w.Assistant(answer("msg_2", anthropic.Text("two")), "", 0)
	w.Rewound(2)
	w.User(userMsg("second, better"), false)
	w.Close()
	tr, _ := Read(filepath.Join(dir, "s5.jsonl"))
	if len(tr.Messages) != 3 || anthropic.PlainText(tr.Messages[2].Content) != "second, better" {
		t.Errorf("messages after a rewind = %+v", tr.Messages)
	}
}

// TestUnencodableEntryIsAnError: an entry that cannot be encoded (tool input that is not
// JSON) is refused with an error, never a panic, and leaves the transcript readable.
func TestUnencodableEntryIsAnError(t *testing.T) {
	cases := []struct {
		name  string
		input string
		ok    bool
	}{
		{"object", `{"file_path":"/a"}`, true},
		{"empty", ``, true},
		{"cut short", `{"file_path": "/a`, false},
		{"not JSON", `file_path=/a`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			w, _ := Create(dir, "s", Meta{})
			defer w.Close()
			err := w.Assistant(answer("msg_1", anthropic.Block{Type: "tool_use", ID: "toolu_1", Name: "Read", Input: []byte(tc.input)}), "req_1", 0)
			if (err == nil) != tc.ok {
				t.Fatalf("Assistant = %v, want ok=%v", err, tc.ok)
			}
			if err := w.User(userMsg("next"), false); err != nil {
				t.Fatalf("the writer did not go on: %v", err)
			}
			tr, err := Read(filepath.Join(dir, "s.jsonl"))
			if err != nil || tr.Skipped != 0 {
				t.Errorf("transcript: %v, %d lines skipped", err, tr.Skipped)
			}
		})
	}
}

// TestSessionIDs: a chosen session ID must be a UUID, and no ID reaches outside the project
// directory, whether creating or finding a session.
func TestSessionIDs(t *testing.T) {
	for id, ok := range map[string]bool{
		NewID(): true, "1507326D-93F1-4C8A-A4B7-6F5B1C2D3E4F": true,
		"../../../escaped": false, "1507326d": false, "{1507326d-93f1-4c8a-a4b7-6f5b1c2d3e4f}": false,
		"urn:uuid:1507326d-93f1-4c8a-a4b7-6f5b1c2d3e4f": false, "": false,
	} {
		if err := CheckID(id); (err == nil) != ok {
			t.Errorf("CheckID(%q) = %v, want ok=%v", id, err, ok)
		}
	}
	root := t.TempDir()
	dir := filepath.Join(root, "projects", "p")
	for _, id := range []string{"../../../escaped", "a/b", "..", ""} {
		if _, err := Create(dir, id, Meta{}); err == nil {
			t.Errorf("Create(%q) succeeded", id)
		}
	}
	os.WriteFile(filepath.Join(root, "outside.jsonl"), nil, 0o600)
	if p, err := Find(dir, "../../outside"); err == nil {
		t.Errorf("Find reached %s", p)
	}
	if matches, _ := filepath.Glob(filepath.Join(root, "*.jsonl")); len(matches) != 1 {
		t.Errorf("files outside the project directory: %v", matches)
	}
}

// TestRequestRecordsCountInTheCost: billed requests that left no message are part of the
// session's cost and nothing else: the conversation and its parent chain ignore them.
func TestRequestRecordsCountInTheCost(t *testing.T) {
	dir := t.TempDir()
	w, _ := Create(dir, "s6", Meta{})
	w.User(userMsg("write it"), false)
	for _, p := range []string{PurposeDiscarded, PurposeContinuation, PurposeCompact, PurposeTitle, PurposeDiscarded} {
		if err := w.Request(p, answer("msg_x"), "req-"+p, 0.25); err != nil {
			t.Fatal(err)
		}
	}
	w.Assistant(answer("msg_1", anthropic.Text("done")), "req-1", 0.5)
	w.Close()
	tr, err := Read(filepath.Join(dir, "s6.jsonl"))
	if err != nil || tr.Skipped != 0 {
		t.Fatal(err, tr.Skipped)
	}
	if tr.CostUSD != 1.75 || len(tr.Messages) != 2 || tr.Turns != 1 {
		t.Errorf("cost %v, %d messages, %d turns", tr.CostUSD, len(tr.Messages), tr.Turns)
	}
	var user, last Entry
	for _, e := range tr.Entries {
		switch {
		case e.Type == TypeUser:
			user = e
		case e.Type == TypeAssistant:
			last = e
		case e.Subtype == SubtypeRequest && (e.Message == nil || e.Message.Usage == nil || e.Message.Usage.CacheReadInputTokens != 100 || e.RequestID != "req-"+e.Content):
			t.Errorf("request entry %+v", e)
		}
	}
	if last.ParentUUID == nil || *last.ParentUUID != user.UUID || last.RequestID != "req-1" {
		t.Errorf("the answer's parent is %v, want the prompt %s", last.ParentUUID, user.UUID)
	}
}
