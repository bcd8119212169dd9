package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	xansi "github.com/charmbracelet/x/ansi"
)

// View draws the screen: the conversation on top, then panels (notices, completion, the
// working line), the input or a dialog, and the status line. Every line is cut to the
// width and the screen is exactly the terminal's height, so a resize never leaves debris.
func (m *Model) View() tea.View {
	content, cursor := m.screen()
	v := tea.NewView(content)
	v.AltScreen = true
	if m.mouse {
		v.MouseMode = tea.MouseModeCellMotion
	}
	v.Cursor = cursor
	v.WindowTitle = "ganban"
	if m.info.Title != "" {
		v.WindowTitle = "ganban · " + m.info.Title
	}
	return v
}

func (m *Model) convWidth() int { return max(m.width-1, 10) }

// screen renders the content and where the cursor goes.
func (m *Model) screen() (string, *tea.Cursor) {
	w := m.width
	var bottom []string
	var cursor *tea.Cursor
	inputRow := -1
	switch {
	case m.trust != nil:
		return m.fit(m.trust.view(m.th, w, m.height)), nil
	case m.setup != nil:
		return m.fit(m.setup.view(m.th, w, m.height)), nil
	case m.dialog != nil:
		// The dialog may take every row but the status line: what will change matters more
		// than the conversation above it, which comes back once the dialog is answered.
		bottom = m.dialog.view(m, w, max(m.height-1, 6))
	case m.picker != nil:
		bottom = m.picker.view(m.th, w, max(m.height/2, 6))
	default:
		bottom = append(bottom, m.panels(w)...)
		bottom = append(bottom, m.th.rule.Render(strings.Repeat("─", w)))
		switch {
		case m.search != nil:
			bottom = append(bottom, m.search.line(m.th, w))
		case m.rs != nil:
			bottom = append(bottom, m.revSearchLine(w))
		case m.busy != "":
			bottom = append(bottom, m.th.dim.Render(truncate(m.busyLine(), w)))
		default:
			inputRow = len(bottom)
			bottom = append(bottom, strings.Split(m.in.view(), "\n")...)
			if c := m.in.comp; c != nil {
				bottom = append(bottom, c.menu(m.th, w)...)
			}
		}
	}
	bottom = append(bottom, m.statusLine(w))
	convH := max(m.height-len(bottom), 0)
	if drop := len(bottom) - m.height; drop > 0 {
		bottom = bottom[drop:]
		inputRow -= drop
	}
	lines := m.conv.lines(&m.rend, m.convWidth())
	if m.vp.pin > 0 {
		m.vp.showFrom(m.conv.firstLine(m.vp.pin-1), len(lines), convH)
		m.vp.pin = 0
	}
	start, end := m.vp.window(len(lines), convH)
	out := make([]string, 0, m.height)
	match := m.matchLine()
	for i := start; i < end; i++ {
		l := lines[i]
		if i == match {
			l = m.th.match.Render(xansi.Strip(l))
		}
		out = append(out, l)
	}
	if !m.vp.follow && end < len(lines) && len(out) > 0 {
		out[len(out)-1] = m.th.dim.Render(fmt.Sprintf("  ↓ %d more lines · PgDn", len(lines)-end))
	}
	for len(out) < convH {
		out = append(out, "")
	}
	if inputRow >= 0 {
		if c := m.in.cursor(); c != nil {
			c.Position.Y += len(out) + inputRow
			cursor = c
		}
	}
	out = append(out, bottom...)
	return m.fit(out), cursor
}

// fit cuts every line to the width and the screen to the height.
func (m *Model) fit(lines []string) string {
	if len(lines) > m.height {
		lines = lines[len(lines)-m.height:]
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	for i, l := range lines {
		if xansi.StringWidth(l) > m.width {
			lines[i] = xansi.Truncate(l, m.width, "")
		}
	}
	return strings.Join(lines, "\n")
}

// panels are the lines between the conversation and the input: refresh output, todos,
// the working line and flash messages.
func (m *Model) panels(w int) []string {
	var out []string
	th := m.th
	if m.refreshing && len(m.refreshLines) > 0 {
		out = append(out, th.warn.Render(truncate("awsAuthRefresh output:", w)))
		for _, l := range m.refreshPanel(w - 2) {
			out = append(out, th.dim.Render("  "+l))
		}
	}
	if todo := m.todoLines(w); len(todo) > 0 {
		out = append(out, todo...)
	}
	if m.running {
		elapsed := m.now().Sub(m.runStart).Round(time.Second)
		line := fmt.Sprintf("%s Working… %s · esc to interrupt", m.spinner(), elapsed)
		if n := len(m.queued); n > 0 {
			line += fmt.Sprintf(" · %d queued", n)
		}
		out = append(out, th.running.Render(truncate(line, w)))
	}
	if m.warn != "" && m.now().Before(m.warnUntil) {
		out = append(out, th.warn.Render(truncate(m.warn, w)))
	}
	return out
}

// refreshPanel is the end of awsAuthRefresh's output in rows of width w. A login prints
// an address and a code to type: blank lines would push them out of the few rows there
// are, and a cut address cannot be opened, so long lines wrap (words longer than the
// width, such as an address, are split rather than cut).
func (m *Model) refreshPanel(w int) []string {
	var rows []string
	for _, l := range m.refreshLines {
		rows = append(rows, wrapLines(l, max(w, 4))...)
	}
	room := max(5, m.height/4)
	return rows[max(len(rows)-room, 0):]
}

func (m *Model) spinner() string { return spinnerFrames[m.rend.frame%len(spinnerFrames)] }

func (m *Model) revSearchLine(w int) string {
	match := m.rs.match(m.hist)
	if m.rs.query != "" && match == "" {
		match = "(no match)"
	}
	match = strings.ReplaceAll(match, "\n", " ⏎ ")
	return truncate(m.th.bold.Render("history search: ")+m.rs.query+"  "+m.th.dim.Render(match), w)
}

func truncate(s string, w int) string {
	if xansi.StringWidth(s) <= w {
		return s
	}
	return xansi.Truncate(s, w, "…")
}

func itoa(n int) string { return strconv.Itoa(n) }
