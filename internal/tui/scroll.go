package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// viewport is the scroll position of the conversation. follow keeps the newest line in view
// while an answer streams; scrolling up releases it, scrolling back to the end restores it.
type viewport struct {
	offset int
	follow bool
	height int // set by the last render
	total  int
	// pin, when set, is 1 + the index of an entry the next render shows from its top.
	pin int
}

func (m *Model) pageSize() int { return max(m.vp.height-2, 1) }

func (m *Model) scroll(d int) {
	v := &m.vp
	if v.follow {
		v.offset = max(v.total-v.height, 0)
	}
	v.offset += d
	maxOff := max(v.total-v.height, 0)
	v.offset = min(max(v.offset, 0), maxOff)
	v.follow = v.offset >= maxOff
}

// window returns the first and last+1 visible line for total lines in height rows.
func (v *viewport) window(total, height int) (int, int) {
	v.total, v.height = total, height
	maxOff := max(total-height, 0)
	if v.follow || v.offset > maxOff {
		v.offset = maxOff
	}
	return v.offset, min(v.offset+height, total)
}

// showFrom scrolls so that line is the first in view, or follows the end when everything
// from line on fits.
func (v *viewport) showFrom(line, total, height int) {
	v.follow = line+height >= total
	if !v.follow {
		v.offset = line
	}
}

// click toggles the conversation entry under row y (a tool call, thinking, output).
func (m *Model) click(y int) {
	if m.dialog != nil || m.picker != nil || y >= m.vp.height {
		return
	}
	if m.conv.toggle(m.vp.offset + y) {
		m.vp.follow = false
	}
}

// search is Ctrl+F: matches of a text in the conversation, newest first.
type search struct {
	query   string
	matches []int
	cur     int
}

func (m *Model) openSearch(q string) {
	m.search = &search{query: q}
	m.runSearch()
}

// runSearch finds the query in the rendered conversation and shows the newest match.
func (m *Model) runSearch() {
	s := m.search
	s.matches, s.cur = nil, 0
	if s.query == "" {
		return
	}
	m.conv.lines(&m.rend, m.convWidth())
	q := strings.ToLower(s.query)
	for i, l := range m.conv.plainLines() {
		if strings.Contains(strings.ToLower(l), q) {
			s.matches = append(s.matches, i)
		}
	}
	s.cur = len(s.matches) - 1
	m.showMatch()
}

func (m *Model) showMatch() {
	s := m.search
	if s == nil || len(s.matches) == 0 {
		return
	}
	line := s.matches[s.cur]
	m.vp.follow = false
	m.vp.offset = max(line-m.vp.height/2, 0)
}

// matchLine is the line of the current match, -1 for none.
func (m *Model) matchLine() int {
	if m.search == nil || len(m.search.matches) == 0 {
		return -1
	}
	return m.search.matches[m.search.cur]
}

func (m *Model) searchKey(k tea.KeyPressMsg) tea.Cmd {
	s := m.search
	switch k.String() {
	case "esc":
		m.search = nil
	case "enter", "ctrl+n", "up":
		if len(s.matches) > 0 {
			s.cur = (s.cur - 1 + len(s.matches)) % len(s.matches)
			m.showMatch()
		}
	case "shift+enter", "ctrl+p", "down":
		if len(s.matches) > 0 {
			s.cur = (s.cur + 1) % len(s.matches)
			m.showMatch()
		}
	case "pgup":
		m.scroll(-m.pageSize())
	case "pgdown":
		m.scroll(m.pageSize())
	case "backspace":
		if r := []rune(s.query); len(r) > 0 {
			s.query = string(r[:len(r)-1])
			m.runSearch()
		}
	default:
		if k.Text != "" {
			s.query += k.Text
			m.runSearch()
		}
	}
	return nil
}

func (s *search) line(th *theme, width int) string {
	count := "no matches"
	if len(s.matches) > 0 {
		count = fmt.Sprintf("%d/%d", len(s.matches)-s.cur, len(s.matches))
	} else if s.query == "" {
		count = "type to search"
	}
	return truncate(th.bold.Render("search: ")+s.query+th.dim.Render("  "+count+" · enter: older · ctrl+p: newer · esc: close"), width)
}
