package tui

import (
	"context"
	"fmt"
	"image/color"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	xansi "github.com/charmbracelet/x/ansi"

	"ganban/internal/agent"
	"ganban/internal/tools"
	"ganban/internal/tui/history"
)

// sgrFg finds the foreground colours a line sets: 30-37, 90-97, 38;5;N and 38;2;R;G;B.
var sgrFg = regexp.MustCompile(`\x1b\[(?:[0-9;]*;)?(3[0-7]|9[0-7]|38;5;\d+|38;2;\d+;\d+;\d+)[;m]`)

func lineWith(t *testing.T, content, marker string) string {
	t.Helper()
	for _, l := range strings.Split(content, "\n") {
		if strings.Contains(xansi.Strip(l), marker) {
			return l
		}
	}
	t.Fatalf("no line with %q", marker)
	return ""
}

// TestCodeIsHighlighted: a Go block in an answer is drawn in several colours (chroma), and
// in none with NO_COLOR.
func TestCodeIsHighlighted(t *testing.T) {
	for _, noColor := range []bool{false, true} {
		tm := newTestModel(t, 80, 24)
		tm.noColor = noColor
		tm.setTheme(true)
		codeState(tm)
		line := lineWith(t, tm.View().Content, "func Total(items []Item) int {")
		colours := map[string]bool{}
		for _, m := range sgrFg.FindAllStringSubmatch(line, -1) {
			colours[m[1]] = true
		}
		if noColor && len(colours) > 0 {
			t.Errorf("NO_COLOR: the code line has colours %v: %q", colours, line)
		}
		if !noColor && len(colours) < 2 {
			t.Errorf("the code line is not highlighted (colours %v): %q", colours, line)
		}
	}
}

// TestThinkingIsDimmed: shown thinking is drawn in the dim colour, the answer is not.
func TestThinkingIsDimmed(t *testing.T) {
	tm := newTestModel(t, 100, 40)
	conversationState(tm)
	tm.keys("ctrl+o")
	content := tm.View().Content
	thinking := lineWith(t, content, "Let me look for Price.")
	if want := tm.th.thinking.Render("Let me look for Price."); !strings.Contains(thinking, want) {
		t.Errorf("thinking is not drawn dimmed: %q, want it to contain %q", thinking, want)
	}
}

// TestLongOutputsFold: a long diff and long shell output show their start and say how many
// lines are hidden until Ctrl+O.
func TestLongOutputsFold(t *testing.T) {
	tm := newTestModel(t, 100, 60)
	var diff strings.Builder
	diff.WriteString("--- a/big.go\n+++ b/big.go\n@@ -1,40 +1,40 @@\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&diff, "+line %d\n", i)
	}
	w := toolCall("w", "Write", tools.TargetWrite, "Write big.go", diff.String())
	w.Result = result("ok", "Wrote big.go (40 lines)", false, diff.String())
	tm.send(ev(agent.Event{Kind: agent.EventToolEnd, Tool: w}))
	s := tm.screen()
	if !strings.Contains(s, "+line 1\n") || strings.Contains(s, "+line 40") || !strings.Contains(s, "more lines (ctrl+o to expand)") {
		t.Fatalf("a 43-line diff is not folded:\n%s", s)
	}
	tm.keys("ctrl+o")
	if s := tm.screen(); !strings.Contains(s, "+line 40") {
		t.Errorf("Ctrl+O does not unfold the diff:\n%s", s)
	}
	tm.keys("ctrl+o")

	var out strings.Builder
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&out, "row %d\n", i)
	}
	tm.info.WorkDir = t.TempDir()
	tm.typeText("!printf '" + strings.ReplaceAll(out.String(), "\n", "\\n") + "'")
	tm.run(tm.key(keyMsg("enter")))
	s = tm.screen()
	if !strings.Contains(s, "row 20\n") || strings.Contains(s, "row 21\n") || !strings.Contains(s, "… 10 more lines (ctrl+o to expand)") {
		t.Errorf("30 lines of !command output are not folded at 20:\n%s", s)
	}
}

// TestEscHintThenRewind: the first Esc on an idle prompt says what a second one does.
func TestEscHintThenRewind(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	tm.typeText("first prompt")
	tm.keys("enter")
	tm.drain(2 * time.Second)
	tm.keys("esc")
	if s := tm.screen(); !strings.Contains(s, "press Esc again to edit your last prompt") {
		t.Fatalf("no hint after the first Esc:\n%s", s)
	}
	tm.advance(doublePress + time.Millisecond)
	tm.keys("esc")
	if v := tm.in.value(); v != "" {
		t.Fatalf("two Esc presses %s apart rewound the prompt: %q", doublePress, v)
	}
	tm.keys("esc")
	if v := tm.in.value(); v != "first prompt" {
		t.Errorf("Esc Esc put %q in the input", v)
	}
}

// TestCtrlRAgainFindsOlder: Ctrl+R again steps to the next older match.
func TestCtrlRAgainFindsOlder(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	h := history.Open(filepath.Join(t.TempDir(), "h.jsonl"), "")
	for _, p := range []string{"go test ./a", "unrelated", "go test ./b", "go vet"} {
		h.Add(p)
	}
	tm.hist, tm.nav = h, newHistoryNav(h)
	tm.keys("ctrl+r")
	tm.typeText("go test")
	if s := tm.screen(); !strings.Contains(s, "history search: go test  go test ./b") {
		t.Fatalf("the newest match is not offered first:\n%s", s)
	}
	tm.keys("ctrl+r")
	if s := tm.screen(); !strings.Contains(s, "history search: go test  go test ./a") {
		t.Fatalf("Ctrl+R again does not go to the older match:\n%s", s)
	}
	tm.keys("enter")
	if v := tm.in.value(); v != "go test ./a" {
		t.Errorf("input = %q", v)
	}
	tm.keys("ctrl+r")
	tm.typeText("zzz")
	if s := tm.screen(); !strings.Contains(s, "(no match)") {
		t.Errorf("no word that nothing matches:\n%s", s)
	}
	tm.keys("esc")
	if v := tm.in.value(); v != "go test ./a" || tm.rs != nil {
		t.Errorf("Esc changed the input to %q or left the search open", v)
	}
}

// TestTerminalBackgroundPicksTheTheme: the answer to Init's background query switches the
// colours; the text stays the same.
func TestTerminalBackgroundPicksTheTheme(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	diffState(tm)
	dark := tm.View().Content
	tm.send(tea.BackgroundColorMsg{Color: color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}})
	if tm.th.dark {
		t.Fatal("a white background kept the dark theme")
	}
	light := tm.View().Content
	if light == dark || plain(light) != plain(dark) {
		t.Error("the light background did not change only the colours")
	}
	tm.send(tea.BackgroundColorMsg{Color: color.RGBA{A: 0xff}})
	if !tm.th.dark || tm.View().Content != dark {
		t.Error("a black background did not bring the dark theme back")
	}
}

// TestNoColorEverywhere: with NO_COLOR no view sets a colour, whatever the background.
func TestNoColorEverywhere(t *testing.T) {
	bashCall := toolCall("b1", "Bash", tools.TargetCommand, "Bash: go test ./cart/...", "go test ./cart/...")
	editCall := toolCall("e1", "Edit", tools.TargetWrite, "Edit cart/total.go", editDiff)
	for name, state := range map[string]func(*testModel){
		"conversation": func(tm *testModel) { conversationState(tm); tm.keys("ctrl+o") },
		"code":         codeState, "diff": diffState, "status": statusState, "refresh": refreshState, "setup": setupState,
		"ask bash": askState(bashCall, "Bash(go test:*)"), "ask edit": askState(editCall, "Edit(cart/total.go)"),
		"help": slashState("/help"), "context": slashState("/context"),
	} {
		for _, dark := range []bool{true, false} {
			m := newModel(config{ctx: context.Background(), now: func() time.Time { return epoch }, dark: dark, noColor: true})
			tm := &testModel{Model: m, t: t, eng: &fakeEngine{}, posted: make(chan tea.Msg, 100), elapsed: new(time.Duration)}
			m.eng = tm.eng
			tm.send(tea.WindowSizeMsg{Width: 100, Height: 40})
			state(tm)
			if c := sgrColor.FindString(tm.View().Content); c != "" {
				t.Errorf("%s (dark=%v): NO_COLOR view sets a colour %q", name, dark, c)
			}
		}
	}
}

// TestResizeInEveryView: every view fits the screen exactly after each of a series of
// resizes, so no line is left over from the size before.
func TestResizeInEveryView(t *testing.T) {
	bashCall := toolCall("b1", "Bash", tools.TargetCommand, "Bash: go test ./cart/...", "go test ./cart/... && go vet ./...")
	editCall := toolCall("e2", "Edit", tools.TargetWrite, "Edit cart/total.go", sixLineDiff)
	views := map[string]func(*testModel){
		"conversation": conversationState, "diff": diffState, "status": statusState, "refresh": refreshState,
		"setup": setupState, "ask bash": askState(bashCall, "Bash(go test:*)"), "ask edit": askState(editCall, "Edit(cart/total.go)"),
		"help": slashState("/help"),
		"picker": func(tm *testModel) {
			var items []pickItem
			for i := 0; i < 30; i++ {
				items = append(items, pickItem{label: fmt.Sprintf("session %d with a rather long title to cut", i), value: itoa(i), detail: "3 turns · $0.0100"})
			}
			tm.picker = &picker{title: "Resume a session", items: items}
		},
		"search":     func(tm *testModel) { conversationState(tm); tm.keys("ctrl+f"); tm.typeText("Price") },
		"ctrl+r":     func(tm *testModel) { tm.keys("ctrl+r"); tm.typeText("fix") },
		"completion": func(tm *testModel) { tm.typeText("/") },
		"multiline input": func(tm *testModel) {
			for i := 0; i < 12; i++ {
				tm.typeText(fmt.Sprintf("line %d of a long prompt that wraps at small widths", i))
				tm.keys("shift+enter")
			}
		},
		"busy": func(tm *testModel) { tm.busy = "switching to us.anthropic.claude-haiku-4-5-20251001-v1:0…" },
	}
	sizes := []struct{ w, h int }{{80, 24}, {20, 6}, {200, 60}, {45, 12}, {1, 1}, {160, 48}, {81, 25}}
	for name, state := range views {
		tm := newTestModel(t, 80, 24)
		state(tm)
		for _, sz := range sizes {
			tm.send(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
			w, h := max(sz.w, 20), max(sz.h, 6)
			s := tm.screen()
			lines := splitLines(s)
			if len(lines) != h {
				t.Errorf("%s at %dx%d: %d lines, want %d", name, sz.w, sz.h, len(lines), h)
			}
			for i, l := range lines {
				if n := cells(l); n > w {
					t.Errorf("%s at %dx%d: line %d is %d cells wide: %q", name, sz.w, sz.h, i, n, l)
				}
			}
		}
	}
}

// TestDialogOptionsWrap: a long rule and a long reason are shown whole, wrapped in the box,
// with where "always" saves the rule.
func TestDialogOptionsWrap(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	rule := "Edit(//home/dev/projects/a-rather-long-directory-name/services/billing/**)"
	askState(toolCall("e", "Edit", tools.TargetWrite, "Edit total.go", editDiff), rule)(tm)
	tm.advance(answerGuard)
	tm.keys("4")
	reason := "no: the quantity is already applied in the caller, look at cart/checkout.go first"
	tm.typeText(reason)
	s := tm.screen()
	checkFits(t, s, 80, 24)
	var text strings.Builder
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(strings.Trim(strings.TrimSpace(l), "│"))
		text.WriteString(strings.TrimPrefix(l, "❯ ") + " ")
	}
	// Wrapping may break after a hyphen: compare without the spaces.
	squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
	joined := squeeze(text.String())
	for _, want := range []string{"always allow " + rule + " (saved in .claude/settings.local.json)", reason} {
		if !strings.Contains(joined, squeeze(want)) {
			t.Errorf("the dialog does not show %q whole:\n%s", want, s)
		}
	}
}

// TestResizeRepaintsOnceSettled: once the last of a burst of resizes has settled, the
// scrolling region is reset to the whole screen, everything is drawn again and the size is
// read again; a report of the same size changes nothing.
func TestResizeRepaintsOnceSettled(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	if cmd := tm.update(tea.WindowSizeMsg{Width: 80, Height: 24}); cmd != nil {
		t.Error("the same size again schedules a repaint")
	}
	first := tm.update(tea.WindowSizeMsg{Width: 60, Height: 15})
	last := tm.update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if first == nil || last == nil {
		t.Fatal("a resize schedules no repaint")
	}
	if cmd := tm.update(first()); cmd != nil {
		t.Error("an earlier resize of the burst repaints")
	}
	seq := reflect.ValueOf(tm.update(last())())
	if seq.Kind() != reflect.Slice {
		t.Fatalf("the last resize does not repaint: %T", seq.Interface())
	}
	var got []string
	for i := 0; i < seq.Len(); i++ {
		msg := seq.Index(i).Interface().(tea.Cmd)()
		if raw, ok := msg.(tea.RawMsg); ok {
			got = append(got, fmt.Sprintf("raw %q", raw.Msg))
			continue
		}
		got = append(got, fmt.Sprintf("%T", msg))
	}
	want := []string{`raw "\x1b[;r"`, fmt.Sprintf("%T", tea.ClearScreen()), fmt.Sprintf("%T", tea.RequestWindowSize())}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("after the last resize: %v, want %v", got, want)
	}
}

// TestDiffColours: added lines are drawn green and removed ones red, on either background,
// in the conversation and in the permission dialog.
func TestDiffColours(t *testing.T) {
	for _, dark := range []bool{true, false} {
		for name, state := range map[string]func(*testModel){
			"conversation": diffState,
			"dialog":       askState(toolCall("e1", "Edit", tools.TargetWrite, "Edit cart/total.go", editDiff), "Edit(cart/total.go)"),
		} {
			tm := newTestModel(t, 80, 24)
			tm.setTheme(dark)
			state(tm)
			content := tm.View().Content
			for _, c := range []struct {
				marker string
				want   func(string) string
			}{
				{"+       sum += it.Price * it.Qty", func(s string) string { return tm.th.diffAdd.Render(s) }},
				{"-       sum += it.Price", func(s string) string { return tm.th.diffDel.Render(s) }},
			} {
				line := lineWith(t, content, c.marker)
				if !strings.Contains(line, c.want(c.marker)) {
					t.Errorf("%s (dark=%v): %q is not drawn in its colour: %q", name, dark, c.marker, line)
				}
			}
			if tm.th.diffAdd.Render("x") == tm.th.diffDel.Render("x") || tm.th.diffAdd.Render("x") == "x" {
				t.Errorf("dark=%v: added and removed lines are not told apart by colour", dark)
			}
		}
	}
}
