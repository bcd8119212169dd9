// Package tui drives the real ganban binary's interactive UI in a detached tmux session
// against the Bedrock simulator: it types, reads the screen with capture-pane and checks
// the files the session leaves behind.
package tui

import (
	"os"
	"testing"

	"ganban/internal/testenv"
)

var ganbanBin string

// requireTmux is read before testenv.MainWithGanban, which clears every GANBAN_* variable.
var requireTmux bool

func TestMain(m *testing.M) {
	requireTmux = os.Getenv("GANBAN_REQUIRE_TMUX") != ""
	testenv.MainWithGanban(m, &ganbanBin)
}
