package tui

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// term is a detached tmux server of its own (its own socket directory), so the test never
// touches a tmux the developer runs.
type term struct {
	t      *testing.T
	tmpdir string
	w, h   int
}

// newTerm starts nothing yet; it skips the test when tmux is missing, unless
// GANBAN_REQUIRE_TMUX says it must run (CI installs tmux).
func newTerm(t *testing.T, w, h int) *term {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if requireTmux {
			t.Fatalf("tmux is required (GANBAN_REQUIRE_TMUX is set) but not installed: %v", err)
		}
		t.Skip("tmux is not installed (apt-get install -y tmux)")
	}
	// Socket paths are limited to about 100 bytes: use a short directory.
	dir, err := os.MkdirTemp("/tmp", "gbt")
	if err != nil {
		t.Fatal(err)
	}
	tt := &term{t: t, tmpdir: dir, w: w, h: h}
	t.Cleanup(func() {
		tt.tmux("kill-server")
		os.RemoveAll(dir)
	})
	return tt
}

func (tt *term) tmux(args ...string) (string, error) {
	cmd := exec.Command("tmux", append([]string{"-f", "/dev/null"}, args...)...)
	cmd.Env = []string{"TMUX_TMPDIR=" + tt.tmpdir, "PATH=" + os.Getenv("PATH"), "TERM=xterm-256color"}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// start runs command in a new window named name, in dir.
func (tt *term) start(name, dir string, env []string, args ...string) {
	tt.t.Helper()
	var b strings.Builder
	b.WriteString("env -i")
	for _, kv := range env {
		b.WriteString(" " + shellQuote(kv))
	}
	for _, a := range args {
		b.WriteString(" " + shellQuote(a))
	}
	// Keep the pane after ganban exits so the test can read its exit status.
	b.WriteString(" 2>" + shellQuote(filepath.Join(tt.tmpdir, name+".stderr")) + "; echo GANBAN_EXIT=$?; sleep 600")
	if out, err := tt.tmux("new-session", "-d", "-s", name, "-x", itoa(tt.w), "-y", itoa(tt.h), "-c", dir, b.String()); err != nil {
		tt.t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
}

func (tt *term) keys(name string, keys ...string) {
	tt.t.Helper()
	if out, err := tt.tmux(append([]string{"send-keys", "-t", name}, keys...)...); err != nil {
		tt.t.Fatalf("tmux send-keys %q: %v\n%s", keys, err, out)
	}
}

// typeText types literally, then waits a little so that a following Enter is not taken as
// part of a paste.
func (tt *term) typeText(name, text string) {
	tt.t.Helper()
	tt.keys(name, "-l", text)
	time.Sleep(150 * time.Millisecond)
}

func (tt *term) screen(name string) string {
	out, err := tt.tmux("capture-pane", "-p", "-t", name)
	if err != nil {
		tt.t.Fatalf("tmux capture-pane: %v\n%s", err, out)
	}
	return out
}

// resize changes the window's size, as a person dragging the terminal's corner does.
func (tt *term) resize(name string, w, h int) {
	tt.t.Helper()
	if out, err := tt.tmux("resize-window", "-t", name, "-x", itoa(w), "-y", itoa(h)); err != nil {
		tt.t.Fatalf("tmux resize-window: %v\n%s", err, out)
	}
}

// screenColor is the screen with its SGR sequences (capture-pane -e), for the screenshot.
func (tt *term) screenColor(name string) string {
	out, err := tt.tmux("capture-pane", "-p", "-e", "-t", name)
	if err != nil {
		tt.t.Fatalf("tmux capture-pane -e: %v\n%s", err, out)
	}
	return out
}

// waitFor waits until the screen shows every one of wants.
func (tt *term) waitFor(name string, timeout time.Duration, wants ...string) string {
	tt.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := tt.screen(name)
		missing := ""
		for _, w := range wants {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			stderr, _ := os.ReadFile(filepath.Join(tt.tmpdir, name+".stderr"))
			tt.t.Fatalf("the screen did not show %q within %s; it shows:\n%s\nstderr:\n%s", missing, timeout, s, stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func itoa(n int) string { return strconv.Itoa(n) }
