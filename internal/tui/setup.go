package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"ganban/internal/doctor"
)

// setupScreen is the first screen when ganban cannot reach Bedrock: what is missing, from
// doctor's checks, and the demo that needs no AWS account.
type setupScreen struct {
	err    error
	checks []doctor.Check
}

var checkMarks = map[doctor.Status]string{doctor.OK: "✓", doctor.Info: "·", doctor.Warn: "!", doctor.Fail: "✗"}

func (s *setupScreen) view(th *theme, w, h int) []string {
	out := []string{th.title.Render("ganban cannot reach Claude on Amazon Bedrock yet."), ""}
	var failed []doctor.Check
	for _, c := range s.checks {
		if c.Status == doctor.Fail || c.Status == doctor.Warn {
			failed = append(failed, c)
		}
	}
	if len(failed) == 0 && s.err != nil {
		failed = append(failed, doctor.Check{Name: "Start", Status: doctor.Fail, Detail: s.err.Error()})
	}
	for _, c := range failed {
		st := th.warn
		if c.Status == doctor.Fail {
			st = th.err
		}
		for i, l := range wrapText(c.Name+": "+c.Detail, w-2) {
			p := checkMarks[c.Status] + " "
			if i > 0 {
				p = "  "
			}
			out = append(out, st.Render(p+l))
		}
		if c.Fix != "" {
			for i, l := range wrapText(c.Fix, w-10) {
				p := "    fix: "
				if i > 0 {
					p = "         "
				}
				out = append(out, p+l)
			}
		}
	}
	var ok []string
	for _, c := range s.checks {
		if c.Status == doctor.OK {
			ok = append(ok, c.Name)
		}
	}
	if len(ok) > 0 {
		out = append(out, "", th.dim.Render(truncate("✓ fine: "+strings.Join(ok, ", "), w)))
	}
	foot := []string{"",
		"To try ganban without AWS, press " + th.bold.Render("d") + " for the built-in demo (or run " + th.bold.Render("ganban demo") + "): " +
			"a local Bedrock simulator with a scenario that reads, edits and runs code in a scratch directory.",
		"",
		th.dim.Render("d: demo · Enter: check again · Ctrl+C: exit · ganban doctor prints these checks")}
	var body, tail []string
	for _, l := range out {
		body = append(body, wrapHard(l, w)...)
	}
	for _, l := range foot {
		tail = append(tail, wrapText(l, w)...)
	}
	// The way out (the demo, the keys) always shows; the checks give way on a small screen.
	if room := h - len(tail); len(body) > room {
		body = append(body[:max(room-1, 0)], th.dim.Render("… more in ganban doctor"))
	}
	return append(body, tail...)
}

func (m *Model) setupKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "enter", "r":
		m.setup = nil
		m.busy = "checking the setup again…"
		return m.live.bootCmd(m.ctx)
	case "d":
		m.demoChosen, m.quitting = true, true
	case "q", "ctrl+d":
		m.quitting = true
	}
	return nil
}
