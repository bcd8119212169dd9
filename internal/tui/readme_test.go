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

// TestReadmeScreenshotIsTheCapture: the README's screenshot text is docs/screenshot.txt, and
// docs/screenshot.svg was drawn from the same capture (test/tui writes both from one tmux
// capture-pane), so the image and the text cannot drift apart or be edited by hand alone.
func TestReadmeScreenshotIsTheCapture(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile("../../docs/screenshot.txt")
	if err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile("../../docs/screenshot.svg")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "](docs/screenshot.svg)") {
		t.Error("README.md does not show docs/screenshot.svg")
	}
	if !strings.Contains(string(readme), "```\n"+string(text)+"```\n") {
		t.Error("README.md's screenshot block is not docs/screenshot.txt (regenerate both with the test/tui command in README.md)")
	}
	// Every word of the capture is in the image: the image holds the text piece by piece.
	for _, w := range strings.Fields(string(text)) {
		if strings.Trim(w, "─") == "" {
			continue
		}
		w = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(w)
		if !strings.Contains(string(svg), w) {
			t.Errorf("docs/screenshot.svg lacks %q of docs/screenshot.txt: they are not from one capture", w)
		}
	}
	if strings.Contains(string(text), "Working…") {
		t.Error("the screenshot was taken while the answer was still running")
	}
}
