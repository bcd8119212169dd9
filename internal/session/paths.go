package session

import (
	"os"
	"path/filepath"
	"strings"
)

// Home is ganban's own directory: GANBAN_HOME, else ~/.ganban.
func Home(getenv func(string) string) string {
	if h := getenv("GANBAN_HOME"); h != "" {
		return h
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".ganban")
}

// ProjectDir is where a working directory's sessions live: its path with every
// non-alphanumeric character replaced by '-', as the transcript format names it.
func ProjectDir(home, workDir string) string {
	var b strings.Builder
	for _, r := range workDir {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return filepath.Join(home, "projects", b.String())
}
