package tools

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Bash limits: Claude Code's defaults, which the model plans around.
const (
	defaultBashTimeout = 2 * time.Minute
	maxBashTimeout     = 10 * time.Minute
	maxBashOutput      = 30000
)

type bashInput struct {
	Command         string `json:"command" description:"The command to execute"`
	Timeout         *int   `json:"timeout,omitempty" description:"Optional timeout in milliseconds (max 600000)" minimum:"1" maximum:"600000"`
	Description     string `json:"description,omitempty" description:"Clear, concise description of what this command does in 5-10 words, in active voice"`
	RunInBackground bool   `json:"run_in_background,omitempty" description:"Set to true to run this command in the background; its output goes to a log file you can read later"`
}

const bashDescription = `Executes a bash command in a persistent shell session, with an optional timeout.

The working directory and exported environment variables persist between calls: after "cd dir" the next command runs in dir, and "export NAME=value" stays set. Shell functions, aliases and unexported variables do not persist.

Before running a command:
- If it creates files or directories, check first (with LS) that the parent directory exists and is the right one.
- Quote paths that contain spaces with double quotes, e.g. cd "/path/with spaces".

Usage notes:
- command is required. timeout is in milliseconds, at most 600000 (10 minutes); the default is 120000 (2 minutes). When it passes, the command and every process it started are killed.
- Write a short description of what the command does, e.g. "List files in current directory" or "Install package dependencies".
- Output (stdout and stderr together) longer than 30000 characters is cut in the middle: the start and the end are kept.
- Standard input is empty, so interactive commands fail or wait for nothing: pass flags that make them non-interactive (e.g. git commit -m, never git rebase -i or git add -i).
- run_in_background starts the command and returns at once with a log file and a process group id; read the log with Read, stop it with kill. Use it for servers and other long-running processes; no "&" is needed. Background commands are stopped when the session ends.
- Prefer the dedicated tools to shell equivalents: Glob instead of find, Grep instead of grep or rg, Read instead of cat, head or tail, Edit instead of sed or awk, Write instead of echo or heredoc redirection, LS instead of ls. Use Bash for real commands: builds, tests, git, package managers.
- Separate several commands with ";" or "&&" (when each depends on the previous one succeeding), not with newlines. Independent commands can be separate Bash calls in one response.
- Prefer absolute paths to cd, so the working directory stays where the user expects.

Git: only commit when the user asks. Never change git config, force-push, skip hooks or run destructive commands (reset --hard, clean -f) unless the user explicitly asks. Pass commit messages with a heredoc, e.g. git commit -m "$(cat <<'EOF'
message
EOF
)".`

// BashTool returns the Bash tool.
func BashTool() Tool {
	return New("Bash", bashDescription, false, bashTarget, runBash)
}

func bashTarget(in bashInput, env *Env) (Target, error) {
	if strings.TrimSpace(in.Command) == "" {
		return Target{}, errors.New("Bash: command is required and must not be empty")
	}
	summary := in.Description
	if summary == "" {
		summary = firstLine(in.Command)
		if strings.Contains(in.Command, "\n") {
			summary += " ..."
		}
	}
	dir := env.WorkDir
	if env.Shell != nil {
		dir = env.Shell.Cwd()
	}
	return Target{Kind: TargetCommand, Command: in.Command, Path: dir, Summary: "Bash: " + summary, Preview: in.Command}, nil
}

func runBash(ctx context.Context, env *Env, in bashInput) Result {
	if _, err := bashTarget(in, env); err != nil {
		return errorResult(err.Error())
	}
	if env.Shell == nil {
		return errorResult("Bash is not available in this session (no shell).")
	}
	if in.RunInBackground {
		pgid, log, err := env.Shell.Background(in.Command)
		if err != nil {
			return errorResult("Cannot start the command: " + err.Error())
		}
		return textResult(fmt.Sprintf("Command started in the background as process group %d.\nIts output (stdout and stderr) goes to %s: read it with the Read tool or `tail`.\nStop it with: kill -- -%d\nIt is stopped when the session ends. Directory changes and exports made by a background command do not persist.", pgid, log, pgid),
			fmt.Sprintf("Started in background (pgid %d)", pgid))
	}
	timeout := defaultBashTimeout
	if in.Timeout != nil {
		timeout = time.Duration(*in.Timeout) * time.Millisecond
	}
	start := time.Now()
	r, err := env.Shell.Run(ctx, in.Command, timeout)
	if err != nil {
		return errorResult("Cannot run the command: " + err.Error())
	}
	elapsed := time.Since(start).Round(time.Millisecond)
	out := strings.TrimRight(r.Output, "\n")
	var notes []string
	if r.Note != "" {
		notes = append(notes, r.Note)
	}
	res := Result{}
	switch {
	case r.TimedOut:
		notes = append(notes, fmt.Sprintf("Command timed out after %s and was killed, with every process it started. Use a longer timeout (at most 600000 ms) or run_in_background for long-running commands.", timeout))
		res.IsError, res.Summary = true, fmt.Sprintf("Timed out after %s", timeout)
	case r.Interrupted:
		notes = append(notes, "Command was interrupted and killed, with every process it started.")
		res.IsError, res.Summary = true, "Interrupted"
	case r.ExitCode != 0:
		if r.ExitCode < 0 {
			notes = append(notes, "Command was killed by a signal.")
		} else {
			notes = append(notes, fmt.Sprintf("Exit code %d", r.ExitCode))
		}
		res.IsError, res.Summary = true, fmt.Sprintf("Exit code %d (%s)", r.ExitCode, elapsed)
	default:
		res.Summary = fmt.Sprintf("Done (%s)", elapsed)
	}
	text := out
	if text == "" && len(notes) == 0 {
		text = "(Command completed with no output)"
	}
	if len(notes) > 0 {
		if text != "" {
			text += "\n"
		}
		text += strings.Join(notes, "\n")
	}
	res.Content = textResult(text, "").Content
	return res
}
