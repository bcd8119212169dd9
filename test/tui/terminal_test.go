package tui

import (
	"regexp"
	"testing"
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
