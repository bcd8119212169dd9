package session

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/uuid"
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

// CheckID checks an ID chosen for a new session (--session-id): a UUID, as session IDs are in
// the transcript format and in Claude Code, which also keeps it a plain file name.
func CheckID(id string) error {
	if _, err := uuid.Parse(id); err != nil || len(id) != len(NewID()) {
		return fmt.Errorf("session ID %q is not a UUID (such as %s)", id, NewID())
	}
	return nil
}

// fileName is the transcript file of a session, refusing an id that is not a plain name, so
// that no id can reach outside the project directory.
func fileName(dir, id string) (string, error) {
	if id == "" || id == "." || id == ".." || strings.ContainsAny(id, `/\`) {
		return "", fmt.Errorf("session ID %q is not a valid name", id)
	}
	return filepath.Join(dir, id+".jsonl"), nil
}
