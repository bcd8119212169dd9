package tui

import (
	"strings"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
	xansi "github.com/charmbracelet/x/ansi"
)

// markdown renders assistant text. Glamour is too slow to re-render a whole growing answer
// for every delta, so text is split into blocks at blank lines outside code fences: finished
// blocks are rendered once and cached, and only the block still streaming is rendered again.
// It is used from the event loop only.
type markdown struct {
	width   int
	dark    bool
	noColor bool
	r       *glamour.TermRenderer
	cache   map[string][]string
}

func newMarkdown(dark, noColor bool) *markdown {
	return &markdown{dark: dark, noColor: noColor, cache: map[string][]string{}}
}

// maxCachedBlocks bounds the cache; past it the cache starts over (blocks are cheap to redo).
const maxCachedBlocks = 4096

func (md *markdown) renderer(width int) *glamour.TermRenderer {
	if md.r != nil && md.width == width {
		return md.r
	}
	var cfg ansi.StyleConfig
	switch {
	case md.noColor:
		cfg = styles.NoTTYStyleConfig
	case md.dark:
		cfg = styles.DarkStyleConfig
	default:
		cfg = styles.LightStyleConfig
	}
	// The conversation indents answers itself; keep glamour's document flush left and let
	// the terminal's own foreground colour stand (it is right on both backgrounds).
	zero := uint(0)
	cfg.Document.Margin = &zero
	cfg.Document.BlockPrefix, cfg.Document.BlockSuffix = "", ""
	cfg.Document.Color = nil
	cfg.CodeBlock.Margin = &zero
	r, err := glamour.NewTermRenderer(glamour.WithStyles(cfg), glamour.WithWordWrap(width))
	if err != nil {
		return nil
	}
	md.r, md.width = r, width
	md.cache = map[string][]string{}
	return r
}

// render returns the lines of text rendered at width.
func (md *markdown) render(text string, width int) []string {
	if width < 10 {
		width = 10
	}
	r := md.renderer(width)
	var out []string
	// Glamour passes tabs through, and Go code would lose its indentation on screen.
	for i, block := range splitBlocks(expandTabs(text)) {
		lines, ok := md.cache[block]
		if !ok {
			lines = md.renderBlock(r, block, width)
			if len(md.cache) > maxCachedBlocks {
				md.cache = map[string][]string{}
			}
			md.cache[block] = lines
		}
		if i > 0 && len(lines) > 0 {
			out = append(out, "")
		}
		out = append(out, lines...)
	}
	return out
}

func (md *markdown) renderBlock(r *glamour.TermRenderer, block string, width int) []string {
	var s string
	var err error
	if r != nil {
		s, err = r.Render(block)
	}
	if r == nil || err != nil {
		s = xansi.Wrap(block, width, "")
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return trimBlank(lines)
}

// trimBlank drops blank lines at both ends.
func trimBlank(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(xansi.Strip(lines[0])) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(xansi.Strip(lines[len(lines)-1])) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// splitBlocks cuts markdown at blank lines that are outside fenced code blocks, so that
// every block renders the same alone as inside the whole text.
func splitBlocks(text string) []string {
	var blocks []string
	var cur []string
	fence := ""
	flush := func() {
		if len(cur) > 0 {
			blocks = append(blocks, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case fence != "":
			cur = append(cur, line)
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
			continue
		case strings.HasPrefix(trimmed, "```"), strings.HasPrefix(trimmed, "~~~"):
			fence = trimmed[:3]
		case trimmed == "":
			flush()
			continue
		}
		cur = append(cur, line)
	}
	flush()
	return blocks
}
