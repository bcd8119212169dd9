package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// colourSGR matches an SGR sequence that sets a foreground or background colour.
var colourSGR = regexp.MustCompile(`\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]`)

// TestNoColorEnvironment: NO_COLOR in ganban's environment takes every colour off the screen
// (the emphasis that stays is bold, faint and reverse); without it the same screen has colour.
func TestNoColorEnvironment(t *testing.T) {
	tt := newTerm(t, 100, 30)
	home, repo := t.TempDir(), t.TempDir()
	url := startSim(t, `{}`, nil)
	for _, tc := range []struct {
		name    string
		noColor bool
	}{{"colour", false}, {"nocolour", true}} {
		env := simEnv(home, url)
		if tc.noColor {
			env = append(env, "NO_COLOR=1")
		}
		tt.start(tc.name, repo, env, ganbanBin)
		tt.waitFor(tc.name, waitMax, "Ask anything")
		tt.typeText(tc.name, "/help")
		tt.keys(tc.name, "Enter")
		tt.waitFor(tc.name, waitMax, "Commands", "/model")
		screen := tt.screenColor(tc.name)
		if c := colourSGR.FindString(screen); tc.noColor != (c == "") {
			t.Errorf("NO_COLOR=%v: colour sequence %q on the screen:\n%q", tc.noColor, c, screen)
		}
		tt.keys(tc.name, "C-c")
		tt.keys(tc.name, "C-c")
		tt.waitFor(tc.name, waitMax, "GANBAN_EXIT=0")
	}
}

// TestPasteInTheTerminal: a large bracketed paste is one block in the input, shown by its
// size, and sent whole.
func TestPasteInTheTerminal(t *testing.T) {
	tt := newTerm(t, 100, 30)
	home, repo := t.TempDir(), t.TempDir()
	url := startSim(t, `{"conversations": [{"match_first_user_text": "pasted line 1\n", "steps": [
  {"expect": {"last_user_text_contains": "pasted line 300"}, "reply": {"content": [{"type": "text", "text": "Got the whole paste."}]}}]}],
 "fallback_reply": {"content": [{"type": "text", "text": "unexpected request"}]}}`, nil)
	tt.start("paste", repo, simEnv(home, url), ganbanBin)
	tt.waitFor("paste", waitMax, "Ask anything")
	var b strings.Builder
	for i := 1; i <= 300; i++ {
		fmt.Fprintf(&b, "pasted line %d\n", i)
	}
	if out, err := tt.tmux("set-buffer", "-b", "big", strings.TrimSuffix(b.String(), "\n")); err != nil {
		t.Fatalf("tmux set-buffer: %v\n%s", err, out)
	}
	// -p pastes with the bracketed-paste markers the program asked the terminal for.
	if out, err := tt.tmux("paste-buffer", "-p", "-b", "big", "-t", "paste"); err != nil {
		t.Fatalf("tmux paste-buffer: %v\n%s", err, out)
	}
	tt.waitFor("paste", waitMax, "[pasted 300 lines #1]")
	time.Sleep(150 * time.Millisecond)
	tt.keys("paste", "Enter")
	tt.waitFor("paste", waitMax, "Got the whole paste.")
	checkExpectations(t, url)
}

// TestShiftEnterInTheTerminal: Shift+Enter and "\" Enter make a new line in a real terminal
// (tmux forwards Shift+Enter once the program asks for modifyOtherKeys), Enter sends.
func TestShiftEnterInTheTerminal(t *testing.T) {
	tt := newTerm(t, 100, 30)
	home, repo := t.TempDir(), t.TempDir()
	url := startSim(t, `{"conversations": [{"match_first_user_text": "first line", "steps": [
  {"expect": {"last_user_text_contains": "first line\nsecond line\nthird line"}, "reply": {"content": [{"type": "text", "text": "Three lines arrived."}]}}]}],
 "fallback_reply": {"content": [{"type": "text", "text": "unexpected request"}]}}`, nil)
	tt.start("keys", repo, simEnv(home, url), ganbanBin)
	if out, err := tt.tmux("set-option", "-s", "extended-keys", "on"); err != nil {
		t.Fatalf("tmux set-option extended-keys: %v\n%s", err, out)
	}
	tt.waitFor("keys", waitMax, "Ask anything")
	tt.typeText("keys", "first line")
	tt.keys("keys", "S-Enter")
	tt.typeText("keys", "second line\\")
	tt.keys("keys", "Enter")
	tt.typeText("keys", "third line")
	s := tt.waitFor("keys", waitMax, "third line")
	if !strings.Contains(s, "first line\n") || !strings.Contains(s, "second line\n") {
		t.Fatalf("the input is not three lines:\n%s", s)
	}
	tt.keys("keys", "Enter")
	tt.waitFor("keys", waitMax, "Three lines arrived.")
	checkExpectations(t, url)
}
