package udiff

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"ganban/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func TestUnified(t *testing.T) {
	tests := []struct {
		name, a, b, want string
	}{
		{"equal", "x\n", "x\n", ""},
		{"change in middle", "a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nd\nE\nf\ng\nh\n",
			"--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"},
		{"create", "", "one\ntwo\n", "--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+one\n+two\n"},
		{"delete all", "one\n", "", "--- a/f\n+++ b/f\n@@ -1 +0,0 @@\n-one\n"},
		{"no newline at end", "a\nb", "a\nc", "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"},
		{"newline added", "a", "a\n", "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n"},
		{"two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "X\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\nY\n",
			"--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-1\n+X\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+Y\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Unified("a/f", "b/f", tt.a, tt.b, 3); got != tt.want {
				t.Fatalf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestStat(t *testing.T) {
	if a, r := Stat("a\nb\nc\n", "a\nx\nc\nd\n"); a != 2 || r != 1 {
		t.Fatalf("+%d -%d", a, r)
	}
}

// apply applies a unified diff produced by Unified to a, for checking diffs by round trip.
func apply(t *testing.T, a, diff string) string {
	t.Helper()
	if diff == "" {
		return a
	}
	src := splitLines(a)
	var out []string
	pos := 0
	lines := strings.SplitAfter(diff, "\n")
	for i := 2; i < len(lines) && lines[i] != ""; i++ {
		l := lines[i]
		if strings.HasPrefix(l, "@@") {
			var as string
			fmt.Sscanf(l, "@@ -%s", &as)
			start, _ := strconv.Atoi(strings.Split(as, ",")[0])
			if strings.HasSuffix(as, ",0") {
				start++ // an empty range names the line before
			}
			for pos < start-1 {
				out = append(out, src[pos])
				pos++
			}
			continue
		}
		if strings.HasPrefix(l, `\`) {
			// The previous line had no newline.
			last := len(out) - 1
			if lines[i-1][0] == '-' {
				continue
			}
			out[last] = strings.TrimSuffix(out[last], "\n")
			continue
		}
		switch l[0] {
		case ' ':
			out = append(out, src[pos])
			pos++
		case '-':
			pos++
		case '+':
			out = append(out, l[1:])
		}
	}
	out = append(out, src[pos:]...)
	return strings.Join(out, "")
}

func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"a\n", "b\n", "c\n", "d\n", "e", "f\n"}
	gen := func() string {
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteString(words[r.IntN(len(words))])
		}
		return b.String()
	}
	for i := range 2000 {
		a, b := gen(), gen()
		d := Unified("a", "b", a, b, r.IntN(4))
		if got := apply(t, a, d); got != b {
			t.Fatalf("case %d: round trip failed\na=%q\nb=%q\ndiff:\n%s\ngot=%q", i, a, b, d, got)
		}
	}
}

func TestLargeDiffFallsBack(t *testing.T) {
	var a, b strings.Builder
	for i := range 6000 {
		fmt.Fprintf(&a, "a%d\n", i)
		fmt.Fprintf(&b, "b%d\n", i)
	}
	d := Unified("x", "y", a.String(), b.String(), 3)
	if got := apply(t, a.String(), d); got != b.String() {
		t.Fatal("fallback diff does not apply")
	}
}

func TestChanged(t *testing.T) {
	ten := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"
	cases := []struct {
		name, a, b string
		want       []Span
	}{
		{"same", ten, ten, nil},
		{"one line changed", ten, strings.Replace(ten, "5\n", "five\n", 1), []Span{{5, 5}}},
		{"lines added", ten, strings.Replace(ten, "5\n", "5\nx\ny\n", 1), []Span{{6, 7}}},
		{"lines removed", ten, strings.Replace(ten, "5\n6\n", "", 1), []Span{{5, 5}}},
		{"last lines removed", ten, "1\n2\n", []Span{{2, 2}}},
		{"everything removed", ten, "", []Span{{1, 1}}},
		{"near changes merge", ten, strings.Replace(strings.Replace(ten, "2\n", "two\n", 1), "4\n", "four\n", 1), []Span{{2, 4}}},
		{"far changes stay apart", ten, strings.Replace(strings.Replace(ten, "1\n", "one\n", 1), "10\n", "ten\n", 1), []Span{{1, 1}, {10, 10}}},
		{"new file", "", "a\nb\n", []Span{{1, 2}}},
	}
	for _, tc := range cases {
		if got := Changed(tc.a, tc.b, 1); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Changed = %v, want %v", tc.name, got, tc.want)
		}
	}
}
