package tools

import (
	"context"
	"fmt"
	"strings"

	"ganban/internal/tools/udiff"
)

type multiEditInput struct {
	FilePath string   `json:"file_path" description:"The absolute path to the file to modify"`
	Edits    []editOp `json:"edits" description:"Array of edit operations to perform sequentially on the file" minItems:"1"`
}

const multiEditDescription = `Makes several exact string replacements in one file in a single operation. It works like the Edit tool, applied repeatedly; prefer it to several Edit calls on the same file.

Before using it, Read the file (required for an existing file) so you know its exact contents.

Each edit has old_string, new_string and optionally replace_all, with the same rules as Edit:
- old_string must match the file exactly, including whitespace and indentation, and be unique unless replace_all is true.
- new_string must differ from old_string.

How the edits apply:
- In the order given, each one on the result of the previous ones: make sure an earlier edit does not change the text a later one looks for.
- All or nothing: if any edit fails, none is applied and the error names the failing edit.

To create a new file, use a path that does not exist and a first edit with an empty old_string and the whole content as new_string; later edits then apply to that content.

Use absolute paths. Keep the code correct and idiomatic after the edits. Do not add emojis unless the user asked for them.`

// MultiEditTool returns the MultiEdit tool.
func MultiEditTool() Tool {
	return New("MultiEdit", multiEditDescription, false, multiEditTarget, runMultiEdit)
}

func multiEditTarget(in multiEditInput, env *Env) (Target, error) {
	p, _, err := planEdits("MultiEdit", env, in.FilePath, in.Edits)
	if err != nil {
		return Target{}, err
	}
	return editTargetOf(p), nil
}

func runMultiEdit(ctx context.Context, env *Env, in multiEditInput) Result {
	p, done, err := planEdits("MultiEdit", env, in.FilePath, in.Edits)
	if err != nil {
		return errorResult(err.Error())
	}
	if err := p.commit(env); err != nil {
		return errorResult(err.Error())
	}
	added, removed := udiff.Stat(p.oldText, p.newText)
	var msg strings.Builder
	if p.exists {
		fmt.Fprintf(&msg, "Applied %d edits to %s:\n", len(done), p.path)
	} else {
		fmt.Fprintf(&msg, "Created %s and applied %d edits:\n", p.path, len(done))
	}
	for i, a := range done {
		what := "Replaced"
		if a.count > 1 {
			what = fmt.Sprintf("Replaced %d occurrences of", a.count)
		}
		fmt.Fprintf(&msg, "%d. %s %s with %s\n", i+1, what, brief(in.Edits[i].OldString), brief(in.Edits[i].NewString))
	}
	if p.exists {
		msg.WriteString("Here's the result of running `cat -n` on snippets of the edited file:\n")
		msg.WriteString(changeSnippet(p.oldText, p.newText))
	}
	return Result{
		Content: textResult(msg.String(), "").Content,
		Summary: fmt.Sprintf("Edited %s: %d edits (+%d -%d)", p.shown, len(done), added, removed),
		Diff:    p.diff,
	}
}

// brief quotes the start of s for a one-line report.
func brief(s string) string {
	const n = 60
	short := strings.ReplaceAll(s, "\n", "\\n")
	if len(short) > n {
		short = truncateUTF8(short, n) + "..."
	}
	return `"` + short + `"`
}
