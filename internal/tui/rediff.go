package tui

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"ganban/internal/tools/udiff"
)

// A transcript keeps what the model asked of Write, Edit and MultiEdit (old and new strings,
// the content written) and what the tool answered (for Edit, a numbered snippet of the file
// after the change), not the diff that was shown. resumedEdit rebuilds that diff, so a
// resumed session shows its edits as they were.

// editCall is the input of Write, Edit and MultiEdit.
type editCall struct {
	FilePath   string     `json:"file_path"`
	Content    string     `json:"content"`
	OldString  string     `json:"old_string"`
	NewString  string     `json:"new_string"`
	ReplaceAll bool       `json:"replace_all"`
	Edits      []editPair `json:"edits"`
}

type editPair struct {
	OldString  string `json:"old_string"`
	NewString  string `json:"new_string"`
	ReplaceAll bool   `json:"replace_all"`
}

// resumedEdit returns the diff and result line of a successful edit from its input and
// the tool's answer; ok is false for other tools, and for a Write over an existing file,
// whose old content the transcript does not have.
func resumedEdit(name string, input json.RawMessage, output, workDir string) (diff, summary string, ok bool) {
	var in editCall
	if json.Unmarshal(input, &in) != nil || in.FilePath == "" {
		return "", "", false
	}
	shown := relPath(in.FilePath, workDir)
	created := strings.HasPrefix(output, "File created successfully") || strings.HasPrefix(output, "Created ")
	switch name {
	case "Write":
		if !created {
			return "", "", false
		}
		diff = udiff.Unified("/dev/null", "b/"+shown, "", in.Content, 3)
		return diff, fmt.Sprintf("Created %s (%d lines)", shown, strings.Count(strings.TrimSuffix(in.Content, "\n"), "\n")+1), true
	case "Edit":
		pair := editPair{in.OldString, in.NewString, in.ReplaceAll}
		switch {
		case created:
			diff = udiff.Unified("/dev/null", "b/"+shown, "", in.NewString, 3)
		default:
			diff = snippetDiff(output, pair, shown)
			if diff == "" {
				diff = pairsDiff([]editPair{pair}, shown)
			}
		}
		added, removed := diffStat(diff)
		return diff, fmt.Sprintf("Edited %s (+%d -%d)", shown, added, removed), true
	case "MultiEdit":
		diff = pairsDiff(in.Edits, shown)
		added, removed := diffStat(diff)
		return diff, fmt.Sprintf("Edited %s: %d edits (+%d -%d)", shown, len(in.Edits), added, removed), true
	}
	return "", "", false
}

// snippetLine is one line of the numbered snippet Edit answers with: "    12\tcode".
var snippetLine = regexp.MustCompile(`^ *(\d+)\t(.*)$`)

// snippetDiff rebuilds an Edit's diff from the numbered snippet of the file after the edit:
// putting the old string back gives the lines before it, and the numbers place the hunk in
// the file. It returns "" when the snippet does not hold the whole new string.
func snippetDiff(output string, p editPair, shown string) string {
	var lines []string
	first := 0
	for _, l := range strings.Split(output, "\n") {
		m := snippetLine.FindStringSubmatch(l)
		if m == nil {
			if first > 0 {
				break
			}
			continue
		}
		if first == 0 {
			first, _ = strconv.Atoi(m[1])
		}
		lines = append(lines, m[2])
	}
	after := strings.Join(lines, "\n") + "\n"
	if first == 0 || p.NewString == "" || !strings.Contains(after, p.NewString) {
		return ""
	}
	n := 1
	if p.ReplaceAll {
		n = -1
	}
	before := strings.Replace(after, p.NewString, p.OldString, n)
	return shiftHunks(udiff.Unified("a/"+shown, "b/"+shown, before, after, 3), first-1)
}

var hunkHeader = regexp.MustCompile(`^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@`)

// shiftHunks moves the hunks of a diff of a file's excerpt to where the excerpt starts.
func shiftHunks(diff string, by int) string {
	lines := strings.Split(diff, "\n")
	for i, l := range lines {
		m := hunkHeader.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[3])
		lines[i] = fmt.Sprintf("@@ -%d%s +%d%s @@", a+by, m[2], b+by, m[4]) + l[len(m[0]):]
	}
	return strings.Join(lines, "\n")
}

// pairsDiff shows each replacement as a hunk of its own when nothing places it in the
// file: the hunks carry no line numbers rather than wrong ones.
func pairsDiff(pairs []editPair, shown string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "--- a/%s\n+++ b/%s\n", shown, shown)
	for _, p := range pairs {
		d := udiff.Unified("a", "b", withNewline(p.OldString), withNewline(p.NewString), 3)
		for _, l := range strings.Split(strings.TrimSuffix(d, "\n"), "\n") {
			switch {
			case strings.HasPrefix(l, "--- "), strings.HasPrefix(l, "+++ "):
			case strings.HasPrefix(l, "@@"):
				b.WriteString("@@\n")
			default:
				b.WriteString(l + "\n")
			}
		}
	}
	return b.String()
}

func withNewline(s string) string {
	if s == "" || strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

// diffStat counts the added and removed lines of a unified diff.
func diffStat(diff string) (added, removed int) {
	for _, l := range strings.Split(diff, "\n") {
		switch {
		case strings.HasPrefix(l, "+++ "), strings.HasPrefix(l, "--- "):
		case strings.HasPrefix(l, "+"):
			added++
		case strings.HasPrefix(l, "-"):
			removed++
		}
	}
	return added, removed
}
