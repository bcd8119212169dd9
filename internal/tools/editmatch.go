package tools

import (
	"fmt"
	"regexp"
	"strings"
)

// editOp is one exact-string replacement, as Edit and MultiEdit receive it.
type editOp struct {
	OldString  string `json:"old_string" description:"The exact text to replace, including whitespace and indentation"`
	NewString  string `json:"new_string" description:"The text to put in its place (must differ from old_string)"`
	ReplaceAll bool   `json:"replace_all,omitempty" description:"Replace every occurrence of old_string instead of requiring it to be unique" default:"false"`
}

// applied describes a successful replacement.
type applied struct {
	content string // the new content
	count   int    // occurrences replaced
	// old and new are the strings actually used: the model's, or their CRLF forms when the
	// file has CRLF line endings and the model wrote "\n".
	old, new string
	// first is the byte offset of the first replacement in the new content.
	first int
}

// lineNumberPrefix matches the `cat -n` prefix Read puts before each line, which models
// sometimes copy into old_string.
var lineNumberPrefix = regexp.MustCompile(`(?m)^ *\d+\t`)

// applyEdit replaces op.OldString in content. It fails with a message for the model when the
// text is absent, ambiguous, or the edit would change nothing. An empty OldString is only
// valid on empty content (creating or filling an empty file).
func applyEdit(content string, op editOp) (applied, error) {
	if op.OldString == op.NewString {
		return applied{}, fmt.Errorf("old_string and new_string are identical, so the edit would change nothing. If the file is already as intended, no edit is needed")
	}
	if op.OldString == "" {
		if content != "" {
			return applied{}, fmt.Errorf("old_string is empty but the file is not. To change the file, give the exact text to replace; to replace all of it, use the Write tool")
		}
		return applied{content: op.NewString, count: 1, new: op.NewString}, nil
	}
	old, new := op.OldString, op.NewString
	n := strings.Count(content, old)
	// The model writes "\n"; in a CRLF file the same text has "\r\n". Lines the edit adds
	// get the file's line ending too, unless old_string matched LF lines as written.
	switch {
	case n == 0 && strings.Contains(content, "\r\n") && strings.Contains(old, "\n"):
		if o := toCRLF(old); strings.Contains(content, o) {
			old, new = o, toCRLF(new)
			n = strings.Count(content, old)
		}
	case n > 0 && !strings.Contains(old, "\n") && usesCRLF(content):
		new = toCRLF(new)
	}
	switch {
	case n == 0:
		return applied{}, notFoundError(content, op.OldString)
	case old == new:
		return applied{}, fmt.Errorf("old_string and new_string differ only in line endings, and the file's line endings are kept, so the edit would change nothing")
	case n > 1 && !op.ReplaceAll:
		return applied{}, fmt.Errorf("old_string occurs %d times in the file (at lines %s). Include more surrounding lines to make it unique, or set replace_all to true to change every occurrence.", n, occurrenceLines(content, old, 10))
	}
	i := strings.Index(content, old)
	var out string
	if op.ReplaceAll {
		out = strings.ReplaceAll(content, old, new)
	} else {
		out = content[:i] + new + content[i+len(old):]
	}
	return applied{content: out, count: n, old: old, new: new, first: i}, nil
}

// notFoundError explains a missing old_string and points at the likely cause.
func notFoundError(content, old string) error {
	msg := "old_string was not found in the file. It must match the file exactly, including whitespace, indentation and line breaks"
	if lineNumberPrefix.MatchString(old) && !lineNumberPrefix.MatchString(content) {
		msg += ". It seems to include the line-number prefix from Read's output (spaces, number, tab): leave that out and copy only the text after the tab."
		return fmt.Errorf("%s", msg)
	}
	// Point at lines that match once whitespace is ignored: a common near miss.
	first := strings.TrimSpace(strings.SplitN(strings.TrimLeft(old, "\r\n"), "\n", 2)[0])
	if first != "" {
		var at []string
		for i, l := range strings.Split(content, "\n") {
			if strings.Contains(strings.Join(strings.Fields(l), " "), strings.Join(strings.Fields(first), " ")) {
				at = append(at, fmt.Sprint(i+1))
				if len(at) == 5 {
					break
				}
			}
		}
		if len(at) > 0 {
			msg += fmt.Sprintf(". Its first line resembles line(s) %s: Read those lines again and copy them exactly", strings.Join(at, ", "))
		}
	}
	return fmt.Errorf("%s.", msg)
}

// occurrenceLines lists the line numbers where s occurs in content, at most limit of them.
func occurrenceLines(content, s string, limit int) string {
	var at []string
	off := 0
	for len(at) < limit {
		i := strings.Index(content[off:], s)
		if i < 0 {
			break
		}
		at = append(at, fmt.Sprint(lineOf(content, off+i)))
		off += i + len(s)
	}
	if strings.Count(content[off:], s) > 0 {
		at = append(at, "...")
	}
	return strings.Join(at, ", ")
}
