package slash

import (
	"os"
	"path/filepath"
	"testing"

	"ganban/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func write(t *testing.T, path, text string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	proj, user := t.TempDir(), t.TempDir()
	write(t, filepath.Join(proj, "review.md"), "---\ndescription: Review the diff\nargument-hint: [focus]\n---\nReview the changes, focusing on $ARGUMENTS.\n")
	write(t, filepath.Join(proj, "frontend", "test.md"), "# Run the frontend tests\nnpm test")
	write(t, filepath.Join(user, "review.md"), "user version")
	write(t, filepath.Join(user, "fix.md"), "Fix issue $ARGUMENTS and $ARGUMENTS again")
	write(t, filepath.Join(user, "notes.txt"), "ignored")
	got := Load(proj, user)
	want := []struct{ name, scope, desc string }{
		{"fix", "user", "Fix issue $ARGUMENTS and $ARGUMENTS again"},
		{"frontend:test", "project", "Run the frontend tests"},
		{"review", "project", "Review the diff"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d commands: %+v", len(got), got)
	}
	for i, w := range want {
		if got[i].Name != w.name || got[i].Scope != w.scope || got[i].Description != w.desc {
			t.Errorf("command %d = %q %q %q, want %+v", i, got[i].Name, got[i].Scope, got[i].Description, w)
		}
	}
	if got[2].ArgumentHint != "[focus]" {
		t.Errorf("argument hint = %q", got[2].ArgumentHint)
	}
}

func TestExpand(t *testing.T) {
	t.Parallel()
	tests := []struct{ body, args, want string }{
		{"Fix $ARGUMENTS now", "#12", "Fix #12 now"},
		{"Fix $ARGUMENTS, then $ARGUMENTS", "a b", "Fix a b, then a b"},
		{"Run the tests", "", "Run the tests"},
		{"Run the tests", "only unit", "Run the tests\n\nonly unit"},
		{"Check $ARGUMENTS", "", "Check "},
	}
	for _, tt := range tests {
		if got := (Command{Body: tt.body}).Expand(tt.args); got != tt.want {
			t.Errorf("Expand(%q, %q) = %q, want %q", tt.body, tt.args, got, tt.want)
		}
	}
}
