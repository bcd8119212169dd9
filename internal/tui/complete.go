package tui

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// completion is the menu Tab opens: files for an @path word, commands for a leading "/".
type completion struct {
	items []string
	sel   int
	// word is the text being completed and prefix what is kept before the item ("@" or "/").
	word, prefix string
}

// Limits of the file listing behind @path completion: enough for a large repository, never a
// walk of a whole home directory.
const (
	maxListed   = 20000
	maxMenu     = 8
	listingTTL  = 10 * time.Second
	skipDirsCSV = ".git,node_modules,vendor,.venv,__pycache__,dist,build,target,.idea,.cache"
)

// fileLister lists the working directory's files for completion, caching the listing.
type fileLister struct {
	root  string
	files []string
	at    time.Time
	now   func() time.Time
}

func (f *fileLister) list() []string {
	if f.files != nil && f.now().Sub(f.at) < listingTTL {
		return f.files
	}
	skip := map[string]bool{}
	for _, d := range strings.Split(skipDirsCSV, ",") {
		skip[d] = true
	}
	var out []string
	_ = filepath.WalkDir(f.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == f.root {
			return nil
		}
		if len(out) >= maxListed {
			return fs.SkipAll
		}
		rel, _ := filepath.Rel(f.root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if skip[d.Name()] {
				return fs.SkipDir
			}
			out = append(out, rel+"/")
			return nil
		}
		out = append(out, rel)
		return nil
	})
	sort.Strings(out)
	f.files, f.at = out, f.now()
	return out
}

// matchFiles returns the files that start with word, then those that contain it, directories
// of the next level only (so a Tab at "@src/" lists src's entries, not everything below).
func matchFiles(files []string, word string) []string {
	var prefix, contains []string
	lw := strings.ToLower(word)
	for _, f := range files {
		lf := strings.ToLower(f)
		switch {
		case f == word:
			continue
		case strings.HasPrefix(lf, lw):
			rest := strings.TrimSuffix(f[len(word):], "/")
			if strings.Contains(rest, "/") {
				continue
			}
			prefix = append(prefix, f)
		case word != "" && strings.Contains(lf, lw) && len(contains) < 200:
			contains = append(contains, f)
		}
	}
	return append(prefix, contains...)
}

// currentWord is the word before the cursor on the cursor's line, and the text before and
// after the cursor in the whole input.
func currentWord(value string, row, col int) (word, before, after string) {
	lines := strings.Split(value, "\n")
	if row >= len(lines) {
		return "", value, ""
	}
	line := []rune(lines[row])
	col = min(col, len(line))
	start := col
	for start > 0 && line[start-1] != ' ' && line[start-1] != '\t' {
		start--
	}
	word = string(line[start:col])
	before = strings.Join(append(lines[:row:row], string(line[:col])), "\n")
	after = strings.Join(append([]string{string(line[col:])}, lines[row+1:]...), "\n")
	return word, before, after
}

// startCompletion opens the menu for the word at the cursor, or completes it at once when
// there is a single candidate. It reports whether Tab was used.
func (m *Model) startCompletion() bool {
	in := m.in
	word, _, _ := currentWord(in.value(), in.ta.Line(), in.ta.Column())
	var items []string
	var prefix string
	switch {
	case strings.HasPrefix(word, "@"):
		prefix = "@"
		if m.files == nil {
			return false
		}
		items = matchFiles(m.files.list(), word[1:])
	case strings.HasPrefix(word, "/") && strings.TrimSpace(in.value()) == word:
		prefix = "/"
		items = m.matchCommands(word[1:])
	default:
		return false
	}
	if len(items) == 0 {
		m.flash("no match for " + word)
		return true
	}
	in.comp = &completion{items: items, word: word, prefix: prefix}
	if len(items) == 1 {
		m.acceptCompletion()
	}
	return true
}

// acceptCompletion replaces the word at the cursor by the selected item.
func (m *Model) acceptCompletion() {
	in := m.in
	c := in.comp
	if c == nil || len(c.items) == 0 {
		return
	}
	item := c.items[c.sel]
	in.comp = nil
	word, before, after := currentWord(in.value(), in.ta.Line(), in.ta.Column())
	if word != c.word {
		return
	}
	text := c.prefix + item
	if c.prefix == "/" || !strings.HasSuffix(item, "/") {
		text += " "
	}
	in.ta.SetValue(strings.TrimSuffix(before, word) + text)
	if after != "" {
		in.ta.InsertString(after)
		for range []rune(after) {
			in.ta, _ = in.ta.Update(tea.KeyPressMsg{Code: tea.KeyLeft})
		}
	}
}

func (c *completion) move(d int) {
	if len(c.items) == 0 {
		return
	}
	c.sel = (c.sel + d + len(c.items)) % len(c.items)
}

// menu renders the completion menu: at most maxMenu items around the selection.
func (c *completion) menu(th *theme, width int) []string {
	start := 0
	if c.sel >= maxMenu {
		start = c.sel - maxMenu + 1
	}
	var out []string
	for i := start; i < len(c.items) && i < start+maxMenu; i++ {
		line := "  " + c.prefix + c.items[i]
		if i == c.sel {
			out = append(out, th.selected.Render(truncate("▸ "+c.prefix+c.items[i], width)))
			continue
		}
		out = append(out, th.dim.Render(truncate(line, width)))
	}
	if len(c.items) > maxMenu {
		out = append(out, th.dim.Render(truncate("  "+itoa(len(c.items))+" matches · tab/↑↓ to choose · enter to accept", width)))
	}
	return out
}

// fileListerFor lists dir; nil when the directory cannot be read.
func fileListerFor(dir string, now func() time.Time) *fileLister {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil
	}
	return &fileLister{root: dir, now: now}
}
