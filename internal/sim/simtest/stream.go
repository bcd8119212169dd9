package simtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"ganban/internal/anthropic"
	"ganban/internal/sim"
)

// RecordedStream asks a simulator for one streamed answer of text (textBytes long) and a
// Write call whose input holds inputBytes of content, and returns the raw
// application/vnd.amazon.eventstream body: frames exactly as the simulator's encoder writes
// them, 16-byte text deltas and 24-byte partial_json deltas, as Bedrock sends them. The
// stream benchmarks replay it.
func RecordedStream(tb testing.TB, textBytes, inputBytes int) []byte {
	tb.Helper()
	text := strings.Repeat("The quick brown fox jumps over the lazy dog; ", textBytes/45+1)[:textBytes]
	input, _ := json.Marshal(map[string]string{"file_path": "/tmp/big.go", "content": strings.Repeat("x := compute(y) // step\n", inputBytes/24+1)[:inputBytes]})
	sc, err := sim.ParseScenario([]byte(fmt.Sprintf(`{"conversations": [{"match_first_user_text": "go", "steps": [{"reply": {"content": [
	  {"type": "text", "text": %q}, {"type": "tool_use", "name": "Write", "input": %s}]}}]}]}`, text, input)), nil)
	if err != nil {
		tb.Fatal(err)
	}
	s := Start(tb, sim.Options{Scenario: sc})
	body, _ := json.Marshal(anthropic.Request{AnthropicVersion: "bedrock-2023-05-31", MaxTokens: 64000,
		Tools:    []anthropic.Tool{{Name: "Write", InputSchema: []byte(`{"type":"object"}`)}},
		Messages: []anthropic.Message{{Role: anthropic.RoleUser, Content: []anthropic.Block{anthropic.Text("go")}}}})
	resp, err := http.Post(s.URL+"/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream", "application/json", bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		tb.Fatalf("stream: %v %s %.300s", err, resp.Status, raw)
	}
	return raw
}
