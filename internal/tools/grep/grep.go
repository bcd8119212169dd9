// Package grep is a file content search engine with ripgrep's semantics for the options the
// Grep tool exposes, written in Go: regular expressions in RE2 syntax (Go's regexp), ignore
// files honoured (see package walk), hidden and binary files skipped, file types and globs.
//
// It searches files in parallel on a pool of GOMAXPROCS workers. Files whose names cannot
// match are never opened; a literal every match must contain is looked for with bytes.Index
// before the regexp runs; files are read in chunks into pooled buffers, so memory stays flat
// however large a file is.
package grep

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"ganban/internal/tools/walk"
)

// Mode is what a search reports.
type Mode int

// Modes, as rg's default output, -l and -c.
const (
	FilesWithMatches Mode = iota // the files that match
	Content                      // the matching lines, with context
	Count                        // the number of matching lines per file
)

// Options describe a search.
type Options struct {
	Pattern string
	// Path is the file or directory to search (absolute or relative to the process).
	Path string
	// Globs filter files like rg --glob: a glob without "/" matches the file name, one with
	// "/" the path relative to Path; a leading "!" excludes (files and directories). A file
	// must match one of the non-negated globs, if there are any.
	Globs []string
	// Type limits the search to a ripgrep file type ("go", "js", "py", ...).
	Type       string
	IgnoreCase bool
	// Multiline lets matches span lines, with "." matching newlines (rg -U --multiline-dotall).
	Multiline bool
	// Before and After are context lines in Content mode.
	Before, After int
	Mode          Mode
	// Hidden searches hidden files and directories too.
	Hidden bool
	// NoIgnore disregards ignore files.
	NoIgnore bool
	// ModTimes fills FileResult.ModTime, for sorting by recency.
	ModTimes bool
	// MaxLines stops collecting in Content mode after this many lines in all (0: no limit),
	// and then Results.Truncated is set; it bounds memory on searches that match everything.
	MaxLines int
	// MaxColumns cuts longer lines in Content mode to a window around the first match
	// (0: no limit).
	MaxColumns int
	// Workers is the number of goroutines; 0 means GOMAXPROCS.
	Workers int
}

// Line is one line of output in Content mode.
type Line struct {
	Num   int    // 1-based
	Text  string // without the line ending
	Match bool   // false for a context line
}

// FileResult is what one file yielded.
type FileResult struct {
	Path    string // absolute
	Rel     string // relative to Options.Path, slash-separated; "" when Path is the file
	Count   int    // matching lines
	Lines   []Line // Content mode only, in order
	ModTime time.Time
}

// Results of a search, files sorted by path.
type Results struct {
	Files     []FileResult
	Searched  int  // files opened
	Truncated bool // MaxLines was reached
}

// PatternError is an invalid regular expression.
type PatternError struct{ Err error }

func (e *PatternError) Error() string { return e.Err.Error() }
func (e *PatternError) Unwrap() error { return e.Err }

// compiled is what a search needs of its options, prepared once.
type compiled struct {
	re        *regexp.Regexp
	lit       []byte
	multiline bool
	perLine   bool // match each line on its own (see perLine)
	// With no exact literal, every match may still contain foldLit up to ASCII case (see
	// foldLiteral); candidates are found by its byte at foldAt, in either case.
	foldLit        []byte
	foldAt         int
	foldLo, foldHi byte
	mode           Mode
	before         int
	after          int
	include        []string // positive globs
	exclude        []string // negated globs, without "!"
	typ            *typeMatcher
	maxColumns     int
}

// Compile checks a pattern the way Search will use it.
func Compile(pattern string, ignoreCase, multiline bool) (*regexp.Regexp, []byte, error) {
	flags := regexpFlags(ignoreCase, multiline)
	re, err := regexp.Compile(flags + pattern)
	if err != nil {
		return nil, nil, &PatternError{Err: err}
	}
	var lit []byte
	if tree, err := syntax.Parse(flags+pattern, syntax.Perl); err == nil {
		lit = []byte(requiredLiteral(tree.Simplify()))
	}
	return re, lit, nil
}

// regexpFlags are the flags a search pattern is compiled with: ^ and $ at line boundaries
// as in ripgrep, and "." across newlines in multiline mode.
func regexpFlags(ignoreCase, multiline bool) string {
	flags := "m"
	if ignoreCase {
		flags += "i"
	}
	if multiline {
		flags += "s"
	}
	return "(?" + flags + ")"
}

// perLine reports whether a pattern must be matched one line at a time to keep per-line
// semantics.
func perLine(pattern string, ignoreCase bool) bool {
	flags := "(?m)"
	if ignoreCase {
		flags = "(?mi)"
	}
	tree, err := syntax.Parse(flags+pattern, syntax.Perl)
	return err != nil || usesTextAnchors(tree)
}

func compile(o Options) (*compiled, error) {
	re, lit, err := Compile(o.Pattern, o.IgnoreCase, o.Multiline)
	if err != nil {
		return nil, err
	}
	c := &compiled{re: re, lit: lit, perLine: !o.Multiline && perLine(o.Pattern, o.IgnoreCase), multiline: o.Multiline, mode: o.Mode, before: max(o.Before, 0), after: max(o.After, 0), maxColumns: o.MaxColumns}
	if len(lit) == 0 {
		if tree, err := syntax.Parse(regexpFlags(o.IgnoreCase, o.Multiline)+o.Pattern, syntax.Perl); err == nil {
			if lit, at, ok := foldLiteral(tree.Simplify()); ok {
				c.foldLit, c.foldAt = lit, at
				c.foldLo, c.foldHi = lit[at], lit[at]
				if 'a' <= lit[at] && lit[at] <= 'z' {
					c.foldHi = lit[at] - ('a' - 'A')
				}
			}
		}
	}
	for _, g := range o.Globs {
		neg := strings.HasPrefix(g, "!")
		g = strings.TrimPrefix(g, "!")
		g = strings.TrimPrefix(g, "/")
		if g == "" {
			continue
		}
		if !doublestar.ValidatePattern(g) {
			return nil, fmt.Errorf("invalid glob %q", g)
		}
		if neg {
			c.exclude = append(c.exclude, g)
		} else {
			c.include = append(c.include, g)
		}
	}
	if o.Type != "" {
		t, err := newTypeMatcher(o.Type)
		if err != nil {
			return nil, err
		}
		c.typ = t
	}
	return c, nil
}

// globMatch matches a glob the rg way: against the name when it has no "/", else the path.
func globMatch(g, rel, name string) bool {
	target := name
	if strings.Contains(g, "/") {
		target = rel
	}
	ok, _ := doublestar.Match(g, target)
	return ok
}

// wanted reports whether a file's name passes the glob and type filters.
func (c *compiled) wanted(rel, name string) bool {
	for _, g := range c.exclude {
		if globMatch(g, rel, name) {
			return false
		}
	}
	if len(c.include) > 0 {
		ok := false
		for _, g := range c.include {
			if globMatch(g, rel, name) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return c.typ == nil || c.typ.match(name)
}

// Search runs a search. A cancelled context ends it with the context's error.
func Search(ctx context.Context, o Options) (*Results, error) {
	c, err := compile(o)
	if err != nil {
		return nil, err
	}
	if o.Path == "" {
		o.Path = "."
	}
	info, err := os.Stat(o.Path)
	if err != nil {
		return nil, err
	}
	explicitFile := !info.IsDir()
	var (
		mu    sync.Mutex
		res   Results
		lines int
	)
	opts := walk.Options{Hidden: o.Hidden, NoIgnore: o.NoIgnore, Workers: o.Workers}
	if len(c.exclude) > 0 {
		opts.SkipDir = func(path, rel, name string) bool {
			for _, g := range c.exclude {
				if globMatch(g, rel, name) {
					return true
				}
			}
			return false
		}
	}
	err = walk.Walk(ctx, o.Path, opts, func(e walk.Entry) error {
		if e.Type&fs.ModeType != 0 {
			return nil // symlinks, devices, pipes: not followed or read, as rg
		}
		if !explicitFile && !c.wanted(e.Rel, e.Name) {
			return nil
		}
		s := getSearcher(c)
		defer putSearcher(s)
		fr, searched, err := s.searchFile(ctx, e.Path)
		if err != nil || !searched {
			return nil // unreadable files are skipped, as rg does
		}
		mu.Lock()
		res.Searched++
		mu.Unlock()
		if fr.Count == 0 {
			return nil
		}
		fr.Path, fr.Rel = e.Path, e.Rel
		if o.ModTimes {
			if st, err := os.Stat(e.Path); err == nil {
				fr.ModTime = st.ModTime()
			}
		}
		mu.Lock()
		defer mu.Unlock()
		res.Files = append(res.Files, fr)
		lines += len(fr.Lines)
		if o.MaxLines > 0 && lines >= o.MaxLines {
			res.Truncated = true
			return walk.ErrStop
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(res.Files, func(i, j int) bool { return res.Files[i].Path < res.Files[j].Path })
	return &res, nil
}
