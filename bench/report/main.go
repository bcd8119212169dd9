// Command report assembles the results of a bench/run.sh run: the markdown sections the
// benchmark programs wrote to -out, the `go test -bench` outputs turned into tables, and the
// machine they ran on. It writes bench/results.md and replaces the part of bench/README.md
// between the results markers with the same text.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"
)

const (
	beginMarker = "<!-- results:begin (written by bench/report; do not edit) -->"
	endMarker   = "<!-- results:end -->"
)

func main() {
	out := flag.String("out", "bench/out", "directory the benchmarks wrote to")
	readme := flag.String("readme", "bench/README.md", "README whose results section is replaced")
	results := flag.String("results", "bench/results.md", "where to write the results")
	ganban := flag.String("ganban", "", "the ganban binary measured, for its version")
	claude := flag.String("claude", "", "the other agent's binary, for its version")
	flag.Parse()
	text, err := assemble(*out, *ganban, *claude)
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*results, []byte(text), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
	if err := replaceSection(*readme, text); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

func assemble(out, ganban, claude string) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "## Results of %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	b.WriteString(machine(ganban, claude))
	if parts := readFile(filepath.Join(out, "parts.txt")); parts != "" {
		b.WriteString("\n`bench/run.sh`, part by part (seconds; each part has its own time limit):\n\n| part | result | seconds |\n|---|---|---|\n")
		for _, l := range strings.Split(strings.TrimSpace(parts), "\n") {
			f := strings.Fields(l)
			if len(f) == 3 {
				fmt.Fprintf(&b, "| %s | %s | %s |\n", f[0], f[1], f[2])
			}
		}
	}
	mds, err := filepath.Glob(filepath.Join(out, "*.md"))
	if err != nil {
		return "", err
	}
	benches, _ := filepath.Glob(filepath.Join(out, "*.bench"))
	all := append(mds, benches...)
	sort.Strings(all)
	for _, p := range all {
		b.WriteString("\n")
		if strings.HasSuffix(p, ".bench") {
			b.WriteString(benchSection(p))
		} else {
			b.WriteString(strings.TrimSpace(readFile(p)) + "\n")
		}
	}
	return b.String(), nil
}

// machine describes where the run happened.
func machine(ganban, claude string) string {
	cpu := ""
	for _, l := range strings.Split(readFile("/proc/cpuinfo"), "\n") {
		if strings.HasPrefix(l, "model name") {
			cpu = strings.TrimSpace(strings.SplitN(l, ":", 2)[1])
			break
		}
	}
	mem := ""
	for _, l := range strings.Split(readFile("/proc/meminfo"), "\n") {
		if strings.HasPrefix(l, "MemTotal:") {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(l, "MemTotal:")), "%d", &kb)
			mem = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	rows := [][2]string{
		{"CPU", fmt.Sprintf("%s, %d logical CPUs", cpu, runtime.NumCPU())},
		{"memory", mem},
		{"kernel", firstLine(command("uname", "-srmo"))},
		{"Go", runtime.Version()},
		{"ganban", firstLine(command(ganban, "--version"))},
		{"the other agent", firstLine(command(claude, "--version")) + " (`@anthropic-ai/claude-code`, test/conformance)"},
		{"ripgrep", firstLine(command("rg", "--version"))},
		{"Node.js", firstLine(command("node", "--version"))},
	}
	var b strings.Builder
	b.WriteString("| machine | |\n|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s |\n", r[0], r[1])
	}
	return b.String()
}

// benchSection turns `go test -bench` output into a table. Its first line, "# title", and
// any "# " lines after it are the section's heading and text.
func benchSection(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	var head []string
	var rows []string
	var failed []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "# "):
			head = append(head, strings.TrimPrefix(l, "# "))
		case strings.HasPrefix(l, "Benchmark"):
			rows = append(rows, benchRow(l))
		case strings.HasPrefix(l, "FAIL") || strings.HasPrefix(l, "--- FAIL") || strings.Contains(l, "build failed"):
			failed = append(failed, l)
		}
	}
	var b strings.Builder
	if len(head) > 0 {
		fmt.Fprintf(&b, "### %s\n\n", head[0])
		for _, h := range head[1:] {
			b.WriteString(h + "\n")
		}
		b.WriteString("\n")
	}
	if len(rows) == 0 {
		fmt.Fprintf(&b, "No benchmark result (see %s): %s\n", filepath.Base(path), strings.Join(failed, "; "))
		return b.String()
	}
	b.WriteString("| benchmark | time per op | throughput | bytes allocated per op | allocations per op | other |\n|---|---|---|---|---|---|\n")
	for _, r := range rows {
		b.WriteString(r)
	}
	return b.String()
}

func benchRow(line string) string {
	f := strings.Fields(line)
	if len(f) < 4 {
		return ""
	}
	cols := map[string]string{}
	var other []string
	for i := 2; i+1 < len(f); i += 2 {
		v, unit := f[i], f[i+1]
		switch unit {
		case "ns/op":
			var ns float64
			fmt.Sscanf(v, "%g", &ns)
			cols[unit] = fmt.Sprintf("%.2f ms", ns/1e6)
		case "MB/s", "B/op", "allocs/op":
			cols[unit] = v + " " + unit
		default:
			other = append(other, v+" "+unit)
		}
	}
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	return fmt.Sprintf("| `%s` | %s | %s | %s | %s | %s |\n", f[0], dash(cols["ns/op"]), dash(cols["MB/s"]), dash(cols["B/op"]), dash(cols["allocs/op"]), dash(strings.Join(other, ", ")))
}

func replaceSection(readme, text string) error {
	data, err := os.ReadFile(readme)
	if err != nil {
		return err
	}
	s := string(data)
	i, j := strings.Index(s, beginMarker), strings.Index(s, endMarker)
	if i < 0 || j < i {
		return fmt.Errorf("%s has no results markers", readme)
	}
	s = s[:i+len(beginMarker)] + "\n" + text + s[j:]
	return os.WriteFile(readme, []byte(s), 0o644)
}

func command(name string, args ...string) string {
	if name == "" {
		return "not measured"
	}
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return "not available"
	}
	return strings.TrimSpace(string(out))
}

func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }

func readFile(p string) string {
	data, _ := os.ReadFile(p)
	return string(data)
}
