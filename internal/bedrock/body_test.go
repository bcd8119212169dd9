package bedrock_test

import (
	"context"
	"strings"
	"testing"

	"ganban/internal/bedrock"
	"ganban/internal/sim"
)

// TestNoConnectionLostAfterFastAnswers streams answers one after another from a fast
// endpoint. Before requests got a body of their own, the SDK closing its request body while
// net/http still read it made net/http close connections under live streams within a few
// calls ("use of closed network connection").
func TestNoConnectionLostAfterFastAnswers(t *testing.T) {
	long := strings.Repeat("x", 30000)
	s := startSim(t, sim.Options{Scenario: scenario(t, `{"conversations": [{"match_first_user_text": "go", "steps": [
	  {"reply": {"content": [{"type": "tool_use", "name": "Write", "input": {"content": "`+long+`"}}]}}]}]}`)})
	rec := &recorder{}
	c := newClient(t, s, clientOpts{rec: rec})
	for i := 0; i < 100; i++ {
		for _, err := range c.Stream(context.Background(), bedrock.Call{Model: sonnet45, Request: userTurn("go", writeTool), MaxTokens: 4096}) {
			if err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
		}
		if n := rec.all(); len(n) > 0 {
			t.Fatalf("call %d needed a retry: %v", i, n[0])
		}
	}
}
