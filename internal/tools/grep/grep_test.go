package grep

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"ganban/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func mkfiles(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func rels(r *Results) string {
	var out []string
	for _, f := range r.Files {
		out = append(out, fmt.Sprintf("%s:%d", f.Rel, f.Count))
	}
	return strings.Join(out, " ")
}

func TestSearchFilters(t *testing.T) {
	root := t.TempDir()
	mkfiles(t, root, map[string]string{
		".git/config":      "needle",
		".gitignore":       "ignored/\n",
		"a.go":             "needle\nneedle\n",
		"b.rs":             "needle\n",
		"c/d.go":           "xx needle xx\n",
		"c/e_test.go":      "needle\n",
		"ignored/f.go":     "needle\n",
		".hidden/g.go":     "needle\n",
		"bin.dat":          "needle\x00\x01",
		"Makefile":         "needle:\n",
		"web/x.tsx":        "needle\n",
		"none.txt":         "nothing\n",
		"upper.txt":        "NEEDLE\n",
		"docs/guide.md":    "needle\n",
		"docs/api/ref.md":  "needle\n",
		"vendor/lib/v.go":  "needle\n",
		"vendor/keep/k.go": "needle\n",
	})
	tests := []struct {
		name string
		o    Options
		want string
	}{
		{"all", Options{Mode: Count}, "Makefile:1 a.go:2 b.rs:1 c/d.go:1 c/e_test.go:1 docs/api/ref.md:1 docs/guide.md:1 vendor/keep/k.go:1 vendor/lib/v.go:1 web/x.tsx:1"},
		{"type go", Options{Type: "go"}, "a.go:1 c/d.go:1 c/e_test.go:1 vendor/keep/k.go:1 vendor/lib/v.go:1"},
		{"type make", Options{Type: "make"}, "Makefile:1"},
		{"type ts", Options{Type: "ts"}, "web/x.tsx:1"},
		{"glob name", Options{Globs: []string{"*_test.go"}}, "c/e_test.go:1"},
		{"glob path", Options{Globs: []string{"docs/**/*.md"}}, "docs/api/ref.md:1 docs/guide.md:1"},
		{"glob anchored path", Options{Globs: []string{"docs/*.md"}}, "docs/guide.md:1"},
		{"glob braces", Options{Globs: []string{"*.{rs,tsx}"}}, "b.rs:1 web/x.tsx:1"},
		{"negated dir", Options{Globs: []string{"!vendor", "*.go"}}, "a.go:1 c/d.go:1 c/e_test.go:1"},
		{"negated path glob", Options{Globs: []string{"!vendor/lib/**"}, Type: "go"}, "a.go:1 c/d.go:1 c/e_test.go:1 vendor/keep/k.go:1"},
		{"hidden", Options{Hidden: true, Type: "go"}, ".hidden/g.go:1 a.go:1 c/d.go:1 c/e_test.go:1 vendor/keep/k.go:1 vendor/lib/v.go:1"},
		{"no ignore", Options{NoIgnore: true, Type: "go"}, "a.go:1 c/d.go:1 c/e_test.go:1 ignored/f.go:1 vendor/keep/k.go:1 vendor/lib/v.go:1"},
		{"ignore case", Options{IgnoreCase: true, Globs: []string{"*.txt"}}, "upper.txt:1"},
		{"explicit file", Options{Path: "c/d.go"}, ":1"},
		{"explicit ignored file", Options{Path: "ignored/f.go"}, ":1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.o
			o.Pattern = "needle"
			if o.Path == "" {
				o.Path = root
			} else {
				o.Path = filepath.Join(root, o.Path)
			}
			r, err := Search(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			if got := rels(r); got != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	if _, err := Search(context.Background(), Options{Pattern: "(", Path: root}); err == nil {
		t.Error("bad pattern accepted")
	}
	if _, err := Search(context.Background(), Options{Pattern: "x", Path: root, Type: "nope"}); err == nil || !strings.Contains(err.Error(), "unknown file type") {
		t.Errorf("unknown type: %v", err)
	}
	if _, err := Search(context.Background(), Options{Pattern: "x", Path: root, Globs: []string{"[x"}}); err == nil {
		t.Error("bad glob accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Search(ctx, Options{Pattern: "x", Path: root}); err == nil {
		t.Error("cancelled search succeeded")
	}
}

// reference is the obvious per-line implementation the engine must agree with.
func reference(re *regexp.Regexp, content string, before, after int) (count int, lines []Line) {
	ls := strings.Split(content, "\n")
	if len(ls) > 0 && ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	matched := make([]bool, len(ls))
	show := make([]bool, len(ls))
	for i, l := range ls {
		if re.MatchString(l) {
			matched[i] = true
			count++
			for k := max(i-before, 0); k <= min(i+after, len(ls)-1); k++ {
				show[k] = true
			}
		}
	}
	for i, l := range ls {
		if show[i] {
			lines = append(lines, Line{Num: i + 1, Text: strings.TrimSuffix(l, "\r"), Match: matched[i]})
		}
	}
	return count, lines
}

// searchBytes runs the line searcher on content with a tiny buffer, so that chunk
// boundaries fall everywhere.
func searchBytes(c *compiled, content []byte, bufSize int) (FileResult, bool, error) {
	s := &searcher{c: c, buf: make([]byte, 0, bufSize)}
	if c.multiline {
		f, err := os.CreateTemp("", "grep-*")
		if err != nil {
			return FileResult{}, false, err
		}
		defer os.Remove(f.Name())
		defer f.Close()
		f.Write(content)
		f.Seek(0, 0)
		return s.searchWhole(f)
	}
	return s.searchChunks(context.Background(), bytes.NewReader(content))
}

func checkAgainstReference(t *testing.T, pattern, content string, ignoreCase bool, before, after int, bufSize int) {
	t.Helper()
	c, err := compile(Options{Pattern: pattern, IgnoreCase: ignoreCase, Mode: Content, Before: before, After: after})
	if err != nil {
		return
	}
	if utf16BOM([]byte(content)) {
		return // transcoded before the search: TestUTF16FilesAreSearchedAsText
	}
	fr, searched, err := searchBytes(c, []byte(content), bufSize)
	if err != nil || !searched {
		t.Fatalf("not searched: %v", err)
	}
	count, want := reference(c.re, content, before, after)
	if fr.Count != count || fmt.Sprint(fr.Lines) != fmt.Sprint(want) {
		t.Fatalf("pattern %q on %q (B%d A%d buf %d):\ngot  %d %v\nwant %d %v", pattern, content, before, after, bufSize, fr.Count, fr.Lines, count, want)
	}
	// The other modes agree on the count.
	for _, m := range []Mode{Count, FilesWithMatches} {
		c.mode = m
		fr, _, _ := searchBytes(c, []byte(content), bufSize)
		wantCount := count
		if m == FilesWithMatches {
			wantCount = min(count, 1)
		}
		if fr.Count != wantCount || len(fr.Lines) != 0 {
			t.Fatalf("mode %d: count %d, want %d", m, fr.Count, wantCount)
		}
	}
}

func TestLineSearchMatchesReference(t *testing.T) {
	patterns := []string{"a", "ab", "b+", "^a", "a$", "^$", "", "x|ab", `\bab\b`, `a.b`, `a\sb`, `[^x]b`, `(?i)AB`,
		`\Aa`, `b\z`, `(?-m)^a`, "needle", `a\nb`, `\r`, `b\r$`, "a*", `ne+dle`, `(a|b)c`,
		`(?i)needle`, `(?i)kas`, `(?i)xk`, `(?i)NE+D`, `(?i)a b`}
	r := rand.New(rand.NewPCG(7, 9))
	alphabet := []string{"a", "b", "c", "x", " ", "\n", "\n", "\r\n", "ab", "needle", "NeEdLe", "K", "\u212A", "\u017F", "s"}
	for i := range 3000 {
		var b strings.Builder
		for range r.IntN(30) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		p := patterns[i%len(patterns)]
		checkAgainstReference(t, p, b.String(), r.IntN(4) == 0, r.IntN(3), r.IntN(3), 1+r.IntN(20))
	}
}

func TestMultiline(t *testing.T) {
	c, err := compile(Options{Pattern: `struct \{[\s\S]*?name`, Multiline: true, Mode: Content, After: 1})
	if err != nil {
		t.Fatal(err)
	}
	content := "x\ntype T struct {\n\tid int\n\tname string\n}\ny\n"
	fr, _, _ := searchBytes(c, []byte(content), 64)
	want := "[{2 type T struct { true} {3 \tid int true} {4 \tname string true} {5 } false}]"
	if fr.Count != 3 || fmt.Sprint(fr.Lines) != want {
		t.Fatalf("got %d %v", fr.Count, fr.Lines)
	}
	// "." matches newlines in multiline mode.
	c, _ = compile(Options{Pattern: `id.*name`, Multiline: true, Mode: Count})
	if fr, _, _ := searchBytes(c, []byte(content), 64); fr.Count != 2 {
		t.Fatalf("dotall count %d", fr.Count)
	}
}

func TestContentFormat(t *testing.T) {
	files := []FileResult{
		{Rel: "a.go", Lines: []Line{{1, "x", true}, {2, "y", false}, {5, "z", true}}},
		{Rel: "b.go", Lines: []Line{{3, "w", true}}},
	}
	got := ContentLines(files, FormatOptions{Name: func(f FileResult) string { return f.Rel }, LineNumbers: true, Separators: true})
	want := "a.go:1:x\na.go-2-y\n--\na.go:5:z\n--\nb.go:3:w"
	if strings.Join(got, "\n") != want {
		t.Fatalf("got\n%s", strings.Join(got, "\n"))
	}
	got = ContentLines(files[:1], FormatOptions{})
	if strings.Join(got, "\n") != "x\ny\nz" {
		t.Fatalf("plain: %q", got)
	}
}

func TestLongLinesAndBigFiles(t *testing.T) {
	root := t.TempDir()
	long := strings.Repeat("q", 3*chunkSize) + "needle" + strings.Repeat("q", 1000) + "\nafter\n"
	var big strings.Builder
	for i := range 200000 {
		fmt.Fprintf(&big, "line %d %s\n", i, map[bool]string{true: "needle", false: "hay"}[i%50000 == 7])
	}
	mkfiles(t, root, map[string]string{"long.txt": long, "big.txt": big.String()})
	r, err := Search(context.Background(), Options{Pattern: "needle", Path: root, Mode: Content, MaxColumns: 100, Before: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Files) != 2 {
		t.Fatalf("files %v", rels(r))
	}
	bigRes := r.Files[0]
	if bigRes.Count != 4 || bigRes.Lines[1].Num != 8 || bigRes.Lines[1].Text != "line 7 needle" || bigRes.Lines[0].Text != "line 6 hay" {
		t.Fatalf("big: %d %v", bigRes.Count, bigRes.Lines[:2])
	}
	if last := bigRes.Lines[len(bigRes.Lines)-1]; last.Num != 150008 || last.Text != "line 150007 needle" {
		t.Fatalf("big last: %v", last)
	}
	longRes := r.Files[1]
	if longRes.Count != 1 || len(longRes.Lines[0].Text) > 200 || !strings.Contains(longRes.Lines[0].Text, "needle") {
		t.Fatalf("long: %v", longRes.Lines)
	}
	// MaxLines bounds collection.
	r, _ = Search(context.Background(), Options{Pattern: "line", Path: root, Mode: Content, MaxLines: 1000})
	if !r.Truncated {
		t.Fatal("MaxLines not applied")
	}
}

func TestRequiredLiteral(t *testing.T) {
	tests := map[string]string{
		"foo":            "foo",
		`func\s+Foo`:     "func",
		`\w+Error\b`:     "Error",
		`(abc)+x`:        "abc",
		`a|b`:            "",
		`(?i)foo`:        "",
		`x*`:             "",
		`interface\{\}`:  "interface{}",
		`[a-z]+_handler`: "_handler",
	}
	for p, want := range tests {
		_, lit, err := Compile(p, false, false)
		if err != nil {
			t.Fatal(err)
		}
		if string(lit) != want {
			t.Errorf("%q: literal %q, want %q", p, lit, want)
		}
	}
}

// FuzzGrep feeds random patterns, options and contents to the engine: it must never panic,
// and in line mode it must agree with the per-line reference.
func FuzzGrep(f *testing.F) {
	f.Add("a+b", "xab\nab\r\nb", false, false, uint8(1), uint8(1), uint8(3))
	f.Add(`^\s*$`, "\n\n x\n", true, false, uint8(0), uint8(2), uint8(1))
	f.Add(`(?s)a.*b`, "a\nb", false, true, uint8(2), uint8(0), uint8(7))
	f.Add(`\Ax|y\z`, "x\ny", false, false, uint8(0), uint8(0), uint8(2))
	f.Add("", "", false, false, uint8(0), uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, pattern, content string, ignoreCase, multiline bool, before, after, buf uint8) {
		if len(pattern) > 200 || len(content) > 4096 {
			return
		}
		b, a := int(before%4), int(after%4)
		bufSize := 1 + int(buf)
		if multiline {
			c, err := compile(Options{Pattern: pattern, IgnoreCase: ignoreCase, Multiline: true, Mode: Content, Before: b, After: a, MaxColumns: 50})
			if err != nil {
				return
			}
			fr, _, _ := searchBytes(c, []byte(content), bufSize)
			prev := 0
			for _, l := range fr.Lines {
				if l.Num <= prev {
					t.Fatalf("lines out of order: %v", fr.Lines)
				}
				prev = l.Num
			}
			return
		}
		if strings.ContainsRune(content, 0) {
			// Binary: only check that nothing breaks.
			c, err := compile(Options{Pattern: pattern, IgnoreCase: ignoreCase, Mode: Content})
			if err == nil {
				searchBytes(c, []byte(content), bufSize)
			}
			return
		}
		checkAgainstReference(t, pattern, content, ignoreCase, b, a, bufSize)
	})
}

var benchFiles = flag.Int("bench-files", 20000, "number of files in BenchmarkGrep's generated tree")

// benchTree builds a source-like tree of -bench-files files of about 2 KB in nested
// directories, one in 50 of them .gitignore'd. It is kept in the temporary directory and
// reused by later runs, since writing 100,000 files takes longer than searching them.
func benchTree(b *testing.B) string {
	b.Helper()
	n := *benchFiles
	root := filepath.Join(os.TempDir(), fmt.Sprintf("ganban-grep-bench-%d", n))
	if _, err := os.Stat(filepath.Join(root, "done")); err == nil {
		return root
	}
	os.RemoveAll(root)
	r := rand.New(rand.NewPCG(1, 1))
	words := strings.Fields("func return if else for range var const type struct interface map chan go defer select case switch package import error nil string int bool byte rune")
	var body strings.Builder
	for i := range n {
		body.Reset()
		for l := range 60 {
			for range 5 {
				body.WriteString(words[r.IntN(len(words))])
				body.WriteByte(' ')
			}
			if i%1000 == 0 && l == 30 {
				body.WriteString("NeedleFunction(ctx)")
			}
			body.WriteByte('\n')
		}
		dir := fmt.Sprintf("pkg%02d/sub%02d", i%50, (i/50)%20)
		ext := []string{".go", ".ts", ".py", ".md"}[i%4]
		p := filepath.Join(root, dir, fmt.Sprintf("file%d%s", i, ext))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body.String()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(root, ".gitignore"), []byte("pkg49/\n*.tmp\n"), 0o644)
	os.WriteFile(filepath.Join(root, "done"), nil, 0o644)
	return root
}

func BenchmarkGrep(b *testing.B) {
	root := benchTree(b)
	cases := []struct {
		name string
		o    Options
	}{
		{"literal-files", Options{Pattern: "NeedleFunction"}},
		{"literal-content", Options{Pattern: "NeedleFunction", Mode: Content, Before: 2, After: 2}},
		{"regex-inner-literal", Options{Pattern: `\w+Function\(`, Mode: Content}},
		{"regex-no-literal", Options{Pattern: `[A-Z][a-z]+F[a-z]+\(`}},
		{"ignore-case", Options{Pattern: "needlefunction", IgnoreCase: true}},
		{"type-go", Options{Pattern: "NeedleFunction", Type: "go"}},
		{"count-common", Options{Pattern: "return", Mode: Count}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			o := c.o
			o.Path = root
			for b.Loop() {
				r, err := Search(context.Background(), o)
				if err != nil || len(r.Files) == 0 {
					b.Fatalf("%v %v", err, r)
				}
			}
		})
	}
}

// TestUTF16FilesAreSearchedAsText: a file with a UTF-16 byte order mark (Windows tools
// write them) is searched as the text it holds, in both byte orders and in multiline mode,
// with the text's line numbers; NUL-filled data without a mark stays binary.
func TestUTF16FilesAreSearchedAsText(t *testing.T) {
	text := "first line\r\nthe needle, über alles\r\nlast needle\r\n"
	encode := func(bigEndian bool) string {
		var b []byte
		if bigEndian {
			b = append(b, 0xFE, 0xFF)
		} else {
			b = append(b, 0xFF, 0xFE)
		}
		for _, u := range utf16.Encode([]rune(text)) {
			if bigEndian {
				b = append(b, byte(u>>8), byte(u))
			} else {
				b = append(b, byte(u), byte(u>>8))
			}
		}
		return string(b)
	}
	root := t.TempDir()
	mkfiles(t, root, map[string]string{"le.txt": encode(false), "be.txt": encode(true), "raw.bin": "needle\x00\x00needle"})
	for _, o := range []Options{
		{Pattern: "needle", Mode: Content},
		{Pattern: `needle,\s+über[\s\S]*last`, Mode: Content, Multiline: true},
	} {
		o.Path = root
		r, err := Search(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range r.Files {
			for _, l := range f.Lines {
				got = append(got, fmt.Sprintf("%s:%d:%s", f.Rel, l.Num, l.Text))
			}
		}
		want := "be.txt:2:the needle, über alles be.txt:3:last needle le.txt:2:the needle, über alles le.txt:3:last needle"
		if strings.Join(got, " ") != want {
			t.Errorf("%q: got  %s\nwant %s", o.Pattern, strings.Join(got, " "), want)
		}
	}
}
