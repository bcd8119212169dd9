// Package tui drives the real ganban binary's interactive UI in a detached tmux session
// against the Bedrock simulator: it types, reads the screen with capture-pane and checks
// the files the session leaves behind.
package tui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"ganban/internal/testenv"
)

var ganbanBin string

// requireTmux is read before testenv.Main, which clears every GANBAN_* variable.
var requireTmux bool

func TestMain(m *testing.M) {
	requireTmux = os.Getenv("GANBAN_REQUIRE_TMUX") != ""
	dir, err := os.MkdirTemp("", "ganban-tui-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ganbanBin = filepath.Join(dir, "ganban")
	if out, err := exec.Command("go", "build", "-o", ganbanBin, "ganban/cmd/ganban").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build ganban: %v\n%s", err, out)
		os.Exit(2)
	}
	defer os.RemoveAll(dir)
	testenv.Main(m)
}
