package tui

import (
	"context"
	"fmt"
	"ganban/internal/settings"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"ganban/internal/agent"
	"ganban/internal/anthropic"
	"ganban/internal/permission"
	"ganban/internal/session"
	"ganban/internal/tools"
	"ganban/internal/tui/history"
	"ganban/internal/tui/slash"
)

func TestEnterSendsPrompt(t *testing.T) {
	tests := []struct {
		name  string
		keys  func(tm *testModel)
		want  string
		input string // left in the input afterwards
	}{
		{"plain", func(tm *testModel) { tm.typeText("fix the tests"); tm.keys("enter") }, "fix the tests", ""},
		{"shift+enter newline", func(tm *testModel) { tm.typeText("a"); tm.keys("shift+enter"); tm.typeText("b"); tm.keys("enter") }, "a\nb", ""},
		{"backslash newline", func(tm *testModel) { tm.typeText(`a\`); tm.keys("enter"); tm.typeText("b"); tm.keys("enter") }, "a\nb", ""},
		{"large paste sent whole", func(tm *testModel) {
			tm.send(tea.PasteMsg{Content: strings.Repeat("line\n", 299) + "last"})
			if v := tm.in.value(); v != "[pasted 300 lines #1]" {
				t.Errorf("input shows %q, want the collapsed paste", v)
			}
			tm.keys("enter")
		}, strings.Repeat("line\n", 299) + "last", ""},
		{"small paste inline", func(tm *testModel) { tm.send(tea.PasteMsg{Content: "two\nlines"}); tm.keys("enter") }, "two\nlines", ""},
		{"paste ending in a newline counted right", func(tm *testModel) {
			tm.send(tea.PasteMsg{Content: strings.Repeat("line\n", 50)})
			if v := tm.in.value(); v != "[pasted 50 lines #1]" {
				t.Errorf("input shows %q, want 50 lines", v)
			}
			tm.keys("enter")
		}, strings.TrimSpace(strings.Repeat("line\n", 50)), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := newTestModel(t, 80, 24)
			tt.keys(tm)
			tm.drain(2 * time.Second)
			got := tm.eng.got()
			if len(got) != 1 || got[0] != tt.want {
				t.Fatalf("prompts sent = %q, want [%q]", got, tt.want)
			}
			if v := tm.in.value(); v != tt.input {
				t.Errorf("input after sending = %q", v)
			}
			if tm.running {
				t.Error("still running after the run ended")
			}
		})
	}
}

func TestEscInterruptsAndEscEscEdits(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	started := make(chan struct{})
	tm.eng.run = func(ctx context.Context, _ []anthropic.Block) agent.Result {
		close(started)
		<-ctx.Done()
		return agent.Result{Subtype: agent.ErrInterrupted, Err: ctx.Err()}
	}
	tm.typeText("write a long essay")
	tm.keys("enter")
	<-started
	tm.send(text("Here is the start"))
	tm.keys("esc")
	tm.drain(2 * time.Second)
	if tm.running {
		t.Fatal("Esc did not end the run")
	}
	s := tm.screen()
	for _, want := range []string{"Here is the start", "Interrupted."} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	tm.keys("esc", "esc")
	if v := tm.in.value(); v != "write a long essay" {
		t.Errorf("Esc Esc put %q in the input, want the last prompt", v)
	}
	if tm.eng.rewinds != 1 || strings.Contains(tm.screen(), "Here is the start") {
		t.Errorf("Esc Esc should take the prompt back from the agent (%d rewinds) and the screen:\n%s", tm.eng.rewinds, tm.screen())
	}
}

func TestCtrlCTwiceExits(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	tm.typeText("draft")
	tm.keys("ctrl+c")
	if tm.quitting || tm.in.value() != "" {
		t.Fatalf("first Ctrl+C: quitting=%v input=%q, want the input cleared", tm.quitting, tm.in.value())
	}
	if !strings.Contains(tm.screen(), "press Ctrl+C again to exit") {
		t.Error("no warning after the first Ctrl+C")
	}
	tm.keys("ctrl+c")
	if !tm.quitting {
		t.Error("second Ctrl+C did not exit")
	}
}

func TestPermissionDialog(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		want agent.Answer
	}{
		{"enter allows once", []string{"enter"}, agent.Answer{Allow: true, Scope: agent.Once}},
		{"2 allows for the session", []string{"2"}, agent.Answer{Allow: true, Scope: agent.ForSession}},
		{"down down enter always", []string{"down", "down", "enter"}, agent.Answer{Allow: true, Scope: agent.Always}},
		{"deny with a reason", []string{"4", "u", "s", "e", " ", "r", "g", "enter"}, agent.Answer{Allow: false, Reason: "use rg"}},
		{"esc denies", []string{"esc"}, agent.Answer{Allow: false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := newTestModel(t, 80, 24)
			reply := make(chan agent.Answer, 1)
			rule, _ := permission.ParseRule("Bash(grep:*)")
			tm.send(askMsg{ctx: context.Background(), reply: reply, q: agent.Question{Suggest: rule,
				Call: *toolCall("b", "Bash", tools.TargetCommand, "Bash: grep -r x", "grep -r x")}})
			if !strings.Contains(tm.screen(), "$ grep -r x") {
				t.Fatalf("the dialog does not show the command:\n%s", tm.screen())
			}
			tm.advance(answerGuard)
			tm.keys(tt.keys...)
			select {
			case got := <-reply:
				if got != tt.want {
					t.Errorf("answer = %+v, want %+v", got, tt.want)
				}
			default:
				t.Fatal("no answer")
			}
			if tm.dialog != nil {
				t.Error("the dialog is still open")
			}
		})
	}
}

// TestTypingAheadNeverAnswers types a prompt that reaches a dialog the moment it opens: the
// keys must not answer it, and the text stays in the draft it was typed for.
func TestTypingAheadNeverAnswers(t *testing.T) {
	for _, typed := range []string{"yes", "1", "2", "3", "4", "n"} {
		t.Run(typed, func(t *testing.T) {
			tm := newTestModel(t, 80, 24)
			reply := make(chan agent.Answer, 1)
			tm.typeText("say ")
			tm.send(askMsg{ctx: context.Background(), reply: reply, q: agent.Question{
				Call: *toolCall("w", "Write", tools.TargetWrite, "Write notes.txt", "--- /dev/null\n+++ b/notes.txt\n@@ -0,0 +1 @@\n+hi")}})
			tm.typeText(typed)
			tm.keys("enter")
			tm.advance(answerGuard - time.Millisecond)
			tm.keys("enter")
			select {
			case got := <-reply:
				t.Fatalf("keys typed as the dialog opened answered it: %+v", got)
			default:
			}
			if tm.dialog == nil || tm.dialog.sel != optOnce {
				t.Fatalf("the dialog was closed or its choice moved: %+v", tm.dialog)
			}
			if v := tm.in.value(); v != "say "+typed {
				t.Errorf("the draft is %q, want the typed-ahead text kept", v)
			}
			tm.advance(time.Millisecond)
			tm.keys("enter")
			if got := <-reply; !got.Allow {
				t.Errorf("Enter after the guard = %+v, want allow", got)
			}
		})
	}
}

func TestQueuedQuestionsAndCancelledOnes(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	ctx, cancel := context.WithCancel(context.Background())
	r1, r2 := make(chan agent.Answer, 1), make(chan agent.Answer, 1)
	tm.send(askMsg{ctx: context.Background(), reply: r1, q: agent.Question{Call: *toolCall("1", "Bash", tools.TargetCommand, "Bash: a", "a")}},
		askMsg{ctx: ctx, reply: r2, q: agent.Question{Call: *toolCall("2", "Bash", tools.TargetCommand, "Bash: b", "b")}})
	cancel()
	tm.advance(answerGuard)
	tm.keys("enter")
	if (<-r1).Allow != true {
		t.Error("first question not allowed")
	}
	if tm.dialog != nil {
		t.Error("a question whose run was cancelled is still shown")
	}
}

func TestHistoryNavigation(t *testing.T) {
	dir := t.TempDir()
	h := history.Open(filepath.Join(dir, "h.jsonl"), "")
	for _, p := range []string{"first prompt", "second prompt"} {
		h.Add(p)
	}
	tm := newTestModel(t, 80, 24)
	tm.hist, tm.nav = h, newHistoryNav(h)
	tm.typeText("draft")
	tm.keys("up")
	if v := tm.in.value(); v != "second prompt" {
		t.Fatalf("Up = %q", v)
	}
	tm.keys("up", "up")
	if v := tm.in.value(); v != "first prompt" {
		t.Fatalf("Up Up = %q", v)
	}
	tm.keys("down", "down")
	if v := tm.in.value(); v != "draft" {
		t.Fatalf("back down = %q, want the draft", v)
	}
	tm.in.reset()
	tm.keys("ctrl+r")
	tm.typeText("fir")
	if !strings.Contains(tm.screen(), "history search: fir") {
		t.Errorf("no search line:\n%s", tm.screen())
	}
	tm.keys("enter")
	if v := tm.in.value(); v != "first prompt" {
		t.Errorf("Ctrl+R fir = %q", v)
	}
}

func TestCompletion(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"cmd/main.go", "cmd/flags.go", "README.md"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755)
		os.WriteFile(filepath.Join(dir, f), nil, 0o644)
	}
	tests := []struct {
		typed, keys, want string
	}{
		{"look at @READ", "tab", "look at @README.md "},
		{"@cm", "tab", "@cmd/"},
		{"@cmd/m", "tab", "@cmd/main.go "},
		{"/he", "tab", "/help "},
		{"@cmd/", "tab tab enter", "@cmd/main.go "},
	}
	for _, tt := range tests {
		tm := newTestModel(t, 80, 24)
		tm.files = fileListerFor(dir, time.Now)
		tm.typeText(tt.typed)
		tm.keys(strings.Fields(tt.keys)...)
		if v := tm.in.value(); v != tt.want {
			t.Errorf("%q + %s = %q, want %q", tt.typed, tt.keys, v, tt.want)
		}
	}
}

func TestShellCommand(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	tm.info.WorkDir = t.TempDir()
	tm.typeText("!echo hello from the shell")
	cmd := tm.key(keyMsg("enter"))
	tm.send(cmd())
	if s := tm.screen(); !strings.Contains(s, "hello from the shell") {
		t.Fatalf("no shell output:\n%s", s)
	}
	if len(tm.eng.got()) != 0 {
		t.Error("the shell command went to the model")
	}
	tm.typeText("/attach")
	tm.keys("enter")
	tm.typeText("what did it print?")
	tm.keys("enter")
	tm.drain(2 * time.Second)
	got := tm.eng.got()
	if len(got) != 1 || !strings.Contains(got[0], "hello from the shell") {
		t.Errorf("prompt after /attach = %q", got)
	}
}

func TestCustomCommand(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	tm.custom = []slash.Command{{Name: "fix", Body: "Fix issue $ARGUMENTS.", Scope: "project"}}
	tm.typeText("/fix 42")
	tm.keys("enter")
	tm.drain(2 * time.Second)
	if got := tm.eng.got(); len(got) != 1 || got[0] != "Fix issue 42." {
		t.Errorf("custom command sent %q", got)
	}
	tm.typeText("/nosuch")
	tm.keys("enter")
	if !strings.Contains(tm.screen(), "Unknown command /nosuch") {
		t.Error("unknown command not reported")
	}
}

func TestSearchConversation(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	for i := 0; i < 30; i++ {
		tm.conv.addUser("prompt " + itoa(i))
	}
	tm.conv.addUser("the needle is here")
	for i := 0; i < 30; i++ {
		tm.conv.addUser("later " + itoa(i))
	}
	tm.keys("ctrl+f")
	tm.typeText("needle")
	s := tm.screen()
	if !strings.Contains(s, "the needle is here") || !strings.Contains(s, "1/1") {
		t.Errorf("search did not bring the match into view:\n%s", s)
	}
	tm.keys("esc")
	if tm.search != nil {
		t.Error("Esc did not close the search")
	}
}

func TestScrollAndResize(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	for i := 0; i < 100; i++ {
		tm.conv.addUser("line " + itoa(i))
	}
	if s := tm.screen(); !strings.Contains(s, "line 99") {
		t.Fatal("the newest line is not in view")
	}
	tm.keys("pgup")
	if s := tm.screen(); strings.Contains(s, "line 99") || !strings.Contains(s, "more lines") {
		t.Errorf("PgUp did not scroll back:\n%s", s)
	}
	tm.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown}, tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	tm.keys("pgdown", "pgdown", "pgdown")
	if s := tm.screen(); !strings.Contains(s, "line 99") {
		t.Errorf("PgDn did not come back to the end:\n%s", s)
	}
	conversationState(tm)
	for _, sz := range []struct{ w, h int }{{20, 6}, {45, 12}, {80, 24}, {200, 60}, {81, 25}} {
		tm.send(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
		checkFits(t, tm.screen(), sz.w, sz.h)
	}
}

var sgrColor = regexp.MustCompile(`\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7]|10[0-7])[;m]`)

func TestNoColor(t *testing.T) {
	for _, noColor := range []bool{false, true} {
		m := newModel(config{ctx: context.Background(), now: func() time.Time { return epoch }, dark: true, noColor: noColor})
		tm := &testModel{Model: m, t: t, eng: &fakeEngine{}, posted: make(chan tea.Msg, 10)}
		m.eng = tm.eng
		tm.send(tea.WindowSizeMsg{Width: 80, Height: 24})
		diffState(tm)
		content := tm.View().Content
		colored := sgrColor.MatchString(content)
		if colored == noColor {
			t.Errorf("noColor=%v: colour sequences present=%v", noColor, colored)
		}
	}
}

func TestLightAndDark(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	diffState(tm)
	dark := tm.View().Content
	tm.setTheme(false)
	light := tm.View().Content
	if dark == light {
		t.Error("the light theme draws the same colours as the dark one")
	}
	if plain(dark) != plain(light) {
		t.Error("the theme changed the text, not only the colours")
	}
}

func TestRemovePermissionRule(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "settings.local.json")
	os.WriteFile(path, []byte(`{"model": "x", "permissions": {"allow": ["Bash(ls)", "Edit(src/**)"], "deny": ["Read(.env)"]}, "env": {"A": "1"}}`), 0o600)
	tests := []struct {
		list, rule string
		removed    bool
	}{
		{"allow", "Edit(src/**)", true},
		{"allow", "Edit(src/**)", false},
		{"deny", "Bash(ls)", false},
		{"deny", "Read(.env)", true},
	}
	for _, tt := range tests {
		got, err := settings.RemovePermissionRule(path, tt.list, tt.rule)
		if err != nil || got != tt.removed {
			t.Errorf("remove %s %s = %v, %v; want %v", tt.list, tt.rule, got, err, tt.removed)
		}
	}
	data, _ := os.ReadFile(path)
	s := string(data)
	if !strings.Contains(s, `"Bash(ls)"`) || strings.Contains(s, "Edit(src") || strings.Index(s, `"model"`) > strings.Index(s, `"env"`) {
		t.Errorf("file after removals:\n%s", s)
	}
}

func TestSplitBlocks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int
	}{
		{"one", 1},
		{"a\n\nb", 2},
		{"a\n\n```go\nx\n\ny\n```\n\nb", 3},
		{"```\nunterminated\n\nstill code", 1},
		{"\n\n\n", 0},
	}
	for _, tt := range tests {
		if got := splitBlocks(tt.in); len(got) != tt.want {
			t.Errorf("splitBlocks(%q) = %q, want %d blocks", tt.in, got, tt.want)
		}
	}
}

func TestRetryCountdown(t *testing.T) {
	t.Parallel()
	r := &retryState{what: "throttled", until: epoch.Add(4 * time.Second), attempt: 2, of: 8}
	tests := []struct {
		at   time.Duration
		want string
	}{
		{0, "throttled, retrying in 4s (2/8)"},
		{1500 * time.Millisecond, "throttled, retrying in 3s (2/8)"},
		{5 * time.Second, "throttled, retrying (2/8)"},
	}
	for _, tt := range tests {
		if got := r.text(epoch.Add(tt.at)); got != tt.want {
			t.Errorf("at %s: %q, want %q", tt.at, got, tt.want)
		}
	}
}

func TestControlCharactersNeverReachTheScreen(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	tm.send(text("evil \x1b[2J\x1b]0;title\x07 text\r\n"))
	tm.conv.addUser("user \x1b[31mred")
	tm.conv.add(&entry{kind: kindShell, title: "x", text: "out \x1b[1mbold\rover"})
	content := tm.View().Content
	for _, bad := range []string{"\x1b[2J", "\x1b]0;", "\x07", "\r"} {
		if strings.Contains(content, bad) {
			t.Errorf("the screen contains %q", bad)
		}
	}
}

func TestCompactCommand(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	tm.typeText("/compact keep the todo list")
	tm.keys("enter")
	if tm.busy == "" {
		t.Fatal("/compact did not start")
	}
	tm.drain(2 * time.Second)
	if tm.busy != "" {
		t.Error("/compact did not finish")
	}
	if got := tm.eng.compactions; len(got) != 1 || got[0] != "keep the todo list" {
		t.Errorf("Compact got the instructions %q, want [\"keep the todo list\"]", got)
	}
	tm.send(ev(agent.Event{Kind: agent.EventCompacted, Text: "Summary of the work."}))
	if !strings.Contains(tm.screen(), "Conversation compacted") {
		t.Error("the compaction is not shown")
	}
}

func TestExpandCollapse(t *testing.T) {
	tm := newTestModel(t, 100, 40)
	conversationState(tm)
	hidden := []string{"Let me look for Price.", "sum += it.Price"}
	s := tm.screen()
	if strings.Contains(s, hidden[0]) || strings.Contains(s, "cart/total.go:12") {
		t.Fatalf("thinking or tool output shown before expanding:\n%s", s)
	}
	tm.keys("ctrl+o")
	s = tm.screen()
	for _, want := range []string{"Let me look for Price.", "cart/total.go:12:"} {
		if !strings.Contains(s, want) {
			t.Errorf("Ctrl+O did not show %q:\n%s", want, s)
		}
	}
	tm.keys("ctrl+o")
	// A click on the Grep line opens that call alone.
	lines := strings.Split(tm.screen(), "\n")
	for y, l := range lines {
		if strings.Contains(l, `Grep "Price"`) {
			tm.send(tea.MouseClickMsg{Button: tea.MouseLeft, Y: y})
			break
		}
	}
	s = tm.screen()
	if !strings.Contains(s, "cart/total.go:12:") || strings.Contains(s, "Let me look for Price.") {
		t.Errorf("a click did not open just the clicked call:\n%s", s)
	}
}

// TestCallsThatNeverRanShowTheirError: the agent answers bad input, unknown tools and calls
// after a refusal without running them; each shows its own error, not "interrupted".
func TestCallsThatNeverRanShowTheirError(t *testing.T) {
	tm := newTestModel(t, 100, 30)
	tm.conv.addUser("go")
	tm.send(ev(agent.Event{Kind: agent.EventAssistant, Message: &anthropic.Response{Content: []anthropic.Block{
		{Type: anthropic.BlockToolUse, ID: "u1", Name: "Frobnicate", Input: []byte(`{}`)},
		{Type: anthropic.BlockToolUse, ID: "u2", Name: "Bash", Input: []byte(`{"command":"rm -rf build"}`)},
		{Type: anthropic.BlockToolUse, ID: "u3", Name: "Read", Input: []byte(`{"file_path":"/home/dev/shop/a.go"}`)},
	}}}))
	denied := toolCall("u2", "Bash", tools.TargetCommand, "Bash: rm -rf build", "rm -rf build")
	denied.Denied, denied.Result = true, result("The user refused this tool call.", "The user refused this tool call.", true, "")
	tm.send(ev(agent.Event{Kind: agent.EventToolEnd, Tool: denied}))
	errBlock := func(id, text string) anthropic.Block {
		return anthropic.Block{Type: anthropic.BlockToolResult, ToolUseID: id, IsError: true, Content: []anthropic.Block{anthropic.Text(text)}}
	}
	tm.send(ev(agent.Event{Kind: agent.EventToolResults, Results: &anthropic.Message{Role: anthropic.RoleUser, Content: []anthropic.Block{
		errBlock("u1", "No tool named \"Frobnicate\". The tools are: Read, Bash."),
		errBlock("u2", "The user refused this tool call."),
		errBlock("u3", "Not run: the user refused an earlier tool call of the same answer."),
	}}}), runDoneMsg{res: agent.Result{Subtype: agent.Success}})
	s := tm.screen()
	for _, want := range []string{`└ No tool named "Frobnicate"`, "└ denied: The user refused this tool call.", "└ Not run: the user refused an earlier tool call"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "interrupted") {
		t.Errorf("a call that never ran is shown as interrupted:\n%s", s)
	}
}

// toolLine is the screen line of the tool call whose line contains marker.
func toolLine(t *testing.T, screen, marker string) string {
	t.Helper()
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, marker) {
			return strings.TrimSpace(l)
		}
	}
	t.Fatalf("no line with %q:\n%s", marker, screen)
	return ""
}

// TestBashLineShowsTheCommand: a Bash call reads as the command that runs, with the model's
// description dimmed beside it, the same live and resumed.
func TestBashLineShowsTheCommand(t *testing.T) {
	input := []byte(`{"command":"sh test.sh --verbose\necho done","description":"Run the test"}`)
	use := anthropic.Block{Type: anthropic.BlockToolUse, ID: "b1", Name: "Bash", Input: input}
	res := anthropic.Block{Type: anthropic.BlockToolResult, ToolUseID: "b1", Content: []anthropic.Block{anthropic.Text("PASS")}}

	live := newTestModel(t, 80, 24)
	live.send(ev(agent.Event{Kind: agent.EventAssistant, Message: &anthropic.Response{Content: []anthropic.Block{use}}}))
	call := &agent.ToolCall{ID: "b1", Name: "Bash", Input: input, Result: result("PASS", "Done (5ms)", false, ""),
		Target: tools.Target{Kind: tools.TargetCommand, Command: "sh test.sh --verbose\necho done", Summary: "Bash: Run the test"}}
	live.send(ev(agent.Event{Kind: agent.EventToolEnd, Tool: call}))
	liveLine := toolLine(t, live.screen(), "✓")
	if want := "✓ Bash: sh test.sh --verbose …  Run the test"; liveLine != want {
		t.Errorf("live line = %q, want %q", liveLine, want)
	}

	resumed := newTestModel(t, 80, 24)
	resumed.conv.loadTranscript(&session.Transcript{ID: "s", Entries: []session.Entry{
		{Type: session.TypeAssistant, Message: &session.Message{Role: anthropic.RoleAssistant, Content: []anthropic.Block{use}}},
		{Type: session.TypeUser, ToolUseResult: true, Message: &session.Message{Role: anthropic.RoleUser, Content: []anthropic.Block{res}}},
	}}, "/home/dev/shop")
	if got := toolLine(t, resumed.screen(), "✓"); got != liveLine {
		t.Errorf("resumed line = %q, live line = %q", got, liveLine)
	}

	long := newTestModel(t, 40, 12)
	long.send(ev(agent.Event{Kind: agent.EventAssistant, Message: &anthropic.Response{Content: []anthropic.Block{
		{Type: anthropic.BlockToolUse, ID: "b2", Name: "Bash", Input: []byte(`{"command":"go test ./internal/... -run TestSomethingLong -count=1","description":"Run one test"}`)}}}}))
	if got := toolLine(t, long.screen(), "Bash"); got != "○ Bash: go test ./internal/... -run Te…" {
		t.Errorf("long command line = %q", got)
	}
}

// TestDialogScrollsToTheLastLine: PgDn in a long preview reaches its last line, and the
// count of hidden lines is right on the way.
func TestDialogScrollsToTheLastLine(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	var diff strings.Builder
	diff.WriteString("--- a/big.go\n+++ b/big.go\n@@ -1,40 +1,40 @@\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&diff, "+line %d\n", i)
	}
	tm.send(askMsg{ctx: context.Background(), reply: make(chan agent.Answer, 1), q: agent.Question{
		Call: *toolCall("w", "Write", tools.TargetWrite, "Write big.go", diff.String())}})
	s := tm.screen()
	shown := strings.Count(s, "│ +line ")
	if want := fmt.Sprintf("… %d more lines (pgdn)", 40-shown); !strings.Contains(s, want) {
		t.Errorf("first page shows %d lines but not %q:\n%s", shown, want, s)
	}
	for i := 0; i < 20; i++ {
		tm.keys("pgdown")
	}
	s = tm.screen()
	if !strings.Contains(s, "+line 40 ") || strings.Contains(s, "more lines") {
		t.Errorf("scrolled to the end, the dialog does not end on the last line:\n%s", s)
	}
	checkFits(t, s, 80, 24)
}

// TestDraftsAreNeverLost: Esc Esc, Esc with queued prompts and Ctrl+C each keep what was
// typed somewhere the person can get it back.
func TestDraftsAreNeverLost(t *testing.T) {
	newHist := func(t *testing.T, tm *testModel) {
		h := history.Open(filepath.Join(t.TempDir(), "h.jsonl"), "")
		tm.hist, tm.nav = h, newHistoryNav(h)
	}
	t.Run("rewind keeps the draft in the history", func(t *testing.T) {
		tm := newTestModel(t, 80, 24)
		newHist(t, tm)
		tm.typeText("first prompt")
		tm.keys("enter")
		tm.drain(2 * time.Second)
		tm.typeText("a draft I was writing")
		tm.keys("esc", "esc")
		if v := tm.in.value(); v != "first prompt" {
			t.Fatalf("Esc Esc put %q in the input", v)
		}
		if s := tm.screen(); strings.Contains(s, "press Esc again") {
			t.Errorf("the Esc hint stays after the rewind:\n%s", s)
		}
		tm.keys("up")
		if v := tm.in.value(); v != "a draft I was writing" {
			t.Errorf("Up after the rewind = %q, want the draft", v)
		}
	})
	t.Run("Esc puts queued prompts back", func(t *testing.T) {
		tm := newTestModel(t, 80, 24)
		started := make(chan struct{}, 1)
		tm.eng.run = func(ctx context.Context, _ []anthropic.Block) agent.Result {
			started <- struct{}{}
			<-ctx.Done()
			return agent.Result{Subtype: agent.ErrInterrupted, Err: ctx.Err()}
		}
		tm.typeText("long job")
		tm.keys("enter")
		<-started
		tm.typeText("then this")
		tm.keys("enter")
		tm.typeText("and half a thought")
		tm.keys("esc")
		if v := tm.in.value(); v != "then this\n\nand half a thought" {
			t.Errorf("input after Esc = %q, want the queued prompt and the draft", v)
		}
		if s := tm.screen(); !strings.Contains(s, "1 queued prompt(s) moved back to the input") {
			t.Errorf("no word about the queued prompt:\n%s", s)
		}
		tm.drain(2 * time.Second)
		if got := tm.eng.got(); len(got) != 1 {
			t.Errorf("prompts sent = %q, want only the interrupted one", got)
		}
	})
	t.Run("Ctrl+C clears into the history", func(t *testing.T) {
		tm := newTestModel(t, 80, 24)
		newHist(t, tm)
		tm.typeText("something long")
		tm.keys("ctrl+c")
		if v := tm.in.value(); v != "" || tm.quitting {
			t.Fatalf("first Ctrl+C: input %q, quitting %v", v, tm.quitting)
		}
		if s := tm.screen(); !strings.Contains(s, "Up brings it back") {
			t.Errorf("no word on getting the input back:\n%s", s)
		}
		tm.keys("up")
		if v := tm.in.value(); v != "something long" {
			t.Errorf("Up after Ctrl+C = %q", v)
		}
	})
}

// TestEscCancelsCompact: /compact runs on a context of its own, which Esc cancels.
func TestEscCancelsCompact(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	tm.eng.compact = func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	}
	tm.typeText("/compact")
	tm.keys("enter")
	if s := tm.screen(); !strings.Contains(s, "compacting the conversation… 0s · esc to cancel") {
		t.Fatalf("no cancellable progress line:\n%s", s)
	}
	tm.keys("esc")
	tm.drain(2 * time.Second)
	if tm.busy != "" {
		t.Fatalf("still busy after Esc: %q", tm.busy)
	}
	if s := tm.screen(); !strings.Contains(s, "/compact cancelled") {
		t.Errorf("no word that /compact was cancelled:\n%s", s)
	}
}

// TestWrapLinesHangs: wrapped lines of command output continue under their text, never in
// the middle of a word.
func TestWrapLinesHangs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		width    int
		want     []string
	}{
		{"doctor check", "✓ Primary model: us.anthropic.claude-sonnet-5-5 in us-east-1, invokable", 40,
			[]string{"✓ Primary model:", "  us.anthropic.claude-sonnet-5-5 in", "  us-east-1, invokable"}},
		{"status row", "Credentials        EnvConfigCredentials, key AKIDEXAMPLE, does not expire", 50,
			[]string{"Credentials        EnvConfigCredentials, key", "                   AKIDEXAMPLE, does not expire"}},
		{"indented fix", "    fix: Set AWS_REGION (setup guide S11), e.g. export AWS_REGION=us-east-1.", 40,
			[]string{"    fix: Set AWS_REGION (setup guide", "    S11), e.g. export", "    AWS_REGION=us-east-1."}},
		{"sentence", "the quick brown fox jumps over the lazy dog", 12,
			[]string{"the quick", "brown fox", "jumps over", "the lazy dog"}},
		{"long word", strings.Repeat("x", 25), 10, []string{"xxxxxxxxxx", "xxxxxxxxxx", "xxxxx"}},
		{"fits", "short line", 40, []string{"short line"}},
	}
	for _, tt := range tests {
		if got := wrapLines(tt.in, tt.width); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: wrapLines = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestToolOutputWrapsAtWords: an expanded tool output wraps its long lines between words.
func TestToolOutputWrapsAtWords(t *testing.T) {
	tm := newTestModel(t, 60, 24)
	call := toolCall("r", "Read", tools.TargetRead, "Read notes.txt", "")
	call.Result = result("Remember to multiply the price by the quantity before summing the cart total", "Read notes.txt (1 lines)", false, "")
	tm.send(ev(agent.Event{Kind: agent.EventToolEnd, Tool: call}))
	tm.keys("ctrl+o")
	s := tm.screen()
	if !strings.Contains(s, "    Remember to multiply the price by the quantity before\n    summing the cart total") {
		t.Errorf("the output is not wrapped between words:\n%s", s)
	}
}

// TestMouseCapture: the wheel scrolls from the start (on the alternate screen most
// terminals would turn it into Up and Down, paging through prompt history); /mouse gives the
// mouse to the terminal for selecting text, and back; GANBAN_MOUSE=off starts without it.
func TestMouseCapture(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	for _, want := range []tea.MouseMode{tea.MouseModeCellMotion, tea.MouseModeNone, tea.MouseModeCellMotion} {
		if got := tm.View().MouseMode; got != want {
			t.Fatalf("mouse mode = %v, want %v", got, want)
		}
		tm.typeText("/mouse")
		tm.keys("enter")
	}
	off := newModel(config{ctx: context.Background(), mouseOff: true})
	if got := off.View().MouseMode; got != tea.MouseModeNone {
		t.Errorf("with GANBAN_MOUSE=off the mouse mode is %v", got)
	}
}
