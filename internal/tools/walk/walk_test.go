package walk

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"ganban/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func mkfiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if strings.HasSuffix(p, "/") {
			os.MkdirAll(full, 0o755)
			continue
		}
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func collect(t *testing.T, root string, opts Options) []string {
	t.Helper()
	var mu sync.Mutex
	var got []string
	err := Walk(context.Background(), root, opts, func(e Entry) error {
		mu.Lock()
		got = append(got, e.Rel)
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(got)
	return got
}

func TestWalkIgnoreRules(t *testing.T) {
	root := t.TempDir()
	mkfiles(t, root, map[string]string{
		".git/HEAD":                 "x",
		".git/info/exclude":         "excluded.txt\n",
		".gitignore":                "# comment\n*.log\n!keep.log\n/build/\ntmp/\ndocs/**/*.gen.md\n\\#hash\nspace\\ \n",
		"a.go":                      "",
		"a.log":                     "",
		"keep.log":                  "",
		"excluded.txt":              "",
		"#hash":                     "",
		"space ":                    "",
		"build/out.bin":             "",
		"sub/build/kept.txt":        "", // /build/ is anchored to the root
		"sub/tmp/x.txt":             "", // tmp/ matches at any depth
		"sub/.gitignore":            "*.txt\n!important.txt\n",
		"sub/notes.txt":             "",
		"sub/important.txt":         "",
		"sub/deeper/more.txt":       "",
		"sub/deeper/.ignore":        "!more.txt\n", // a deeper rule re-includes
		"docs/a/b/page.gen.md":      "",
		"docs/a/b/page.md":          "",
		".hidden/file.go":           "",
		".env":                      "",
		"node_modules/pkg/index.js": "",
		"tmp":                       "", // a file named tmp is not the directory pattern tmp/
		"sub/x.rgignore.go":         "",
		"lib/.rgignore":             "secret.go\n",
		"lib/secret.go":             "",
		"lib/public.go":             "",
		"brace{x}.go":               "",
		".gitignore2":               "",
	})
	got := collect(t, root, Options{})
	want := []string{"a.go", "brace{x}.go", "docs/a/b/page.md", "keep.log", "lib/public.go", "node_modules/pkg/index.js",
		"sub/deeper/more.txt", "sub/important.txt", "sub/x.rgignore.go", "tmp"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Hidden entries on request; .git never.
	got = collect(t, root, Options{Hidden: true})
	for _, w := range []string{".hidden/file.go", ".env", ".gitignore", "sub/.gitignore"} {
		if !contains(got, w) {
			t.Errorf("Hidden: missing %s", w)
		}
	}
	for _, g := range got {
		if strings.HasPrefix(g, ".git/") {
			t.Errorf("walked into .git: %s", g)
		}
	}
	// NoIgnore sees ignored files.
	if got := collect(t, root, Options{NoIgnore: true}); !contains(got, "build/out.bin") || !contains(got, "a.log") {
		t.Errorf("NoIgnore: %v", got)
	}
	// Starting below the repository root still applies the root's rules.
	if got := collect(t, filepath.Join(root, "sub"), Options{}); strings.Join(got, " ") != "deeper/more.txt important.txt x.rgignore.go" {
		t.Errorf("from sub: %v", got)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestWalkWithoutRepo(t *testing.T) {
	root := t.TempDir()
	mkfiles(t, root, map[string]string{".gitignore": "*.tmp\n", "a.tmp": "", "b.go": ""})
	if got := collect(t, root, Options{}); strings.Join(got, " ") != "b.go" {
		t.Fatalf("got %v", got)
	}
}

func TestWalkOptions(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{}
	for _, d := range []string{"a", "b", "c"} {
		for _, f := range []string{"1", "2", "3"} {
			files[d+"/"+f+".txt"] = ""
		}
	}
	mkfiles(t, root, files)
	got := collect(t, root, Options{Workers: 1, SkipDir: func(path, rel, name string) bool { return name == "b" }})
	if len(got) != 6 || contains(got, "b/1.txt") {
		t.Fatalf("SkipDir: %v", got)
	}
	// A root that is a file is passed as is.
	single := filepath.Join(root, "a", "1.txt")
	var seen []Entry
	Walk(context.Background(), single, Options{}, func(e Entry) error { seen = append(seen, e); return nil })
	if len(seen) != 1 || seen[0].Path != single || seen[0].Rel != "" {
		t.Fatalf("file root: %+v", seen)
	}
	// ErrStop ends the walk without an error; other errors are returned.
	n := 0
	var mu sync.Mutex
	err := Walk(context.Background(), root, Options{}, func(Entry) error {
		mu.Lock()
		defer mu.Unlock()
		n++
		return ErrStop
	})
	if err != nil || n == 0 || n == 9 {
		t.Fatalf("ErrStop: err %v after %d", err, n)
	}
	boom := errors.New("boom")
	if err := Walk(context.Background(), root, Options{}, func(Entry) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("error: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Walk(ctx, root, Options{}, func(Entry) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancel: %v", err)
	}
	if err := Walk(context.Background(), filepath.Join(root, "nope"), Options{}, func(Entry) error { return nil }); err == nil {
		t.Fatal("missing root: no error")
	}
}

func TestSymlinksNotFollowed(t *testing.T) {
	root := t.TempDir()
	mkfiles(t, root, map[string]string{"real/f.txt": ""})
	if err := os.Symlink(filepath.Join(root, "real"), filepath.Join(root, "link")); err != nil {
		t.Skip("no symlinks")
	}
	os.Symlink(filepath.Join(root, "real", "f.txt"), filepath.Join(root, "flink.txt"))
	var mu sync.Mutex
	types := map[string]os.FileMode{}
	Walk(context.Background(), root, Options{}, func(e Entry) error {
		mu.Lock()
		types[e.Rel] = e.Type
		mu.Unlock()
		return nil
	})
	if _, ok := types["link/f.txt"]; ok {
		t.Fatal("followed a directory symlink")
	}
	if types["flink.txt"]&os.ModeSymlink == 0 {
		t.Fatalf("file symlink not reported as such: %v", types)
	}
}

func TestParseLine(t *testing.T) {
	tests := []struct {
		line  string
		ok    bool
		check func(pattern) bool
	}{
		{"", false, nil},
		{"# c", false, nil},
		{"   ", false, nil},
		{"/", false, nil},
		{"*.go", true, func(p pattern) bool { return p.kind == kindSuffix && p.text == ".go" }},
		{"vendor", true, func(p pattern) bool { return p.kind == kindLiteral && !p.anchored }},
		{"vendor/", true, func(p pattern) bool { return p.dirOnly && p.kind == kindLiteral }},
		{"/root.txt", true, func(p pattern) bool { return p.anchored && p.text == "root.txt" }},
		{"**/name", true, func(p pattern) bool { return !p.anchored && p.kind == kindLiteral }},
		{"a/**/b", true, func(p pattern) bool { return p.anchored && p.kind == kindGlob }},
		{"!keep", true, func(p pattern) bool { return p.negate }},
		{`\!bang`, true, func(p pattern) bool { return !p.negate && p.text == "!bang" }},
		{"trailing   ", true, func(p pattern) bool { return p.text == "trailing" }},
		{"x\r", true, func(p pattern) bool { return p.text == "x" }},
		{"[", false, nil},
	}
	for _, tt := range tests {
		p, ok := parseLine(tt.line)
		if ok != tt.ok || (ok && tt.check != nil && !tt.check(p)) {
			t.Errorf("parseLine(%q) = %+v, %v", tt.line, p, ok)
		}
	}
}

func TestCallbackPanicBecomesError(t *testing.T) {
	root := t.TempDir()
	mkfiles(t, root, map[string]string{"a": "", "b/c": ""})
	err := Walk(context.Background(), root, Options{}, func(Entry) error { panic("bad callback") })
	if err == nil || !strings.Contains(err.Error(), "bad callback") {
		t.Fatalf("err %v", err)
	}
}
