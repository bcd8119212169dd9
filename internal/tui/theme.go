package tui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// theme holds every style the UI draws with. It is rebuilt when the terminal reports its
// background, so that text stays readable on light and dark backgrounds alike. With NO_COLOR
// no style carries a colour: emphasis falls back to bold, faint and reverse video, which every
// terminal (and every SSH hop) understands.
type theme struct {
	dark, noColor bool

	user, assistant, dim, thinking, bold lipgloss.Style
	toolName, ok, fail, running          lipgloss.Style
	diffAdd, diffDel, diffHunk, diffMeta lipgloss.Style
	notice, warn, err                    lipgloss.Style
	status, statusDim, statusWarn        lipgloss.Style
	border, title, selected, option      lipgloss.Style
	match, rule                          lipgloss.Style
	borderColor                          color.Color
}

func newTheme(dark, noColor bool) *theme {
	t := &theme{dark: dark, noColor: noColor}
	s := lipgloss.NewStyle
	if noColor {
		t.user = s().Bold(true)
		t.assistant = s()
		t.dim = s().Faint(true)
		t.thinking = s().Faint(true).Italic(true)
		t.bold = s().Bold(true)
		t.toolName = s().Bold(true)
		t.ok, t.fail, t.running = s(), s().Bold(true), s()
		t.diffAdd, t.diffDel = s(), s()
		t.diffHunk, t.diffMeta = s().Faint(true), s().Bold(true)
		t.notice, t.warn, t.err = s().Faint(true), s().Bold(true), s().Bold(true)
		t.status, t.statusDim, t.statusWarn = s(), s().Faint(true), s().Bold(true)
		t.border, t.title = s(), s().Bold(true)
		t.selected, t.option = s().Reverse(true), s()
		t.match, t.rule = s().Reverse(true), s().Faint(true)
		return t
	}
	ld := lipgloss.LightDark(dark)
	c := func(light, darkC string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(darkC)) }
	accent := c("#5A3FC0", "#B4A0FF")
	green, red := c("#1E7B34", "#6BD18A"), c("#B3261E", "#FF7B72")
	yellow, cyan := c("#8A5A00", "#E3B341"), c("#0B6E99", "#79C0FF")
	grey := c("#6E6E6E", "#8B8B8B")
	t.borderColor = grey
	t.user = s().Bold(true).Foreground(accent)
	t.assistant = s()
	t.dim = s().Foreground(grey)
	t.thinking = s().Foreground(grey).Italic(true)
	t.bold = s().Bold(true)
	t.toolName = s().Bold(true)
	t.ok, t.fail, t.running = s().Foreground(green), s().Foreground(red), s().Foreground(yellow)
	t.diffAdd = s().Foreground(green)
	t.diffDel = s().Foreground(red)
	t.diffHunk, t.diffMeta = s().Foreground(cyan), s().Bold(true)
	t.notice, t.warn, t.err = s().Foreground(grey), s().Foreground(yellow), s().Foreground(red)
	t.status, t.statusDim, t.statusWarn = s(), s().Foreground(grey), s().Foreground(yellow)
	t.border, t.title = s().Foreground(grey), s().Bold(true).Foreground(accent)
	t.selected, t.option = s().Bold(true).Foreground(accent), s()
	t.match, t.rule = s().Reverse(true), s().Foreground(grey)
	return t
}
