package tools

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// makeTree creates files (path -> content) under dir, each modified one second after the
// previous one in the order given, so that "newest first" is predictable.
func makeTree(t *testing.T, dir string, files [][2]string) {
	t.Helper()
	base := time.Now().Add(-time.Hour)
	for i, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f[0]))
		writeFile(t, p, f[1])
		mt := base.Add(time.Duration(i) * time.Second)
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
}

func lines(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func TestGlob(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	d := env.WorkDir
	makeTree(t, d, [][2]string{
		{"main.go", "package main"},
		{"pkg/a.go", "package pkg"},
		{"pkg/deep/b.go", "package deep"},
		{"pkg/deep/b_test.go", "package deep"},
		{"web/app.ts", ""},
		{"web/app.tsx", ""},
		{"ignored/x.go", ""},
		{"build.log", ""},
		{".hidden/h.go", ""},
		{".github/workflows/ci.yml", ""},
		{".gitignore", "ignored/\n*.log\n"},
		{".git/HEAD", "ref"},
		{".git/x.go", ""},
	})
	abs := func(ps ...string) []string {
		for i, p := range ps {
			ps[i] = filepath.Join(d, filepath.FromSlash(p))
		}
		return ps
	}
	tests := []struct {
		name  string
		input map[string]any
		want  []string // in order
	}{
		{"recursive, newest first", map[string]any{"pattern": "**/*.go"}, abs("pkg/deep/b_test.go", "pkg/deep/b.go", "pkg/a.go", "main.go")},
		{"top level only", map[string]any{"pattern": "*.go"}, abs("main.go")},
		{"fixed prefix", map[string]any{"pattern": "pkg/**/*_test.go"}, abs("pkg/deep/b_test.go")},
		{"braces", map[string]any{"pattern": "web/*.{ts,tsx}"}, abs("web/app.tsx", "web/app.ts")},
		{"path parameter", map[string]any{"pattern": "*.go", "path": filepath.Join(d, "pkg")}, abs("pkg/a.go")},
		{"relative path parameter", map[string]any{"pattern": "**/*.go", "path": "pkg/deep"}, abs("pkg/deep/b_test.go", "pkg/deep/b.go")},
		{"absolute pattern", map[string]any{"pattern": filepath.Join(d, "pkg", "*.go")}, abs("pkg/a.go")},
		{"hidden when named", map[string]any{"pattern": ".github/**/*.yml"}, abs(".github/workflows/ci.yml")},
		{"hidden when named anywhere", map[string]any{"pattern": "**/.hidden/*.go"}, abs(".hidden/h.go")},
		{"ignored files skipped", map[string]any{"pattern": "**/*.log"}, nil},
		{"literal file", map[string]any{"pattern": "pkg/a.go"}, abs("pkg/a.go")},
		{"no match", map[string]any{"pattern": "**/*.rs"}, nil},
		{"missing prefix dir", map[string]any{"pattern": "nope/**/*.go"}, nil},
		{"path undefined is the default", map[string]any{"pattern": "*.go", "path": "undefined"}, abs("main.go")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := mustOK(t, call(t, env, "Glob", tt.input))
			got := lines(text)
			if len(tt.want) == 0 {
				if text != "No files found" {
					t.Fatalf("got %q", text)
				}
				return
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", text, strings.Join(tt.want, "\n"))
			}
		})
	}
	mustErr(t, call(t, env, "Glob", map[string]any{}), "pattern is required")
	mustErr(t, call(t, env, "Glob", map[string]any{"pattern": "[a"}), "invalid pattern")
	mustErr(t, call(t, env, "Glob", map[string]any{"pattern": "*", "path": "nope"}), "does not exist")
	mustErr(t, call(t, env, "Glob", map[string]any{"pattern": "*", "path": "main.go"}), "not a directory")
}

func TestGlobCap(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	var files [][2]string
	for i := range 130 {
		files = append(files, [2]string{fmt.Sprintf("f%03d.txt", i), ""})
	}
	makeTree(t, env.WorkDir, files)
	text := mustOK(t, call(t, env, "Glob", map[string]any{"pattern": "*.txt"}))
	got := lines(text)
	if len(got) != maxGlobResults+1 || !strings.Contains(got[len(got)-1], "truncated") || !strings.Contains(got[len(got)-1], "of 130") {
		t.Fatalf("%d lines, last %q", len(got), got[len(got)-1])
	}
	if !strings.HasSuffix(got[0], "f129.txt") {
		t.Fatalf("newest not first: %q", got[0])
	}
}

func TestGrepTool(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	d := env.WorkDir
	makeTree(t, d, [][2]string{
		{"a.go", "package a\n\nfunc Alpha() {}\n// TODO: one\n"},
		{"b.go", "package b\n\nfunc beta() {}\n"},
		{"sub/c.py", "def alpha():\n    pass\n# TODO two\n"},
		{"sub/d.ts", "const x = {a: 1}\n"},
		{"vendor/v.go", "func Alpha() {}\n"},
		{".gitignore", "vendor/\n"},
		{"ctx.txt", "1\n2\n3\nmatch\n5\n6\n7\n8\n9\nmatch\n11\n"},
		{"bin.dat", "TODO\x00binary"},
		{".hidden.go", "func Alpha() {}\n"},
	})
	tests := []struct {
		name  string
		input map[string]any
		want  string // exact text
	}{
		{"files default, newest first", map[string]any{"pattern": "TODO"}, "Found 2 files\nsub/c.py\na.go"},
		{"content with line numbers", map[string]any{"pattern": "func \\w+", "output_mode": "content", "glob": "*.go"},
			"a.go:3:func Alpha() {}\nb.go:3:func beta() {}"},
		{"case insensitive", map[string]any{"pattern": "alpha", "-i": true, "output_mode": "content"},
			"a.go:3:func Alpha() {}\nsub/c.py:1:def alpha():"},
		{"type filter", map[string]any{"pattern": "alpha", "-i": true, "type": "py"}, "Found 1 files\nsub/c.py"},
		{"type alias", map[string]any{"pattern": "const", "type": "typescript"}, "Found 1 files\nsub/d.ts"},
		{"count", map[string]any{"pattern": "match", "output_mode": "count"}, "ctx.txt:2\n\nFound 2 total occurrences across 1 files."},
		{"context -C", map[string]any{"pattern": "match", "output_mode": "content", "-C": 1, "path": "ctx.txt"},
			"3-3\n4:match\n5-5\n--\n9-9\n10:match\n11-11"},
		{"context -A and -B", map[string]any{"pattern": "^match", "output_mode": "content", "-A": 2, "-B": 0, "path": filepath.Join(d, "ctx.txt")},
			"4:match\n5-5\n6-6\n--\n10:match\n11-11"},
		{"no line numbers", map[string]any{"pattern": "match", "output_mode": "content", "-n": false, "path": "ctx.txt"}, "match\nmatch"},
		{"multiline", map[string]any{"pattern": "Alpha\\(\\) \\{\\}\n// TODO", "multiline": true, "output_mode": "content"},
			"a.go:3:func Alpha() {}\na.go:4:// TODO: one"},
		{"braces escaped", map[string]any{"pattern": "\\{a: 1\\}"}, "Found 1 files\nsub/d.ts"},
		{"glob list", map[string]any{"pattern": "alpha", "-i": true, "glob": "*.py,*.ts"}, "Found 1 files\nsub/c.py"},
		{"negated glob", map[string]any{"pattern": "TODO", "glob": "!sub/**"}, "Found 1 files\na.go"},
		{"head_limit", map[string]any{"pattern": "TODO", "head_limit": 1}, "Found 2 files\nsub/c.py\n\n(Showing 1-1 of 2; use offset 1 to see more, or narrow the search.)"},
		{"offset", map[string]any{"pattern": "TODO", "head_limit": 1, "offset": 1}, "Found 2 files\na.go\n\n(Showing 2-2 of 2; use offset 2 to see more, or narrow the search.)"},
		{"no match", map[string]any{"pattern": "zzzz"}, "No files found"},
		{"no match content", map[string]any{"pattern": "zzzz", "output_mode": "content"}, "No matches found"},
		{"pattern starting with dash", map[string]any{"pattern": "-B", "path": "sub"}, "No files found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := mustOK(t, call(t, env, "Grep", tt.input))
			if text != tt.want {
				t.Fatalf("got\n%s\nwant\n%s", text, tt.want)
			}
		})
	}
	errs := []struct {
		input map[string]any
		want  string
	}{
		{map[string]any{}, "pattern is required"},
		{map[string]any{"pattern": "(unclosed"}, "invalid regular expression"},
		{map[string]any{"pattern": "(?<=x)y"}, "invalid regular expression"},
		{map[string]any{"pattern": "x", "output_mode": "lines"}, `output_mode must be one of "content", "files_with_matches", "count"`},
		{map[string]any{"pattern": "x", "type": "klingon"}, "unknown file type"},
		{map[string]any{"pattern": "x", "path": "nope"}, "Path does not exist"},
		{map[string]any{"pattern": "x", "-A": -1}, "-A must be at least 0"},
		{map[string]any{"pattern": "x", "-i": "sure"}, "-i must be a boolean"},
	}
	for _, e := range errs {
		mustErr(t, call(t, env, "Grep", e.input), e.want)
	}
}

func TestGrepToolCaps(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	var b strings.Builder
	for i := range 400 {
		fmt.Fprintf(&b, "hit %d\n", i)
	}
	b.WriteString(strings.Repeat("z", 5000) + " hit long\n")
	writeFile(t, filepath.Join(env.WorkDir, "many.txt"), b.String())
	text := mustOK(t, call(t, env, "Grep", map[string]any{"pattern": "hit", "output_mode": "content"}))
	got := lines(text)
	if len(got) != defaultGrepHeadLimit+2 || !strings.Contains(text, "Showing 1-250 of 401") {
		t.Fatalf("%d lines; tail %q", len(got), got[len(got)-2:])
	}
	text = mustOK(t, call(t, env, "Grep", map[string]any{"pattern": "hit long", "output_mode": "content"}))
	if len(text) > 700 || !strings.Contains(text, "line cut") || !strings.Contains(text, "hit long") {
		t.Fatalf("long line: %q", text)
	}
	text = mustOK(t, call(t, env, "Grep", map[string]any{"pattern": "hit", "output_mode": "content", "head_limit": 0}))
	if strings.Contains(text, "Showing") {
		t.Fatalf("head_limit 0 still limited")
	}
}

func TestLS(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	d := env.WorkDir
	makeTree(t, d, [][2]string{
		{"README.md", ""},
		{"cmd/main.go", ""},
		{"internal/x/x.go", ""},
		{"internal/x/x_test.go", ""},
		{"node_modules/pkg/index.js", ""},
		{"dist/out.js", ""},
		{".gitignore", "dist/\n"},
		{".git/HEAD", ""},
	})
	text := mustOK(t, call(t, env, "LS", map[string]any{"path": d, "ignore": []string{"node_modules", "*_test.go"}}))
	want := "- " + d + "/\n  - .gitignore\n  - README.md\n  - cmd/\n    - main.go\n  - internal/\n    - x/\n      - x.go"
	if text != want {
		t.Fatalf("got\n%s\nwant\n%s", text, want)
	}
	mustErr(t, call(t, env, "LS", map[string]any{}), "path is required")
	mustErr(t, call(t, env, "LS", map[string]any{"path": filepath.Join(d, "nope")}), "does not exist")
	mustErr(t, call(t, env, "LS", map[string]any{"path": filepath.Join(d, "README.md")}), "is a file")
	mustErr(t, call(t, env, "LS", map[string]any{"path": d, "ignore": "node_modules"}), "ignore must be an array")
	mustErr(t, call(t, env, "LS", map[string]any{"path": d, "ignore": []string{"[x"}}), "invalid ignore pattern")
	// A relative path resolves against the working directory.
	if text := mustOK(t, call(t, env, "LS", map[string]any{"path": "cmd"})); !strings.Contains(text, "main.go") {
		t.Fatalf("relative: %q", text)
	}
}

func TestLSCap(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for i := range 30 {
		for j := range 40 {
			writeFile(t, filepath.Join(env.WorkDir, fmt.Sprintf("d%02d", i), fmt.Sprintf("f%02d", j)), "")
		}
	}
	text := mustOK(t, call(t, env, "LS", map[string]any{"path": env.WorkDir}))
	if !strings.HasPrefix(text, "There are more than 1000") {
		t.Fatalf("no note: %q", text[:100])
	}
	if n := strings.Count(text, "\n  "); n < 999 || n > 1001 {
		t.Fatalf("%d entries listed", n)
	}
	// Breadth first: every top-level directory is listed.
	if !strings.Contains(text, "- d29/") {
		t.Fatal("top level incomplete")
	}
}

// TestSearchesHideDeniedFiles: Grep, Glob and LS leave out the files permission rules forbid
// reading, names and content alike, and say that something was hidden.
func TestSearchesHideDeniedFiles(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	d := env.WorkDir
	makeTree(t, d, [][2]string{
		{"src/a.go", "package a // TOKEN"},
		{"secrets/key.txt", "TOKEN SECRET-CONTENT"},
		{"config/.env", "TOKEN=SECRET-CONTENT"},
	})
	env.ReadDenied = func(p string) bool {
		return strings.HasPrefix(p, filepath.Join(d, "secrets")) || filepath.Base(p) == ".env"
	}
	tests := []struct {
		tool   string
		input  map[string]any
		shown  string
		hidden int
	}{
		{"Grep", map[string]any{"pattern": "TOKEN"}, "src/a.go", 1}, // .env is hidden: not searched
		{"Grep", map[string]any{"pattern": "TOKEN", "output_mode": "content"}, "src/a.go", 1},
		{"Grep", map[string]any{"pattern": "TOKEN", "output_mode": "count"}, "src/a.go:1", 1},
		{"Grep", map[string]any{"pattern": "SECRET"}, "No files found", 1},
		{"Glob", map[string]any{"pattern": "**/*"}, "a.go", 1},
		{"Glob", map[string]any{"pattern": "**/.env"}, "No files found", 1},
		{"Glob", map[string]any{"pattern": "secrets/*"}, "No files found", 1},
		{"LS", map[string]any{"path": d}, "a.go", 2},
	}
	for _, tc := range tests {
		out := mustOK(t, call(t, env, tc.tool, tc.input))
		for _, leak := range []string{"secrets", "key.txt", ".env", "SECRET-CONTENT"} {
			if strings.Contains(out, leak) {
				t.Errorf("%s %v shows %q:\n%s", tc.tool, tc.input, leak, out)
			}
		}
		note := fmt.Sprintf("(%d result", tc.hidden)
		if !strings.Contains(out, tc.shown) || !strings.Contains(out, note) || !strings.Contains(out, "hidden by permission rules") {
			t.Errorf("%s %v: want %q and %q:\n%s", tc.tool, tc.input, tc.shown, note, out)
		}
	}
	env.ReadDenied = nil
	if out := mustOK(t, call(t, env, "Glob", map[string]any{"pattern": "**/.env"})); !strings.Contains(out, ".env") || strings.Contains(out, "hidden") {
		t.Errorf("without rules: %s", out)
	}
}
