package tools

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"ganban/internal/tools/walk"
)

// maxLSEntries is how many files and directories LS lists, as Claude Code.
const maxLSEntries = 1000

type lsInput struct {
	Path   string   `json:"path" description:"The absolute path to the directory to list (must be absolute, not relative)"`
	Ignore []string `json:"ignore,omitempty" description:"List of glob patterns to ignore"`
}

const lsDescription = `Lists files and directories under a path, as a tree. The path parameter must be an absolute path, not a relative one. You can give glob patterns to leave out with the ignore parameter. .git and files ignored by .gitignore are not listed. Prefer Glob and Grep when you know what you are looking for.`

// LSTool returns the LS tool.
func LSTool() Tool {
	return New("LS", lsDescription, true, lsTarget, runLS)
}

func lsTarget(in lsInput, env *Env) (Target, error) {
	if in.Path == "" {
		return Target{}, errors.New("LS: path is required")
	}
	for _, g := range in.Ignore {
		if !doublestar.ValidatePattern(filepath.ToSlash(g)) {
			return Target{}, fmt.Errorf("LS: invalid ignore pattern %q", g)
		}
	}
	p := env.abs(in.Path)
	return Target{Kind: TargetRead, Path: p, Summary: "List " + displayDir(env, p)}, nil
}

// lsNode is one entry of the listing.
type lsNode struct {
	name     string
	dir      bool
	children []*lsNode
}

func runLS(ctx context.Context, env *Env, in lsInput) Result {
	tg, err := lsTarget(in, env)
	if err != nil {
		return errorResult(err.Error())
	}
	root := tg.Path
	info, err := os.Stat(root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errorResult(fmt.Sprintf("Directory does not exist: %s", root))
	case err != nil:
		return errorResult(fmt.Sprintf("Cannot list %s: %v", root, err))
	case !info.IsDir():
		return errorResult(fmt.Sprintf("%s is a file, not a directory. Use the Read tool to read it.", root))
	}
	ignored := func(rel, name string) bool {
		for _, g := range in.Ignore {
			g = filepath.ToSlash(g)
			if ok, _ := doublestar.Match(g, name); ok {
				return true
			}
			if ok, _ := doublestar.Match(g, rel); ok {
				return true
			}
		}
		return false
	}
	// Breadth first, so that when the listing is cut it is the deep levels that go.
	type job struct {
		dir, rel string
		node     *lsNode
		ig       *walk.Ignore
	}
	top := &lsNode{name: root, dir: true}
	queue := []job{{dir: root, node: top, ig: walk.NewIgnore(root)}}
	count, denied, truncated := 0, 0, false
	for len(queue) > 0 && !truncated {
		if ctx.Err() != nil {
			return errorResult("LS was interrupted.")
		}
		j := queue[0]
		queue = queue[1:]
		entries, err := os.ReadDir(j.dir)
		if err != nil {
			continue
		}
		ig := j.ig.Enter(j.dir)
		for _, e := range entries {
			name := e.Name()
			isDir := e.IsDir()
			if isDir && (name == ".git" || name == ".hg" || name == ".svn" || name == ".jj" || name == ".bzr") {
				continue
			}
			path := filepath.Join(j.dir, name)
			rel := name
			if j.rel != "" {
				rel = j.rel + "/" + name
			}
			if ig.Match(path, isDir) || ignored(rel, name) {
				continue
			}
			if env.hidden(path) {
				denied++
				continue
			}
			if count == maxLSEntries {
				truncated = true
				break
			}
			count++
			n := &lsNode{name: name, dir: isDir}
			j.node.children = append(j.node.children, n)
			if isDir {
				queue = append(queue, job{dir: path, rel: rel, node: n, ig: ig})
			}
		}
	}
	var b strings.Builder
	if truncated {
		fmt.Fprintf(&b, "There are more than %d files and directories under %s. The first %d, level by level, are listed below; use LS on a subdirectory, or Glob and Grep, to explore further.\n\n", maxLSEntries, root, maxLSEntries)
	}
	fmt.Fprintf(&b, "- %s%c\n", strings.TrimSuffix(root, string(filepath.Separator)), filepath.Separator)
	var print func(n *lsNode, depth int)
	print = func(n *lsNode, depth int) {
		for _, c := range n.children {
			b.WriteString(strings.Repeat("  ", depth))
			b.WriteString("- ")
			b.WriteString(c.name)
			if c.dir {
				b.WriteByte('/')
			}
			b.WriteByte('\n')
			print(c, depth+1)
		}
	}
	print(top, 1)
	if count == 0 {
		b.WriteString("  (empty)\n")
	}
	return textResult(noteHidden(strings.TrimRight(b.String(), "\n"), denied), fmt.Sprintf("Listed %d entries in %s", count, displayDir(env, root)))
}
