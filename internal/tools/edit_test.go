package tools

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// readAndEdit reads path into the session, then runs Edit.
func readAndEdit(t *testing.T, env *Env, path string, input map[string]any) Result {
	t.Helper()
	mustOK(t, call(t, env, "Read", map[string]any{"file_path": path}))
	input["file_path"] = path
	return call(t, env, "Edit", input)
}

func TestEdit(t *testing.T) {
	env := newTestEnv(t)
	dir := env.WorkDir
	src := "package main\n\nfunc a() {\n\treturn 1\n}\n\nfunc b() {\n\treturn 1\n}\n"
	tests := []struct {
		name    string
		before  string
		input   map[string]any
		after   string   // "" with wantErr: unchanged
		wantErr []string // substrings of the error
		want    []string // substrings of the success text
	}{
		{"unique replacement", src, map[string]any{"old_string": "func a() {\n\treturn 1", "new_string": "func a() {\n\treturn 2"},
			strings.Replace(src, "return 1", "return 2", 1), nil, []string{"has been updated", "     4\t\treturn 2", "     3\tfunc a() {"}},
		{"ambiguous", src, map[string]any{"old_string": "return 1", "new_string": "return 2"},
			"", []string{"occurs 2 times", "lines 4, 8", "replace_all"}, nil},
		{"replace_all", src, map[string]any{"old_string": "return 1", "new_string": "return 2", "replace_all": true},
			strings.ReplaceAll(src, "return 1", "return 2"), nil, []string{"all 2 occurrences"}},
		{"not found", src, map[string]any{"old_string": "return 3", "new_string": "x"},
			"", []string{"was not found", "exactly"}, nil},
		{"whitespace near miss", src, map[string]any{"old_string": "    return 1", "new_string": "x"},
			"", []string{"was not found", "resembles line(s) 4, 8"}, nil},
		{"line-number prefix copied", src, map[string]any{"old_string": "     4\treturn 1", "new_string": "x"},
			"", []string{"line-number prefix"}, nil},
		{"identical", src, map[string]any{"old_string": "func a", "new_string": "func a"},
			"", []string{"identical"}, nil},
		{"empty old_string on existing file", src, map[string]any{"old_string": "", "new_string": "x"},
			"", []string{"old_string is empty"}, nil},
		{"delete", src, map[string]any{"old_string": "\nfunc b() {\n\treturn 1\n}\n", "new_string": ""},
			"package main\n\nfunc a() {\n\treturn 1\n}\n", nil, nil},
		{"CRLF file, LF old and new", "a\r\nb\r\nc\r\n", map[string]any{"old_string": "a\nb\n", "new_string": "A\nB\nX\n"},
			"A\r\nB\r\nX\r\nc\r\n", nil, []string{"     1\tA\n     2\tB\n     3\tX\n     4\tc"}},
		{"CRLF file, single-line old, multi-line new", "a\r\nb\r\n", map[string]any{"old_string": "b", "new_string": "b1\nb2"},
			"a\r\nb1\r\nb2\r\n", nil, nil},
		{"CRLF file, CRLF old", "a\r\nb\r\n", map[string]any{"old_string": "a\r\nb", "new_string": "z\r\nb"},
			"z\r\nb\r\n", nil, nil},
		{"mixed endings untouched elsewhere", "a\nb\r\nc\n", map[string]any{"old_string": "c", "new_string": "C"},
			"a\nb\r\nC\n", nil, nil},
		{"BOM kept, first line matches", utf8BOM + "first\nsecond\n", map[string]any{"old_string": "first", "new_string": "1st"},
			utf8BOM + "1st\nsecond\n", nil, nil},
		{"unicode", "naïve café\n", map[string]any{"old_string": "café", "new_string": "caffè"},
			"naïve caffè\n", nil, nil},
		{"missing old_string", src, map[string]any{"new_string": "x"}, "", []string{"Edit: old_string is required"}, nil},
		{"wrong type replace_all", src, map[string]any{"old_string": "a", "new_string": "b", "replace_all": "yes"},
			"", []string{"replace_all must be a boolean"}, nil},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, "e"+strings.Repeat("x", i)+".go")
			writeFile(t, p, tt.before)
			r := readAndEdit(t, env, p, tt.input)
			got := readFile(t, p)
			if tt.wantErr != nil {
				mustErr(t, r, tt.wantErr...)
				if got != tt.before {
					t.Fatalf("failed edit changed the file: %q", got)
				}
				return
			}
			text := mustOK(t, r)
			if got != tt.after {
				t.Fatalf("file %q, want %q", got, tt.after)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("missing %q in %q", w, text)
				}
			}
			if r.Diff == "" || !strings.HasPrefix(r.Diff, "--- a/") {
				t.Errorf("diff %q", r.Diff)
			}
		})
	}
}

func TestEditFreshness(t *testing.T) {
	env := newTestEnv(t)
	p := filepath.Join(env.WorkDir, "f.txt")
	writeFile(t, p, "one\ntwo\n")

	// Not read yet.
	r := call(t, env, "Edit", map[string]any{"file_path": p, "old_string": "one", "new_string": "1"})
	mustErr(t, r, "has not been read", "Read")

	// Read, then modified externally.
	mustOK(t, call(t, env, "Read", map[string]any{"file_path": p}))
	writeFile(t, p, "one\ntwo\nthree\n")
	mustErr(t, call(t, env, "Edit", map[string]any{"file_path": p, "old_string": "one", "new_string": "1"}), "modified since it was last read")
	if readFile(t, p) != "one\ntwo\nthree\n" {
		t.Fatal("stale edit was applied")
	}

	// Read again: edits apply, and consecutive edits need no re-read.
	mustOK(t, call(t, env, "Read", map[string]any{"file_path": p}))
	mustOK(t, call(t, env, "Edit", map[string]any{"file_path": p, "old_string": "one", "new_string": "1"}))
	mustOK(t, call(t, env, "Edit", map[string]any{"file_path": p, "old_string": "two", "new_string": "2"}))
	if got := readFile(t, p); got != "1\n2\nthree\n" {
		t.Fatalf("got %q", got)
	}

	// A partial read is enough, as in Claude Code.
	q := filepath.Join(env.WorkDir, "g.txt")
	writeFile(t, q, "a\nb\nc\n")
	mustOK(t, call(t, env, "Read", map[string]any{"file_path": q, "offset": 2, "limit": 1}))
	mustOK(t, call(t, env, "Edit", map[string]any{"file_path": q, "old_string": "c", "new_string": "C"}))
}

func TestEditCreateAndMissing(t *testing.T) {
	env := newTestEnv(t)
	p := filepath.Join(env.WorkDir, "new", "file.txt")
	mustErr(t, call(t, env, "Edit", map[string]any{"file_path": p, "old_string": "x", "new_string": "y"}), "File does not exist", "empty old_string")
	r := call(t, env, "Edit", map[string]any{"file_path": p, "old_string": "", "new_string": "created\n"})
	if text := mustOK(t, r); !strings.Contains(text, "File created successfully") {
		t.Fatalf("text %q", text)
	}
	if readFile(t, p) != "created\n" {
		t.Fatal("not created")
	}
	if !strings.Contains(r.Diff, "--- /dev/null") {
		t.Fatalf("diff %q", r.Diff)
	}
	// An empty existing file can be filled with an empty old_string.
	e := filepath.Join(env.WorkDir, "empty.txt")
	writeFile(t, e, "")
	mustOK(t, call(t, env, "Read", map[string]any{"file_path": e}))
	mustOK(t, call(t, env, "Edit", map[string]any{"file_path": e, "old_string": "", "new_string": "filled"}))
	if readFile(t, e) != "filled" {
		t.Fatal("not filled")
	}
	// Binary files are refused.
	b := filepath.Join(env.WorkDir, "bin")
	os.WriteFile(b, []byte("a\x00b"), 0o644)
	env.Files.recordData(b, []byte("a\x00b"), statModTime(t, b), false)
	mustErr(t, call(t, env, "Edit", map[string]any{"file_path": b, "old_string": "a", "new_string": "c"}), "binary")
}

func TestMultiEdit(t *testing.T) {
	env := newTestEnv(t)
	p := filepath.Join(env.WorkDir, "m.go")
	writeFile(t, p, "alpha\nbeta\ngamma\nbeta\n")
	mustOK(t, call(t, env, "Read", map[string]any{"file_path": p}))

	edits := []any{
		map[string]any{"old_string": "alpha", "new_string": "ALPHA"},
		map[string]any{"old_string": "beta", "new_string": "BETA", "replace_all": true},
		map[string]any{"old_string": "ALPHA\nBETA", "new_string": "AB"}, // sees the earlier edits
	}
	r := call(t, env, "MultiEdit", map[string]any{"file_path": p, "edits": edits})
	text := mustOK(t, r)
	if got := readFile(t, p); got != "AB\ngamma\nBETA\n" {
		t.Fatalf("got %q", got)
	}
	if !strings.Contains(text, "Applied 3 edits") || !strings.Contains(text, "Replaced 2 occurrences of") {
		t.Fatalf("text %q", text)
	}
	if !strings.Contains(r.Diff, "+AB") {
		t.Fatalf("diff %q", r.Diff)
	}

	// All or nothing: the third edit fails, nothing is written.
	before := readFile(t, p)
	bad := []any{
		map[string]any{"old_string": "AB", "new_string": "xy"},
		map[string]any{"old_string": "gamma", "new_string": "g"},
		map[string]any{"old_string": "nowhere", "new_string": "z"},
	}
	mustErr(t, call(t, env, "MultiEdit", map[string]any{"file_path": p, "edits": bad}), "edit 3 of 3", "was not found", "No edits were applied")
	if readFile(t, p) != before {
		t.Fatal("failed MultiEdit wrote the file")
	}

	// Input errors.
	mustErr(t, call(t, env, "MultiEdit", map[string]any{"file_path": p, "edits": []any{}}), "edits must have at least 1 item")
	mustErr(t, call(t, env, "MultiEdit", map[string]any{"file_path": p}), "edits is required")
	mustErr(t, call(t, env, "MultiEdit", map[string]any{"file_path": p, "edits": []any{map[string]any{"old_string": "a"}}}), "edits[0].new_string is required")
	mustErr(t, call(t, env, "MultiEdit", map[string]any{"file_path": p, "edits": []any{
		map[string]any{"old_string": "BETA", "new_string": "x"}, map[string]any{"old_string": "q", "new_string": "q"}}}), "edit 2 of 2", "identical")

	// Creating a file: first edit with empty old_string.
	n := filepath.Join(env.WorkDir, "created.txt")
	mustOK(t, call(t, env, "MultiEdit", map[string]any{"file_path": n, "edits": []any{
		map[string]any{"old_string": "", "new_string": "hello world\n"},
		map[string]any{"old_string": "world", "new_string": "there"},
	}}))
	if readFile(t, n) != "hello there\n" {
		t.Fatalf("got %q", readFile(t, n))
	}
}

func statModTime(t *testing.T, p string) time.Time {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return st.ModTime()
}

func TestApplyEditProperties(t *testing.T) {
	a, err := applyEdit("x a x", editOp{OldString: "x", NewString: "y", ReplaceAll: true})
	if err != nil || a.content != "y a y" || a.count != 2 {
		t.Fatalf("%+v %v", a, err)
	}
	if _, err := applyEdit("abc", editOp{OldString: "a\r\nb", NewString: "a\nb"}); err == nil {
		t.Fatal("expected not found")
	}
	// CRLF conversion that makes old and new equal is refused.
	if _, err := applyEdit("a\r\nb", editOp{OldString: "a\nb", NewString: "a\r\nb"}); err == nil || !strings.Contains(err.Error(), "line endings") {
		t.Fatalf("err %v", err)
	}
}

// FuzzEdit checks the matcher on arbitrary content: it never panics, and a successful edit
// without replace_all changes exactly one occurrence and nothing else.
func FuzzEdit(f *testing.F) {
	f.Add("hello world\n", "world", "there", false)
	f.Add("a\r\nb\r\nc\r\n", "a\nb", "x\ny", false)
	f.Add("aaa", "a", "b", true)
	f.Add("", "", "new", false)
	f.Add("x\ny\n", "\n", "\r\n", false)
	f.Add("\r\n\r\n", "\n", "", false)
	f.Fuzz(func(t *testing.T, content, old, new string, all bool) {
		a, err := applyEdit(content, editOp{OldString: old, NewString: new, ReplaceAll: all})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if old == "" {
			if content != "" || a.content != new {
				t.Fatalf("empty old_string accepted on %q", content)
			}
			return
		}
		if a.old == "" || a.old == a.new {
			t.Fatalf("degenerate edit %+v", a)
		}
		if all {
			if a.content != strings.ReplaceAll(content, a.old, a.new) {
				t.Fatalf("replace_all mismatch")
			}
			return
		}
		if strings.Count(content, a.old) != 1 {
			t.Fatalf("non-unique old_string %q applied (%d occurrences)", a.old, strings.Count(content, a.old))
		}
		i := strings.Index(content, a.old)
		if want := content[:i] + a.new + content[i+len(a.old):]; a.content != want {
			t.Fatalf("got %q, want %q", a.content, want)
		}
		if a.first != i {
			t.Fatalf("first %d, want %d", a.first, i)
		}
	})
}
