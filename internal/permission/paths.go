package permission

import (
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// pathPattern is a compiled path specifier (see the package documentation for the forms).
// Everything is kept in slash form; ganban's paths are POSIX paths.
type pathPattern struct {
	// roots are the directories the body is relative to: the root as written and, when a
	// symbolic link leads to it, the directory it really is.
	roots []string
	// body is the pattern below a root; empty means the root and everything under it.
	body string
	// anyDepth: the body has no slash, so like a .gitignore line it matches a name at any
	// depth below the root.
	anyDepth bool
	// dirOnly: the specifier ended in '/', so it matches directories (and what they hold).
	dirOnly bool
	// never: the pattern cannot match (a ~ rule without a home directory).
	never bool
}

// globMeta are the characters that make a path component a pattern.
const globMeta = "*?[{\\"

// pathBody strips the prefix that says what a path specifier is relative to.
func pathBody(spec string) string {
	switch {
	case strings.HasPrefix(spec, "//"):
		return spec[2:]
	case spec == "~":
		return ""
	case strings.HasPrefix(spec, "~/"):
		return spec[2:]
	case strings.HasPrefix(spec, "./"):
		return spec[2:]
	case strings.HasPrefix(spec, "/"):
		return spec[1:]
	}
	return spec
}

func compilePathPattern(spec string, env *environment) *pathPattern {
	p := &pathPattern{}
	var root string
	switch {
	case strings.HasPrefix(spec, "//"):
		root = "/"
	case spec == "~" || strings.HasPrefix(spec, "~/"):
		if env.home == "" {
			return &pathPattern{never: true}
		}
		root = env.home
	default:
		root = env.workDir
	}
	body := pathBody(spec)
	if strings.HasSuffix(body, "/") {
		p.dirOnly = true
		body = strings.TrimRight(body, "/")
	}
	anchored := strings.HasPrefix(spec, "/") || strings.HasPrefix(spec, "./") || strings.HasPrefix(spec, "~") ||
		strings.Contains(body, "/")
	if !anchored && body != "" {
		// A bare name: match it at any depth under the working directory.
		p.anyDepth = true
		p.body = body
		p.roots = env.variants(root)
		return p
	}
	// Move the leading literal directories of the body into the root, so a symbolic link on
	// the way can be resolved and ".." is cleaned away.
	full := path.Join(root, body)
	static, rest := splitStatic(full)
	p.body = rest
	p.roots = env.variants(static)
	return p
}

// splitStatic splits an absolute slash path into its longest prefix of components free of
// glob characters and the remaining pattern.
func splitStatic(full string) (static, rest string) {
	parts := strings.Split(strings.TrimPrefix(full, "/"), "/")
	i := 0
	for i < len(parts) && !strings.ContainsAny(parts[i], globMeta) {
		i++
	}
	static = "/" + strings.Join(parts[:i], "/")
	rest = strings.Join(parts[i:], "/")
	return path.Clean(static), rest
}

// match reports whether the absolute, clean path p matches. isDir says whether p is a
// directory, for patterns that end in '/'.
func (pp *pathPattern) match(p string, isDir func() bool) bool {
	if pp.never {
		return false
	}
	for _, root := range pp.roots {
		rel, ok := relUnder(root, p)
		if !ok {
			continue
		}
		if pp.body == "" {
			if !pp.dirOnly || rel != "" || isDir() {
				return true
			}
			continue
		}
		if rel == "" {
			continue
		}
		// A pattern that matches a directory matches everything below it, so try every
		// ancestor of p below the root as well as p itself.
		parts := strings.Split(rel, "/")
		for n := 1; n <= len(parts); n++ {
			if n == len(parts) && pp.dirOnly && !isDir() {
				break
			}
			var ok bool
			if pp.anyDepth {
				ok = doublestar.MatchUnvalidated(pp.body, parts[n-1])
			} else {
				ok = doublestar.MatchUnvalidated(pp.body, strings.Join(parts[:n], "/"))
			}
			if ok {
				return true
			}
		}
	}
	return false
}

// relUnder returns p relative to root, in slash form, and whether p is root or below it.
// p and root are absolute and clean; the result is "" for root itself.
func relUnder(root, p string) (string, bool) {
	if p == root {
		return "", true
	}
	if root == "/" {
		return strings.TrimPrefix(p, "/"), strings.HasPrefix(p, "/")
	}
	rest, ok := strings.CutPrefix(p, root+"/")
	return rest, ok
}

// maxLinks bounds symbolic-link resolution, as the kernel does (ELOOP).
const maxLinks = 40

// resolve returns the absolute path p really names: every symbolic link along it followed,
// including a last component that is a link to a file that does not exist yet (writing through
// it would create the target). Components that do not exist are kept as written. p must be
// absolute and clean.
func resolve(p string) string {
	done := "/"
	todo := strings.Split(strings.TrimPrefix(p, "/"), "/")
	links := 0
	for len(todo) > 0 {
		name := todo[0]
		todo = todo[1:]
		switch name {
		case "", ".":
			continue
		case "..":
			done = path.Dir(done)
			continue
		}
		next := path.Join(done, name)
		fi, err := os.Lstat(filepath.FromSlash(next))
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			if err != nil {
				// Nothing below a missing component can be a link.
				return path.Join(append([]string{next}, todo...)...)
			}
			done = next
			continue
		}
		links++
		if links > maxLinks {
			return path.Join(append([]string{next}, todo...)...)
		}
		target, err := os.Readlink(filepath.FromSlash(next))
		if err != nil {
			done = next
			continue
		}
		target = filepath.ToSlash(target)
		if strings.HasPrefix(target, "/") {
			done = "/"
		}
		todo = append(strings.Split(target, "/"), todo...)
	}
	return done
}

// environment is what paths are resolved against: the working directories and home, each as
// configured and as resolved.
type environment struct {
	workDir string
	home    string
	// dirs are the working directory and the additional directories, resolved.
	dirs []string
}

// variants returns dir and, if different, the directory it resolves to.
func (e *environment) variants(dir string) []string {
	real := resolve(dir)
	if real == dir {
		return []string{dir}
	}
	return []string{dir, real}
}

// abs makes a path from a request or a command absolute and clean: relative paths are taken
// from the working directory, ~ from home. ok is false for a ~ path without a home.
func (e *environment) abs(p string) (string, bool) {
	p = filepath.ToSlash(p)
	switch {
	case p == "":
		return e.workDir, true
	case p == "~" || strings.HasPrefix(p, "~/"):
		if e.home == "" {
			return "", false
		}
		return path.Join(e.home, p[1:]), true
	case path.IsAbs(p):
		return path.Clean(p), true
	}
	return path.Join(e.workDir, p), true
}

// inside reports whether the resolved path real is in a working directory.
func (e *environment) inside(real string) bool {
	for _, d := range e.dirs {
		if _, ok := relUnder(d, real); ok {
			return true
		}
	}
	return false
}

func isDirFunc(p string) func() bool {
	return func() bool {
		fi, err := os.Stat(filepath.FromSlash(p))
		return err == nil && fi.IsDir()
	}
}
