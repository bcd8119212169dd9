//go:build !unix

package tools

import "os"

// fileModTime is the modification time of the file at path, following symlinks, in Unix
// nanoseconds; ok is false for directories and what cannot be stat'ed.
func fileModTime(path string) (mod int64, ok bool) {
	st, err := os.Stat(path)
	if err != nil || st.IsDir() {
		return 0, false
	}
	return st.ModTime().UnixNano(), true
}
