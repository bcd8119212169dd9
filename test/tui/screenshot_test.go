package tui

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	xansi "github.com/charmbracelet/x/ansi"
)

// The README's screenshot is drawn from the tmux capture (capture-pane -e) of the end-to-end
// test, so it shows what the binary really draws and is regenerated with the test:
//
//	go test ./test/tui -run TestInteractiveSession -args -screenshot=$PWD/docs
//
// It is an SVG of text runs on a cell grid: no browser or image tool is needed to make it,
// and it stays sharp at any size.

const (
	cellW, cellH = 8.4, 18.0 // a 14px monospace font's advance and line height
	padding      = 16.0
	defaultFg    = "#d0d0d0"
	defaultBg    = "#1e1f29"
)

// cellStyle is the SGR state of a cell.
type cellStyle struct {
	fg, bg                                  string
	bold, faint, italic, underline, reverse bool
}

// apply changes the style by one SGR sequence's parameters.
func (s *cellStyle) apply(params []int) {
	if len(params) == 0 {
		params = []int{0}
	}
	for i := 0; i < len(params); i++ {
		switch p := params[i]; {
		case p == 0:
			*s = cellStyle{}
		case p == 1:
			s.bold = true
		case p == 2:
			s.faint = true
		case p == 3:
			s.italic = true
		case p == 4:
			s.underline = true
		case p == 7:
			s.reverse = true
		case p == 22:
			s.bold, s.faint = false, false
		case p == 23:
			s.italic = false
		case p == 24:
			s.underline = false
		case p == 27:
			s.reverse = false
		case p >= 30 && p <= 37:
			s.fg = palette(p - 30)
		case p >= 90 && p <= 97:
			s.fg = palette(p - 90 + 8)
		case p >= 40 && p <= 47:
			s.bg = palette(p - 40)
		case p >= 100 && p <= 107:
			s.bg = palette(p - 100 + 8)
		case p == 39:
			s.fg = ""
		case p == 49:
			s.bg = ""
		case p == 38 || p == 48:
			var c string
			switch {
			case i+2 < len(params) && params[i+1] == 5:
				c, i = palette(params[i+2]), i+2
			case i+4 < len(params) && params[i+1] == 2:
				c, i = fmt.Sprintf("#%02x%02x%02x", params[i+2], params[i+3], params[i+4]), i+4
			default:
				i = len(params)
			}
			if p == 38 {
				s.fg = c
			} else {
				s.bg = c
			}
		}
	}
}

// palette is xterm's 256-colour table.
func palette(n int) string {
	base := []string{"#1e1f29", "#ff5555", "#50fa7b", "#f1fa8c", "#6272a4", "#ff79c6", "#8be9fd", "#d0d0d0",
		"#6b6b6b", "#ff6e6e", "#69ff94", "#ffffa5", "#89a3ff", "#ff92df", "#a4ffff", "#ffffff"}
	switch {
	case n < 0 || n > 255:
		return ""
	case n < 16:
		return base[n]
	case n < 232:
		n -= 16
		level := func(v int) int {
			if v == 0 {
				return 0
			}
			return 55 + 40*v
		}
		return fmt.Sprintf("#%02x%02x%02x", level(n/36), level(n/6%6), level(n%6))
	}
	g := 8 + 10*(n-232)
	return fmt.Sprintf("#%02x%02x%02x", g, g, g)
}

// run is text of one style starting at a column.
type run struct {
	col   int
	text  string
	width int
	style cellStyle
}

// parseLine splits one captured line into styled runs; the style carries over from the
// lines before, as it does on a terminal.
func parseLine(line string, st *cellStyle) []run {
	var out []run
	col := 0
	var cur *run
	flush := func() {
		if cur != nil && cur.text != "" {
			out = append(out, *cur)
		}
		cur = nil
	}
	for i := 0; i < len(line); {
		if line[i] == 0x1b && i+1 < len(line) {
			switch line[i+1] {
			case '[':
				j := i + 2
				for j < len(line) && (line[j] < 0x40 || line[j] > 0x7e) {
					j++
				}
				if j < len(line) && line[j] == 'm' {
					flush()
					st.apply(sgrParams(line[i+2 : j]))
				}
				i = j + 1
				continue
			case ']':
				// An OSC (hyperlink, title) ends at BEL or ESC \.
				j := i + 2
				for j < len(line) && line[j] != 0x07 && !(line[j] == 0x1b && j+1 < len(line) && line[j+1] == '\\') {
					j++
				}
				if j < len(line) && line[j] == 0x1b {
					j++
				}
				i = j + 1
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(line[i:])
		i += size
		w := xansi.StringWidth(string(r))
		if cur == nil {
			cur = &run{col: col, style: *st}
		}
		cur.text += string(r)
		cur.width += w
		col += w
	}
	flush()
	return out
}

// pieces splits a run at its runs of two or more spaces and drops the spaces at its ends,
// each piece with its own column.
func pieces(r run) []run {
	var out []run
	var cur *run
	spaces := 0
	col := r.col
	for _, c := range r.text {
		w := xansi.StringWidth(string(c))
		if c == ' ' {
			spaces++
		} else {
			if cur != nil && spaces >= 2 {
				out = append(out, *cur)
				cur = nil
			}
			if cur == nil {
				cur = &run{col: col}
			} else if spaces == 1 {
				cur.text += " "
				cur.width++
			}
			spaces = 0
			cur.text += string(c)
			cur.width += w
		}
		col += w
	}
	if cur != nil {
		out = append(out, *cur)
	}
	return out
}

func sgrParams(s string) []int {
	if s == "" {
		return nil
	}
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ':' }) {
		n, err := strconv.Atoi(f)
		if err != nil {
			n = 0
		}
		out = append(out, n)
	}
	return out
}

// ansiToSVG draws a cols x rows capture as an SVG terminal window.
func ansiToSVG(capture string, cols, rows int) string {
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	width, height := padding*2+cellW*float64(cols), padding*2+cellH*float64(rows)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" rx="8" fill="%s"/>`+"\n", defaultBg)
	b.WriteString(`<g font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace" font-size="14px" xml:space="preserve">` + "\n")
	var st cellStyle
	lines := strings.Split(strings.TrimRight(capture, "\n"), "\n")
	for y, line := range lines {
		if y >= rows {
			break
		}
		top := padding + cellH*float64(y)
		for _, r := range parseLine(line, &st) {
			fg, bg := r.style.fg, r.style.bg
			if r.style.reverse {
				fg, bg = bg, fg
				if fg == "" {
					fg = defaultBg
				}
				if bg == "" {
					bg = defaultFg
				}
			}
			x := padding + cellW*float64(r.col)
			if bg != "" {
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`+"\n", x, top, cellW*float64(r.width), cellH, bg)
			}
			if fg == "" {
				fg = defaultFg
			}
			attrs := fmt.Sprintf(` fill="%s"`, fg)
			if r.style.bold {
				attrs += ` font-weight="bold"`
			}
			if r.style.faint {
				attrs += ` fill-opacity="0.6"`
			}
			if r.style.italic {
				attrs += ` font-style="italic"`
			}
			if r.style.underline {
				attrs += ` text-decoration="underline"`
			}
			// Each piece between runs of spaces is placed at its own column and pinned to its
			// cells with textLength: renderers collapse spaces differently, and a font a little
			// wider or narrower than the grid must not shift the columns after it.
			for _, p := range pieces(r) {
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" textLength="%.1f" lengthAdjust="spacingAndGlyphs"%s>%s</text>`+"\n",
					padding+cellW*float64(p.col), top+cellH*0.75, cellW*float64(p.width), attrs, esc.Replace(p.text))
			}
		}
	}
	b.WriteString("</g>\n</svg>\n")
	return b.String()
}

func TestAnsiToSVG(t *testing.T) {
	t.Parallel()
	capture := "\x1b[1m\x1b[38;5;196m✗ a<b\x1b[0m ok\n\x1b[38;2;16;32;48mgo on\x1b[39m \x1b[7mrev\x1b[27m\n\x1b]8;;http://x\x07link\x1b]8;;\x07"
	svg := ansiToSVG(capture, 20, 3)
	for _, want := range []string{
		`<text x="16.0" y="29.5" textLength="42.0" lengthAdjust="spacingAndGlyphs" fill="#ff0000" font-weight="bold">✗ a&lt;b</text>`,
		`<text x="66.4" y="29.5" textLength="16.8" lengthAdjust="spacingAndGlyphs" fill="#d0d0d0">ok</text>`,
		// The colour of the first line carries into the second until reset.
		`fill="#102030">go on</text>`,
		`<rect x="66.4" y="34.0" width="25.2" height="18.0" fill="#d0d0d0"/>`,
		`fill="#1e1f29">rev</text>`,
		`>link</text>`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("the SVG lacks %s:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "http://x") || strings.Contains(svg, "\x1b") {
		t.Errorf("escape sequences reached the SVG:\n%s", svg)
	}
	spaced := ansiToSVG("  a b   c  ", 20, 1)
	for _, want := range []string{`<text x="32.8" y="29.5" textLength="25.2"`, `>a b</text>`, `<text x="83.2" y="29.5" textLength="8.4"`} {
		if !strings.Contains(spaced, want) {
			t.Errorf("spaces are not turned into columns: lacks %s:\n%s", want, spaced)
		}
	}
	if got := palette(244); got != "#808080" {
		t.Errorf("palette(244) = %s", got)
	}
	if got := palette(33); got != "#0087ff" {
		t.Errorf("palette(33) = %s", got)
	}
}
