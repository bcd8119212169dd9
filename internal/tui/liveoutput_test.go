package tui

import (
	"strings"
	"testing"
	"time"
)

// TestRunningCommandShowsItsOutput: while a command runs, its latest output shows under its
// line; once it ends, the result takes its place.
func TestRunningCommandShowsItsOutput(t *testing.T) {
	lm := newLiveModel(t, liveConfig{
		homeFiles: map[string]string{".claude/settings.json": `{"permissions": {"allow": ["Bash"]}}`},
		scenario: `{"conversations": [{"match_first_user_text": "build", "steps": [
  {"reply": {"content": [{"type": "tool_use", "name": "Bash", "input": {"command": "echo compiling; echo linking >&2; sleep 1.5; echo finished", "description": "Build"}}]}},
  {"reply": {"content": [{"type": "text", "text": "Built."}]}}]}]}`})
	s := lm.submit("build it", "│ compiling", "│ linking")
	if strings.Contains(s, "│ finished") {
		t.Fatalf("the end of the output showed before the command wrote it:\n%s", s)
	}
	lm.advance(time.Second)
	s = lm.waitFor("Built.")
	lm.idle()
	if strings.Contains(s, "│ compiling") {
		t.Errorf("the live output stayed after the command ended:\n%s", s)
	}
}
