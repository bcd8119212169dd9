package gen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// TreeStats says what Tree wrote.
type TreeStats struct {
	Files, Dirs, Ignored, Hidden, Binary int
	Bytes                                int64
}

// lang is one kind of source file in the tree, with lines to draw its body from. "#N" in a
// line is replaced by a number, so files differ.
type lang struct {
	ext   string
	share int // out of 100
	head  string
	lines []string
}

var langs = []lang{
	{".go", 30, "package mod#N\n\nimport (\n\t\"errors\"\n\t\"fmt\"\n)\n\n", []string{
		"func handle#N(w io.Writer, n int) error {",
		"\tif n < 0 {\n\t\treturn fmt.Errorf(\"negative count %d\", n)\n\t}",
		"\tfor i := 0; i < n; i++ { total += i * #N }",
		"// retry with exponential backoff, at most #N times",
		"\treturn errors.New(\"not implemented #N\")\n}",
		"type Record#N struct { ID string; Size int64 }",
		"var defaultLimit#N = 100",
		"func (r *Record#N) Validate() error { return nil }",
	}},
	{"_test.go", 8, "package mod#N\n\nimport \"testing\"\n\n", []string{
		"func TestCase#N(t *testing.T) {",
		"\tif got := compute(#N); got != want {\n\t\tt.Fatalf(\"got %v\", got)\n\t}",
		"\tt.Run(\"case #N\", func(t *testing.T) {})\n}",
	}},
	{".ts", 16, "import { api } from './api';\n\n", []string{
		"export function load#N(id: string): Promise<Item> {",
		"  const res = await api.get(`/items/${id}?v=#N`);",
		"  return res.data as Item;\n}",
		"export const LIMIT_#N = 50;",
		"// TODO: cache item #N responses",
		"export default class Store#N {}",
	}},
	{".tsx", 8, "import React, { useState } from 'react';\n\n", []string{
		"export function Panel#N({ title }: Props) {",
		"  const [open, setOpen] = useState(false); // #N",
		"  return <div className=\"panel-#N\">{title}</div>;\n}",
	}},
	{".js", 10, "'use strict';\n\n", []string{
		"function render#N(state) {",
		"  const [value, setValue] = useState(#N);",
		"  return document.querySelector('#item-#N');\n}",
		"module.exports = { render#N };",
	}},
	{".py", 14, "import os\nimport sys\nimport json\n\n", []string{
		"def process_#N(items):",
		"    for item in items:\n        yield item * #N",
		"class Worker#N(object):\n    pass",
		"# released 2021-04-#N, see CHANGELOG",
		"LIMIT_#N = 100",
	}},
	{".md", 8, "# Notes\n\n", []string{
		"Section #N describes the configuration of the service.",
		"The old flag is Deprecated since version #N; use the new one.",
		"- item #N of the list",
		"Last reviewed 2023-11-#N by the team.",
	}},
	{".json", 6, "{\n", []string{
		"  \"key#N\": \"value\",",
		"  \"count#N\": 12,",
	}},
}

// Tree writes a source tree of exactly files files under root: mostly code in eight
// languages, plus what real repositories have and a search must skip: a .gitignore'd
// node_modules, hidden directories, binary files. A few needles are planted at fixed
// rates so that rare and common patterns both have matches.
func Tree(root string, files int, seed uint64) (TreeStats, error) {
	rng := rand.New(rand.NewPCG(seed, seed^0xabcdef))
	var st TreeStats
	if err := os.MkdirAll(root, 0o755); err != nil {
		return st, err
	}
	if err := os.WriteFile(filepath.Join(root, ".gitignore"), []byte("node_modules/\n*.log\nbuild/\n"), 0o644); err != nil {
		return st, err
	}
	st.Files++
	const perDir = 100
	made := map[string]bool{}
	for i := 1; i < files; i++ {
		d := i / perDir
		var dir string
		switch {
		case d%40 == 39:
			dir = fmt.Sprintf("node_modules/pkg%d/lib", d) // ignored
			st.Ignored++
		case d%50 == 7:
			dir = fmt.Sprintf(".cache/c%d", d) // hidden
			st.Hidden++
		case d%3 == 0:
			dir = fmt.Sprintf("src/app%d/components/part%d", d%17, d)
		case d%3 == 1:
			dir = fmt.Sprintf("pkg/mod%d/internal/sub%d", d%23, d)
		default:
			dir = fmt.Sprintf("lib/area%d/part%d", d%11, d)
		}
		if !made[dir] {
			if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
				return st, err
			}
			made[dir] = true
			st.Dirs++
		}
		name, body := fileBody(rng, i)
		if strings.HasSuffix(name, ".png") {
			st.Binary++
		}
		if err := os.WriteFile(filepath.Join(root, dir, name), body, 0o644); err != nil {
			return st, err
		}
		st.Files++
		st.Bytes += int64(len(body))
	}
	return st, nil
}

// Needle rates, per file: rare enough that a search for them is all walking and scanning.
const (
	rareEvery    = 997 // ErrConnectionReset
	todoPerfRate = 50  // TODO(perf)
	readmeEvery  = 500
	binaryEvery  = 211
)

func fileBody(rng *rand.Rand, i int) (string, []byte) {
	if i%binaryEvery == 0 {
		b := make([]byte, 512+rng.IntN(2048))
		for k := range b {
			b[k] = byte(rng.IntN(256))
		}
		b[10] = 0
		return fmt.Sprintf("image%d.png", i), b
	}
	if i%readmeEvery == 0 {
		return "README.md", []byte(fmt.Sprintf("# Module %d\n\nSee the docs. Deprecated APIs are listed below.\n", i))
	}
	pick := rng.IntN(100)
	l := langs[0]
	for _, c := range langs {
		if pick < c.share {
			l = c
			break
		}
		pick -= c.share
	}
	var b strings.Builder
	b.WriteString(strings.ReplaceAll(l.head, "#N", fmt.Sprint(i%97)))
	n := 25 + rng.IntN(60)
	for k := 0; k < n; k++ {
		line := l.lines[rng.IntN(len(l.lines))]
		b.WriteString(strings.ReplaceAll(line, "#N", fmt.Sprint((i*31+k)%19+10)))
		b.WriteByte('\n')
	}
	if i%rareEvery == 0 {
		b.WriteString("// ErrConnectionReset is returned when the peer hangs up.\n")
	}
	if i%todoPerfRate == 0 {
		b.WriteString("// TODO(perf): avoid the copy here\n")
	}
	if i%301 == 0 && l.ext == ".go" {
		b.WriteString("func uploadHandler(w http.ResponseWriter, r *http.Request) {}\n")
	}
	return fmt.Sprintf("file%d%s", i, l.ext), []byte(b.String())
}
