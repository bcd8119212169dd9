package tui

import (
	"strings"

	xansi "github.com/charmbracelet/x/ansi"
)

func splitLines(s string) []string { return strings.Split(s, "\n") }

func cells(s string) int { return xansi.StringWidth(s) }
