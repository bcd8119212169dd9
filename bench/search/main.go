// Command search times ganban's own Grep and Glob on a generated tree of 100,000 files
// against ripgrep on the same tree: ten content searches (literal, regex, case-insensitive,
// with globs and types) and five file-name globs. ganban's side runs in this process, as the
// agent runs its tools (internal/tools/grep Search, and the Grep and Glob tools around
// it, and internal/tools/walk alone); ripgrep runs as a process, as the other agent runs it. Each figure is the median of
// -runs runs after one warm-up, so the tree is in the page cache for both.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"ganban/bench/internal/gen"
	"ganban/bench/internal/stats"
	"ganban/internal/tools"
	"ganban/internal/tools/grep"
	"ganban/internal/tools/walk"
)

type grepCase struct {
	name   string
	opts   grep.Options
	tool   map[string]any // the Grep tool's input
	rgArgs []string
}

type globCase struct {
	pattern string
	rgArgs  []string
}

type row struct {
	Kind      string  `json:"kind"`
	Name      string  `json:"name"`
	RgMS      float64 `json:"rg_ms"`
	ToolMS    float64 `json:"ganban_tool_ms"`
	SearchMS  float64 `json:"ganban_search_ms,omitempty"`
	RgCount   int     `json:"rg_count"`
	Count     int     `json:"ganban_count"`
	Ratio     float64 `json:"ratio"`
	RgCommand string  `json:"rg_command"`
}

func main() {
	root := flag.String("root", "", "tree to search (generated there if missing)")
	files := flag.Int("files", 100000, "files in the generated tree")
	runs := flag.Int("runs", 5, "timed runs of each search")
	rg := flag.String("rg", "rg", "ripgrep binary")
	out := flag.String("out", "bench/out", "directory for results")
	flag.Parse()
	if err := run(*root, *files, *runs, *rg, *out); err != nil {
		fmt.Fprintln(os.Stderr, "search:", err)
		os.Exit(1)
	}
}

func run(root string, files, runs int, rg, out string) error {
	if root == "" {
		return fmt.Errorf("-root is required")
	}
	rgPath, err := exec.LookPath(rg)
	if err != nil {
		return fmt.Errorf("ripgrep not found (apt-get install ripgrep): %w", err)
	}
	marker := filepath.Join(root, fmt.Sprintf(".bench-tree-%d", files))
	var st gen.TreeStats
	if _, err := os.Stat(marker); err != nil {
		_ = os.RemoveAll(root)
		start := time.Now()
		if st, err = gen.Tree(root, files, 42); err != nil {
			return err
		}
		// A repository, as a project is: ripgrep reads .gitignore only inside one.
		if out, err := exec.Command("git", "-C", root, "init", "-q").CombinedOutput(); err != nil {
			return fmt.Errorf("git init: %v %s", err, out)
		}
		js, _ := json.Marshal(st)
		if err := os.WriteFile(marker, js, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "search: generated %d files in %v\n", st.Files, time.Since(start).Round(time.Millisecond))
	} else {
		data, _ := os.ReadFile(marker)
		_ = json.Unmarshal(data, &st)
	}
	rgVersion, _ := exec.Command(rgPath, "--version").Output()
	env := tools.NewEnv(root, os.Environ())
	defer env.Close()
	grepTool, _ := tools.Lookup(tools.Default(), "Grep")
	globTool, _ := tools.Lookup(tools.Default(), "Glob")

	var rows []row
	for _, c := range grepCases(root) {
		r := row{Kind: "Grep", Name: c.name, RgCommand: "rg " + strings.Join(c.rgArgs, " ")}
		var res *grep.Results
		r.SearchMS = timed(runs, func() {
			var err error
			if res, err = grep.Search(context.Background(), c.opts); err != nil {
				panic(err)
			}
		})
		r.Count = countOf(res, c.opts.Mode)
		input, _ := json.Marshal(c.tool)
		r.ToolMS = timed(runs, func() {
			if res := grepTool.Run(context.Background(), env, input); res.IsError {
				panic(res.Text())
			}
		})
		var stdout []byte
		r.RgMS = timed(runs, func() { stdout = rgRun(rgPath, root, c.rgArgs) })
		r.RgCount = lines(stdout)
		r.Ratio = r.ToolMS / r.RgMS
		rows = append(rows, r)
		fmt.Fprintf(os.Stderr, "search: grep %-28s rg %7.1f ms  tool %7.1f ms  search %7.1f ms  (%d / %d)\n", c.name, r.RgMS, r.ToolMS, r.SearchMS, r.RgCount, r.Count)
	}
	found := regexp.MustCompile(`Found (\d+) files`)
	for _, c := range globCases(root) {
		r := row{Kind: "Glob", Name: c.pattern, RgCommand: "rg " + strings.Join(c.rgArgs, " ")}
		input, _ := json.Marshal(map[string]any{"pattern": c.pattern, "path": root})
		var summary string
		r.ToolMS = timed(runs, func() {
			res := globTool.Run(context.Background(), env, input)
			if res.IsError {
				panic(res.Text())
			}
			summary = res.Summary
		})
		if m := found.FindStringSubmatch(summary); m != nil {
			r.Count, _ = strconv.Atoi(m[1])
		}
		// The walk and match alone, without the Glob tool's stat of every match (it sorts
		// by modification time): where the tool's time goes.
		r.SearchMS = timed(runs, func() {
			_ = walk.Walk(context.Background(), root, walk.Options{}, func(e walk.Entry) error {
				_, _ = doublestar.Match(c.pattern, e.Rel)
				return nil
			})
		})
		var stdout []byte
		r.RgMS = timed(runs, func() { stdout = rgRun(rgPath, root, c.rgArgs) })
		r.RgCount = lines(stdout)
		r.Ratio = r.ToolMS / r.RgMS
		rows = append(rows, r)
		fmt.Fprintf(os.Stderr, "search: glob %-28s rg %7.1f ms  tool %7.1f ms  (%d / %d)\n", c.pattern, r.RgMS, r.ToolMS, r.RgCount, r.Count)
	}
	return write(out, rows, st, runs, strings.SplitN(string(rgVersion), "\n", 2)[0])
}

// grepCases are the ten content searches. Each is given three ways with the same meaning:
// the engine's options, the Grep tool's input (files_with_matches unless content is asked
// for), and ripgrep's arguments.
func grepCases(root string) []grepCase {
	type spec struct {
		name, pattern string
		glob, typ     string
		ci, content   bool
	}
	specs := []spec{
		{name: "literal, rare", pattern: "ErrConnectionReset"},
		{name: "literal, content -n", pattern: `TODO\(perf\)`, content: true},
		{name: "regex", pattern: `func \w+Handler\(`},
		{name: "regex, no literal", pattern: `\b\d{4}-\d{2}-\d{2}\b`},
		{name: "case-insensitive", pattern: "deprecated", ci: true},
		{name: "glob *.py", pattern: `^import \w+`, glob: "*.py"},
		{name: "type js", pattern: "useState", typ: "js"},
		{name: "glob *.{ts,tsx}", pattern: "export default", glob: "*.{ts,tsx}"},
		{name: "negated glob !*_test.go", pattern: `fmt\.Errorf`, glob: "!*_test.go"},
		{name: "type go, case-insensitive regex", pattern: `retry\w*\s+with\s+\w+\s+backoff`, typ: "go", ci: true},
	}
	var out []grepCase
	for _, s := range specs {
		c := grepCase{name: s.name}
		c.opts = grep.Options{Pattern: s.pattern, Path: root, Type: s.typ, IgnoreCase: s.ci, Mode: grep.FilesWithMatches, ModTimes: true}
		c.tool = map[string]any{"pattern": s.pattern, "path": root}
		args := []string{}
		if s.content {
			c.opts.Mode = grep.Content
			c.tool["output_mode"] = "content"
			args = append(args, "-n")
		} else {
			args = append(args, "-l")
		}
		if s.glob != "" {
			c.opts.Globs = []string{s.glob}
			c.tool["glob"] = s.glob
			args = append(args, "-g", s.glob)
		}
		if s.typ != "" {
			c.tool["type"] = s.typ
			args = append(args, "-t", s.typ)
		}
		if s.ci {
			c.tool["-i"] = true
			args = append(args, "-i")
		}
		c.rgArgs = append(args, "-e", s.pattern)
		out = append(out, c)
	}
	return out
}

// globCases are file-name searches, against `rg --files` with the same glob.
func globCases(root string) []globCase {
	var out []globCase
	for _, p := range []string{"**/*", "**/*.go", "**/*_test.go", "src/**/*.tsx", "**/README.md"} {
		args := []string{"--files"}
		if p != "**/*" {
			args = append(args, "-g", p)
		}
		out = append(out, globCase{pattern: p, rgArgs: args})
	}
	return out
}

// timed runs f once to warm up, then runs times, and returns the median in milliseconds.
func timed(runs int, f func()) float64 {
	f()
	var ds []time.Duration
	for i := 0; i < runs; i++ {
		start := time.Now()
		f()
		ds = append(ds, time.Since(start))
	}
	return stats.MedianDur(ds)
}

// rgRun runs ripgrep in the tree, as an agent runs it in its project directory.
func rgRun(rg, dir string, args []string) []byte {
	cmd := exec.Command(rg, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 { // 1: no match
			panic(fmt.Sprintf("rg %v: %v", args, err))
		}
	}
	return out.Bytes()
}

func lines(b []byte) int { return bytes.Count(b, []byte{'\n'}) }

// countOf is what rg would print a line for: files, or matching lines in content mode.
func countOf(r *grep.Results, mode grep.Mode) int {
	if mode != grep.Content {
		return len(r.Files)
	}
	n := 0
	for _, f := range r.Files {
		n += f.Count
	}
	return n
}
