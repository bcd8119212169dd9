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
	write(t, filepath.Join(root, "CLAUDE.md"), "root rules\nSee @docs/style.md for style, not `@docs/style.md`.\n```\n@not/imported.md\n```\n")
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
	if !strings.Contains(rootFile, "tabs, not spaces") || !strings.Contains(rootFile, "@not/imported.md") || strings.Count(rootFile, "root rules") != 1 ||
		strings.Count(rootFile, "tabs, not spaces") != 1 || !strings.Contains(rootFile, "not `@docs/style.md`.") {
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

// FuzzExpand expands any memory text without failing or looping: the text outside its
// imports is kept, and a file importing itself is read once.
func FuzzExpand(f *testing.F) {
	f.Add("See @a.md and `@a.md`\n```\n@a.md\n```\n@./a.md @~/x @/etc/hostname")
	f.Add("@a.md@a.md `@a.md")
	f.Fuzz(func(t *testing.T, text string) {
		dir := t.TempDir()
		write(t, filepath.Join(dir, "a.md"), "A says @a.md")
		write(t, filepath.Join(dir, "CLAUDE.md"), text)
		files := Load(Options{WorkDir: dir})
		if len(files) != 1 {
			t.Fatalf("files = %v", files)
		}
		if got := files[0].Content; strings.Count(got, "A says") > strings.Count(text, "@") {
			t.Errorf("imported more often than asked: %q -> %q", text, got)
		}
	})
}
