package tui

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeCoversKeysAndCommands keeps the README's UI section in step with the key table
// and the command list.
func TestReadmeCoversKeysAndCommands(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, b := range bindings {
		if !strings.Contains(readme, "| "+strings.ReplaceAll(b.keys, "|", `\|`)+" | "+b.action+" |") {
			t.Errorf("README.md lacks the key row %q", b.keys)
		}
	}
	for _, c := range commands() {
		if !strings.Contains(readme, "`/"+c.name) {
			t.Errorf("README.md does not mention /%s", c.name)
		}
	}
}
