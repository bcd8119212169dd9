//go:build unix

package tools

import "golang.org/x/sys/unix"

// fileModTime is the modification time of the file at path, following symlinks, in Unix
// nanoseconds; ok is false for directories and what cannot be stat'ed. Glob calls it for
// every match, so it stats into the stack instead of allocating an fs.FileInfo.
func fileModTime(path string) (mod int64, ok bool) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil || st.Mode&unix.S_IFMT == unix.S_IFDIR {
		return 0, false
	}
	return st.Mtim.Nano(), true
}
