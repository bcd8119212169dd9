package tools

import (
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"sync"
	"time"
)

// FileState is what the session knew of a file when it last read or wrote it.
type FileState struct {
	ModTime time.Time
	Size    int64
	Hash    [sha256.Size]byte
	// Partial reports that the model saw only some of the lines (offset or limit). Editing is
	// still allowed, as in Claude Code: the edit matches exact text, so it cannot go wrong
	// silently.
	Partial bool
}

// FileTracker records the files this session has read, keyed by absolute path. It is safe for
// concurrent use.
type FileTracker struct {
	mu    sync.Mutex
	files map[string]FileState
}

// NewFileTracker returns an empty tracker.
func NewFileTracker() *FileTracker { return &FileTracker{files: map[string]FileState{}} }

// Record stores the state of path.
func (t *FileTracker) Record(path string, st FileState) {
	key := trackKey(path)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.files[key] = st
}

// trackKey is the key of a path: its target when it is a symlink (or under one), so that a
// file read through one name and edited through another is recognised.
func trackKey(path string) string {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		return real
	}
	return filepath.Clean(path)
}

// Get returns the recorded state of path.
func (t *FileTracker) Get(path string) (FileState, bool) {
	key := trackKey(path)
	t.mu.Lock()
	defer t.mu.Unlock()
	st, ok := t.files[key]
	return st, ok
}

// Forget drops path, e.g. after it was deleted.
func (t *FileTracker) Forget(path string) {
	key := trackKey(path)
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.files, key)
}

// Paths returns the recorded paths (symlinks resolved), for display and compaction.
func (t *FileTracker) Paths() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	ps := make([]string, 0, len(t.files))
	for p := range t.files {
		ps = append(ps, p)
	}
	return ps
}

// checkFresh returns an error for the model unless path was read in this session and its
// content is the same now. The content decides, not the modification time: a file that was
// touched but not changed is still what the model saw, and a file rewritten within the
// timestamp's resolution is not. display is the path as the model should read it.
func (t *FileTracker) checkFresh(path, display string, data []byte) error {
	st, ok := t.Get(path)
	if !ok {
		return fmt.Errorf("%s has not been read in this session. Read it with the Read tool first, then retry", display)
	}
	if st.Size != int64(len(data)) || st.Hash != sha256.Sum256(data) {
		return fmt.Errorf("%s has been modified since it was last read (by the user, a formatter or a command). Read it again, then retry", display)
	}
	return nil
}

// recordData stores the state of a file whose content is data.
func (t *FileTracker) recordData(path string, data []byte, modTime time.Time, partial bool) {
	t.Record(path, FileState{ModTime: modTime, Size: int64(len(data)), Hash: sha256.Sum256(data), Partial: partial})
}
