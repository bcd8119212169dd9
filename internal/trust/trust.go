// Package trust remembers the folders whose project settings the person has agreed to act on.
// A repository's .claude/settings.json and settings.local.json can set environment variables
// (an endpoint that would receive the credentials), commands ganban runs (awsAuthRefresh,
// awsCredentialExport) and permission rules that let tools run without asking; a folder just
// cloned must not do any of that before its owner says so. The interactive UI asks once per
// folder, as the agent the setup guide is about does; print mode, used in scripts and CI,
// acts on the files as they are.
package trust

import (
	"encoding/json"
	"os"
	"path/filepath"
	"time"
)

// fileName is the store under ganban's home directory.
const fileName = "trusted-folders.json"

type store struct {
	// Folders maps an absolute folder to when it was trusted.
	Folders map[string]time.Time `json:"folders"`
}

func load(home string) store {
	s := store{Folders: map[string]time.Time{}}
	if data, err := os.ReadFile(filepath.Join(home, fileName)); err == nil {
		_ = json.Unmarshal(data, &s)
	}
	if s.Folders == nil {
		s.Folders = map[string]time.Time{}
	}
	return s
}

// Trusted reports whether folder, or a folder above it, has been trusted: trusting ~/src
// trusts the repositories under it.
func Trusted(home, folder string) bool {
	s := load(home)
	for dir := filepath.Clean(folder); ; dir = filepath.Dir(dir) {
		if _, ok := s.Folders[dir]; ok {
			return true
		}
		if filepath.Dir(dir) == dir {
			return false
		}
	}
}

// Add records folder as trusted.
func Add(home, folder string) error {
	s := load(home)
	s.Folders[filepath.Clean(folder)] = time.Now().UTC()
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(home, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(home, fileName+".*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(append(data, '\n'))
	if cerr := tmp.Close(); werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		if werr != nil {
			return werr
		}
		return cerr
	}
	return os.Rename(tmp.Name(), filepath.Join(home, fileName))
}
