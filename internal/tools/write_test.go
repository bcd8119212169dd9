package tools

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWrite(t *testing.T) {
	env := newTestEnv(t)
	dir := env.WorkDir

	// Create, with missing parent directories.
	p := filepath.Join(dir, "a", "b", "new.txt")
	r := call(t, env, "Write", map[string]any{"file_path": p, "content": "hello\nworld\n"})
	if text := mustOK(t, r); !strings.Contains(text, "File created successfully at: "+p) {
		t.Fatalf("text %q", text)
	}
	if got := readFile(t, p); got != "hello\nworld\n" {
		t.Fatalf("content %q", got)
	}
	if !strings.Contains(r.Diff, "--- /dev/null") || !strings.Contains(r.Diff, "+hello") {
		t.Fatalf("diff %q", r.Diff)
	}
	// What was just written counts as read: it can be overwritten at once.
	r = call(t, env, "Write", map[string]any{"file_path": p, "content": "hello\nthere\n"})
	if text := mustOK(t, r); !strings.Contains(text, "1 lines added, 1 removed") {
		t.Fatalf("text %q", text)
	}
	if !strings.Contains(r.Diff, "-world\n+there\n") {
		t.Fatalf("diff %q", r.Diff)
	}

	// Overwriting a file that was never read is refused.
	other := filepath.Join(dir, "other.txt")
	writeFile(t, other, "original\n")
	mustErr(t, call(t, env, "Write", map[string]any{"file_path": other, "content": "x"}), "has not been read", "Read")
	if readFile(t, other) != "original\n" {
		t.Fatal("unread file was overwritten")
	}

	// Read it, change it behind the session's back: refused until read again.
	mustOK(t, call(t, env, "Read", map[string]any{"file_path": other}))
	writeFile(t, other, "changed by someone\n")
	mustErr(t, call(t, env, "Write", map[string]any{"file_path": other, "content": "x"}), "modified since it was last read")
	mustOK(t, call(t, env, "Read", map[string]any{"file_path": other}))
	mustOK(t, call(t, env, "Write", map[string]any{"file_path": other, "content": "mine\n"}))

	// A touch without a change does not count as a modification.
	mustOK(t, call(t, env, "Read", map[string]any{"file_path": other}))
	future := time.Now().Add(time.Hour)
	os.Chtimes(other, future, future)
	mustOK(t, call(t, env, "Write", map[string]any{"file_path": other, "content": "again\n"}))

	// Bad input.
	mustErr(t, call(t, env, "Write", map[string]any{"content": "x"}), "file_path is required")
	mustErr(t, call(t, env, "Write", map[string]any{"file_path": p}), "content is required")
	mustErr(t, call(t, env, "Write", map[string]any{"file_path": p, "content": 5}), "content must be a string")
	mustErr(t, call(t, env, "Write", map[string]any{"file_path": dir, "content": "x"}), "is a directory")

	// A relative path lands in the working directory.
	mustOK(t, call(t, env, "Write", map[string]any{"file_path": "rel.txt", "content": "r"}))
	if readFile(t, filepath.Join(dir, "rel.txt")) != "r" {
		t.Fatal("relative write went elsewhere")
	}
}

func TestWritePreserves(t *testing.T) {
	env := newTestEnv(t)
	dir := env.WorkDir
	tests := []struct {
		name, before, content, after string
	}{
		{"CRLF stays CRLF", "a\r\nb\r\n", "x\ny\nz\n", "x\r\ny\r\nz\r\n"},
		{"CRLF content kept as sent", "a\r\nb\r\n", "x\r\ny\r\n", "x\r\ny\r\n"},
		{"LF stays LF", "a\nb\n", "x\ny\n", "x\ny\n"},
		{"BOM kept", utf8BOM + "a\n", "b\n", utf8BOM + "b\n"},
		{"BOM not doubled", utf8BOM + "a\n", utf8BOM + "b\n", utf8BOM + "b\n"},
		{"BOM and CRLF", utf8BOM + "a\r\n", "b\nc\n", utf8BOM + "b\r\nc\r\n"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, "f"+string(rune('a'+i))+".txt")
			writeFile(t, p, tt.before)
			mustOK(t, call(t, env, "Read", map[string]any{"file_path": p}))
			mustOK(t, call(t, env, "Write", map[string]any{"file_path": p, "content": tt.content}))
			if got := readFile(t, p); got != tt.after {
				t.Fatalf("got %q, want %q", got, tt.after)
			}
		})
	}

	// Mode is kept.
	script := filepath.Join(dir, "run.sh")
	writeFile(t, script, "#!/bin/sh\necho a\n")
	os.Chmod(script, 0o750)
	mustOK(t, call(t, env, "Read", map[string]any{"file_path": script}))
	mustOK(t, call(t, env, "Write", map[string]any{"file_path": script, "content": "#!/bin/sh\necho b\n"}))
	if st, _ := os.Stat(script); st.Mode().Perm() != 0o750 {
		t.Fatalf("mode %v", st.Mode())
	}

	// A symlink is written through, and stays a symlink.
	target := filepath.Join(dir, "target.txt")
	link := filepath.Join(dir, "link.txt")
	writeFile(t, target, "t\n")
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symlinks")
	}
	mustOK(t, call(t, env, "Read", map[string]any{"file_path": link}))
	mustOK(t, call(t, env, "Write", map[string]any{"file_path": link, "content": "via link\n"}))
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("symlink replaced by a file")
	}
	if readFile(t, target) != "via link\n" {
		t.Fatal("target not written")
	}
}

func TestReadThroughSymlinkCountsForTarget(t *testing.T) {
	env := newTestEnv(t)
	real := filepath.Join(env.WorkDir, "real")
	os.Mkdir(real, 0o755)
	writeFile(t, filepath.Join(real, "f.txt"), "x\n")
	if err := os.Symlink(real, filepath.Join(env.WorkDir, "alias")); err != nil {
		t.Skip("no symlinks")
	}
	mustOK(t, call(t, env, "Read", map[string]any{"file_path": filepath.Join(env.WorkDir, "alias", "f.txt")}))
	mustOK(t, call(t, env, "Edit", map[string]any{"file_path": filepath.Join(real, "f.txt"), "old_string": "x", "new_string": "y"}))
}

// TestChangedLinesAreShown: Write and MultiEdit results quote the changed places of the file
// with `cat -n` numbers, as Edit's do; far-apart changes each get their own snippet, and
// lines far from any change are left out.
func TestChangedLinesAreShown(t *testing.T) {
	var lines []string
	for i := 1; i <= 60; i++ {
		lines = append(lines, fmt.Sprintf("line %d", i))
	}
	orig := strings.Join(lines, "\n") + "\n"
	changed := strings.Replace(strings.Replace(orig, "line 3\n", "line three\n", 1), "line 50\n", "line fifty\n", 1)
	cases := []struct {
		tool  string
		input func(p string) map[string]any
	}{
		{"Write", func(p string) map[string]any { return map[string]any{"file_path": p, "content": changed} }},
		{"MultiEdit", func(p string) map[string]any {
			return map[string]any{"file_path": p, "edits": []map[string]any{
				{"old_string": "line 3\n", "new_string": "line three\n"}, {"old_string": "line 50\n", "new_string": "line fifty\n"}}}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.tool, func(t *testing.T) {
			env := newTestEnv(t)
			p := filepath.Join(env.WorkDir, "f.txt")
			writeFile(t, p, orig)
			mustOK(t, call(t, env, "Read", map[string]any{"file_path": p}))
			out := mustOK(t, call(t, env, tc.tool, tc.input(p)))
			for _, want := range []string{"cat -n", "     3\tline three\n", "     7\tline 7\n", "    50\tline fifty\n", "    46\tline 46\n", "...\n"} {
				if !strings.Contains(out, want) {
					t.Errorf("result lacks %q:\n%s", want, out)
				}
			}
			for _, absent := range []string{"\tline 20\n", "\tline 60\n"} {
				if strings.Contains(out, absent) {
					t.Errorf("result shows %q, far from any change:\n%s", absent, out)
				}
			}
		})
	}
	// A rewrite is quoted up to a bound, not whole.
	env := newTestEnv(t)
	p := filepath.Join(env.WorkDir, "f.txt")
	writeFile(t, p, orig)
	mustOK(t, call(t, env, "Read", map[string]any{"file_path": p}))
	out := mustOK(t, call(t, env, "Write", map[string]any{"file_path": p, "content": strings.ReplaceAll(orig, "line", "row")}))
	if !strings.Contains(out, "    40\trow 40\n") || strings.Contains(out, "\trow 41\n") || !strings.Contains(out, "(20 more changed lines)") {
		t.Errorf("rewrite result:\n%s", out)
	}
}
