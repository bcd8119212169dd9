package demo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStartWritesTheProjectAndServes(t *testing.T) {
	d, err := Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for name := range project {
		if _, err := os.Stat(filepath.Join(d.Dir, name)); err != nil {
			t.Error(err)
		}
	}
	if d.Env()["ANTHROPIC_BEDROCK_BASE_URL"] != d.URL || d.URL == "" {
		t.Errorf("env %v", d.Env())
	}
}

func TestForeignVariablesAreThoseThatSteerASession(t *testing.T) {
	environ := []string{"PATH=/bin", "HOME=/home/a", "AWS_PROFILE=work", "AWS_BEARER_TOKEN_BEDROCK=x",
		"ANTHROPIC_MODEL=arn:aws:bedrock:us-east-2:111122223333:application-inference-profile/a",
		"CLAUDE_CONFIG_DIR=/c", "CLAUDE_CODE_MAX_OUTPUT_TOKENS=4096", "GANBAN_HOME=/g", "DISABLE_PROMPT_CACHING=1",
		"MAX_THINKING_TOKENS=1024", "GANBAN_MANAGED_SETTINGS=/etc/m.json", "TERM=xterm", "AWSOME=1"}
	got := Foreign(environ)
	want := []string{"AWS_PROFILE", "AWS_BEARER_TOKEN_BEDROCK", "ANTHROPIC_MODEL", "CLAUDE_CONFIG_DIR",
		"CLAUDE_CODE_MAX_OUTPUT_TOKENS", "GANBAN_HOME", "DISABLE_PROMPT_CACHING", "MAX_THINKING_TOKENS"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Foreign = %v, want %v", got, want)
	}
}
