// Package slash loads custom slash commands: Markdown files under .claude/commands/ in the
// project and under ~/.claude/commands/ (CLAUDE_CONFIG_DIR/commands) for the user, in the
// layout Claude Code uses, so that teams can share the commands they already wrote. A file
// review.md is the command /review; a file in a subdirectory, frontend/test.md, is
// /frontend:test. The file's text is the prompt, with $ARGUMENTS replaced by what follows the
// command. An optional front matter block gives a description and an argument hint.
package slash

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Command is one custom command.
type Command struct {
	Name, Description, ArgumentHint string
	// Scope is "project" or "user"; Path is the file.
	Scope, Path string
	Body        string
}

// maxFile bounds a command file: a prompt, not a document.
const maxFile = 256 << 10

// Load reads the project's and the user's commands. A project command hides a user command
// of the same name. Unreadable files are skipped.
func Load(projectDir, userDir string) []Command {
	seen := map[string]bool{}
	var out []Command
	for _, src := range []struct{ dir, scope string }{{projectDir, "project"}, {userDir, "user"}} {
		if src.dir == "" {
			continue
		}
		for _, c := range loadDir(src.dir, src.scope) {
			if !seen[c.Name] {
				seen[c.Name] = true
				out = append(out, c)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func loadDir(dir, scope string) []Command {
	var out []Command
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return nil
		}
		info, err := d.Info()
		if err != nil || info.Size() > maxFile {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		name := strings.ReplaceAll(filepath.ToSlash(strings.TrimSuffix(rel, ".md")), "/", ":")
		c := Parse(name, string(data))
		c.Scope, c.Path = scope, p
		out = append(out, c)
		return nil
	})
	return out
}

// Parse reads a command file's front matter (description, argument-hint) and body.
func Parse(name, text string) Command {
	c := Command{Name: name}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if rest, ok := strings.CutPrefix(text, "---\n"); ok {
		if fm, body, ok := strings.Cut(rest, "\n---"); ok {
			for _, line := range strings.Split(fm, "\n") {
				k, v, ok := strings.Cut(line, ":")
				if !ok {
					continue
				}
				v = strings.Trim(strings.TrimSpace(v), `"'`)
				switch strings.TrimSpace(k) {
				case "description":
					c.Description = v
				case "argument-hint":
					c.ArgumentHint = v
				}
			}
			text = strings.TrimPrefix(body, "\n")
		}
	}
	c.Body = strings.TrimSpace(text)
	if c.Description == "" {
		first, _, _ := strings.Cut(c.Body, "\n")
		first = strings.TrimSpace(strings.TrimLeft(first, "# "))
		if len(first) > 60 {
			first = first[:57] + "..."
		}
		c.Description = first
	}
	return c
}

// Expand returns the prompt for args: $ARGUMENTS is replaced by them; a command that does
// not mention $ARGUMENTS gets them appended, so nothing typed is lost.
func (c Command) Expand(args string) string {
	args = strings.TrimSpace(args)
	if strings.Contains(c.Body, "$ARGUMENTS") {
		return strings.ReplaceAll(c.Body, "$ARGUMENTS", args)
	}
	if args == "" {
		return c.Body
	}
	return c.Body + "\n\n" + args
}
