package permission

import "strings"

// readOnly reports whether a simple command, given by its literal words, only looks at
// things: plan mode lets such commands through to the usual rules and denies all others.
// The list is deliberately short; a command missing from it is denied in plan mode, which is
// the safe mistake. Output redirections are judged separately, as writes.
func readOnly(args []string) bool {
	if len(args) == 0 {
		return true // an assignment only changes the shell's own variables
	}
	name, rest := args[0], args[1:]
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	switch name {
	case "ls", "pwd", "cat", "head", "tail", "wc", "echo", "printf", "grep", "egrep", "fgrep", "which",
		"type", "stat", "du", "df", "basename", "dirname", "realpath", "readlink", "true", "false", ":",
		"whoami", "id", "uname", "cut", "tr", "nl", "od", "hexdump", "cmp", "comm", "diff", "jq", "test",
		"[", "sleep", "seq", "cd", "pushd", "popd", "dirs", "md5sum", "sha1sum", "sha256sum", "sha512sum",
		"column", "fold", "rev", "tac", "paste", "join", "strings", "printenv", "locale", "nproc",
		"arch", "tty", "groups", "wait", "hash":
		return true
	case "file":
		return !hasFlag(rest, "-C", "--compile")
	case "env":
		return len(rest) == 0
	case "date":
		return !hasFlagPrefix(rest, "-s", "--set")
	case "hostname":
		return len(rest) == 0
	case "tree":
		return !hasFlag(rest, "-o")
	case "rg":
		return !hasFlagPrefix(rest, "--pre")
	case "fd", "fdfind":
		return !hasFlagPrefix(rest, "-x", "-X", "--exec", "--exec-batch")
	case "find":
		for _, a := range rest {
			switch a {
			case "-delete", "-exec", "-execdir", "-ok", "-okdir", "-fprint", "-fprint0", "-fprintf", "-fls":
				return false
			}
		}
		return true
	case "sort":
		return !hasFlagPrefix(rest, "-o", "--output", "--compress-program")
	case "uniq", "xxd":
		return !hasFlagPrefix(rest, "-r") && countOperands(rest) <= 1
	case "base64":
		return !hasFlagPrefix(rest, "-o", "--output")
	case "git":
		return gitReadOnly(rest)
	case "go":
		return len(rest) > 0 && (rest[0] == "version" || rest[0] == "list" || rest[0] == "doc" ||
			rest[0] == "env" && !hasFlagPrefix(rest[1:], "-w", "-u"))
	}
	return false
}

// gitReadOnly accepts the git subcommands that only report, without options that write files
// or run a pager or other programs. Options before the subcommand (-c, -C, --git-dir, ...) are
// refused: -c can set any command git runs.
func gitReadOnly(args []string) bool {
	if len(args) == 0 {
		return false
	}
	sub, rest := args[0], args[1:]
	if hasFlagPrefix(rest, "--output", "-O", "--open-files-in-pager", "--ext-diff", "--textconv") {
		return false
	}
	switch sub {
	case "status", "log", "diff", "show", "rev-parse", "ls-files", "ls-tree", "blame", "describe",
		"shortlog", "grep", "cat-file", "rev-list", "merge-base", "show-ref", "reflog", "whatchanged":
		return sub != "reflog" || len(rest) == 0 || rest[0] == "show" || strings.HasPrefix(rest[0], "-")
	case "branch", "tag":
		// Listing only: with an operand they create something.
		return countOperands(rest) == 0 && !hasFlagPrefix(rest, "-d", "-D", "-m", "-M", "-c", "-C", "--delete",
			"--move", "--copy", "--set-upstream-to", "-u", "--unset-upstream", "--edit-description", "-f", "--force")
	case "remote":
		return len(rest) == 0 || len(rest) == 1 && (rest[0] == "-v" || rest[0] == "--verbose")
	case "config":
		return hasFlagPrefix(rest, "--get", "--list", "-l", "--get-all", "--get-regexp") &&
			!hasFlagPrefix(rest, "--add", "--unset", "--replace-all", "--rename-section", "--remove-section", "-e", "--edit")
	case "stash":
		return len(rest) > 0 && (rest[0] == "list" || rest[0] == "show")
	case "worktree":
		return len(rest) > 0 && rest[0] == "list"
	}
	return false
}

func hasFlag(args []string, flags ...string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		for _, f := range flags {
			if a == f {
				return true
			}
		}
	}
	return false
}

// hasFlagPrefix reports whether an option starts with one of the prefixes, which catches
// "--output=x" and "-ofile" as well as "--output".
func hasFlagPrefix(args []string, prefixes ...string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		for _, p := range prefixes {
			if strings.HasPrefix(a, p) {
				return true
			}
			// A cluster of short flags: -ro is -r -o.
			if len(p) == 2 && p[0] == '-' && !strings.HasPrefix(a, "--") && strings.IndexByte(a[1:], p[1]) >= 0 {
				return true
			}
		}
	}
	return false
}

func countOperands(args []string) int {
	n := 0
	for i, a := range args {
		if a == "--" {
			return n + len(args) - i - 1
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			n++
		}
	}
	return n
}
