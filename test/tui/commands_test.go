package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ganban/internal/testenv"
)

// simEnv is the environment of a ganban session against the simulator at url.
func simEnv(home, url string, extra ...string) []string {
	env := testenv.Env(home,
		"AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID="+akid, "AWS_SECRET_ACCESS_KEY="+secret,
		"ANTHROPIC_BEDROCK_BASE_URL="+url, "ANTHROPIC_MODEL="+sonnet,
		"AWS_CONFIG_FILE="+filepath.Join(home, ".aws", "config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, ".aws", "credentials"))
	return append(replaceEnv(env, "TERM=xterm-256color"), extra...)
}

// TestMemoryEditor runs /memory with an editor that saves only when told to: quitting
// without a change must not be reported as saved.
func TestMemoryEditor(t *testing.T) {
	tt := newTerm(t, 100, 30)
	home, repo := t.TempDir(), t.TempDir()
	url := startSim(t, `{}`, nil)
	marker := filepath.Join(t.TempDir(), "save")
	editor := filepath.Join(t.TempDir(), "editor.sh")
	script := "#!/bin/sh\nif [ -e " + shellQuote(marker) + " ]; then echo '# Notes' >> \"$1\"; fi\n"
	if err := os.WriteFile(editor, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	tt.start("mem", repo, simEnv(home, url, "EDITOR="+editor), ganbanBin)
	tt.waitFor("mem", waitMax, "Ask anything")
	tt.typeText("mem", "/memory")
	tt.keys("mem", "Enter")
	tt.waitFor("mem", waitMax, "CLAUDE.md is unchanged.")
	if s := tt.screen("mem"); strings.Contains(s, "Saved") {
		t.Errorf("an editor that wrote nothing was reported as saved:\n%s", s)
	}
	if err := os.WriteFile(marker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tt.typeText("mem", "/memory")
	tt.keys("mem", "Enter")
	tt.waitFor("mem", waitMax, "Saved "+filepath.Join(repo, "CLAUDE.md"))
	if data, _ := os.ReadFile(filepath.Join(repo, "CLAUDE.md")); string(data) != "# Notes\n" {
		t.Errorf("CLAUDE.md = %q", data)
	}
}
