package tui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"ganban/internal/testenv"
)

// TestFirstRunOffersTheDemo is a newcomer half-way through the setup guide: settings name a
// profile that does not exist yet and a model ARN from their account, and there are no
// credentials. The first screen says what is missing; d starts the demo in the same
// terminal, which ignores those settings, puts its request in the input and fixes the bug
// after the person approves the command and the edit.
func TestFirstRunOffersTheDemo(t *testing.T) {
	tt := newTerm(t, 100, 30)
	home, repo, tmp := t.TempDir(), t.TempDir(), t.TempDir()
	settings := `{"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-2", "AWS_PROFILE": "work",
	  "ANTHROPIC_MODEL": "arn:aws:bedrock:us-east-2:111122223333:application-inference-profile/a1b2c3d4e5f6"}}`
	if err := os.MkdirAll(filepath.Join(home, ".claude"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".claude", "settings.json"), []byte(settings), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(replaceEnv(testenv.Env(home), "TERM=xterm-256color"), "TMPDIR="+tmp)

	tt.start("first", repo, env, ganbanBin)
	tt.waitFor("first", waitMax, "cannot reach Claude on Amazon Bedrock", "d: demo")
	tt.keys("first", "d")
	screen := tt.waitFor("first", waitMax, "The test fails. Find the bug in greet.sh and fix it.", "Claude Sonnet 4.5")
	dir := regexp.MustCompile(`/\S*ganban-demo-\S*/greet`).FindString(screen)
	if dir == "" || !strings.HasPrefix(dir, tmp) {
		t.Fatalf("the demo's project %q is not under TMPDIR %s:\n%s", dir, tmp, screen)
	}
	tt.keys("first", "Enter")

	// Each Bash run and the edit ask first; Enter allows once.
	asked := 0
	deadline := time.Now().Add(waitMax)
	for {
		s := tt.screen("first")
		if strings.Contains(s, "now prints PASS") {
			break
		}
		if strings.Contains(s, "1. Yes") {
			asked++
			time.Sleep(500 * time.Millisecond) // the dialog ignores keys typed ahead of it
			tt.keys("first", "Enter")
			tt.waitGone("first", "1. Yes")
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo did not finish; the screen shows:\n%s", s)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if asked != 3 {
		t.Errorf("the demo asked %d times, want 3 (test, edit, test)", asked)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "greet.sh"))
	if !strings.Contains(string(data), `echo "Hello, $name!"`) {
		t.Errorf("greet.sh not fixed:\n%s", data)
	}
	tt.keys("first", "C-c")
	tt.keys("first", "C-c")
	tt.waitFor("first", waitMax, "GANBAN_EXIT=0")
	if _, err := os.Stat(filepath.Join(home, ".ganban")); err == nil {
		t.Errorf("the demo wrote into the user's ~/.ganban; its sessions belong to the demo's directory")
	}
}

// waitGone waits until the screen no longer shows gone.
func (tt *term) waitGone(name, gone string) {
	tt.t.Helper()
	deadline := time.Now().Add(waitMax)
	for strings.Contains(tt.screen(name), gone) {
		if time.Now().After(deadline) {
			tt.t.Fatalf("the screen still shows %q:\n%s", gone, tt.screen(name))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
