package tui

import (
	tea "charm.land/bubbletea/v2"

	"ganban/internal/bootstrap"
)

// trustScreen asks, before anything else, whether to act on a folder's own settings files:
// they can set the endpoint that receives the credentials, commands ganban runs and rules
// that let tools run unasked (see package trust).
type trustScreen struct {
	q *bootstrap.TrustQuestion
}

func (s *trustScreen) view(th *theme, w, h int) []string {
	lines := []string{th.title.Render("Do you trust the files in this folder?"), "", s.q.Folder, "",
		"Its Claude settings would make ganban:"}
	var body []string
	for _, l := range lines {
		body = append(body, wrapText(l, w)...)
	}
	for _, a := range s.q.Acts {
		for i, l := range wrapText(a, w-4) {
			p := "  • "
			if i > 0 {
				p = "    "
			}
			body = append(body, th.warn.Render(p+l))
		}
	}
	foot := []string{"", "Only trust a folder whose files you know: a cloned repository can use these to run commands or send your AWS credentials elsewhere.", "",
		th.bold.Render("1. Yes, trust this folder") + " (remembered; folders below it too)",
		"2. No, start without its settings files",
		"3. Exit",
		th.dim.Render("1-3 choose · Esc exits")}
	var tail []string
	for _, l := range foot {
		tail = append(tail, wrapText(l, w)...)
	}
	if room := h - len(tail); len(body) > room {
		body = append(body[:max(room-1, 0)], th.dim.Render("… and more"))
	}
	return append(body, tail...)
}

// trustKey answers the question; the boot goes on with the folder's settings or without them.
func (m *Model) trustKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "1", "y":
		if err := m.trust.q.Grant(); err != nil {
			m.flash("could not remember the folder as trusted: " + err.Error())
		}
	case "2", "n":
		m.live.opts.Boot.SkipProjectSettings = true
	case "3", "esc", "q", "ctrl+d":
		m.quitting = true
		return nil
	default:
		return nil
	}
	m.trust = nil
	m.busy = "starting: loading settings, credentials and models…"
	return m.live.bootCmd(m.ctx)
}
