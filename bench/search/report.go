package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"ganban/bench/internal/gen"
	"ganban/bench/internal/stats"
)

// write puts the table in out/50-search.md and the rows in out/50-search.json.
func write(out string, rows []row, st gen.TreeStats, runs int, rgVersion string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Grep and Glob against ripgrep\n\n`bench/search -runs %d` on a generated tree of %d files (%d directories, %.0f MB: Go, TypeScript, JavaScript, Python, Markdown, JSON; a .gitignore'd node_modules with %d files, %d hidden files, %d binary files), %s. ganban runs in-process (its Grep tool, and `grep.Search` alone; its Glob tool, and the walk with the glob match alone, without the tool's stat of each match), ripgrep as a process in the tree (a git repository) with output to a pipe. Medians of %d runs after a warm-up. Counts are what each printed a line for (files, or matching lines with `-n`); they must agree.\n\n",
		runs, st.Files, st.Dirs, float64(st.Bytes)/1e6, st.Ignored, st.Hidden, st.Binary, rgVersion, runs)
	b.WriteString("| tool | search | rg | ganban tool | ganban engine (Grep: `grep.Search`; Glob: walk + match) | ganban / rg | matches rg / ganban | ripgrep command |\n|---|---|---|---|---|---|---|---|\n")
	worst := map[string]float64{}
	var ratios = map[string][]float64{}
	mismatch := 0
	for _, r := range rows {
		engine := "-"
		if r.SearchMS > 0 {
			engine = fmt.Sprintf("%.0f ms", r.SearchMS)
		}
		if r.Count != r.RgCount {
			mismatch++
		}
		cmd := strings.ReplaceAll(r.RgCommand, "|", `\|`)
		fmt.Fprintf(&b, "| %s | %s | %.0f ms | %.0f ms | %s | %.2fx | %d / %d | `%s` |\n", r.Kind, strings.ReplaceAll(r.Name, "|", `\|`), r.RgMS, r.ToolMS, engine, r.Ratio, r.RgCount, r.Count, cmd)
		worst[r.Kind] = max(worst[r.Kind], r.Ratio)
		ratios[r.Kind] = append(ratios[r.Kind], r.Ratio)
	}
	fmt.Fprintf(&b, "\nTarget (Grep within 2x of ripgrep): %s (median %.2fx, worst %.2fx).\n", verdict(worst["Grep"] <= 2), stats.Median(ratios["Grep"]), worst["Grep"])
	fmt.Fprintf(&b, "Target (Glob within 2x of `rg --files`): %s (median %.2fx, worst %.2fx).\n", verdict(worst["Glob"] <= 2), stats.Median(ratios["Glob"]), worst["Glob"])
	if mismatch > 0 {
		fmt.Fprintf(&b, "\n%d searches found a different number of matches than ripgrep (see the table).\n", mismatch)
	}
	md := strings.TrimSpace(b.String()) + "\n"
	fmt.Print(md)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "50-search.md"), []byte(md), 0o644); err != nil {
		return err
	}
	js, _ := json.MarshalIndent(rows, "", "  ")
	return os.WriteFile(filepath.Join(out, "50-search.json"), js, 0o644)
}

func verdict(ok bool) string {
	if ok {
		return "**met**"
	}
	return "**not met**"
}
