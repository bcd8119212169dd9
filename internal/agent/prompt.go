package agent

import (
	"fmt"
	"strings"
	"time"

	"ganban/internal/memory"
)

// basePrompt is ganban's own instructions: short, because every token of it is sent (and
// cached) with every request.
const basePrompt = `You are ganban, a coding agent working in the user's terminal on their code. You read, search and edit files and run commands with your tools to get the user's task done.

- Be direct and brief; the user reads your answers in a terminal. Use Markdown only where it helps.
- Read a file before editing it, and keep edits minimal and in the file's style. Prefer Edit over rewriting whole files with Write.
- Use Glob and Grep to find code instead of guessing paths. Run independent reads in parallel by calling several tools at once.
- Run the project's tests or build after changes when you can, and report what you ran and what it showed.
- Never invent results. If a command fails or a permission is refused, say so and adapt.
- Keep secrets out of output: do not print credentials or tokens you come across.
- Use TodoWrite to plan and track multi-step work.`

// PromptEnv is what the system prompt says about where the agent runs.
type PromptEnv struct {
	WorkDir, Platform, Model string
	Date                     time.Time
	Memory                   []memory.File
	// GitStatus is a short `git status --short --branch` at start-up, "" outside a repository.
	GitStatus string
	// Override replaces ganban's own instructions (--system-prompt); Append adds to them
	// (--append-system-prompt).
	Override, Append string
}

// SystemPrompt assembles the system prompt: instructions, environment, memory files.
func SystemPrompt(e PromptEnv) string {
	var b strings.Builder
	if e.Override != "" {
		b.WriteString(e.Override)
	} else {
		b.WriteString(basePrompt)
	}
	if e.Append != "" {
		b.WriteString("\n\n" + e.Append)
	}
	fmt.Fprintf(&b, "\n\n<env>\nWorking directory: %s\nPlatform: %s\nToday's date: %s\nModel: %s\n", e.WorkDir, e.Platform, e.Date.Format("2006-01-02"), e.Model)
	if e.GitStatus != "" {
		fmt.Fprintf(&b, "Git status (at session start):\n%s\n", e.GitStatus)
	} else {
		b.WriteString("Is a git repository: no\n")
	}
	b.WriteString("</env>")
	for _, f := range e.Memory {
		fmt.Fprintf(&b, "\n\n<memory path=%q>\n%s\n</memory>", f.Path, strings.TrimSpace(f.Content))
	}
	return b.String()
}
