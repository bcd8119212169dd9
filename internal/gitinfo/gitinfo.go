// Package gitinfo reads what the session's system prompt and transcript say about the
// working directory's repository: a short `git status` and the branch. It runs git once, in
// the background from start-up, so that the subprocess overlaps the rest of start-up instead
// of delaying the first request.
package gitinfo

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// Info is the repository state at start-up.
type Info struct {
	done   chan struct{}
	status string
	branch string
}

const (
	timeout  = 2 * time.Second
	maxLines = 40
)

// Start begins reading the state of dir's repository.
func Start(dir string) *Info {
	i := &Info{done: make(chan struct{})}
	go func() {
		defer close(i.done)
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, "git", "status", "--short", "--branch")
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			return
		}
		i.status, i.branch = parse(string(out))
	}()
	return i
}

// Wait returns the short status ("" outside a repository) and the branch ("" when detached
// or unknown). A nil Info knows nothing.
func (i *Info) Wait() (status, branch string) {
	if i == nil {
		return "", ""
	}
	<-i.done
	return i.status, i.branch
}

// parse cuts the status to a readable size and reads the branch from its "## " header:
// "## main...origin/main [ahead 1]", "## No commits yet on main", "## HEAD (no branch)".
func parse(out string) (status, branch string) {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) > 0 && strings.HasPrefix(lines[0], "## ") {
		head := strings.TrimPrefix(lines[0], "## ")
		switch {
		case strings.HasPrefix(head, "No commits yet on "):
			branch = strings.TrimPrefix(head, "No commits yet on ")
		case strings.HasPrefix(head, "HEAD (no branch)"):
		default:
			branch, _, _ = strings.Cut(head, "...")
			branch, _, _ = strings.Cut(branch, " ")
		}
	}
	if len(lines) > maxLines {
		lines = append(lines[:maxLines], fmt.Sprintf("... and %d more", len(lines)-maxLines))
	}
	return strings.Join(lines, "\n"), branch
}
