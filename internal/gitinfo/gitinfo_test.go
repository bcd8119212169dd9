package gitinfo

import (
	"os/exec"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct{ out, branch string }{
		{"## main...origin/main [ahead 1]\n M a.go\n", "main"},
		{"## feature/x\n", "feature/x"},
		{"## No commits yet on master\n?? b\n", "master"},
		{"## HEAD (no branch)\n", ""},
	}
	for _, tc := range cases {
		if _, b := parse(tc.out); b != tc.branch {
			t.Errorf("parse(%q) branch = %q, want %q", tc.out, b, tc.branch)
		}
	}
	long := "## main\n" + strings.Repeat(" M f\n", 100)
	if s, _ := parse(long); strings.Count(s, "\n") != maxLines || !strings.Contains(s, "and 61 more") {
		t.Errorf("long status not cut: %d lines", strings.Count(s, "\n"))
	}
}

func TestStart(t *testing.T) {
	dir := t.TempDir()
	if st, b := Start(dir).Wait(); st != "" || b != "" {
		t.Errorf("outside a repository: %q %q", st, b)
	}
	if err := exec.Command("git", "-C", dir, "init", "-q", "-b", "trunk").Run(); err != nil {
		t.Skip("git init -b not supported:", err)
	}
	if st, b := Start(dir).Wait(); b != "trunk" || !strings.HasPrefix(st, "## No commits yet on trunk") {
		t.Errorf("new repository: %q %q", st, b)
	}
}
