// Package history keeps the prompts a person typed, across sessions and projects, in one
// JSONL file (~/.ganban/history.jsonl, under GANBAN_HOME), so that Up, Down and Ctrl+R find
// them again. Secrets are redacted before a prompt is written: the file outlives the session.
//
// Concurrency: a Store is used from the UI goroutine only; several ganban processes may
// append to the same file, each line being written by one write call.
package history

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"ganban/internal/redact"
)

// Limits: what is loaded, when the file is trimmed, and how long one entry may be.
const (
	keep      = 1000
	trimAbove = 2000
	maxEntry  = 16 << 10
)

// line is one stored prompt.
type line struct {
	Text    string `json:"text"`
	Project string `json:"project,omitempty"`
}

// Store is the prompt history.
type Store struct {
	path    string
	project string
	entries []string
	secrets []string
}

// Open loads the history at path. A missing or unreadable file is an empty history: losing
// it must never stop a session. secrets are values to redact besides what redact recognises.
func Open(path, project string, secrets ...string) *Store {
	s := &Store{path: path, project: project, secrets: secrets}
	f, err := os.Open(path)
	if err != nil {
		return s
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 4*maxEntry)
	n := 0
	for sc.Scan() {
		var l line
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Text != "" {
			s.entries = append(s.entries, l.Text)
			n++
		}
	}
	if n > trimAbove {
		s.entries = s.entries[len(s.entries)-keep:]
		s.rewrite()
	} else if len(s.entries) > keep {
		s.entries = s.entries[len(s.entries)-keep:]
	}
	return s
}

// Entries returns the prompts, oldest first.
func (s *Store) Entries() []string { return s.entries }

// Add records a prompt, redacted, unless it repeats the previous one.
func (s *Store) Add(text string) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	if len(text) > maxEntry {
		text = text[:maxEntry]
	}
	text = redact.String(text, s.secrets...)
	if n := len(s.entries); n > 0 && s.entries[n-1] == text {
		return nil
	}
	s.entries = append(s.entries, text)
	if s.path == "" {
		return nil
	}
	data, err := json.Marshal(line{Text: text, Project: s.project})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(s.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.Write(append(data, '\n'))
	return err
}

// Search returns the index of the newest entry before index before that contains query
// (case-insensitive), or -1.
func (s *Store) Search(query string, before int) int {
	q := strings.ToLower(query)
	for i := min(before, len(s.entries)) - 1; i >= 0; i-- {
		if strings.Contains(strings.ToLower(s.entries[i]), q) {
			return i
		}
	}
	return -1
}

// rewrite replaces the file with the entries kept, atomically.
func (s *Store) rewrite() {
	tmp := s.path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return
	}
	w := bufio.NewWriter(f)
	for _, e := range s.entries {
		data, _ := json.Marshal(line{Text: e})
		w.Write(append(data, '\n'))
	}
	if w.Flush() != nil || f.Close() != nil {
		os.Remove(tmp)
		return
	}
	_ = os.Rename(tmp, s.path)
}
