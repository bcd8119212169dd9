package tools

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	"ganban/internal/tools/udiff"
)

type editInput struct {
	FilePath   string `json:"file_path" description:"The absolute path to the file to modify"`
	OldString  string `json:"old_string" description:"The text to replace"`
	NewString  string `json:"new_string" description:"The text to replace it with (must be different from old_string)"`
	ReplaceAll bool   `json:"replace_all,omitempty" description:"Replace all occurrences of old_string (default false)" default:"false"`
}

const editDescription = `Performs an exact string replacement in a file.

Usage:
- Read the file with the Read tool at least once in the conversation before editing it; an edit of a file that was not read, or that changed since it was read, is refused.
- old_string must match the file exactly, including indentation (tabs or spaces) and line breaks. When copying from Read's output, take only the text after the line-number prefix (spaces, the number, a tab); never include any part of that prefix.
- The edit fails if old_string occurs more than once: add surrounding lines to make it unique, or set replace_all to change every occurrence (useful for renaming a variable throughout a file).
- new_string must differ from old_string.
- With an empty old_string and a path that does not exist yet, the file is created with new_string as its content.
- Line endings, the encoding (UTF-8, or UTF-16 with a byte order mark) and a byte order mark are kept: write "\n" even in a CRLF file.
- Prefer editing existing files to writing new ones. Do not add emojis unless the user asked for them.`

// EditTool returns the Edit tool.
func EditTool() Tool {
	return New("Edit", editDescription, false, editTarget, runEdit)
}

func editTarget(in editInput, env *Env) (Target, error) {
	p, _, err := planEdits("Edit", env, in.FilePath, []editOp{{in.OldString, in.NewString, in.ReplaceAll}})
	if err != nil {
		return Target{}, err
	}
	return editTargetOf(p), nil
}

func editTargetOf(p filePlan) Target {
	verb := "Edit"
	if !p.exists {
		verb = "Create"
	}
	return Target{Kind: TargetWrite, Path: p.path, Summary: verb + " " + p.shown, Preview: p.diff}
}

// planEdits applies ops in order to the file's content in memory. Any failing op fails the
// whole plan, so nothing is written unless every edit applies. A missing file may be created
// by a first op with an empty old_string.
func planEdits(tool string, env *Env, filePath string, ops []editOp) (filePlan, []applied, error) {
	if filePath == "" {
		return filePlan{}, nil, fmt.Errorf("%s: file_path is required", tool)
	}
	p := filePlan{path: env.abs(filePath)}
	p.shown = env.display(p.path)
	data, exists, err := loadForChange(env, p.path, p.shown)
	if err != nil {
		return filePlan{}, nil, err
	}
	if !exists && ops[0].OldString != "" {
		msg := missingFileMessage(p.path, fs.ErrNotExist)
		return filePlan{}, nil, fmt.Errorf("%s To create it, use an empty old_string, or the Write tool", msg)
	}
	if exists && looksBinary(data) {
		return filePlan{}, nil, fmt.Errorf("%s is a binary file and cannot be edited", p.path)
	}
	p.exists = exists
	tf, err := decodeText(data)
	if err != nil {
		return filePlan{}, nil, fmt.Errorf("%s %v, so it cannot be edited safely; change it with a command through Bash", p.path, err)
	}
	content := tf.content
	done := make([]applied, 0, len(ops))
	for i, op := range ops {
		a, err := applyEdit(content, op)
		if err != nil {
			return filePlan{}, nil, editFailed(tool, i, len(ops), err)
		}
		content = a.content
		done = append(done, a)
	}
	p.oldText, p.newText, p.newData = tf.content, content, tf.encode(content)
	p.diff = fileDiff(p.shown, p.oldText, p.newText, exists)
	return p, done, nil
}

func editFailed(tool string, i, n int, err error) error {
	msg := strings.TrimSuffix(err.Error(), ".")
	if n == 1 {
		return fmt.Errorf("%s failed: %s.", tool, msg)
	}
	return fmt.Errorf("%s failed on edit %d of %d (edits are numbered from 1): %s. No edits were applied.", tool, i+1, n, msg)
}

func runEdit(ctx context.Context, env *Env, in editInput) Result {
	p, done, err := planEdits("Edit", env, in.FilePath, []editOp{{in.OldString, in.NewString, in.ReplaceAll}})
	if err != nil {
		return errorResult(err.Error())
	}
	if err := p.commit(env); err != nil {
		return errorResult(err.Error())
	}
	a := done[0]
	added, removed := udiff.Stat(p.oldText, p.newText)
	var msg strings.Builder
	switch {
	case !p.exists:
		fmt.Fprintf(&msg, "File created successfully at: %s\n", p.path)
	case in.ReplaceAll && a.count > 1:
		fmt.Fprintf(&msg, "The file %s has been updated: all %d occurrences were replaced. Here's the result of running `cat -n` on a snippet around the first one:\n", p.path, a.count)
	default:
		fmt.Fprintf(&msg, "The file %s has been updated. Here's the result of running `cat -n` on a snippet of the edited file:\n", p.path)
	}
	if p.exists {
		msg.WriteString(editSnippet(p.newText, a))
	}
	return Result{
		Content: textResult(msg.String(), "").Content,
		Summary: fmt.Sprintf("Edited %s (+%d -%d)", p.shown, added, removed),
		Diff:    p.diff,
	}
}

// editSnippet shows the lines around the first replacement, at most a screenful.
func editSnippet(content string, a applied) string {
	from := lineOf(content, a.first)
	end := a.first + len(a.new)
	if strings.HasSuffix(a.new, "\n") {
		end--
	}
	to := max(lineOf(content, end), from)
	to = min(to, from+40)
	return snippet(content, from, to, 4)
}
