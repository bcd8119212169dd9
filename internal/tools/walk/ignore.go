package walk

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// ignoreFiles are read in every directory, later ones overriding earlier ones, as ripgrep
// does: .gitignore, then .ignore and .rgignore for rules that should not be in git.
var ignoreFiles = []string{".gitignore", ".ignore", ".rgignore"}

// patternKind lets the common patterns skip the general glob matcher.
type patternKind uint8

const (
	kindGlob    patternKind = iota
	kindLiteral             // a name without wildcards: "node_modules"
	kindSuffix              // "*" and a literal: "*.log"
)

// pattern is one line of an ignore file.
type pattern struct {
	negate   bool // "!pattern" re-includes
	dirOnly  bool // "pattern/" matches directories only
	anchored bool // contains a slash: matched against the path from the file's directory
	kind     patternKind
	text     string // the glob (doublestar syntax), the literal, or the suffix
}

// matcher holds the patterns of one directory's ignore files.
type matcher struct {
	dir      string // absolute directory the patterns are relative to
	patterns []pattern
}

// parseIgnore reads gitignore-syntax lines.
func parseIgnore(data []byte) []pattern {
	var ps []pattern
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		if p, ok := parseLine(sc.Text()); ok {
			ps = append(ps, p)
		}
	}
	return ps
}

func parseLine(line string) (pattern, bool) {
	line = strings.TrimSuffix(line, "\r")
	// Trailing spaces are ignored unless escaped with a backslash.
	for strings.HasSuffix(line, " ") && !strings.HasSuffix(line, `\ `) {
		line = line[:len(line)-1]
	}
	if line == "" || strings.HasPrefix(line, "#") {
		return pattern{}, false
	}
	var p pattern
	if strings.HasPrefix(line, "!") {
		p.negate = true
		line = line[1:]
	} else if strings.HasPrefix(line, `\!`) || strings.HasPrefix(line, `\#`) {
		line = line[1:]
	}
	if strings.HasSuffix(line, "/") {
		p.dirOnly = true
		line = strings.TrimRight(line, "/")
	}
	if line == "" {
		return pattern{}, false
	}
	if strings.Contains(line, "/") {
		p.anchored = true
		line = strings.TrimPrefix(line, "/")
		// "**/name" is the same as an unanchored "name".
		if rest, ok := strings.CutPrefix(line, "**/"); ok && !strings.Contains(rest, "/") {
			p.anchored = false
			line = rest
		}
	}
	// gitignore has no brace expansion, doublestar does: make braces literal.
	line = strings.NewReplacer("{", `\{`, "}", `\}`).Replace(line)
	p.text = line
	switch {
	case p.anchored:
	case !strings.ContainsAny(line, `*?[\`):
		p.kind = kindLiteral
	case strings.HasPrefix(line, "*") && !strings.ContainsAny(line[1:], `*?[\`):
		p.kind, p.text = kindSuffix, line[1:]
	}
	if p.kind == kindGlob && !doublestar.ValidatePattern(p.text) {
		return pattern{}, false
	}
	return p, true
}

// match reports whether the pattern matches the entry at rel (slash-separated, relative to
// the ignore file's directory) whose last element is name.
func (p *pattern) match(rel, name string, isDir bool) bool {
	if p.dirOnly && !isDir {
		return false
	}
	switch p.kind {
	case kindLiteral:
		return name == p.text
	case kindSuffix:
		return strings.HasSuffix(name, p.text)
	}
	if p.anchored {
		ok, _ := doublestar.Match(p.text, rel)
		return ok
	}
	ok, _ := doublestar.Match(p.text, name)
	return ok
}

// Ignore is the chain of ignore rules in force in one directory: its own files' rules, then
// its parents'. It is immutable and safe for concurrent use.
type Ignore struct {
	m      *matcher
	parent *Ignore
}

// NewIgnore returns the rules in force in dir (absolute): those of the ignore files in dir's
// parents up to the repository root (the nearest directory with a .git), and the
// repository's .git/info/exclude. Rules of dir itself are added by Enter.
func NewIgnore(dir string) *Ignore {
	dir = filepath.Clean(dir)
	var chain []string // parents from dir's parent up to the repo root
	root := ""
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			root = d
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
		chain = append(chain, d)
	}
	var ig *Ignore
	if root == "" {
		return nil
	}
	if data, err := os.ReadFile(filepath.Join(root, ".git", "info", "exclude")); err == nil {
		if ps := parseIgnore(data); len(ps) > 0 {
			ig = &Ignore{m: &matcher{dir: root, patterns: ps}}
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		ig = ig.Enter(chain[i])
	}
	return ig
}

// Enter returns the rules in force inside dir (absolute), a child of the receiver's
// directory: the receiver's plus those of dir's ignore files. A nil *Ignore is valid and has
// no rules.
func (ig *Ignore) Enter(dir string) *Ignore {
	var ps []pattern
	for _, name := range ignoreFiles {
		if data, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			ps = append(ps, parseIgnore(data)...)
		}
	}
	if len(ps) == 0 {
		return ig
	}
	return &Ignore{m: &matcher{dir: dir, patterns: ps}, parent: ig}
}

// Match reports whether the entry at path (absolute) is ignored. The deepest rules decide,
// and within one directory the last matching line.
func (ig *Ignore) Match(path string, isDir bool) bool {
	name := filepath.Base(path)
	for c := ig; c != nil; c = c.parent {
		rel, ok := relTo(c.m.dir, path)
		if !ok {
			continue
		}
		ps := c.m.patterns
		for i := len(ps) - 1; i >= 0; i-- {
			if ps[i].match(rel, name, isDir) {
				return !ps[i].negate
			}
		}
	}
	return false
}

// relTo returns path relative to dir, slash-separated, when path is inside dir.
func relTo(dir, path string) (string, bool) {
	if len(path) <= len(dir) || !strings.HasPrefix(path, dir) {
		return "", false
	}
	rest := path[len(dir):]
	if dir != string(filepath.Separator) {
		if rest[0] != filepath.Separator {
			return "", false
		}
		rest = rest[1:]
	}
	return filepath.ToSlash(rest), true
}
