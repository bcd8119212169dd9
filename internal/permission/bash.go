package permission

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// Limits that keep a hostile command line from costing more than a prompt would.
const (
	// maxCommandLen is the longest command line analysed; longer ones always ask.
	maxCommandLen = 64 << 10
	// maxDepth bounds nested shell strings (bash -c "bash -c '...'") and eval.
	maxDepth = 8
	// maxWrappers bounds wrapper commands around one command (time nohup nice ...).
	maxWrappers = 16
)

// unit is one simple command, as judged.
type unit struct {
	text     string // as rendered for rules and messages
	words    []word // nil for assignments and test clauses
	allowed  bool
	rule     *compiledRule // the allow rule, if one matched
	readOnly bool
	note     string // why it cannot be allowed by a rule for it, if that is the case
}

// write is a file a command writes.
type write struct {
	w word
	// strict writes (redirections, tee, and the files of mkdir/touch/mv/cp allowed only by
	// acceptEdits) are judged like an Edit of the file; the others only against deny and
	// ask rules.
	strict bool
}

type ruleHit struct {
	rule *compiledRule
	text string
}

// judge walks one command line.
type judge struct {
	s   *snapshot
	c   *Checker
	src string // the whole command line, for messages

	deny, ask  *ruleHit
	units      []unit
	opaque     []string // reasons the command can never be allowed without asking
	writes     []write
	changesDir bool
}

func (c *Checker) checkBash(s *snapshot, r *Request) Decision {
	cmd := strings.TrimSpace(r.Command)
	what := fmt.Sprintf("Bash with command %s", quoteShort(cmd))
	if cmd == "" {
		return Decision{Behavior: Ask, Reason: "Permission to use Bash needs approval: the command is empty."}
	}
	isBash := func(cr *compiledRule) bool { return toolMatches(cr.Tool, r) }
	wholeText := func(cr *compiledRule) bool {
		return isBash(cr) && (cr.Specifier == "" || cr.bash != nil && cr.bash.match(cmd))
	}
	if rule := first(s.deny, wholeText); rule != nil {
		return deniedBy(rule, what)
	}

	j := &judge{s: s, c: c, src: cmd}
	var parseErr error
	if len(cmd) > maxCommandLen {
		parseErr = fmt.Errorf("the command is longer than %d bytes", maxCommandLen)
	} else {
		parseErr = j.script(cmd, 0)
	}
	if j.deny != nil {
		return partDecision(deniedBy(j.deny.rule, what), j.deny.text, cmd)
	}

	// Writes: deny rules first, and remember what the others would say.
	var writeAsk *Decision
	strictWrites := 0
	for _, w := range j.writes {
		if w.strict {
			strictWrites++
		}
		d := j.writeDecision(w, what)
		switch {
		case d.Behavior == Deny:
			return d
		case d.Behavior == Ask && writeAsk == nil && (w.strict || d.Rule != nil):
			writeAsk = &d
		}
	}

	if s.mode == Plan {
		if parseErr != nil || len(j.opaque) > 0 {
			return planDenied(what + " (it cannot be shown to be read-only)")
		}
		if strictWrites > 0 {
			return planDenied(what)
		}
		for _, u := range j.units {
			if !u.readOnly {
				return planDenied(what)
			}
		}
	}

	if j.ask != nil {
		return partDecision(askedBy(j.ask.rule, what), j.ask.text, cmd)
	}
	if rule := first(s.ask, wholeText); rule != nil {
		return askedBy(rule, what)
	}
	if writeAsk != nil && (writeAsk.Rule != nil || writeAsk.Hint != "") {
		// An ask rule on a file the command writes, or a file outside the working
		// directories: both ask in every mode.
		return *writeAsk
	}
	if s.mode == BypassPermissions {
		return bypassed()
	}

	// A rule for every command, or one naming this exact command line, covers all of it.
	whole := s.firstAllow(func(cr *compiledRule) bool {
		return isBash(cr) && (cr.Specifier == "" || cr.bash != nil && !cr.bash.wildcard() && cr.bash.match(cmd))
	})
	var decided *compiledRule
	if whole != nil {
		decided = whole
	} else {
		if parseErr != nil {
			return Decision{Behavior: Ask, Reason: fmt.Sprintf("Permission to use %s needs approval: %v, so it cannot be checked against the allow rules.", what, parseErr)}
		}
		if len(j.opaque) > 0 {
			return Decision{Behavior: Ask, Reason: fmt.Sprintf("Permission to use %s needs approval: %s.", what, j.opaque[0])}
		}
		if len(j.units) == 0 {
			return Decision{Behavior: Ask, Reason: fmt.Sprintf("Permission to use %s needs approval: it holds no command to check.", what)}
		}
		var missing []unit
		for _, u := range j.units {
			if !u.allowed {
				missing = append(missing, u)
			} else if decided == nil {
				decided = u.rule
			}
		}
		if len(missing) > 0 {
			return Decision{Behavior: Ask, Reason: missingReason(what, missing, len(j.units) > 1)}
		}
	}
	if writeAsk != nil {
		return *writeAsk
	}
	if decided == nil {
		// Every unit was allowed by acceptEdits alone.
		return Decision{Behavior: Allow, Reason: "Allowed: acceptEdits mode accepts file commands inside the working directories."}
	}
	return allowedBy(decided)
}

// maxQuoted is how much of a command a message quotes.
const maxQuoted = 200

// quoteShort quotes a command for a message, cutting it short if it is long.
func quoteShort(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + fmt.Sprintf(" (and %d more bytes)", len(s)-cut)
}

// partDecision says which part of a command line a rule matched, when it is not the whole.
func partDecision(d Decision, part, whole string) Decision {
	if part != whole {
		d.Reason = strings.TrimSuffix(d.Reason, ".") + fmt.Sprintf(" (it matches the part %s).", quoteShort(part))
	}
	return d
}

func missingReason(what string, missing []unit, compound bool) string {
	u := missing[0]
	var b strings.Builder
	fmt.Fprintf(&b, "Permission to use %s needs approval: ", what)
	if u.note != "" {
		fmt.Fprintf(&b, "%s %s", quoteShort(u.text), u.note)
	} else {
		fmt.Fprintf(&b, "no allow rule covers %s", quoteShort(u.text))
	}
	switch n := len(missing) - 1; n {
	case 0:
	case 1:
		fmt.Fprintf(&b, ", nor %s", quoteShort(missing[1].text))
	default:
		fmt.Fprintf(&b, " (nor %d other parts of it)", n)
	}
	b.WriteString(".")
	if compound {
		b.WriteString(" Every command in a pipeline or list needs its own allow rule.")
	}
	return b.String()
}

// writeDecision judges one file a command writes.
func (j *judge) writeDecision(w write, what string) Decision {
	target, known := j.writePath(w.w)
	if !known {
		if !w.strict || j.s.mode == BypassPermissions {
			return Decision{Behavior: Allow}
		}
		return Decision{Behavior: Ask, Reason: fmt.Sprintf("Permission to use %s needs approval: it writes to %s, a file whose name is only known when it runs.", what, w.w.src)}
	}
	if harmlessSink(target) {
		return Decision{Behavior: Allow}
	}
	req := &Request{Tool: "Write", Kind: Write, Path: target}
	d := j.c.pathDecision(j.s, req, Write, fmt.Sprintf("%s, which writes to %s,", what, target))
	if !w.strict && (d.Rule == nil || d.Behavior == Allow) {
		// Not a redirection: only deny and ask rules on the file count.
		return Decision{Behavior: Allow}
	}
	return d
}

// writePath returns the absolute file a write goes to, if it can be known before running.
func (j *judge) writePath(w word) (string, bool) {
	if w.dynamic || w.pattern && strings.Contains(w.lit, "..") {
		return "", false
	}
	// A glob stays in the directory it is written in, so the pattern itself can stand for
	// the files it expands to.
	p := w.lit
	if w.tilde {
		if p != "~" && !strings.HasPrefix(p, "~/") {
			return "", false // ~user
		}
		if j.c.env.home == "" {
			return "", false
		}
		return path.Join(j.c.env.home, p[1:]), true
	}
	if !path.IsAbs(p) && j.changesDir {
		return "", false // after cd, a relative name may be anywhere
	}
	abs, ok := j.c.env.abs(p)
	return abs, ok
}

// script parses and judges a command line or a shell string inside it.
func (j *judge) script(src string, depth int) error {
	if depth > maxDepth {
		j.opaque = append(j.opaque, "it nests shell strings too deeply to check")
		return nil
	}
	parser := syntax.NewParser(syntax.Variant(syntax.LangBash))
	f, err := parser.Parse(strings.NewReader(src), "")
	if err != nil {
		if depth == 0 {
			return fmt.Errorf("it does not parse as a shell command (%v)", err)
		}
		j.opaque = append(j.opaque, fmt.Sprintf("it runs a shell string that does not parse (%v)", err))
		return nil
	}
	before := len(j.units)
	defer func() {
		if depth > 0 && len(j.units) == before {
			j.opaque = append(j.opaque, fmt.Sprintf("it runs a shell string with no command in it (%s)", quoteShort(src)))
		}
	}()
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Stmt:
			j.redirects(n.Redirs, src)
			if n.Cmd == nil {
				// Only redirections (> file, <<EOF): matched by its text like a command.
				j.other(source(n, src))
			}
		case *syntax.CallExpr:
			j.call(n, src, depth)
		case *syntax.DeclClause:
			j.decl(n, src)
		case *syntax.FuncDecl:
			name := "without a name"
			if n.Name != nil {
				name = n.Name.Value
			}
			j.opaque = append(j.opaque, fmt.Sprintf("it defines a shell function (%s), which could stand in for an allowed command", name))
		case *syntax.TestDecl:
			j.opaque = append(j.opaque, "it declares a test function")
		case *syntax.TestClause, *syntax.ArithmCmd, *syntax.LetClause:
			j.other(source(n, src))
		}
		return true
	})
	return nil
}

// redirects records the files a statement's redirections write.
func (j *judge) redirects(rs []*syntax.Redirect, src string) {
	for _, r := range rs {
		switch r.Op {
		case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.AppClob, syntax.RdrAll, syntax.RdrAllClob,
			syntax.AppAll, syntax.AppAllClob, syntax.RdrInOut:
		case syntax.DplOut:
			// >&2 and >&- duplicate or close; >&file writes the file.
			if lit := r.Word.Lit(); lit == "-" || isDigits(strings.TrimSuffix(lit, "-")) {
				continue
			}
		default:
			continue
		}
		w := convWord(r.Word, src)
		if !w.dynamic && !w.tilde && harmlessSink(w.lit) {
			continue
		}
		j.writes = append(j.writes, write{w: w, strict: true})
	}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// harmlessSink reports whether writing to p changes no file.
func harmlessSink(p string) bool {
	switch p {
	case "/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty":
		return true
	}
	fd, ok := strings.CutPrefix(p, "/dev/fd/")
	return ok && isDigits(fd)
}

// texts returns the strings a command is matched against: the words rendered by value, the
// words as written, and any extras. denyOnly adds the forms that only deny and ask rules
// see: the command name without its directory (/bin/rm is rm).
func texts(ws []word, extras ...string) (all, denyOnly []string) {
	all = append([]string{render(ws), renderSource(ws)}, extras...)
	if len(ws) > 0 && !ws[0].dynamic && strings.Contains(ws[0].lit, "/") {
		short := append([]word{{lit: path.Base(ws[0].lit), src: path.Base(ws[0].lit)}}, ws[1:]...)
		denyOnly = append(denyOnly, render(short), renderSource(short))
	}
	return all, denyOnly
}

// check records the first deny and ask rules matching any of the texts.
func (j *judge) check(all, denyOnly []string) {
	match := func(cr *compiledRule) bool {
		if cr.Tool != "Bash" {
			return false
		}
		if cr.Specifier == "" {
			return true
		}
		if cr.bash == nil {
			return false
		}
		for _, t := range all {
			if cr.bash.match(t) {
				return true
			}
		}
		for _, t := range denyOnly {
			if cr.bash.match(t) {
				return true
			}
		}
		return false
	}
	if j.deny == nil {
		if r := first(j.s.deny, match); r != nil {
			j.deny = &ruleHit{rule: r, text: all[0]}
		}
	}
	if j.ask == nil {
		if r := first(j.s.ask, match); r != nil {
			j.ask = &ruleHit{rule: r, text: all[0]}
		}
	}
}

// allowRule returns the first allow rule with a specifier that matches one of the texts.
func (j *judge) allowRule(all []string) *compiledRule {
	return j.s.firstAllow(func(cr *compiledRule) bool {
		if cr.Tool != "Bash" || cr.bash == nil {
			return false
		}
		for _, t := range all {
			if cr.bash.match(t) {
				return true
			}
		}
		return false
	})
}

// other judges a part of a command line that is not a simple command ([[ ]], (( )), let): it
// is matched by its text.
func (j *judge) other(text string) {
	j.check([]string{text}, nil)
	u := unit{text: text, readOnly: true}
	if r := j.allowRule([]string{text}); r != nil {
		u.allowed, u.rule = true, r
	}
	j.units = append(j.units, u)
}

// decl judges declare, export, local, readonly, typeset and nameref.
func (j *judge) decl(d *syntax.DeclClause, src string) {
	text := source(d, src)
	j.check([]string{text}, nil)
	u := unit{text: text, readOnly: true}
	for _, a := range d.Args {
		switch {
		case a.Name != nil && riskyEnvName(a.Name.Value):
			u.note = fmt.Sprintf("sets %s, which changes what later commands run", a.Name.Value)
		case a.Naked && a.Value != nil && strings.HasPrefix(a.Value.Lit(), "-") && strings.ContainsRune(a.Value.Lit(), 'n'),
			d.Variant.Value == "nameref":
			u.note = "declares a name reference, which can set any variable"
		case a.Naked && a.Value != nil && a.Value.Lit() == "":
			u.note = "declares variables whose names are only known when it runs"
		}
	}
	if r := j.allowRule([]string{text}); r != nil && u.note == "" {
		u.allowed, u.rule = true, r
	}
	j.units = append(j.units, u)
}

// call judges a simple command.
func (j *judge) call(ce *syntax.CallExpr, src string, depth int) {
	full := source(ce, src)
	risk := ""
	for _, a := range ce.Assigns {
		if a.Name != nil && riskyEnvName(a.Name.Value) {
			risk = fmt.Sprintf("sets %s for the command, which changes what it runs", a.Name.Value)
		}
		if a.Value != nil && len(ce.Args) > 0 {
			if v := convWord(a.Value, src); !v.dynamic && (strings.Contains(v.lit, "$(") || strings.Contains(v.lit, "`")) {
				risk = fmt.Sprintf("passes shell code in %s to the command", a.Name.Value)
			}
		}
	}
	if len(ce.Args) == 0 {
		j.check([]string{full}, nil)
		u := unit{text: full, readOnly: true, note: risk}
		if r := j.allowRule([]string{full}); r != nil && risk == "" {
			u.allowed, u.rule = true, r
		}
		j.units = append(j.units, u)
		return
	}
	ws := make([]word, len(ce.Args))
	for i, a := range ce.Args {
		ws[i] = convWord(a, src)
	}
	var extras []string
	if len(ce.Assigns) > 0 {
		extras = append(extras, full)
	}
	j.words(ws, extras, risk, depth, 0)
}

// words judges a simple command given by its words, following wrappers to what they run.
func (j *judge) words(ws []word, extras []string, risk string, depth, wraps int) {
	if wraps > maxWrappers {
		j.opaque = append(j.opaque, fmt.Sprintf("it wraps a command in more than %d other commands", maxWrappers))
		return
	}
	all, denyOnly := texts(ws, extras...)
	j.check(all, denyOnly)
	name := commandName(ws[0])
	if name == "cd" || name == "pushd" || name == "popd" {
		j.changesDir = true
	}
	u, wrapped := unwrap(ws)
	if wrapped && u.opaque != "" {
		j.opaque = append(j.opaque, fmt.Sprintf("in %s, %s", quoteShort(render(ws)), u.opaque))
		wrapped = false
	}
	if wrapped {
		if u.chdir {
			j.changesDir = true
		}
		for _, e := range u.env {
			if n, _, _ := strings.Cut(e.lit, "="); riskyEnvName(n) {
				risk = fmt.Sprintf("sets %s for the command, which changes what it runs", n)
			}
		}
		for _, w := range u.writes {
			j.writes = append(j.writes, write{w: w, strict: true})
		}
		switch u.kind {
		case transparent:
			j.words(u.inner, nil, risk, depth, wraps+1)
			return
		case privileged:
			// The command run is checked against deny and ask rules, but a rule for it does
			// not allow running it as someone else.
			n := len(j.units)
			j.words(u.inner, nil, "", depth, wraps+1)
			j.units = j.units[:n]
			unit := unit{text: all[0], words: ws, readOnly: false,
				note: fmt.Sprintf("runs a command as another user, which only a rule for %s itself allows", name)}
			if r := j.allowRule(all); r != nil && risk == "" {
				unit.allowed, unit.rule, unit.note = true, r, ""
			}
			j.units = append(j.units, unit)
			return
		case shellScript:
			if u.script.dynamic {
				j.opaque = append(j.opaque, fmt.Sprintf("%s runs shell code that is only known when it runs", quoteShort(render(ws))))
				return
			}
			if err := j.script(u.script.lit, depth+1); err != nil {
				j.opaque = append(j.opaque, err.Error())
			}
			return
		case teeWrite:
			// tee only copies its input into files: the writes decide.
			j.units = append(j.units, unit{text: all[0], words: ws, allowed: risk == "", readOnly: true, note: risk})
			return
		case findExec:
			j.plain(ws, all, risk)
			for _, inner := range u.inners {
				j.words(inner, nil, "", depth, wraps+1)
			}
			return
		}
	}
	j.plain(ws, all, risk)
}

// plain judges a command by its own text.
func (j *judge) plain(ws []word, all []string, risk string) {
	u := unit{text: all[0], words: ws}
	lits, literal := literals(ws)
	u.readOnly = literal && readOnly(lits)
	switch {
	case ws[0].dynamic || ws[0].pattern || ws[0].tilde:
		u.note = "has a command name that is only known when it runs"
	case risk != "":
		u.note = risk
	default:
		if r := j.allowRule(all); r != nil {
			u.allowed, u.rule = true, r
		}
	}
	if fsCommand(commandName(ws[0])) && literal {
		operands, ok := fsOperands(ws[1:])
		switch {
		case u.allowed:
			for _, w := range operands {
				j.writes = append(j.writes, write{w: w})
			}
		case ok && u.note == "" && j.s.mode == AcceptEdits:
			u.allowed = true
			for _, w := range operands {
				j.writes = append(j.writes, write{w: w, strict: true})
			}
		}
	}
	j.units = append(j.units, u)
}

// fsCommand names the file commands acceptEdits runs inside the working directories.
func fsCommand(name string) bool {
	switch name {
	case "mkdir", "touch", "mv", "cp":
		return true
	}
	return false
}

// fsOperands returns the file operands of mkdir, touch, mv or cp. ok is false when an option
// is not a plain flag (an option with a value attached, like --target-directory=/etc, could
// name a file the check would not see).
func fsOperands(args []word) ([]word, bool) {
	var out []word
	flags := true
	for _, a := range args {
		switch {
		case flags && a.lit == "--":
			flags = false
		case flags && strings.HasPrefix(a.lit, "-") && a.lit != "-":
			if strings.ContainsAny(a.lit, "=/") {
				return nil, false
			}
		default:
			if a.pattern && strings.Contains(a.lit, "..") {
				return nil, false
			}
			out = append(out, a)
		}
	}
	return out, true
}
