// Package svg draws the one kind of chart the benchmarks need, lines over numbered turns, as
// a small self-contained SVG file: no plotting library, so the chart builds anywhere Go does.
package svg

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// Series is one line: Y[i] is the value at x = i+1; NaN leaves a gap.
type Series struct {
	Name  string
	Color string
	Dash  bool
	Y     []float64
}

// Chart is a line chart with a y range fixed by the caller (a ratio chart is 0..1 whatever
// the data, so charts of different runs compare at a glance).
type Chart struct {
	Title, XLabel, YLabel string
	YMin, YMax            float64
	// YFormat formats y tick labels, e.g. "%.0f%%" with Scale 100.
	YFormat string
	YScale  float64
	YTicks  int
	// Guide draws a dotted horizontal line at this y (a target), when not NaN.
	Guide      float64
	GuideLabel string
	Series     []Series
}

// Plot area and margins, in SVG user units.
const (
	width, height            = 760.0, 420.0
	left, right, top, bottom = 70.0, 30.0, 40.0, 55.0
	legendWidth              = 290.0
)

// Render returns the SVG document.
func (c Chart) Render() string {
	n := 0
	for _, s := range c.Series {
		n = max(n, len(s.Y))
	}
	pw, ph := width-left-right, height-top-bottom
	x := func(i int) float64 { // i is 1-based
		if n <= 1 {
			return left
		}
		return left + pw*float64(i-1)/float64(n-1)
	}
	y := func(v float64) float64 { return top + ph*(1-(v-c.YMin)/(c.YMax-c.YMin)) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="22" font-size="15" font-weight="bold">%s</text>`+"\n", left, html.EscapeString(c.Title))
	// Grid and y ticks.
	ticks := max(c.YTicks, 1)
	for t := 0; t <= ticks; t++ {
		v := c.YMin + (c.YMax-c.YMin)*float64(t)/float64(ticks)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", left, y(v), left+pw, y(v))
		scale := c.YScale
		if scale == 0 {
			scale = 1
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`+"\n", left-6, y(v)+4, fmt.Sprintf(c.YFormat, v*scale))
	}
	// X ticks: every turn when few, else every fifth.
	step := 1
	if n > 12 {
		step = 5
	}
	for i := 1; i <= n; i++ {
		if i != 1 && i%step != 0 {
			continue
		}
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#999"/>`+"\n", x(i), top+ph, x(i), top+ph+4)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%d</text>`+"\n", x(i), top+ph+17, i)
	}
	// Axes and labels.
	fmt.Fprintf(&b, `<path d="M%.1f %.1f V%.1f H%.1f" fill="none" stroke="black"/>`+"\n", left, top, top+ph, left+pw)
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", left+pw/2, height-12, html.EscapeString(c.XLabel))
	fmt.Fprintf(&b, `<text transform="translate(18 %.1f) rotate(-90)" text-anchor="middle">%s</text>`+"\n", top+ph/2, html.EscapeString(c.YLabel))
	if !math.IsNaN(c.Guide) && c.Guide >= c.YMin && c.Guide <= c.YMax {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#c00" stroke-dasharray="2 3"/>`+"\n", left, y(c.Guide), left+pw, y(c.Guide))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#c00" text-anchor="end">%s</text>`+"\n", left+pw-6, y(c.Guide)+15, html.EscapeString(c.GuideLabel))
	}
	// Lines, each broken where a value is missing, and the legend in the plot's lower right
	// corner, on white so lines under it stay readable around it.
	lx, ly0 := left+pw-legendWidth-10, top+ph-10-20*float64(len(c.Series))
	fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="white" stroke="#ccc"/>`+"\n", lx, ly0-6, legendWidth, 20*float64(len(c.Series))+4)
	for si, s := range c.Series {
		var d strings.Builder
		pen := false
		for i, v := range s.Y {
			if math.IsNaN(v) {
				pen = false
				continue
			}
			cmd := "L"
			if !pen {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%.1f %.1f ", cmd, x(i+1), y(math.Max(c.YMin, math.Min(c.YMax, v))))
			pen = true
		}
		dash := ""
		if s.Dash {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="%s" stroke-width="2"%s/>`+"\n", strings.TrimSpace(d.String()), s.Color, dash)
		ly := ly0 + 6 + float64(si)*20
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"%s/>`+"\n", lx+8, ly, lx+32, ly, s.Color, dash)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`+"\n", lx+38, ly+4, html.EscapeString(s.Name))
	}
	b.WriteString("</svg>\n")
	return b.String()
}
