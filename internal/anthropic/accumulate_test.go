package anthropic

import (
	"encoding/json"
	"testing"
)

// TestToolInputThatIsNotJSON: a tool input streamed as something other than a JSON object is
// kept aside, and the block holds {} so it can be stored and sent back.
func TestToolInputThatIsNotJSON(t *testing.T) {
	cases := []struct {
		name      string
		parts     []string
		input     string
		malformed string
	}{
		{"object", []string{`{"file_path":`, ` "/a"}`}, `{"file_path": "/a"}`, ""},
		{"no input", []string{""}, `{}`, ""},
		{"cut short", []string{`{"file_path": "/a`}, `{}`, `{"file_path": "/a`},
		{"trailing garbage", []string{`{"a": 1}}`}, `{}`, `{"a": 1}}`},
		{"an array", []string{`[1, 2]`}, `{}`, `[1, 2]`},
		{"a string", []string{`"x"`}, `{}`, `"x"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var acc Accumulator
			zero := 0
			events := []Event{
				{Type: EventMessageStart, Message: &Response{ID: "msg_1", Role: RoleAssistant}},
				{Type: EventContentBlockStart, Index: &zero, ContentBlock: &Block{Type: BlockToolUse, ID: "toolu_1", Name: "Read", Input: json.RawMessage("{}")}},
			}
			for _, p := range tc.parts {
				events = append(events, Event{Type: EventContentBlockDelta, Index: &zero, Delta: &Delta{Type: DeltaInputJSON, PartialJSON: &p}})
			}
			events = append(events, Event{Type: EventContentBlockStop, Index: &zero}, Event{Type: EventMessageStop})
			for _, e := range events {
				if err := acc.Add(e); err != nil {
					t.Fatal(err)
				}
			}
			b := acc.Message().Content[0]
			if string(b.Input) != tc.input || b.MalformedInput != tc.malformed {
				t.Errorf("input %s, malformed %q; want %s, %q", b.Input, b.MalformedInput, tc.input, tc.malformed)
			}
			if _, err := json.Marshal(acc.Message()); err != nil {
				t.Errorf("the message does not encode: %v", err)
			}
		})
	}
}
