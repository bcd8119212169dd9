package tui

import (
	"fmt"
	"strings"

	xansi "github.com/charmbracelet/x/ansi"
)

// Folding limits: long outputs show their head and a line saying how much is hidden; Ctrl+O
// (or a click on the entry, after /mouse) shows everything.
const (
	foldDiff    = 20
	foldOutput  = 12
	foldShell   = 20
	foldCommand = 400
)

// spinnerFrames animate running tools and the working line; plain enough for any font.
var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// renderer holds what rendering entries needs from the model.
type renderer struct {
	th    *theme
	md    *markdown
	frame int
}

// lines returns the conversation's lines at width, re-rendering only dirty entries.
func (c *conversation) lines(r *renderer, width int) []string {
	if !c.dirty {
		return c.flat
	}
	c.flat, c.owner, c.plain = c.flat[:0], c.owner[:0], nil
	for i, e := range c.entries {
		if e.dirty || e.width != width {
			e.lines = r.entry(e, width, c.expandAll)
			e.width, e.dirty = width, false
		}
		if i > 0 {
			c.flat = append(c.flat, "")
			c.owner = append(c.owner, i)
		}
		c.flat = append(c.flat, e.lines...)
		for range e.lines {
			c.owner = append(c.owner, i)
		}
	}
	c.dirty = false
	return c.flat
}

// plainLines is the text of the lines without styling, for search.
func (c *conversation) plainLines() []string {
	if c.plain == nil {
		c.plain = make([]string, len(c.flat))
		for i, l := range c.flat {
			c.plain[i] = xansi.Strip(l)
		}
	}
	return c.plain
}

func (r *renderer) entry(e *entry, width int, expandAll bool) []string {
	th := r.th
	open := e.open != expandAll // a click inverts the global choice for one entry
	switch e.kind {
	case kindUser:
		return prefixed(wrapText(cleanText(e.text), width-2), th.user.Render("> "), "  ", th.user)
	case kindAssistant:
		body := r.md.render(cleanText(e.text), width-2)
		return prefixed(body, th.assistant.Render("● "), "  ", nil)
	case kindThinking:
		n := len(strings.Split(strings.TrimSpace(e.text), "\n"))
		if !open {
			return []string{th.thinking.Render(fmt.Sprintf("✻ Thinking… (%d lines, ctrl+o to show)", n))}
		}
		out := []string{th.thinking.Render("✻ Thinking")}
		for _, l := range wrapText(cleanText(strings.TrimSpace(e.text)), width-2) {
			out = append(out, "  "+th.thinking.Render(l))
		}
		return out
	case kindTool:
		return r.tool(e.tool, width, open)
	case kindNotice:
		st, mark := th.notice, "· "
		switch e.level {
		case levelWarn:
			st, mark = th.warn, "! "
		case levelError:
			st, mark = th.err, "✗ "
		}
		return prefixed(wrapText(cleanText(e.text), width-2), st.Render(mark), "  ", st)
	case kindShell:
		head := th.bold.Render("! ") + th.bold.Render(e.title)
		body := hardLines(e.text, width-4)
		return append([]string{head}, fold(indent(body, "    ", nil), foldShell, open, th)...)
	case kindOutput:
		var out []string
		if e.title != "" {
			st := th.title
			if e.level == levelError {
				st = th.err
			}
			out = append(out, st.Render(e.title))
		}
		body := wrapLines(e.text, width-2)
		st := th.assistant
		if e.level == levelError {
			st = th.err
		}
		body = indent(body, "  ", &st)
		for _, sec := range e.sections {
			body = append(body, table(th, sec, width-2)...)
		}
		return append(out, fold(body, foldCommand, open, th)...)
	}
	return nil
}

func (r *renderer) tool(ts *toolState, width int, open bool) []string {
	th := r.th
	var mark string
	switch ts.status {
	case toolQueued:
		mark = th.dim.Render("○")
	case toolRunning:
		mark = th.running.Render(spinnerFrames[r.frame%len(spinnerFrames)])
	case toolDone:
		mark = th.ok.Render("✓")
	case toolFailed, toolDenied:
		mark = th.fail.Render("✗")
	}
	summary := ts.summary
	if summary == "" {
		summary = ts.name
	}
	head := xansi.Truncate(summary, width-2, "…")
	line := mark + " " + th.toolName.Render(head)
	if room := width - 2 - xansi.StringWidth(head) - 2; ts.detail != "" && room > 8 {
		line += th.dim.Render("  " + truncate(ts.detail, room))
	}
	out := []string{line}
	if ts.status < toolDone {
		return append(out, r.liveTail(ts.live, width)...)
	}
	res := ts.resultSummary
	if ts.status == toolDenied {
		res = "denied: " + firstLine(ts.output)
	}
	if res != "" {
		out = append(out, th.dim.Render("  └ "+xansi.Truncate(res, width-6, "…")))
	}
	if ts.diff != "" {
		out = append(out, fold(indent(th.renderDiff(ts.diff, width-4), "    ", nil), foldDiff, open, th)...)
		return out
	}
	if open && ts.output != "" && ts.status != toolDenied {
		out = append(out, fold(indent(wrapLines(ts.output, width-4), "    ", &th.dim), foldCommand, false, th)...)
	}
	return out
}

// liveLines is how much of a running command's output shows under its line.
const liveLines = 5

// liveTail is the last lines a running call has written, dimmed and cut to the width, so the
// screen keeps its shape however the command writes.
func (r *renderer) liveTail(live string, width int) []string {
	if live == "" {
		return nil
	}
	lines := strings.Split(expandTabs(live), "\n")
	if len(lines) > liveLines {
		lines = lines[len(lines)-liveLines:]
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = r.th.dim.Render("  │ " + xansi.Truncate(xansi.Strip(l), width-6, "…"))
	}
	return out
}

// fold keeps the first n lines unless open, and says how many are hidden.
func fold(lines []string, n int, open bool, th *theme) []string {
	if open || len(lines) <= n {
		return lines
	}
	hidden := len(lines) - n
	return append(lines[:n:n], th.dim.Render(fmt.Sprintf("    … %d more lines (ctrl+o to expand)", hidden)))
}

// prefixed puts first before the first line and rest before the others, styling the lines
// with st when given.
func prefixed(lines []string, first, rest string, st interface{ Render(...string) string }) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if st != nil {
			l = st.Render(l)
		}
		if i == 0 {
			out[i] = first + l
		} else {
			out[i] = rest + l
		}
	}
	if len(out) == 0 {
		out = []string{first}
	}
	return out
}

func indent(lines []string, pad string, st interface{ Render(...string) string }) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if st != nil {
			l = st.Render(l)
		}
		out[i] = pad + l
	}
	return out
}

// wrapText word-wraps plain text at width.
func wrapText(s string, width int) []string {
	if width < 4 {
		width = 4
	}
	s = strings.TrimRight(expandTabs(s), "\n")
	return strings.Split(xansi.Wrap(s, width, ""), "\n")
}

// wrapLines wraps each line of preformatted text at word boundaries (cutting words longer
// than the width), keeping the lines as they are when they fit. Continuation lines hang
// under the line's text (see hangingIndent), so wrapped lists, checks and tables stay
// readable.
func wrapLines(s string, width int) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var out []string
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		l = expandTabs(sanitize(l))
		out = append(out, wrapHanging(l, width, hangingIndent(l, width))...)
	}
	return out
}

// listMarks open the lines of lists and checks ("✓ Region: ...", "- item").
var listMarks = []string{"✓ ", "✗ ", "· ", "! ", "- ", "* ", "• ", "☐ ", "☒ ", "▸ "}

// hangingIndent is where the continuation of line l starts, in cells: after a list mark,
// after the gap before a table's second column ("Region      us-east-1 (from ...)"), or at
// the line's own indentation; never past half the width.
func hangingIndent(l string, width int) int {
	lead := len(l) - len(strings.TrimLeft(l, " "))
	rest := l[lead:]
	hang := lead
	for _, mark := range listMarks {
		if strings.HasPrefix(rest, mark) {
			hang = lead + xansi.StringWidth(mark)
		}
	}
	if hang == lead {
		if gap := strings.Index(rest, "  "); gap > 0 {
			col := strings.TrimLeft(rest[gap:], " ")
			hang = lead + xansi.StringWidth(rest[:len(rest)-len(col)])
		}
	}
	if hang > width/2 {
		return min(lead, width/2)
	}
	return hang
}

// wrapHanging cuts l into lines of at most width cells at spaces, the first as it is and the
// others indented by hang.
func wrapHanging(l string, width, hang int) []string {
	var out []string
	pad, w := "", width
	for xansi.StringWidth(l) > w {
		cut := breakAt(l, w, hang-len(pad))
		out = append(out, pad+strings.TrimRight(l[:cut], " "))
		l = strings.TrimLeft(l[cut:], " ")
		pad, w = strings.Repeat(" ", hang), max(width-hang, 4)
	}
	return append(out, pad+l)
}

// breakAt is the byte index where l is cut to fit w cells: at the last space that leaves
// text after the first `after` cells, or within a word too long for the line.
func breakAt(l string, w, after int) int {
	cells, space, cut := 0, -1, 0
	for i, r := range l {
		rw := xansi.StringWidth(string(r))
		if cells+rw > w {
			if r == ' ' {
				return i
			}
			cut = i
			break
		}
		if r == ' ' && cells > after {
			space = i
		}
		cells += rw
	}
	if space > 0 {
		return space
	}
	return max(cut, 1)
}

// table lays out a two-column section at width: the first column as wide as its longest
// cell (up to a third of the width), the second wrapped beside it.
func table(th *theme, sec section, width int) []string {
	var out []string
	if sec.head != "" {
		out = append(out, "", "  "+th.bold.Render(sec.head))
	}
	w1 := 0
	for _, r := range sec.rows {
		w1 = max(w1, xansi.StringWidth(r[0]))
	}
	w1 = min(w1, max(width/3, 8))
	w2 := max(width-w1-6, 10)
	for _, r := range sec.rows {
		left := wrapText(r[0], w1)
		right := wrapText(r[1], w2)
		for i := 0; i < max(len(left), len(right)); i++ {
			var l, rt string
			if i < len(left) {
				l = left[i]
			}
			if i < len(right) {
				rt = right[i]
			}
			pad := strings.Repeat(" ", max(w1-xansi.StringWidth(l), 0))
			out = append(out, strings.TrimRight("    "+l+pad+"  "+th.dim.Render(rt), " "))
		}
	}
	return out
}

// hardLines splits preformatted text into lines cut at width, so columns stay aligned.
func hardLines(s string, width int) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		out = append(out, wrapHard(expandTabs(sanitize(l)), width)...)
	}
	return out
}

// sanitize removes control characters (escape sequences from a command's output, carriage
// returns) that would move the cursor and corrupt the screen.
func sanitize(s string) string {
	s = xansi.Strip(s)
	if i := strings.LastIndexByte(s, '\r'); i >= 0 {
		s = s[i+1:]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// cleanText removes control characters but newlines and tabs from text that came from the
// model or a person, so that nothing in it can move the cursor or change the terminal.
func cleanText(s string) string {
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
