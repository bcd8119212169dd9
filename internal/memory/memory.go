// Package memory finds the instruction files a session starts with, as the agent the setup
// guide is about reads them: the user's ~/.claude/CLAUDE.md, then from the repository root
// down to the working directory CLAUDE.md, .claude/CLAUDE.md, CLAUDE.local.md and AGENTS.md,
// with @path imports expanded.
package memory

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// File is one memory file with its imports expanded.
type File struct {
	Path    string
	Content string
}

// Options say where to look.
type Options struct {
	WorkDir string
	// Root is the repository root (the top of the walk); "" means WorkDir alone.
	Root string
	// UserDir is ~/.claude, or CLAUDE_CONFIG_DIR.
	UserDir string
}

// perDirFiles are read in each directory, in this order.
var perDirFiles = []string{"CLAUDE.md", filepath.Join(".claude", "CLAUDE.md"), "CLAUDE.local.md", "AGENTS.md"}

// Limits keep a runaway import chain or a huge file from filling the context window.
const (
	maxImportDepth = 5
	maxFileBytes   = 256 << 10
)

// Load returns the memory files, most general first.
func Load(o Options) []File {
	var out []File
	seen := map[string]bool{}
	add := func(p string) {
		if f, ok := read(p, seen, 0); ok {
			out = append(out, f)
		}
	}
	if o.UserDir != "" {
		add(filepath.Join(o.UserDir, "CLAUDE.md"))
	}
	for _, dir := range walkDown(o.Root, o.WorkDir) {
		for _, name := range perDirFiles {
			add(filepath.Join(dir, name))
		}
	}
	return out
}

// walkDown lists the directories from root to dir, root first; dir alone when dir is not
// under root.
func walkDown(root, dir string) []string {
	dir = filepath.Clean(dir)
	if root == "" {
		return []string{dir}
	}
	root = filepath.Clean(root)
	rel, err := filepath.Rel(root, dir)
	if err != nil || strings.HasPrefix(rel, "..") {
		return []string{dir}
	}
	dirs := []string{root}
	cur := root
	if rel != "." {
		for _, part := range strings.Split(rel, string(filepath.Separator)) {
			cur = filepath.Join(cur, part)
			dirs = append(dirs, cur)
		}
	}
	return dirs
}

// importPattern is an @path reference at the start of a line or after whitespace, outside
// code spans and blocks.
var importPattern = regexp.MustCompile(`(^|\s)@((?:~/|\.{1,2}/|/)?[A-Za-z0-9_\-./~]+)`)

func read(path string, seen map[string]bool, depth int) (File, bool) {
	abs, err := filepath.Abs(path)
	if err != nil || seen[abs] {
		return File{}, false
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return File{}, false
	}
	seen[abs] = true
	if len(data) > maxFileBytes {
		data = append(data[:maxFileBytes], []byte("\n[truncated]")...)
	}
	return File{Path: abs, Content: expand(string(data), filepath.Dir(abs), seen, depth)}, true
}

// expand replaces @path imports with the imported files' content, outside fenced code.
func expand(text, dir string, seen map[string]bool, depth int) string {
	if depth >= maxImportDepth {
		return text
	}
	var out bytes.Buffer
	inFence := false
	for _, line := range strings.SplitAfter(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inFence = !inFence
		}
		if inFence || !strings.Contains(line, "@") {
			out.WriteString(line)
			continue
		}
		// Backticks split the line into prose and code spans; `@scope/pkg` is a name, not an
		// import.
		for i, part := range strings.Split(line, "`") {
			if i > 0 {
				out.WriteByte('`')
			}
			if i%2 == 1 {
				out.WriteString(part)
				continue
			}
			out.WriteString(importPattern.ReplaceAllStringFunc(part, func(m string) string {
				return importFile(m, dir, seen, depth)
			}))
		}
	}
	return out.String()
}

// importFile replaces one @path match with the file's content, or leaves it when there is
// no such file (an @mention, a handle).
func importFile(m, dir string, seen map[string]bool, depth int) string {
	sub := importPattern.FindStringSubmatch(m)
	f, ok := read(resolve(sub[2], dir), seen, depth+1)
	if !ok {
		return m
	}
	return sub[1] + fmt.Sprintf("\n<imported from %s>\n%s\n</imported>\n", sub[2], strings.TrimRight(f.Content, "\n"))
}

func resolve(p, dir string) string {
	if strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[2:])
		}
	}
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}
