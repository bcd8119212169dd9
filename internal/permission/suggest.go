package permission

import (
	"net/url"
	"path"
	"path/filepath"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// Suggest returns the rule "always allow" would add for a call:
//
//	Bash      the command name and up to two subcommand words, as a prefix: "npm run test -- -v"
//	          gives Bash(npm run test:*), "git diff HEAD~1" gives Bash(git diff:*); the exact
//	          command for destructive commands (rm, sudo, ...), shell strings and what does not
//	          parse
//	files     the file's directory: Edit(src/**) for src/a.go when the path is relative,
//	          Edit(//abs/dir/**) when it is absolute; Read(...) for the read tools, whose search
//	          roots stand for themselves
//	WebFetch  WebFetch(domain:host)
//	others    the tool's name
//
// Checker.Suggest does the same with absolute paths made relative to the working directory
// (or ~); for a compound command it suggests a rule for the first part not yet allowed, and
// when every part is allowed, an Edit rule for a file the command writes.
func Suggest(r Request) Rule {
	switch kindOf(&r) {
	case Command:
		return bashRule(suggestBash(r.Command))
	case Read, Write:
		return suggestPath(r, "", "")
	case Fetch:
		if u, err := url.Parse(r.URL); err == nil && u.Hostname() != "" && r.Tool == "WebFetch" {
			return newRule(r.Tool, "domain:"+strings.ToLower(u.Hostname()))
		}
	}
	return newRule(r.Tool, "")
}

// Suggest is the package's Suggest with paths inside the working directory written relative
// to it, paths under home written with ~, and, for Bash, the first part of the command that
// no allow rule covers yet.
func (c *Checker) Suggest(r Request) Rule {
	switch kindOf(&r) {
	case Command:
		s := c.snapshot()
		j := &judge{s: s, c: c, src: r.Command}
		if err := j.script(strings.TrimSpace(r.Command), 0); err == nil && len(j.opaque) == 0 {
			for _, u := range j.units {
				if !u.allowed && u.words != nil {
					return bashRule(suggestWords(u.words, u.text))
				}
			}
			// Every command is allowed: what still asks is a file it writes.
			for _, w := range j.writes {
				target, known := j.writePath(w.w)
				if w.strict && known && j.writeDecision(w, "").Behavior == Ask {
					return suggestPath(Request{Tool: "Write", Path: target}, c.env.workDir, c.env.home)
				}
			}
		}
		return Suggest(r)
	case Read, Write:
		lexical, ok := c.env.abs(r.Path)
		if !ok {
			return Suggest(r)
		}
		r.Path = lexical
		return suggestPath(r, c.env.workDir, c.env.home)
	}
	return Suggest(r)
}

// suggestPath builds a Read or Edit rule for the directory of r.Path. Absolute paths under
// workDir become relative rules and those under home ~ rules, when these are given.
func suggestPath(r Request, workDir, home string) Rule {
	tool := "Edit"
	if kindOf(&r) == Read {
		tool = "Read"
	}
	p := filepath.ToSlash(r.Path)
	dir := p
	switch r.Tool {
	case "Glob", "Grep", "LS":
		// a search root is a directory already
	default:
		dir = path.Dir(p)
	}
	if p == "" {
		dir = "."
	}
	dir = path.Clean(dir)
	var spec string
	if !path.IsAbs(dir) {
		spec = relSpec(dir)
	} else if rel, ok := relUnder(workDir, dir); workDir != "" && ok {
		spec = relSpec(rel)
	} else if rel, ok := relUnder(home, dir); home != "" && ok {
		spec = strings.TrimSuffix("~/"+rel, "/") + "/**"
	} else if dir == "/" {
		spec = "//**"
	} else {
		spec = "/" + dir + "/**"
	}
	return newRule(tool, escapeGlob(spec))
}

func relSpec(dir string) string {
	if dir == "." || dir == "" {
		return "./**"
	}
	dir = strings.TrimPrefix(dir, "./")
	if strings.HasPrefix(dir, "../") || dir == ".." {
		return "./" + dir + "/**"
	}
	return dir + "/**"
}

// escapeGlob escapes glob characters in the literal part of a suggested path pattern (all
// but its trailing /**).
func escapeGlob(spec string) string {
	lit, ok := strings.CutSuffix(spec, "/**")
	if !ok {
		return spec
	}
	var b strings.Builder
	for _, c := range lit {
		if strings.ContainsRune(globMeta+"]}", c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String() + "/**"
}

func newRule(tool, spec string) Rule {
	r := Rule{Tool: tool, Specifier: spec}
	r.Raw = r.String()
	return r
}

func bashRule(spec string) Rule { return newRule("Bash", spec) }

// subcommandWord reports whether a word reads as a subcommand ("run", "test:unit") rather
// than an argument (a flag, a path, a revision).
func subcommandWord(s string) bool {
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}

// suggestBash returns the specifier suggested for a command line: built from its first
// simple command, or the whole line when it does not parse.
func suggestBash(cmd string) string {
	cmd = strings.TrimSpace(cmd)
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(cmd), "")
	if err != nil {
		return exactSpec(cmd)
	}
	var ws []word
	syntax.Walk(f, func(n syntax.Node) bool {
		if ws != nil {
			return false
		}
		if ce, ok := n.(*syntax.CallExpr); ok && len(ce.Args) > 0 {
			ws = make([]word, len(ce.Args))
			for i, a := range ce.Args {
				ws[i] = convWord(a, cmd)
			}
			return false
		}
		return true
	})
	if ws == nil {
		return exactSpec(cmd)
	}
	if strings.Count(cmd, "\n") == 0 && len(f.Stmts) == 1 {
		return suggestWords(ws, cmd)
	}
	return suggestWords(ws, render(ws))
}

// suggestWords returns the specifier for one simple command; text is its exact form.
func suggestWords(ws []word, text string) string {
	for {
		u, ok := unwrap(ws)
		if !ok || u.opaque != "" || u.kind != transparent {
			break
		}
		ws = u.inner
		text = render(ws)
		if len(ws) > 0 && ws[len(ws)-1].src == stdinSrc {
			ws = ws[:len(ws)-1]
			text = render(ws)
		}
	}
	if len(ws) == 0 || ws[0].dynamic || ws[0].pattern || ws[0].tilde {
		return exactSpec(text)
	}
	name := commandName(ws[0])
	if destructive(name) || isShell(name) || name == "eval" {
		return exactSpec(text)
	}
	prefix := []string{ws[0].lit}
	for _, w := range ws[1:] {
		if len(prefix) == 3 || w.dynamic || !subcommandWord(w.lit) {
			break
		}
		prefix = append(prefix, w.lit)
	}
	return strings.Join(prefix, " ") + ":*"
}

// exactSpec makes a specifier that matches exactly s: its stars are escaped, which also keeps
// a trailing ":*" from reading as a prefix rule.
func exactSpec(s string) string {
	return strings.ReplaceAll(s, "*", `\*`)
}

// destructive commands get an exact rule: a prefix rule for them would allow too much.
func destructive(name string) bool {
	switch name {
	case "rm", "rmdir", "dd", "mkfs", "shred", "truncate", "chmod", "chown", "chgrp", "kill", "killall",
		"pkill", "sudo", "doas", "su", "reboot", "shutdown", "halt", "poweroff", "systemctl", "crontab",
		"curl", "wget", "ssh", "scp", "rsync", "git-push":
		return true
	}
	return false
}
