package permission

import (
	"path"
	"strings"
)

// wrapKind says how a simple command relates to the commands it runs.
type wrapKind int

const (
	// plainCmd runs nothing else the check can see: it is judged by its own text.
	plainCmd wrapKind = iota
	// transparent wrappers (time, nohup, env, xargs, ...) are judged by the command they run.
	transparent
	// privileged wrappers (sudo, doas) run a command as someone else: the inner command is
	// checked against deny and ask rules, but only a rule naming the wrapper allows it.
	privileged
	// shellScript commands (bash -c, eval, watch) run a string as shell code, which is parsed
	// and judged like the command line itself.
	shellScript
	// findExec is find with -exec and friends: find and every command it runs are judged.
	findExec
	// teeWrite is tee with files: it only copies its input into them, so it is judged by
	// those writes.
	teeWrite
)

// unwrapped describes a simple command whose kind is not plainCmd.
type unwrapped struct {
	kind   wrapKind
	inner  []word   // transparent, privileged: the command run
	inners [][]word // findExec: the commands run
	script word     // shellScript: the code
	writes []word   // files the wrapper itself writes (time -o, tee)
	env    []word   // NAME=VALUE words given to env
	chdir  bool     // the wrapper changes directory for the inner command (env -C)
	// opaque, when set, says why the wrapper's arguments cannot be followed; the command is
	// then never allowed without asking.
	opaque string
}

// optSpec describes a command's options: which short options take a value, as the next word
// or attached (-ofile), which take only an attached optional value (xargs -i[R]), and which
// long options take a value.
type optSpec struct {
	short    string
	optional string
	long     []string
}

// skipOptions returns the index of the first operand of args. ok is false if an option word
// is only known at run time, so where the operands start cannot be known either.
func skipOptions(args []word, spec optSpec) (int, bool) {
	for i := 0; i < len(args); i++ {
		w := args[i]
		if w.dynamic {
			return i, false
		}
		a := w.lit
		switch {
		case a == "--":
			return i + 1, true
		case a == "-" || !strings.HasPrefix(a, "-"):
			return i, true
		case strings.HasPrefix(a, "--"):
			name, _, hasVal := strings.Cut(a[2:], "=")
			if !hasVal && contains(spec.long, name) {
				i++ // the value is the next word
			}
		default:
			for j := 1; j < len(a); j++ {
				c := a[j]
				if strings.IndexByte(spec.optional, c) >= 0 {
					break // the rest of the word is the value
				}
				if strings.IndexByte(spec.short, c) >= 0 {
					if j == len(a)-1 {
						i++ // the value is the next word
					}
					break
				}
			}
		}
	}
	return len(args), true
}

// optionValues finds the values of a short or long option among args up to end; used for
// the few options that matter (time -o).
func optionValues(args []word, end int, short byte, long string) []word {
	var vals []word
	for i := 0; i < end && i < len(args); i++ {
		a := args[i].lit
		switch {
		case long != "" && strings.HasPrefix(a, "--"+long+"="):
			vals = append(vals, word{lit: strings.TrimPrefix(a, "--"+long+"="), src: args[i].src})
		case long != "" && a == "--"+long && i+1 < end:
			vals = append(vals, args[i+1])
			i++
		case len(a) >= 2 && a[0] == '-' && a[1] != '-':
			if k := strings.IndexByte(a, short); k > 0 {
				if k < len(a)-1 {
					vals = append(vals, word{lit: a[k+1:], src: args[i].src})
				} else if i+1 < end {
					vals = append(vals, args[i+1])
					i++
				}
			}
		}
	}
	return vals
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// commandName returns the name a command is known by: the last element of its path.
func commandName(w word) string {
	if w.dynamic {
		return ""
	}
	return path.Base(w.lit)
}

// The shells whose -c runs a string.
func isShell(name string) bool {
	switch name {
	case "sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "yash", "posh", "fish", "rbash":
		return true
	}
	return false
}

// unwrap classifies a simple command (ws is not empty).
func unwrap(ws []word) (unwrapped, bool) {
	name, args := commandName(ws[0]), ws[1:]
	fail := func(why string) (unwrapped, bool) {
		return unwrapped{kind: plainCmd, opaque: why}, true
	}
	// through returns the command after the options, if there is one.
	through := func(spec optSpec, operandsBefore int) ([]word, bool, bool) {
		i, ok := skipOptions(args, spec)
		if !ok {
			return nil, false, false
		}
		i += operandsBefore
		if i >= len(args) {
			return nil, true, false
		}
		return args[i:], true, true
	}
	simple := func(spec optSpec, operandsBefore int) (unwrapped, bool) {
		inner, ok, has := through(spec, operandsBefore)
		if !ok {
			return fail("the options of " + name + " are only known when it runs")
		}
		if !has {
			return unwrapped{}, false
		}
		return unwrapped{kind: transparent, inner: inner}, true
	}

	switch name {
	case "nohup", "builtin":
		return simple(optSpec{}, 0)
	case "nice":
		return simple(optSpec{short: "n", long: []string{"adjustment"}}, 0)
	case "timeout":
		return simple(optSpec{short: "sk", long: []string{"signal", "kill-after"}}, 1)
	case "stdbuf":
		return simple(optSpec{short: "ioe", long: []string{"input", "output", "error"}}, 0)
	case "ionice":
		return simple(optSpec{short: "cnpP", long: []string{"class", "classdata", "pid", "pgid", "uid"}}, 0)
	case "setsid", "chronic", "unbuffer":
		return simple(optSpec{}, 0)
	case "exec":
		return simple(optSpec{short: "a"}, 0)
	case "busybox":
		if len(args) > 0 {
			return unwrapped{kind: transparent, inner: args}, true
		}
	case "time":
		spec := optSpec{short: "of", long: []string{"output", "format"}}
		i, ok := skipOptions(args, spec)
		if !ok {
			return fail("the options of time are only known when it runs")
		}
		u := unwrapped{kind: transparent, writes: optionValues(args, i, 'o', "output")}
		if i >= len(args) {
			return unwrapped{}, false
		}
		u.inner = args[i:]
		return u, true
	case "command":
		i, ok := skipOptions(args, optSpec{})
		if !ok {
			return fail("the options of command are only known when it runs")
		}
		for _, a := range args[:i] {
			if strings.ContainsAny(a.lit, "vV") && !strings.HasPrefix(a.lit, "--") {
				return unwrapped{}, false // command -v only looks the name up
			}
		}
		if i >= len(args) {
			return unwrapped{}, false
		}
		return unwrapped{kind: transparent, inner: args[i:]}, true
	case "env":
		return unwrapEnv(args)
	case "xargs":
		spec := optSpec{short: "adEILnPs", optional: "eil",
			long: []string{"arg-file", "delimiter", "max-lines", "max-args", "max-procs", "max-chars", "process-slot-var"}}
		inner, ok, has := through(spec, 0)
		if !ok {
			return fail("the options of xargs are only known when it runs")
		}
		if !has {
			return unwrapped{}, false // xargs alone runs echo
		}
		// The arguments xargs reads are appended, so the inner command never equals a rule
		// written without a wildcard.
		return unwrapped{kind: transparent, inner: append(append([]word(nil), inner...), word{src: stdinSrc, dynamic: true})}, true
	case "sudo", "doas":
		spec := optSpec{short: "CDghprRtTuU", long: []string{"close-from", "chdir", "group", "host", "prompt",
			"role", "type", "command-timeout", "other-user", "user"}}
		if name == "doas" {
			spec = optSpec{short: "uC"}
		}
		inner, _, has := through(spec, 0)
		if !has {
			return unwrapped{}, false
		}
		return unwrapped{kind: privileged, inner: inner}, true
	case "eval":
		if len(args) == 0 {
			return unwrapped{}, false
		}
		return unwrapped{kind: shellScript, script: joinWords(args)}, true
	case "watch":
		spec := optSpec{short: "nq", long: []string{"interval", "differences"}}
		inner, ok, has := through(spec, 0)
		if !ok {
			return fail("the options of watch are only known when it runs")
		}
		if !has {
			return unwrapped{}, false
		}
		return unwrapped{kind: shellScript, script: joinWords(inner)}, true
	case "flock":
		return unwrapFlock(args)
	case "find":
		return unwrapFind(args)
	case "tee":
		i, ok := skipOptions(args, optSpec{})
		if !ok {
			return fail("the options of tee are only known when it runs")
		}
		files := args[i:]
		if len(files) == 0 {
			return unwrapped{}, false
		}
		return unwrapped{kind: teeWrite, writes: files}, true
	}
	if isShell(name) {
		return unwrapShell(name, args)
	}
	return unwrapped{}, false
}

// joinWords joins words as the shell joins eval's arguments: with spaces. The result is dynamic
// if any word is.
func joinWords(ws []word) word {
	out := word{}
	lits, srcs := make([]string, len(ws)), make([]string, len(ws))
	for i, w := range ws {
		lits[i], srcs[i] = w.lit, w.src
		out.dynamic = out.dynamic || w.dynamic
	}
	out.lit, out.src = strings.Join(lits, " "), strings.Join(srcs, " ")
	return out
}

func unwrapEnv(args []word) (unwrapped, bool) {
	u := unwrapped{kind: transparent}
	for i := 0; i < len(args); i++ {
		w := args[i]
		if w.dynamic {
			return unwrapped{kind: plainCmd, opaque: "the arguments of env are only known when it runs"}, true
		}
		a := w.lit
		switch {
		case a == "-" || a == "-i" || a == "--ignore-environment" || a == "-0" || a == "--null" ||
			a == "-v" || a == "--debug":
		case a == "-u" || a == "--unset":
			i++
		case strings.HasPrefix(a, "--unset="), strings.HasPrefix(a, "-u"):
		case a == "-C" || a == "--chdir":
			i++
			u.chdir = true
		case strings.HasPrefix(a, "--chdir="), strings.HasPrefix(a, "-C"):
			u.chdir = true
		case a == "--":
		case strings.HasPrefix(a, "-"):
			// -S splits a string into a command line, and options not known here may do
			// anything.
			return unwrapped{kind: plainCmd, opaque: "env " + a + " is not understood by the permission check"}, true
		case strings.Contains(a, "=") && isName(a[:strings.IndexByte(a, '=')]):
			u.env = append(u.env, w)
		default:
			u.inner = args[i:]
			return u, true
		}
	}
	if len(u.env) > 0 || u.chdir {
		return unwrapped{kind: plainCmd}, true // env FOO=1 alone prints the environment
	}
	return unwrapped{}, false
}

func unwrapFlock(args []word) (unwrapped, bool) {
	spec := optSpec{short: "wEc", long: []string{"wait", "timeout", "conflict-exit-code", "command"}}
	i, ok := skipOptions(args, spec)
	if !ok {
		return unwrapped{kind: plainCmd, opaque: "the options of flock are only known when it runs"}, true
	}
	if vals := optionValues(args, i, 'c', "command"); len(vals) > 0 {
		return unwrapped{kind: shellScript, script: vals[0]}, true
	}
	if i+1 >= len(args) {
		return unwrapped{}, false // flock on a descriptor, or nothing to run
	}
	rest := args[i+1:]
	if !rest[0].dynamic && (rest[0].lit == "-c" || rest[0].lit == "--command") {
		if len(rest) < 2 {
			return unwrapped{}, false
		}
		return unwrapped{kind: shellScript, script: rest[1]}, true
	}
	return unwrapped{kind: transparent, inner: rest}, true
}

func unwrapFind(args []word) (unwrapped, bool) {
	u := unwrapped{kind: findExec}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a.dynamic {
			continue
		}
		switch a.lit {
		case "-exec", "-execdir", "-ok", "-okdir":
		default:
			continue
		}
		j := i + 1
		for j < len(args) && (args[j].dynamic || args[j].lit != ";" && args[j].lit != "+") {
			j++
		}
		if j >= len(args) {
			return unwrapped{kind: plainCmd, opaque: "find " + a.lit + " has no closing ';' or '+'"}, true
		}
		if j == i+1 {
			return unwrapped{kind: plainCmd, opaque: "find " + a.lit + " names no command"}, true
		}
		u.inners = append(u.inners, args[i+1:j])
		i = j
	}
	if len(u.inners) == 0 {
		return unwrapped{}, false
	}
	return u, true
}

func unwrapShell(name string, args []word) (unwrapped, bool) {
	hasC := false
	i := 0
	for ; i < len(args); i++ {
		w := args[i]
		if w.dynamic {
			return unwrapped{kind: plainCmd, opaque: "the options of " + name + " are only known when it runs"}, true
		}
		a := w.lit
		if a == "--" || a == "-" {
			i++
			break
		}
		if !strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "+") {
			break
		}
		switch a {
		case "-o", "+o", "-O", "+O", "--rcfile", "--init-file":
			i++
			continue
		}
		if strings.HasPrefix(a, "--") {
			if a == "--command" { // fish
				hasC = true
			}
			continue
		}
		if strings.HasPrefix(a, "-") && strings.ContainsRune(a, 'c') {
			hasC = true
		}
	}
	if !hasC {
		return unwrapped{}, false // a script file or standard input: judged by its own text
	}
	if i >= len(args) {
		return unwrapped{kind: plainCmd, opaque: name + " -c has no command string"}, true
	}
	return unwrapped{kind: shellScript, script: args[i]}, true
}

// isName reports whether s is a valid shell variable name.
func isName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9' {
			continue
		}
		return false
	}
	return true
}

// riskyEnvName reports whether setting a variable of this name for a command can make it run
// other code than the command line says: the search path, preloaded libraries, shell start-up
// files, interpreter options, git's and npm's hooks into other programs. A command with such
// an assignment in front is never allowed by a rule for the command alone.
func riskyEnvName(name string) bool {
	u := strings.ToUpper(name)
	switch u {
	case "PATH", "ENV", "BASH_ENV", "IFS", "PS4", "SHELLOPTS", "BASHOPTS", "PROMPT_COMMAND", "GLOBIGNORE",
		"HOME", "SHELL", "EDITOR", "VISUAL", "PAGER", "CC", "CXX", "LD", "AR", "GOFLAGS", "RUSTC",
		"RUSTC_WRAPPER", "CARGO_BUILD_RUSTC_WRAPPER", "LESSOPEN", "LESSCLOSE", "TERMINFO", "PYTHONSTARTUP",
		"PYTHONHOME", "PYTHONINSPECT", "PERL5DB", "BROWSER", "XDG_CONFIG_HOME", "PROMPT_COMMAND_ARRAY":
		return true
	}
	for _, prefix := range []string{"LD_", "DYLD_", "BASH_FUNC_", "GIT_", "NPM_CONFIG_", "YARN_", "PNPM_", "SSH_", "SUDO_"} {
		if strings.HasPrefix(u, prefix) {
			return true
		}
	}
	for _, suffix := range []string{"PATH", "_OPTIONS", "_OPTS", "OPT", "LIB", "_COMMAND", "ASKPASS", "EDITOR",
		"PAGER", "_WRAPPER", "FLAGS", "_HOOK", "_HOOKS", "_PRELOAD", "_SHELL"} {
		if strings.HasSuffix(u, suffix) {
			return true
		}
	}
	return false
}
