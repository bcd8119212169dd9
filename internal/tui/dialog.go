package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	xansi "github.com/charmbracelet/x/ansi"

	"ganban/internal/agent"
	"ganban/internal/tools"
)

// permDialog asks about one tool call. The first option is selected, so Enter allows once;
// the dialog shows exactly what will run or change.
type permDialog struct {
	ask    askMsg
	sel    int
	reason string
	scroll int
	// opened is when the dialog appeared, for answerGuard.
	opened time.Time
}

// answerGuard is how long a new dialog ignores the keys that answer it. Someone typing a
// prompt while the model works must not approve a call they have not seen: a "y" of "yes",
// a "1" or an Enter typed ahead goes to the input draft (or nowhere) instead.
const answerGuard = 400 * time.Millisecond

// The options, in order.
const (
	optOnce = iota
	optSession
	optAlways
	optDeny
	nOptions
)

func (m *Model) enqueueAsk(a askMsg) {
	if a.ctx.Err() != nil {
		return
	}
	if m.dialog == nil {
		m.dialog = &permDialog{ask: a, opened: m.now()}
		return
	}
	m.asks = append(m.asks, a)
}

// nextAsk shows the next queued question that is still open.
func (m *Model) nextAsk() {
	m.dialog = nil
	for len(m.asks) > 0 {
		a := m.asks[0]
		m.asks = m.asks[1:]
		if a.ctx.Err() == nil {
			m.dialog = &permDialog{ask: a, opened: m.now()}
			return
		}
	}
}

func (m *Model) dialogAnswer(allow bool, reason string) {
	d := m.dialog
	if d == nil {
		return
	}
	ans := agent.Answer{Allow: allow, Reason: reason}
	if allow {
		switch d.sel {
		case optSession:
			ans.Scope = agent.ForSession
			m.sessionRules = append(m.sessionRules, d.ask.q.Suggest.String())
		case optAlways:
			ans.Scope = agent.Always
		}
	}
	d.ask.answer(ans)
	m.nextAsk()
}

func (m *Model) dialogKey(k tea.KeyPressMsg) tea.Cmd {
	d := m.dialog
	s := k.String()
	if m.now().Sub(d.opened) < answerGuard && m.typedAhead(k) {
		return nil
	}
	switch s {
	case "up", "shift+tab":
		d.sel = (d.sel + nOptions - 1) % nOptions
		return nil
	case "down", "tab":
		d.sel = (d.sel + 1) % nOptions
		return nil
	case "pgup":
		d.scroll = max(d.scroll-5, 0)
		return nil
	case "pgdown":
		d.scroll += 5
		return nil
	case "esc":
		m.dialogAnswer(false, "")
		return nil
	case "enter":
		if d.sel == optDeny {
			m.dialogAnswer(false, strings.TrimSpace(d.reason))
		} else {
			m.dialogAnswer(true, "")
		}
		return nil
	}
	if d.sel == optDeny {
		switch s {
		case "backspace":
			if r := []rune(d.reason); len(r) > 0 {
				d.reason = string(r[:len(r)-1])
			}
		default:
			if k.Text != "" {
				d.reason += k.Text
			}
		}
		return nil
	}
	switch s {
	case "1", "y":
		d.sel = optOnce
		m.dialogAnswer(true, "")
	case "2":
		d.sel = optSession
		m.dialogAnswer(true, "")
	case "3":
		d.sel = optAlways
		m.dialogAnswer(true, "")
	case "4", "n":
		d.sel = optDeny
	}
	return nil
}

// typedAhead takes a key that reached a dialog too soon to be an answer to it, and reports
// whether it did: text goes on into the input draft it was typed for, and Enter is dropped
// (it would send that draft, or allow the call). Keys that only move the selection, scroll or
// deny are left to the dialog.
func (m *Model) typedAhead(k tea.KeyPressMsg) bool {
	switch s := k.String(); {
	case s == "enter":
		return true
	case s == "backspace", k.Text != "":
		m.in.update(k)
		return true
	}
	return false
}

func (m *Model) dialogPaste(text string) tea.Cmd {
	if d := m.dialog; d != nil && d.sel == optDeny {
		d.reason += strings.ReplaceAll(text, "\n", " ")
	}
	return nil
}

// question is the dialog's headline, by what the call does.
func question(t tools.Target) string {
	switch t.Kind {
	case tools.TargetCommand:
		return "Run this command?"
	case tools.TargetWrite:
		return "Make this change?"
	case tools.TargetFetch:
		return "Fetch this address?"
	case tools.TargetRead:
		return "Read outside the working directory?"
	}
	return "Allow this tool call?"
}

// preview is what will run or change.
func (d *permDialog) preview(th *theme, width int) []string {
	c := d.ask.q.Call
	t := c.Target
	switch {
	case t.Kind == tools.TargetCommand:
		cmd := t.Command
		if cmd == "" {
			cmd = t.Preview
		}
		var out []string
		for i, l := range hardLines(cmd, width-2) {
			p := "  "
			if i == 0 {
				p = "$ "
			}
			out = append(out, th.bold.Render(p+l))
		}
		return out
	case looksLikeDiff(t.Preview):
		// The box's title names the file: the ---/+++ lines would only take room from the
		// change itself.
		return th.renderDiff(withoutFileHeader(t.Preview), width)
	case t.Preview != "":
		return hardLines(t.Preview, width)
	case t.Path != "":
		return []string{t.Path}
	}
	return hardLines(string(c.Input), width)
}

// view renders the dialog in at most h lines of width w.
func (d *permDialog) view(m *Model, w, h int) []string {
	th := m.th
	q := d.ask.q
	inner := max(w-4, 10)
	var head []string
	head = append(head, th.title.Render(truncate(question(q.Call.Target), inner)))
	for _, l := range wrapText(q.Reason, inner) {
		if strings.TrimSpace(l) != "" {
			head = append(head, th.dim.Render(l))
		}
	}
	head = append(head, "")
	rule := q.Suggest.String()
	opts := []string{
		"Yes",
		"Yes, and don't ask again this session for " + rule,
		"Yes, and always allow " + rule + " (saved in .claude/settings.local.json)",
		"No, and tell the model why: ",
	}
	var foot []string
	foot = append(foot, "")
	for i, o := range opts {
		label := fmt.Sprintf("%d. %s", i+1, o)
		if i == optDeny {
			reason := d.reason
			if d.sel == optDeny {
				reason += "▏"
			} else if reason == "" {
				reason = th.dim.Render("(type a reason)")
			}
			label += reason
		}
		// Options wrap rather than cut: the rule that "always" saves, and where, is what the
		// person agrees to, and a long reason must stay readable while it is typed.
		st, mark := th.option, "  "
		if i == d.sel {
			st, mark = th.selected, "❯ "
		}
		for j, l := range wrapText(label, max(inner-5, 4)) {
			p := "     "
			if j == 0 {
				p = mark
			}
			foot = append(foot, st.Render(truncate(p+l, inner)))
		}
	}
	foot = append(foot, th.dim.Render(truncate("↑↓ choose · enter confirm · 1-4 · esc deny · pgup/pgdn scroll", inner)))
	body := d.preview(th, inner)
	if 2+len(head)+len(body)+len(foot) > h {
		// Short of room: the blank lines around the change go before any of the change does.
		head, foot = head[:len(head)-1], foot[1:]
	}
	lines := append(append(head, d.scrolled(th, body, max(h-2-len(head)-len(foot), 3))...), foot...)
	return box(th, truncate(" "+q.Call.Target.Summary+" ", max(w-6, 4)), lines, w)
}

// scrolled cuts body to room lines from the scroll position. While lines follow, the last
// row says how many; scrolled to the end, the last lines fill the room.
func (d *permDialog) scrolled(th *theme, body []string, room int) []string {
	if len(body) <= room {
		d.scroll = 0
		return body
	}
	end := len(body) - room
	d.scroll = min(max(d.scroll, 0), end)
	if d.scroll == end {
		return body[end:]
	}
	shown := body[d.scroll : d.scroll+room-1]
	more := len(body) - d.scroll - len(shown)
	return append(append([]string(nil), shown...), th.dim.Render(fmt.Sprintf("… %d more lines (pgdn)", more)))
}

// withoutFileHeader drops the --- and +++ lines that open a unified diff.
func withoutFileHeader(diff string) string {
	for _, p := range []string{"--- ", "+++ "} {
		if strings.HasPrefix(diff, p) {
			_, diff, _ = strings.Cut(diff, "\n")
		}
	}
	return diff
}

// box draws lines in a rounded frame of width w with a title in the top edge.
func box(th *theme, title string, lines []string, w int) []string {
	inner := max(w-4, 1)
	tw := xansi.StringWidth(title)
	top := th.border.Render("╭─") + th.title.Render(title) + th.border.Render(strings.Repeat("─", max(w-3-tw, 0))+"╮")
	out := []string{top}
	for _, l := range lines {
		l = truncate(l, inner)
		pad := inner - xansi.StringWidth(l)
		out = append(out, th.border.Render("│ ")+l+strings.Repeat(" ", max(pad, 0))+th.border.Render(" │"))
	}
	out = append(out, th.border.Render("╰"+strings.Repeat("─", max(w-2, 0))+"╯"))
	return out
}
