package tui

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"ganban/internal/bedrock"
	"ganban/internal/session"
)

// modelsMsg carries the region's inference profiles and whether each is invokable.
type modelsMsg struct {
	items []pickItem
	err   error
}

// cmdModel switches to the model given, or lists the invokable ones (as `ganban models`
// does: list the profiles, probe each) to pick from. A new model is a new agent: the session
// is reopened with it and resumed, so the conversation goes on.
func (m *Model) cmdModel(args string) tea.Cmd {
	if m.live == nil || m.live.rt == nil {
		m.sayErr("/model", errNoSession)
		return nil
	}
	if args != "" {
		return m.live.switchCmd(m.startBusy("switching to "+args+"…"), "", args, "Model: "+args)
	}
	rt, post := m.live.rt, m.post
	current := m.info.ModelID
	busy := m.startBusy("listing the models of " + rt.Region + "…")
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(busy, statusTimeout)
		defer cancel()
		profiles, err := rt.Client.ListProfiles(ctx)
		if cancelled(err) {
			return modelsMsg{err: err}
		}
		if err != nil {
			return modelsMsg{err: fmt.Errorf("%w\n%s", err, bedrock.Advice(err, rt.CatalogOrDefault()))}
		}
		var items []pickItem
		for i, p := range profiles {
			if busy.Err() != nil {
				return modelsMsg{err: busy.Err()}
			}
			post(busyMsg{ctx: busy, text: fmt.Sprintf("checking which models answer: %d of %d, %s…", i+1, len(profiles), p.ID)})
			target := p.ID
			if p.Application {
				target = p.ARN
			}
			it := pickItem{label: p.ID, value: target}
			if p.Info != nil {
				it.detail = p.Info.Name
				if p.Info.EOL != "" && time.Now().Format(time.DateOnly) >= p.Info.EOL {
					it.disabled, it.detail = true, it.detail+" · retired "+p.Info.EOL
				}
			}
			if !it.disabled {
				if err := rt.Client.Probe(ctx, target, rt.Region); err != nil {
					it.disabled, it.detail = true, it.detail+" · not invokable: "+shortError(err)
				}
			}
			if target == current {
				it.detail += " · current"
			}
			items = append(items, it)
		}
		return modelsMsg{items: items}
	}
}

func (m *Model) modelPicker(msg modelsMsg) {
	if cancelled(msg.err) {
		m.conv.notice(levelInfo, "/model cancelled.")
		return
	}
	if msg.err != nil {
		m.sayErr("/model", msg.err)
		return
	}
	m.picker = &picker{title: "Model", items: msg.items, choose: func(m *Model, it pickItem) tea.Cmd {
		if it.value == m.info.ModelID {
			return nil
		}
		return m.live.switchCmd(m.startBusy("switching to "+it.label+"…"), "", it.value, "Model: "+it.label)
	}}
}

func shortError(err error) string {
	if be, ok := err.(*bedrock.Error); ok {
		if be.Code != "" {
			return be.Code
		}
		return be.Kind.String()
	}
	return firstLine(err.Error())
}

func (m *Model) cmdResume(string) tea.Cmd {
	if m.live == nil || m.live.rt == nil {
		m.sayErr("/resume", errNoSession)
		return nil
	}
	list, err := session.List(m.live.rt.ProjectDir)
	if err != nil {
		m.sayErr("/resume", err)
		return nil
	}
	return m.resumePicker(list, false)
}

// resumePicker lists the directory's sessions. At startup (ganban -r), cancelling starts a
// new session instead.
func (m *Model) resumePicker(list []session.Summary, atStart bool) tea.Cmd {
	var items []pickItem
	for _, s := range list {
		if m.live.sess != nil && s.ID == m.live.sess.ID {
			continue
		}
		title := s.Title
		if title == "" {
			title = "(untitled)"
		}
		items = append(items, pickItem{label: title, value: s.ID,
			detail: fmt.Sprintf("%s · %d turns · $%.4f · %s", s.ID[:min(8, len(s.ID))], s.Turns, s.CostUSD, age(s.Updated))})
	}
	p := &picker{title: "Resume a session", items: items, choose: func(m *Model, it pickItem) tea.Cmd {
		return m.live.switchCmd(m.startBusy("opening the session…"), it.value, "", "")
	}}
	if atStart {
		p.cancel = func(m *Model) tea.Cmd {
			return m.live.switchCmd(m.startBusy("starting a new session…"), "", "", "")
		}
		if len(items) == 0 {
			return m.live.switchCmd(m.startBusy("no session to resume here; starting a new one…"), "", "", "No earlier session in this directory: this is a new one.")
		}
	}
	m.picker = p
	return nil
}

func age(t time.Time) string {
	d := time.Since(t)
	switch {
	case t.IsZero():
		return "?"
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	}
	return fmt.Sprintf("%dd ago", int(d.Hours()/24))
}
