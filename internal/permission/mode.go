package permission

import (
	"fmt"
	"strings"
)

// Mode is a permission mode, spelled as in Claude Code's defaultMode setting and its
// --permission-mode flag.
type Mode string

// The permission modes.
const (
	// Default reads inside the working directories without asking and asks before anything
	// else that no allow rule covers.
	Default Mode = "default"
	// AcceptEdits also changes files inside the working directories without asking, and runs
	// mkdir, touch, mv and cp there.
	AcceptEdits Mode = "acceptEdits"
	// Plan is read-only: writes, commands that are not read-only and fetches are denied.
	Plan Mode = "plan"
	// BypassPermissions allows everything that no deny or ask rule stops.
	BypassPermissions Mode = "bypassPermissions"
	// DontAsk denies whatever Default would ask about: only allow rules and reads inside the
	// working directories pass. It suits unattended runs.
	DontAsk Mode = "dontAsk"
)

// Modes lists every mode ParseMode accepts, in the order Claude Code documents them.
func Modes() []Mode {
	return []Mode{Default, AcceptEdits, Plan, DontAsk, BypassPermissions}
}

// Valid reports whether m is one of the modes ParseMode accepts.
func (m Mode) Valid() bool {
	for _, v := range Modes() {
		if m == v {
			return true
		}
	}
	return false
}

// ParseMode returns the mode named s. An empty s is Default, so an unset defaultMode needs no
// special case at the caller.
func ParseMode(s string) (Mode, error) {
	if s == "" {
		return Default, nil
	}
	if m := Mode(s); m.Valid() {
		return m, nil
	}
	for _, m := range Modes() {
		if strings.EqualFold(s, string(m)) {
			return "", fmt.Errorf("unknown permission mode %q: did you mean %q?", s, m)
		}
	}
	if s == "auto" {
		return "", fmt.Errorf("permission mode %q is not supported: use one of %s", s, modeList())
	}
	return "", fmt.Errorf("unknown permission mode %q: use one of %s", s, modeList())
}

func modeList() string {
	modes := Modes()
	names := make([]string, len(modes))
	for i, m := range modes {
		names[i] = string(m)
	}
	return strings.Join(names, ", ")
}

// Behavior is the answer for one tool call.
type Behavior int

// The answers, from the most to the least permissive.
const (
	Allow Behavior = iota
	Ask
	Deny
)

func (b Behavior) String() string {
	switch b {
	case Allow:
		return "allow"
	case Ask:
		return "ask"
	case Deny:
		return "deny"
	}
	return fmt.Sprintf("Behavior(%d)", int(b))
}

// Kind says what a tool call does, which decides the mode's default and which rules apply.
type Kind int

// The kinds of tool calls. The zero Kind is unknown: Check then goes by the tool's name, and
// treats a tool it does not know as Other, so a forgotten Kind never reads as harmless.
const (
	_ Kind = iota
	// Read reads files: Read, Glob, Grep, LS, NotebookRead. Request.Path is the file or the
	// search root.
	Read
	// Write edits or creates files: Write, Edit, MultiEdit, NotebookEdit.
	Write
	// Command runs a shell command: Bash. Request.Command is the command line.
	Command
	// Fetch reaches the network: WebFetch (Request.URL), WebSearch.
	Fetch
	// Other is everything else: MCP tools, agents, skills, the to-do list.
	Other
)

func (k Kind) String() string {
	switch k {
	case Read:
		return "read"
	case Write:
		return "write"
	case Command:
		return "command"
	case Fetch:
		return "fetch"
	case Other:
		return "other"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}
