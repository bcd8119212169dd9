package tools

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/bmatcuk/doublestar/v4"

	"ganban/internal/tools/walk"
)

// maxGlobResults is how many paths Glob returns, as Claude Code.
const maxGlobResults = 100

type globInput struct {
	Pattern string `json:"pattern" description:"The glob pattern to match files against"`
	Path    string `json:"path,omitempty" description:"The directory to search in. If not specified, the current working directory will be used. Omit this field to use the default directory: do not enter \"undefined\" or \"null\". Must be a valid directory path if provided."`
}

const globDescription = `Fast file pattern matching that works with any codebase size.

- Supports glob patterns like "**/*.js" or "src/**/*.ts": * matches within one path segment, ** across any number of directories, ? one character, [abc] a class, {a,b} alternatives.
- Returns the matching file paths, most recently modified first, at most 100.
- .git and files ignored by .gitignore are skipped; hidden files are included only when the pattern names them (e.g. ".github/**" or "**/.env*").
- Use it to find files by name. For open-ended searches that need several rounds of globbing and grepping, plan the rounds; batch independent searches in one response.`

// GlobTool returns the Glob tool.
func GlobTool() Tool {
	return New("Glob", globDescription, true, globTarget, runGlob)
}

// globPlan is where a glob walks and what it matches there.
type globPlan struct {
	root    string // the directory searched (the path parameter or the working directory)
	base    string // the directory walked: root plus the pattern's fixed leading part
	pattern string // the rest of the pattern, matched against paths relative to base
	hidden  bool
}

func planGlob(in globInput, env *Env) (globPlan, error) {
	if strings.TrimSpace(in.Pattern) == "" {
		return globPlan{}, errors.New("Glob: pattern is required and must not be empty")
	}
	p := globPlan{root: env.workDir()}
	if in.Path != "" && in.Path != "undefined" && in.Path != "null" {
		p.root = env.abs(in.Path)
	}
	pat := filepath.ToSlash(in.Pattern)
	if !doublestar.ValidatePattern(pat) {
		return globPlan{}, fmt.Errorf("Glob: invalid pattern %q: check for unbalanced brackets or braces", in.Pattern)
	}
	base, rest := doublestar.SplitPattern(pat)
	switch {
	case filepath.IsAbs(pat):
		p.base = filepath.Clean(filepath.FromSlash(base))
	case base == ".":
		p.base = p.root
	default:
		p.base = filepath.Join(p.root, filepath.FromSlash(base))
	}
	p.pattern = rest
	// Hidden files only when the pattern asks for them, so "**/*" is not flooded with
	// caches and tool directories.
	p.hidden = strings.HasPrefix(rest, ".") || strings.Contains(rest, "/.")
	return p, nil
}

func globTarget(in globInput, env *Env) (Target, error) {
	p, err := planGlob(in, env)
	if err != nil {
		return Target{}, err
	}
	return Target{Kind: TargetRead, Path: p.root, Summary: fmt.Sprintf("Glob %q in %s", in.Pattern, displayDir(env, p.root))}, nil
}

func runGlob(ctx context.Context, env *Env, in globInput) Result {
	p, err := planGlob(in, env)
	if err != nil {
		return errorResult(err.Error())
	}
	info, err := os.Stat(p.root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errorResult(fmt.Sprintf("Directory does not exist: %s", p.root))
	case err != nil:
		return errorResult(fmt.Sprintf("Cannot search %s: %v", p.root, err))
	case !info.IsDir():
		return errorResult(fmt.Sprintf("%s is not a directory; path must be a directory to search in", p.root))
	}
	if st, err := os.Stat(p.base); err != nil || !st.IsDir() {
		return textResult("No files found", "No files found")
	}
	newest := &newestFiles{k: maxGlobResults}
	var denied atomic.Int64 // the callback runs on several goroutines
	err = walk.Walk(ctx, p.base, walk.Options{Hidden: p.hidden}, func(e walk.Entry) error {
		if ok, _ := doublestar.Match(p.pattern, e.Rel); !ok {
			return nil
		}
		if env.hidden(e.Path) {
			denied.Add(1)
			return nil
		}
		if mod, ok := fileModTime(e.Path); ok { // follows symlinks: a link to a file counts as a file
			newest.offer(fileHit{e.Path, mod})
		}
		return nil
	})
	if err != nil {
		return errorResult(fmt.Sprintf("Glob failed: %v", err))
	}
	hits, total := newest.sorted()
	if total == 0 {
		return textResult(noteHidden("No files found", int(denied.Load())), "No files found")
	}
	var b strings.Builder
	for _, h := range hits {
		b.WriteString(h.path)
		b.WriteByte('\n')
	}
	if total > len(hits) {
		fmt.Fprintf(&b, "(Results are truncated: these are the %d most recently modified of %d files. Use a more specific path or pattern.)\n", len(hits), total)
	}
	return textResult(noteHidden(strings.TrimRight(b.String(), "\n"), int(denied.Load())), fmt.Sprintf("Found %d files", total))
}
