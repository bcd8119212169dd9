package tools

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"

	"ganban/internal/tools/grep"
)

// Grep output limits: the default number of lines or entries shown (head_limit), the most
// characters returned, the longest line shown (as Claude Code's rg --max-columns), and a
// bound on the lines collected in memory by a search that matches everything.
const (
	defaultGrepHeadLimit = 250
	maxGrepChars         = 30000
	maxGrepColumns       = 500
	maxGrepCollected     = 200000
)

type grepInput struct {
	Pattern    string `json:"pattern" description:"The regular expression pattern to search for in file contents"`
	Path       string `json:"path,omitempty" description:"File or directory to search in. Defaults to the current working directory."`
	Glob       string `json:"glob,omitempty" description:"Glob pattern to filter files (e.g. \"*.js\", \"*.{ts,tsx}\"); several can be separated by spaces or commas, and \"!\" excludes"`
	OutputMode string `json:"output_mode,omitempty" enum:"content,files_with_matches,count" description:"Output mode: \"content\" shows matching lines (supports -A/-B/-C context, -n line numbers, head_limit), \"files_with_matches\" shows file paths (supports head_limit), \"count\" shows match counts (supports head_limit). Defaults to \"files_with_matches\"."`
	Before     *int   `json:"-B,omitempty" minimum:"0" description:"Number of lines to show before each match. Requires output_mode: \"content\", ignored otherwise."`
	After      *int   `json:"-A,omitempty" minimum:"0" description:"Number of lines to show after each match. Requires output_mode: \"content\", ignored otherwise."`
	Context    *int   `json:"-C,omitempty" minimum:"0" description:"Number of lines to show before and after each match. Requires output_mode: \"content\", ignored otherwise."`
	LineNums   *bool  `json:"-n,omitempty" description:"Show line numbers in output. Requires output_mode: \"content\", ignored otherwise. Defaults to true."`
	IgnoreCase bool   `json:"-i,omitempty" description:"Case insensitive search"`
	Type       string `json:"type,omitempty" description:"File type to search, as ripgrep's --type (e.g. js, py, rust, go, java). More efficient than glob for standard file types."`
	HeadLimit  *int   `json:"head_limit,omitempty" minimum:"0" description:"Limit output to the first N lines (content) or entries (files_with_matches, count). Defaults to 250; 0 means no limit."`
	Offset     *int   `json:"offset,omitempty" minimum:"0" description:"Skip the first N lines or entries before applying head_limit, to page through results. Defaults to 0."`
	Multiline  bool   `json:"multiline,omitempty" description:"Enable multiline mode where . matches newlines and patterns can span lines. Default: false."`
}

const grepDescription = `A powerful content search tool with ripgrep's options and output.

Usage:
- Always use Grep for searching file contents. Never run grep or rg through Bash: this tool is faster, respects .gitignore, and needs no permission prompt.
- Full regular expression syntax (RE2, as ripgrep), e.g. "log.*Error", "function\\s+\\w+". Literal braces and parentheses need escaping: search interface\\{\\} to find interface{} in Go code.
- Filter files with glob (e.g. "*.js", "**/*.tsx", "*.{ts,tsx}") or type (e.g. "js", "py", "rust", "go").
- output_mode "files_with_matches" (the default) lists the files that match, most recently modified first; "content" shows the matching lines (path:line:text, with -A/-B/-C context and -n line numbers); "count" shows the number of matching lines per file.
- Results are limited to 250 lines or entries by default: use head_limit and offset to see more, or narrow the search.
- Patterns match within single lines by default. For patterns across lines, like struct \\{[\\s\\S]*?field, set multiline: true.
- Hidden files, binary files, .git and files ignored by .gitignore are skipped.
- For open-ended searches that need several rounds of globbing and grepping, plan the rounds; batch independent searches in one response.`

// GrepTool returns the Grep tool.
func GrepTool() Tool {
	return New("Grep", grepDescription, true, grepTarget, runGrep)
}

func grepTarget(in grepInput, env *Env) (Target, error) {
	if in.Pattern == "" {
		return Target{}, errors.New("Grep: pattern is required and must not be empty")
	}
	if _, _, err := grep.Compile(in.Pattern, in.IgnoreCase, in.Multiline); err != nil {
		return Target{}, fmt.Errorf("Grep: invalid regular expression: %v. The syntax is RE2 (as ripgrep's): no lookaround or backreferences; escape literal braces, brackets and parentheses with a backslash", err)
	}
	dir := env.workDir()
	if in.Path != "" {
		dir = env.abs(in.Path)
	}
	return Target{Kind: TargetRead, Path: dir, Summary: fmt.Sprintf("Grep %q in %s", in.Pattern, displayDir(env, dir))}, nil
}

// displayDir is display for directories, where the working directory itself is ".".
func displayDir(env *Env, dir string) string {
	if d := env.display(dir); d != "" {
		return d
	}
	return "."
}

// splitGlobs splits the glob parameter as Claude Code does: on whitespace, then on commas
// unless the piece uses braces (where commas are alternatives).
func splitGlobs(s string) []string {
	var out []string
	for _, g := range strings.Fields(s) {
		if strings.Contains(g, "{") && strings.Contains(g, "}") {
			out = append(out, g)
			continue
		}
		for _, p := range strings.Split(g, ",") {
			if p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func runGrep(ctx context.Context, env *Env, in grepInput) Result {
	tg, err := grepTarget(in, env)
	if err != nil {
		return errorResult(err.Error())
	}
	info, err := os.Stat(tg.Path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return errorResult(fmt.Sprintf("Path does not exist: %s", tg.Path))
		}
		return errorResult(fmt.Sprintf("Cannot search %s: %v", tg.Path, err))
	}
	mode := grep.FilesWithMatches
	switch in.OutputMode {
	case "content":
		mode = grep.Content
	case "count":
		mode = grep.Count
	}
	o := grep.Options{
		Pattern: in.Pattern, Path: tg.Path, Globs: splitGlobs(in.Glob), Type: in.Type,
		IgnoreCase: in.IgnoreCase, Multiline: in.Multiline, Mode: mode,
		ModTimes: mode == grep.FilesWithMatches, MaxLines: maxGrepCollected, MaxColumns: maxGrepColumns,
	}
	if mode == grep.Content {
		switch {
		case in.Context != nil:
			o.Before, o.After = *in.Context, *in.Context
		default:
			if in.Before != nil {
				o.Before = *in.Before
			}
			if in.After != nil {
				o.After = *in.After
			}
		}
	}
	res, err := grep.Search(ctx, o)
	if err != nil {
		var unknown *grep.UnknownTypeError
		if errors.As(err, &unknown) {
			return errorResult("Grep: " + err.Error())
		}
		return errorResult(fmt.Sprintf("Grep failed: %v", err))
	}
	hidden := dropHidden(env, res)
	name := func(f grep.FileResult) string { return env.display(f.Path) }
	var entries []string
	var summary, empty string
	switch mode {
	case grep.FilesWithMatches:
		sort.SliceStable(res.Files, func(i, j int) bool {
			a, b := res.Files[i], res.Files[j]
			if !a.ModTime.Equal(b.ModTime) {
				return a.ModTime.After(b.ModTime)
			}
			return a.Path < b.Path
		})
		for _, f := range res.Files {
			entries = append(entries, name(f))
		}
		summary, empty = fmt.Sprintf("Found %d files", len(res.Files)), "No files found"
	case grep.Count:
		total := 0
		for _, f := range res.Files {
			entries = append(entries, fmt.Sprintf("%s:%d", name(f), f.Count))
			total += f.Count
		}
		summary, empty = fmt.Sprintf("Found %d total occurrences across %d files", total, len(res.Files)), "No matches found"
	case grep.Content:
		fo := grep.FormatOptions{LineNumbers: in.LineNums == nil || *in.LineNums, Separators: o.Before > 0 || o.After > 0}
		if info.IsDir() {
			fo.Name = name
		}
		entries = grep.ContentLines(res.Files, fo)
		n := 0
		for _, f := range res.Files {
			n += f.Count
		}
		summary, empty = fmt.Sprintf("Found %d matching lines in %d files", n, len(res.Files)), "No matches found"
	}
	if len(entries) == 0 {
		return textResult(noteHidden(empty, hidden), empty)
	}
	// As in Claude Code: a file list starts with how many were found, counts end with the
	// total, and content is the lines alone.
	var header, footer string
	switch mode {
	case grep.FilesWithMatches:
		header = summary
	case grep.Count:
		footer = summary + "."
	}
	return textResult(noteHidden(pageEntries(entries, header, footer, in.HeadLimit, in.Offset, res.Truncated), hidden), summary)
}

// dropHidden removes the files permission rules forbid reading from a search's results and
// returns how many there were.
func dropHidden(env *Env, res *grep.Results) int {
	kept := res.Files[:0]
	for _, f := range res.Files {
		if !env.hidden(f.Path) {
			kept = append(kept, f)
		}
	}
	n := len(res.Files) - len(kept)
	res.Files = kept
	return n
}

// pageEntries applies offset and head_limit to the output entries and caps the text, saying
// what was left out and how to get it.
func pageEntries(entries []string, header, footer string, headLimit, offset *int, truncated bool) string {
	total := len(entries)
	off := 0
	if offset != nil {
		off = min(*offset, total)
	}
	limit := defaultGrepHeadLimit
	if headLimit != nil {
		limit = *headLimit
	}
	shown := entries[off:]
	if limit > 0 && len(shown) > limit {
		shown = shown[:limit]
	}
	var b strings.Builder
	if header != "" {
		b.WriteString(header + "\n")
	}
	count := 0
	for _, e := range shown {
		if b.Len()+len(e) > maxGrepChars {
			break
		}
		b.WriteString(e)
		b.WriteByte('\n')
		count++
	}
	end := off + count
	if off >= total {
		fmt.Fprintf(&b, "(offset %d is past the end: there are %d results.)", off, total)
	} else if off > 0 || end < total {
		fmt.Fprintf(&b, "\n(Showing %d-%d of %d; use offset %d to see more, or narrow the search.)", off+1, end, total, end)
	}
	if truncated {
		b.WriteString("\n(The search stopped early after collecting too many lines: narrow the pattern, path or glob.)")
	}
	out := strings.TrimRight(b.String(), "\n")
	if footer != "" {
		out += "\n\n" + footer
	}
	return out
}
