package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	xansi "github.com/charmbracelet/x/ansi"
)

// renderDiff colours a unified diff line by line and hard-wraps long lines at width, so
// that no change is ever hidden off the right edge. Wrapped parts keep their line's colour.
func (t *theme) renderDiff(diff string, width int) []string {
	var out []string
	for _, line := range strings.Split(strings.TrimRight(diff, "\n"), "\n") {
		st := t.diffStyle(line)
		line = expandTabs(line)
		for _, part := range wrapHard(line, width) {
			out = append(out, st.Render(part))
		}
	}
	return out
}

func (t *theme) diffStyle(line string) lipgloss.Style {
	switch {
	case strings.HasPrefix(line, "+++"), strings.HasPrefix(line, "---"):
		return t.diffMeta
	case strings.HasPrefix(line, "@@"):
		return t.diffHunk
	case strings.HasPrefix(line, "+"):
		return t.diffAdd
	case strings.HasPrefix(line, "-"):
		return t.diffDel
	}
	return t.assistant
}

// wrapHard cuts s into pieces of at most width cells.
func wrapHard(s string, width int) []string {
	if width < 1 {
		width = 1
	}
	if xansi.StringWidth(s) <= width {
		return []string{s}
	}
	return strings.Split(xansi.Hardwrap(s, width, true), "\n")
}

// expandTabs replaces tabs by spaces to the next multiple of four, line by line, so widths
// are known: the screen does not draw a tab, it drops it.
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		switch r {
		case '\t':
			n := 4 - col%4
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		case '\n':
			col = -1
		}
		b.WriteRune(r)
		col++
	}
	return b.String()
}

// looksLikeDiff reports whether a preview is a unified diff rather than a command.
func looksLikeDiff(s string) bool {
	return strings.HasPrefix(s, "--- ") || strings.Contains(s, "\n@@ ") || strings.HasPrefix(s, "@@ ")
}
