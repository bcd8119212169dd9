// Package udiff computes line diffs and formats them as unified diffs, the form people and
// models read best. It uses Myers' algorithm after trimming the common prefix and suffix;
// when two texts differ so much that the exact diff would be costly, the differing middle is
// shown as removed and re-added, which is still a correct patch.
package udiff

import (
	"fmt"
	"strings"
)

// maxD bounds the edit distance searched exactly: the algorithm's memory grows with its
// square, and beyond a few thousand changed lines a minimal diff helps nobody.
const maxD = 2000

// op is one line of an edit script.
type op struct {
	kind byte // ' ', '-', '+'
	line string
}

// splitLines splits s into lines that keep their "\n", so that a missing final newline is a
// difference like any other.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// script returns the edit script turning a into b.
func script(a, b []string) []op {
	var pre, suf int
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ops := make([]op, 0, len(a)+len(b))
	for _, l := range a[:pre] {
		ops = append(ops, op{' ', l})
	}
	ops = append(ops, myers(a[pre:len(a)-suf], b[pre:len(b)-suf])...)
	for _, l := range a[len(a)-suf:] {
		ops = append(ops, op{' ', l})
	}
	return ops
}

// myers is the O((N+M)D) greedy algorithm, keeping each round's frontier to walk back the
// path.
func myers(a, b []string) []op {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return replaceAll(a, b)
	}
	limit := min(n+m, maxD)
	off := limit + 1
	v := make([]int32, 2*limit+3)
	var trace [][]int32
	found := false
	for d := 0; d <= limit && !found; d++ {
		snap := make([]int32, 2*d+1)
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = int(v[off+k+1])
			} else {
				x = int(v[off+k-1]) + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = int32(x)
			if x >= n && y >= m {
				found = true
			}
		}
		for k := -d; k <= d; k++ {
			snap[k+d] = v[off+k]
		}
		trace = append(trace, snap)
	}
	if !found {
		return replaceAll(a, b)
	}
	// Walk back from (n, m) through the recorded frontiers.
	var rev []op
	x, y := n, m
	for d := len(trace) - 1; d > 0; d-- {
		prev := trace[d-1]
		at := func(k int) int { return int(prev[k+d-1]) }
		k := x - y
		var pk int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := at(pk)
		py := px - pk
		for x > px && y > py {
			x--
			y--
			rev = append(rev, op{' ', a[x]})
		}
		if x == px {
			y--
			rev = append(rev, op{'+', b[y]})
		} else {
			x--
			rev = append(rev, op{'-', a[x]})
		}
	}
	for x > 0 && y > 0 {
		x--
		y--
		rev = append(rev, op{' ', a[x]})
	}
	ops := make([]op, len(rev))
	for i, o := range rev {
		ops[len(rev)-1-i] = o
	}
	return ops
}

func replaceAll(a, b []string) []op {
	ops := make([]op, 0, len(a)+len(b))
	for _, l := range a {
		ops = append(ops, op{'-', l})
	}
	for _, l := range b {
		ops = append(ops, op{'+', l})
	}
	return ops
}

// Stat counts the lines added and removed between a and b.
func Stat(a, b string) (added, removed int) {
	for _, o := range script(splitLines(a), splitLines(b)) {
		switch o.kind {
		case '+':
			added++
		case '-':
			removed++
		}
	}
	return added, removed
}

// Unified returns the unified diff from a to b with ctx lines of context, or "" when they are
// equal. oldName and newName go in the --- and +++ header lines.
func Unified(oldName, newName, a, b string, ctx int) string {
	if a == b {
		return ""
	}
	ops := script(splitLines(a), splitLines(b))
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", oldName, newName)
	// Find runs of changes and merge those closer than 2*ctx lines into one hunk.
	i := 0
	for i < len(ops) {
		for i < len(ops) && ops[i].kind == ' ' {
			i++
		}
		if i == len(ops) {
			break
		}
		start := max(i-ctx, 0)
		end := i
		for end < len(ops) {
			for end < len(ops) && ops[end].kind != ' ' {
				end++
			}
			same := 0
			for end+same < len(ops) && ops[end+same].kind == ' ' {
				same++
			}
			if end+same == len(ops) || same > 2*ctx {
				end = min(end+ctx, len(ops))
				break
			}
			end += same
		}
		writeHunk(&out, ops, start, end)
		i = end
	}
	return out.String()
}

// writeHunk writes ops[start:end] as one hunk.
func writeHunk(out *strings.Builder, ops []op, start, end int) {
	aLine, bLine := 1, 1
	for _, o := range ops[:start] {
		if o.kind != '+' {
			aLine++
		}
		if o.kind != '-' {
			bLine++
		}
	}
	var aCount, bCount int
	for _, o := range ops[start:end] {
		if o.kind != '+' {
			aCount++
		}
		if o.kind != '-' {
			bCount++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", rangeOf(aLine, aCount), rangeOf(bLine, bCount))
	for _, o := range ops[start:end] {
		out.WriteByte(o.kind)
		out.WriteString(o.line)
		if !strings.HasSuffix(o.line, "\n") {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// rangeOf formats a hunk range the way diff and git do: an empty range names the line before
// it, and a count of one is left out.
func rangeOf(line, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", line-1)
	case 1:
		return fmt.Sprintf("%d", line)
	}
	return fmt.Sprintf("%d,%d", line, count)
}

// Span is a run of lines of a new text, numbered from 1, inclusive.
type Span struct{ From, To int }

// Changed returns where b differs from a, as spans of b's lines: the lines added or changed,
// and for lines only removed, the line that now stands where they were. Spans less than
// 2*ctx lines apart are merged, as the hunks of a diff with ctx lines of context would be.
func Changed(a, b string, ctx int) []Span {
	lines := splitLines(b)
	var spans []Span
	bLine := 1
	ops := script(splitLines(a), lines)
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			bLine++
			i++
			continue
		}
		s := Span{From: bLine, To: bLine - 1}
		for ; i < len(ops) && ops[i].kind != ' '; i++ {
			if ops[i].kind == '+' {
				s.To = bLine
				bLine++
			}
		}
		if s.To < s.From { // only removed: point at the line now there
			s.From = min(s.From, max(len(lines), 1))
			s.To = s.From
		}
		if n := len(spans); n > 0 && s.From-spans[n-1].To <= 2*ctx+1 {
			spans[n-1].To = max(spans[n-1].To, s.To)
			continue
		}
		spans = append(spans, s)
	}
	return spans
}
