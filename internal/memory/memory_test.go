package memory

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoad(t *testing.T) {
	root := t.TempDir()
	user := t.TempDir()
	write(t, filepath.Join(user, "CLAUDE.md"), "user prefs")
	write(t, filepath.Join(root, "CLAUDE.md"), "root rules\nSee @docs/style.md for style.\n```\n@not/imported.md\n```\n")
	write(t, filepath.Join(root, "docs", "style.md"), "tabs, not spaces; also @../CLAUDE.md (a cycle)")
	write(t, filepath.Join(root, "AGENTS.md"), "agents file")
	write(t, filepath.Join(root, "pkg", ".claude", "CLAUDE.md"), "pkg rules")
	write(t, filepath.Join(root, "pkg", "CLAUDE.local.md"), "my local notes")
	write(t, filepath.Join(root, "other", "CLAUDE.md"), "not on the path")

	files := Load(Options{WorkDir: filepath.Join(root, "pkg"), Root: root, UserDir: user})
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimPrefix(strings.TrimPrefix(f.Path, root), user))
	}
	want := []string{"/CLAUDE.md", "/CLAUDE.md", "/AGENTS.md", "/pkg/.claude/CLAUDE.md", "/pkg/CLAUDE.local.md"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("files = %v, want %v", names, want)
	}
	if files[0].Content != "user prefs" {
		t.Errorf("user file first: %q", files[0].Content)
	}
	rootFile := files[1].Content
	if !strings.Contains(rootFile, "tabs, not spaces") || !strings.Contains(rootFile, "@not/imported.md") || strings.Count(rootFile, "root rules") != 1 {
		t.Errorf("imports: %q", rootFile)
	}
}

func TestNotUnderRoot(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "CLAUDE.md"), "here")
	if files := Load(Options{WorkDir: dir, Root: t.TempDir()}); len(files) != 1 {
		t.Errorf("files = %v", files)
	}
}
