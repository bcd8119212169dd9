package tui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// binding is one row of the key table shown by /help and in the README.
type binding struct{ keys, action string }

// bindings lists the keys of the prompt and the conversation.
var bindings = []binding{
	{"Enter", "send the prompt (queued while an answer is in progress)"},
	{"Shift+Enter, Ctrl+J, \\ Enter", "new line (also Alt+Enter)"},
	{"Up / Down", "previous / next prompt from the history (on the first / last line)"},
	{"Ctrl+R", "search the prompt history (again: older match)"},
	{"Tab", "complete @path or /command"},
	{"Esc", "interrupt the answer or the running tool; cancel /compact or /model; close a dialog or search"},
	{"Esc Esc", "edit the last prompt"},
	{"Ctrl+C", "interrupt, or clear the input (Up brings it back); twice: exit"},
	{"Ctrl+D", "exit (on an empty input)"},
	{"PgUp / PgDn, mouse wheel", "scroll the conversation (Shift+drag selects text; /mouse leaves the mouse to the terminal)"},
	{"Ctrl+F, /search TEXT", "search the conversation (Enter: older, Ctrl+P: newer)"},
	{"Ctrl+O", "expand or collapse tool output, diffs and thinking (or a click on one)"},
	{"Shift+Tab", "cycle the permission mode (default, acceptEdits, plan)"},
	{"Ctrl+L", "redraw the screen"},
	{"@path", "mention a file"},
	{"!command", "run a shell command here (its output is not sent unless you /attach it)"},
}

// doublePress is how close two presses of Esc or Ctrl+C must be to count as one gesture.
const doublePress = 2 * time.Second

func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	s := k.String()
	if s == "ctrl+c" {
		return m.ctrlC()
	}
	m.lastCtrlC = time.Time{}
	switch {
	case m.trust != nil:
		return m.trustKey(k)
	case m.setup != nil:
		return m.setupKey(k)
	case m.dialog != nil:
		return m.dialogKey(k)
	case m.picker != nil:
		return m.pickerKey(k)
	case m.search != nil:
		return m.searchKey(k)
	case m.rs != nil:
		return m.revSearchKey(k)
	}
	switch s {
	case "pgup":
		m.scroll(-m.pageSize())
		return nil
	case "pgdown":
		m.scroll(m.pageSize())
		return nil
	case "ctrl+o":
		m.conv.expandAll = !m.conv.expandAll
		m.conv.invalidate()
		return nil
	case "ctrl+f":
		m.openSearch("")
		return nil
	case "ctrl+l":
		return func() tea.Msg { return tea.ClearScreen() }
	case "ctrl+r":
		m.rs = &revSearch{idx: -1}
		return nil
	case "shift+tab":
		if m.in.comp == nil {
			m.cycleMode()
			return nil
		}
	case "ctrl+d":
		if m.in.value() == "" {
			m.quitting = true
		}
		return nil
	case "esc":
		return m.esc()
	}
	if m.busy != "" {
		return nil
	}
	if c := m.in.comp; c != nil {
		switch s {
		case "tab", "down":
			c.move(1)
			return nil
		case "shift+tab", "up":
			c.move(-1)
			return nil
		case "enter":
			m.acceptCompletion()
			return nil
		}
		m.in.comp = nil
	}
	m.lastEsc = time.Time{}
	switch s {
	case "enter":
		v := m.in.value()
		if strings.HasSuffix(v, "\\") && m.in.onLastLine() {
			m.in.ta.SetValue(strings.TrimSuffix(v, "\\"))
			m.in.insertNewline()
			return nil
		}
		return m.submit()
	case "shift+enter", "ctrl+j", "alt+enter":
		m.in.insertNewline()
		return nil
	case "tab":
		if m.startCompletion() {
			return nil
		}
	case "up":
		if m.in.onFirstLine() {
			if h, ok := m.nav.prev(m.in.value()); ok {
				m.in.setValue(h)
			}
			return nil
		}
	case "down":
		if m.in.onLastLine() {
			if h, ok := m.nav.next(); ok {
				m.in.setValue(h)
			}
			return nil
		}
	}
	return m.in.update(k)
}

// esc interrupts first; on an idle prompt, a second Esc takes the last prompt back (the
// agent forgets it and what followed) and puts it in the input to edit.
func (m *Model) esc() tea.Cmd {
	if m.in.comp != nil {
		m.in.comp = nil
		return nil
	}
	if m.running {
		m.flash("interrupting…")
		m.interrupt()
		return nil
	}
	if m.cancelBusy() {
		return nil
	}
	now := m.now()
	if !m.lastEsc.IsZero() && now.Sub(m.lastEsc) < doublePress {
		m.lastEsc = time.Time{}
		m.warn = ""
		text, err := m.eng.Rewind()
		if err == nil {
			m.conv.dropLastExchange()
		} else if text = m.lastPrompt; text == "" {
			return nil
		}
		if m.stashDraft() {
			m.flash("your draft is in the history: Up brings it back")
		}
		m.in.setValue(text)
		return nil
	}
	m.lastEsc = now
	if m.lastPrompt != "" {
		m.flash("press Esc again to edit your last prompt")
	}
	return nil
}

// ctrlC interrupts the answer in progress, or else clears the input (keeping it in the
// history, as Up brings it back), and exits on a second press.
func (m *Model) ctrlC() tea.Cmd {
	now := m.now()
	if !m.lastCtrlC.IsZero() && now.Sub(m.lastCtrlC) < doublePress {
		m.quitting = true
		return nil
	}
	m.lastCtrlC = now
	m.picker, m.search, m.rs = nil, nil, nil
	switch {
	case m.dialog != nil || m.running:
		m.dialogAnswer(false, "")
		m.interrupt()
	case m.stashDraft():
		m.in.reset()
		m.flash("input cleared: Up brings it back · press Ctrl+C again to exit")
		return nil
	}
	m.flash("press Ctrl+C again to exit")
	return nil
}

// stashDraft keeps what is typed in the input as the newest history entry before the input
// is replaced or cleared, and reports whether there was anything to keep.
func (m *Model) stashDraft() bool {
	draft := strings.TrimSpace(m.in.expanded())
	if draft == "" {
		return false
	}
	_ = m.hist.Add(draft)
	m.nav.reset()
	return true
}

func (m *Model) paste(text string) tea.Cmd {
	switch {
	case m.dialog != nil:
		return m.dialogPaste(text)
	case m.search != nil:
		m.search.query += firstLine(text)
		m.runSearch()
		return nil
	case m.trust != nil, m.setup != nil, m.picker != nil, m.rs != nil, m.busy != "":
		return nil
	}
	m.in.paste(text)
	return nil
}

// revSearchKey edits the Ctrl+R query; Enter takes the match, Esc leaves the input as it was.
func (m *Model) revSearchKey(k tea.KeyPressMsg) tea.Cmd {
	rs := m.rs
	switch k.String() {
	case "esc":
		m.rs = nil
	case "enter", "tab", "right", "left":
		if t := rs.match(m.hist); t != "" {
			m.in.setValue(t)
		}
		m.rs = nil
	case "ctrl+r":
		before := rs.idx
		if before < 0 {
			before = len(m.hist.Entries())
		}
		if next := m.hist.Search(rs.query, before); next >= 0 {
			rs.idx = next
		}
	case "backspace":
		if r := []rune(rs.query); len(r) > 0 {
			rs.query = string(r[:len(r)-1])
		}
		rs.find(m.hist, len(m.hist.Entries()))
	default:
		if k.Text != "" {
			rs.query += k.Text
			rs.find(m.hist, len(m.hist.Entries()))
		}
	}
	return nil
}

// cycleMode switches the permission mode for the following tool calls.
func (m *Model) cycleMode() {
	if m.live == nil || m.live.rt == nil || m.live.rt.Permissions == nil {
		return
	}
	m.info.Mode = m.live.cycleMode()
	m.flash("permission mode: " + m.info.Mode)
}
