package tools

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"ganban/internal/tools/udiff"
)

type writeInput struct {
	FilePath string `json:"file_path" description:"The absolute path to the file to write (must be absolute, not relative)"`
	Content  string `json:"content" description:"The content to write to the file"`
}

const writeDescription = `Writes a file to the local filesystem, creating it or replacing its contents.

Usage:
- If the file exists, it is overwritten. An existing file must have been read with the Read tool in this conversation, and must not have changed since; otherwise the write is refused and you must Read it first.
- Missing parent directories are created.
- The file keeps its line endings (a CRLF file stays CRLF), its encoding (UTF-8, or UTF-16 with a byte order mark), its byte order mark and its permissions.
- Prefer editing existing files with Edit or MultiEdit: they send only the change. Use Write for new files or complete rewrites.
- Never create documentation files (*.md, README) unless the user asked for them.
- Do not add emojis to files unless the user asked for them.`

// WriteTool returns the Write tool.
func WriteTool() Tool {
	return New("Write", writeDescription, false, writeTarget, runWrite)
}

// filePlan is a file change worked out in memory, before anything is written.
type filePlan struct {
	path, shown string
	exists      bool
	oldText     string // without BOM
	newText     string // without BOM
	newData     []byte // what goes to disk
	diff        string
}

func writeTarget(in writeInput, env *Env) (Target, error) {
	p, err := planWrite(in, env)
	if err != nil {
		return Target{}, err
	}
	verb := "Write"
	if !p.exists {
		verb = "Create"
	}
	return Target{Kind: TargetWrite, Path: p.path, Summary: verb + " " + p.shown, Preview: p.diff}, nil
}

// loadForChange reads the file a write or edit is about to change. It returns exists=false
// for a missing file, and an error for the model when the file is not one it may change.
func loadForChange(env *Env, path, shown string) (data []byte, exists bool, err error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("cannot access %s: %v", path, err)
	}
	if info.IsDir() {
		return nil, false, fmt.Errorf("%s is a directory, not a file", path)
	}
	if !info.Mode().IsRegular() {
		return nil, false, fmt.Errorf("%s is not a regular file", path)
	}
	data, err = os.ReadFile(path)
	if err != nil {
		return nil, false, fmt.Errorf("cannot read %s: %v", path, err)
	}
	if err := env.Files.checkFresh(path, shown, data); err != nil {
		return nil, true, err
	}
	return data, true, nil
}

func planWrite(in writeInput, env *Env) (filePlan, error) {
	if in.FilePath == "" {
		return filePlan{}, errors.New("Write: file_path is required")
	}
	p := filePlan{path: env.abs(in.FilePath)}
	p.shown = env.display(p.path)
	old, exists, err := loadForChange(env, p.path, p.shown)
	if err != nil {
		return filePlan{}, err
	}
	p.exists = exists
	// A file that is not valid text in its own encoding is replaced as UTF-8: the model is
	// rewriting it whole, so nothing of the old bytes is kept by mistake.
	tf, _ := decodeText(old)
	content := in.Content
	if tf.bom {
		content = strings.TrimPrefix(content, utf8BOM)
	}
	if usesCRLF(tf.content) && !strings.Contains(content, "\r\n") {
		content = toCRLF(content)
	}
	p.oldText, p.newText, p.newData = tf.content, content, tf.encode(content)
	p.diff = fileDiff(p.shown, p.oldText, p.newText, exists)
	return p, nil
}

// fileDiff is the unified diff of a change to the file shown as name.
func fileDiff(name, old, new string, exists bool) string {
	from := "a/" + name
	if !exists {
		from = "/dev/null"
	}
	return udiff.Unified(from, "b/"+name, old, new, 3)
}

// commit writes a planned change and records the new content as read, so the model can go on
// editing what it just wrote without reading it again.
func (p filePlan) commit(env *Env) error {
	if err := writeFilePreserving(p.path, p.newData); err != nil {
		return fmt.Errorf("cannot write %s: %v", p.path, err)
	}
	info, err := os.Stat(p.path)
	if err != nil {
		return fmt.Errorf("cannot stat %s after writing: %v", p.path, err)
	}
	env.Files.recordData(p.path, p.newData, info.ModTime(), false)
	return nil
}

func runWrite(ctx context.Context, env *Env, in writeInput) Result {
	p, err := planWrite(in, env)
	if err != nil {
		return errorResult(err.Error())
	}
	if err := p.commit(env); err != nil {
		return errorResult(err.Error())
	}
	added, removed := udiff.Stat(p.oldText, p.newText)
	lines := strings.Count(p.newText, "\n")
	if p.newText != "" && !strings.HasSuffix(p.newText, "\n") {
		lines++
	}
	var res Result
	if !p.exists {
		res = textResult(fmt.Sprintf("File created successfully at: %s (%d lines)", p.path, lines), fmt.Sprintf("Created %s (%d lines)", p.shown, lines))
	} else if p.oldText == p.newText {
		res = textResult(fmt.Sprintf("The file %s already had this content; nothing changed.", p.path), "Unchanged "+p.shown)
	} else {
		res = textResult(fmt.Sprintf("The file %s has been updated (%d lines added, %d removed; now %d lines). Here's the result of running `cat -n` on a snippet of the edited file:\n%s",
			p.path, added, removed, lines, changeSnippet(p.oldText, p.newText)), fmt.Sprintf("Wrote %s (+%d -%d)", p.shown, added, removed))
	}
	res.Diff = p.diff
	return res
}
