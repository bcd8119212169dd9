package tools

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// Env is the session state the tools share. Its parts are each safe for concurrent use.
type Env struct {
	// WorkDir is the session's working directory: relative paths resolve against it, and the
	// shell starts there.
	WorkDir string
	// Files records what this session has read, so Write and Edit can refuse to overwrite a
	// file the model has not seen or that changed since.
	Files *FileTracker
	// Shell is the persistent shell state of Bash: working directory and exported variables.
	Shell *Shell
	// Todos is the session's todo list, written by TodoWrite and read by the UI.
	Todos *TodoList
	// Environ is the environment commands start from (the settings env block already applied
	// by the caller). Bash copies it into Shell when the session starts.
	Environ []string
	// HTTPClient is used by WebFetch; nil means a default client.
	HTTPClient *http.Client
	// ReadDenied, when set, reports whether permission rules forbid reading a file. Grep,
	// Glob and LS leave such files out of what they show, so a deny rule cannot be got round
	// by searching instead of reading. nil hides nothing.
	ReadDenied func(path string) bool
}

// NewEnv returns the state of a new session working in workDir. A nil environ means the
// process environment.
func NewEnv(workDir string, environ []string) *Env {
	if abs, err := filepath.Abs(workDir); err == nil {
		workDir = abs
	}
	if environ == nil {
		environ = os.Environ()
	}
	return &Env{
		WorkDir:    workDir,
		Files:      NewFileTracker(),
		Shell:      NewShell(workDir, environ),
		Todos:      &TodoList{},
		Environ:    environ,
		HTTPClient: &http.Client{},
	}
}

// Close ends what the session left running: background commands started by Bash.
func (e *Env) Close() error {
	if e.Shell != nil {
		return e.Shell.Close()
	}
	return nil
}

// abs resolves p against the working directory and cleans it. "~/" expands to HOME, because
// models write paths the way people do.
func (e *Env) abs(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			p = filepath.Join(home, p[1:])
		}
	}
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(e.workDir(), p)
}

func (e *Env) workDir() string {
	if e.WorkDir != "" {
		return e.WorkDir
	}
	wd, _ := os.Getwd()
	return wd
}

// display shows an absolute path relative to the working directory when it is inside it,
// which is how people and the UI refer to project files.
func (e *Env) display(p string) string {
	wd := e.workDir()
	if rel, err := filepath.Rel(wd, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return rel
	}
	return p
}

// hidden reports whether the file at p must not be shown (see ReadDenied).
func (e *Env) hidden(p string) bool { return e.ReadDenied != nil && e.ReadDenied(p) }

// noteHidden adds to a search result that n files were left out, without saying which, so
// the model does not take the result for complete.
func noteHidden(text string, n int) string {
	switch n {
	case 0:
		return text
	case 1:
		return text + "\n(1 result hidden by permission rules.)"
	}
	return text + fmt.Sprintf("\n(%d results hidden by permission rules.)", n)
}

// firstLine returns the first line of s, shortened for a status line.
func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = truncateUTF8(s, 200) + "..."
	}
	return s
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
