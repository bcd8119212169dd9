package grep

import "strconv"

// FormatOptions shape Content-mode output.
type FormatOptions struct {
	// Name returns the path to print for a file; nil or "" omits it, as rg does when it
	// searches a single file.
	Name func(FileResult) string
	// LineNumbers prefixes line numbers (rg -n).
	LineNumbers bool
	// Separators puts "--" between groups of lines that are not adjacent, as rg does when
	// context is asked for.
	Separators bool
}

// ContentLines formats Content-mode results as rg prints them: "path:12:text" for a
// matching line and "path-13-text" for a context line.
func ContentLines(files []FileResult, o FormatOptions) []string {
	var out []string
	started := false
	for _, f := range files {
		name := ""
		if o.Name != nil {
			name = o.Name(f)
		}
		prev := -1
		for _, l := range f.Lines {
			if o.Separators && started && (prev < 0 || l.Num != prev+1) {
				out = append(out, "--")
			}
			sep := "-"
			if l.Match {
				sep = ":"
			}
			s := ""
			if name != "" {
				s = name + sep
			}
			if o.LineNumbers {
				s += strconv.Itoa(l.Num) + sep
			}
			out = append(out, s+l.Text)
			prev, started = l.Num, true
		}
	}
	return out
}
