package agent

import (
	"strings"
	"testing"
	"unicode/utf8"

	"ganban/internal/anthropic"
)

func TestWaterLevel(t *testing.T) {
	cases := []struct {
		sizes []int64
		room  int64
		want  int64
	}{
		{[]int64{10, 20, 30}, 60, 30},
		{[]int64{10, 20, 30}, 100, 30},
		{[]int64{10, 20, 30}, 40, 15},
		{[]int64{10, 20, 30}, 0, 0},
		{[]int64{100, 100}, 50, 25},
		{nil, 10, 0},
	}
	for _, tc := range cases {
		if got := waterLevel(tc.sizes, tc.room); got != tc.want {
			t.Errorf("waterLevel(%v, %d) = %d, want %d", tc.sizes, tc.room, got, tc.want)
		}
	}
}

// TestShrinkToolResults: the largest tool results are cut, head and tail kept, until the
// estimate fits; the conversation it was given is not changed.
func TestShrinkToolResults(t *testing.T) {
	big, small := strings.Repeat("é", 20000), "small result"
	msgs := []anthropic.Message{
		{Role: "user", Content: []anthropic.Block{anthropic.Text("read them")}},
		{Role: "assistant", Content: []anthropic.Block{{Type: "tool_use", ID: "a", Name: "Read", Input: []byte(`{}`)}, {Type: "tool_use", ID: "b", Name: "Read", Input: []byte(`{}`)}}},
		{Role: "user", Content: []anthropic.Block{anthropic.ToolResult("a", "HEAD"+big+"TAIL", false), anthropic.ToolResult("b", small, false)}},
	}
	cases := []struct {
		budget int64
		cut    bool
	}{{100000, false}, {5000, true}, {1000, true}}
	for _, tc := range cases {
		out := shrinkToolResults(msgs, tc.budget)
		first := out[2].Content[0].Content[0].Text
		if cut := first != "HEAD"+big+"TAIL"; cut != tc.cut {
			t.Fatalf("budget %d: cut = %v", tc.budget, cut)
		}
		if !tc.cut {
			continue
		}
		if n := messagesTokens(out); n > tc.budget {
			t.Errorf("budget %d: %d tokens after shrinking", tc.budget, n)
		}
		if !strings.HasPrefix(first, "HEAD") || !strings.HasSuffix(first, "TAIL") || !strings.Contains(first, "bytes left out") || !utf8.ValidString(first) {
			t.Errorf("budget %d: shrunk result %.60q...", tc.budget, first)
		}
		if out[2].Content[1].Content[0].Text != small {
			t.Errorf("budget %d: the small result was cut", tc.budget)
		}
	}
	if msgs[2].Content[0].Content[0].Text != "HEAD"+big+"TAIL" {
		t.Error("the conversation itself was changed")
	}
}
