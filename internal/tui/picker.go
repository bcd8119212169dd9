package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// picker chooses one item from a list (sessions, models); typing filters it.
type picker struct {
	title  string
	items  []pickItem
	filter string
	sel    int
	choose func(m *Model, it pickItem) tea.Cmd
	// cancel runs on Esc; nil just closes the picker.
	cancel func(m *Model) tea.Cmd
}

type pickItem struct {
	label, detail, value string
	disabled             bool
}

func (p *picker) visible() []pickItem {
	if p.filter == "" {
		return p.items
	}
	f := strings.ToLower(p.filter)
	var out []pickItem
	for _, it := range p.items {
		if strings.Contains(strings.ToLower(it.label+" "+it.detail), f) {
			out = append(out, it)
		}
	}
	return out
}

func (m *Model) pickerKey(k tea.KeyPressMsg) tea.Cmd {
	p := m.picker
	items := p.visible()
	switch k.String() {
	case "esc":
		m.picker = nil
		if p.cancel != nil {
			return p.cancel(m)
		}
	case "up":
		p.sel = max(p.sel-1, 0)
	case "down":
		p.sel = min(p.sel+1, max(len(items)-1, 0))
	case "enter":
		if p.sel < len(items) && !items[p.sel].disabled {
			m.picker = nil
			return p.choose(m, items[p.sel])
		}
	case "backspace":
		if r := []rune(p.filter); len(r) > 0 {
			p.filter = string(r[:len(r)-1])
			p.sel = 0
		}
	default:
		if k.Text != "" {
			p.filter += k.Text
			p.sel = 0
		}
	}
	return nil
}

func (p *picker) view(th *theme, w, h int) []string {
	items := p.visible()
	inner := max(w-4, 10)
	var lines []string
	if p.filter != "" {
		lines = append(lines, th.dim.Render("filter: ")+p.filter)
	}
	room := max(h-4-len(lines), 3)
	start := 0
	if p.sel >= room {
		start = p.sel - room + 1
	}
	if len(items) == 0 {
		lines = append(lines, th.dim.Render("(nothing to choose)"))
	}
	for i := start; i < len(items) && i < start+room; i++ {
		it := items[i]
		text := it.label
		if it.detail != "" {
			text += "  " + th.dim.Render(it.detail)
		}
		switch {
		case i == p.sel:
			lines = append(lines, th.selected.Render(truncate("❯ "+it.label, inner))+truncate(th.dim.Render("  "+it.detail), max(inner-2-len([]rune(it.label)), 0)))
		case it.disabled:
			lines = append(lines, th.dim.Render(truncate("  "+it.label+"  "+it.detail, inner)))
		default:
			lines = append(lines, truncate("  "+text, inner))
		}
	}
	lines = append(lines, th.dim.Render(truncate("↑↓ choose · enter select · type to filter · esc cancel", inner)))
	return box(th, " "+p.title+" ", lines, w)
}
