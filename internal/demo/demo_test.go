package demo

import (
	"os"
	"path/filepath"
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
