package history

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ganban/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func TestAddPersistsAndRedacts(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "sub", "history.jsonl")
	s := Open(path, "/repo", "sekrit-value-123")
	for _, p := range []string{"first", "first", "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY now", "token sekrit-value-123", "  "} {
		if err := s.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	again := Open(path, "/repo")
	got := again.Entries()
	if len(got) != 3 {
		t.Fatalf("entries = %q, want 3 (duplicates and blanks dropped)", got)
	}
	data, _ := os.ReadFile(path)
	for _, secret := range []string{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "sekrit-value-123"} {
		if strings.Contains(string(data), secret) {
			t.Errorf("history file holds secret %q:\n%s", secret, data)
		}
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	s := Open("", "")
	for _, p := range []string{"run the tests", "fix lint", "Run tests again"} {
		s.Add(p)
	}
	tests := []struct {
		query  string
		before int
		want   int
	}{
		{"tests", 3, 2},
		{"tests", 2, 0},
		{"TESTS", 1, 0},
		{"lint", 1, -1},
		{"lint", 3, 1},
		{"nothing", 3, -1},
	}
	for _, tt := range tests {
		if got := s.Search(tt.query, tt.before); got != tt.want {
			t.Errorf("Search(%q, %d) = %d, want %d", tt.query, tt.before, got, tt.want)
		}
	}
}

func TestTrim(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "history.jsonl")
	var b strings.Builder
	for i := 0; i < trimAbove+10; i++ {
		b.WriteString(`{"text":"p` + strings.Repeat("x", i%7) + `"}` + "\n")
	}
	os.WriteFile(path, []byte(b.String()), 0o600)
	s := Open(path, "")
	if len(s.Entries()) != keep {
		t.Fatalf("kept %d entries, want %d", len(s.Entries()), keep)
	}
	data, _ := os.ReadFile(path)
	if n := strings.Count(string(data), "\n"); n != keep {
		t.Errorf("file has %d lines after trim, want %d", n, keep)
	}
}
