package permission

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// Config is what a Checker is built from: the settings' permissions block, merged across
// files, and the session's directories.
type Config struct {
	// Mode is the starting mode; empty means Default.
	Mode Mode
	// Rules are the allow, ask and deny rules, each with its Source set.
	Rules Rules
	// WorkDir is the absolute working directory: relative path rules and relative paths in
	// commands are taken from it, and reads and edits inside it need no special rule.
	WorkDir string
	// AdditionalDirs are more directories treated like WorkDir (additionalDirectories,
	// --add-dir). Relative ones are taken from WorkDir.
	AdditionalDirs []string
	// Home is the user's home directory, for ~ in rules and commands. Empty means ~ rules match
	// nothing and paths under ~ are unknown.
	Home string
}

// Request is one tool call to judge.
type Request struct {
	// Tool is the tool's name: Read, Write, Edit, MultiEdit, Bash, Glob, Grep, LS, WebFetch,
	// TodoWrite, NotebookEdit, mcp__server__tool, ...
	Tool string
	// Kind says what the call does. For the built-in tools named above the name decides and
	// Kind is ignored; for others the zero Kind means Other.
	Kind Kind
	// Path is the file for Read and Write kinds, or the search root for Glob, Grep and LS
	// (empty means WorkDir). Relative paths are taken from WorkDir. The search tools also check
	// each file they would show with Checker.ReadDenied, so deny rules hide single files.
	Path string
	// Command is the Bash command line.
	Command string
	// URL is the WebFetch address.
	URL string
	// Subject is, for other tools, what a Tool(specifier) rule is compared with: an agent's
	// type, a skill's name. '*' in the specifier matches anything.
	Subject string
}

// Decision is the answer for one call.
type Decision struct {
	Behavior Behavior
	// Reason is a sentence for the user and the model saying why, and what would change it.
	Reason string
	// Rule is the rule that decided, if one did.
	Rule *Rule
	// Hint, for Ask, says how to allow such calls in advance when an allow rule would not
	// (a change outside the working directories); empty when an allow rule would.
	Hint string
}

// Checker answers Check for one session. It is safe for concurrent use: see the package
// documentation.
type Checker struct {
	env        environment
	additional []string // as configured, for messages

	mu   sync.RWMutex
	mode Mode
	// The rules from New and AddRule, and the session's. Each list is append-only, so a
	// snapshot of the slice headers stays valid.
	deny, ask, allow []compiledRule
	readDeny         []compiledRule // the deny rules that apply to Read, for ReadDenied
	session          []compiledRule
}

// compiledRule is a rule with its specifier made ready for matching.
type compiledRule struct {
	Rule
	bash   *bashPattern // Bash commands, and the Subject of other tools
	path   *pathPattern
	domain string
}

// New builds a Checker. It fails if the mode is unknown, WorkDir is not absolute, or a rule
// does not parse.
func New(cfg Config) (*Checker, error) {
	mode, err := ParseMode(string(cfg.Mode))
	if err != nil {
		return nil, err
	}
	if cfg.WorkDir == "" || !filepath.IsAbs(cfg.WorkDir) {
		return nil, fmt.Errorf("permission: working directory %q must be an absolute path", cfg.WorkDir)
	}
	c := &Checker{mode: mode}
	c.env.workDir = path.Clean(filepath.ToSlash(cfg.WorkDir))
	if cfg.Home != "" {
		if !filepath.IsAbs(cfg.Home) {
			return nil, fmt.Errorf("permission: home directory %q must be an absolute path", cfg.Home)
		}
		c.env.home = path.Clean(filepath.ToSlash(cfg.Home))
	}
	c.env.dirs = []string{resolve(c.env.workDir)}
	for _, d := range cfg.AdditionalDirs {
		abs, ok := c.env.abs(d)
		if !ok {
			return nil, fmt.Errorf("permission: additional directory %q: no home directory to expand ~", d)
		}
		c.additional = append(c.additional, abs)
		c.env.dirs = append(c.env.dirs, resolve(abs))
	}
	for _, list := range []struct {
		in  []Rule
		out *[]compiledRule
	}{{cfg.Rules.Deny, &c.deny}, {cfg.Rules.Ask, &c.ask}, {cfg.Rules.Allow, &c.allow}} {
		for _, r := range list.in {
			cr, err := c.compile(r)
			if err != nil {
				return nil, err
			}
			*list.out = append(*list.out, cr)
		}
	}
	for _, cr := range c.deny {
		c.noteReadDeny(cr)
	}
	return c, nil
}

// noteReadDeny keeps a deny rule that applies to Read for ReadDenied.
func (c *Checker) noteReadDeny(cr compiledRule) {
	if toolMatches(cr.Tool, &Request{Tool: "Read"}) {
		c.readDeny = append(c.readDeny, cr)
	}
}

func (c *Checker) compile(r Rule) (compiledRule, error) {
	if r.Tool == "" {
		return compiledRule{}, errors.New("permission: rule has no tool name")
	}
	if err := checkToolName(r.Tool); err != nil {
		return compiledRule{}, fmt.Errorf("permission rule %s%s: %w", r, r.from(), err)
	}
	if r.Specifier == "*" {
		r.Specifier = ""
	}
	cr := compiledRule{Rule: r}
	if r.Specifier == "" {
		return cr, nil
	}
	if err := checkSpecifier(r.Tool, r.Specifier); err != nil {
		return compiledRule{}, fmt.Errorf("permission rule %s%s: %w", r, r.from(), err)
	}
	switch {
	case isPathTool(r.Tool):
		cr.path = compilePathPattern(r.Specifier, &c.env)
	case r.Tool == "WebFetch":
		cr.domain, _ = parseDomain(r.Specifier)
	default:
		p, err := compileBashPattern(r.Specifier)
		if err != nil {
			return compiledRule{}, fmt.Errorf("permission rule %s%s: %w", r, r.from(), err)
		}
		cr.bash = p
	}
	return cr, nil
}

// Mode returns the current mode.
func (c *Checker) Mode() Mode {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.mode
}

// SetMode switches the mode for the following checks. An unknown mode is ignored: the caller
// parses user input with ParseMode first.
func (c *Checker) SetMode(m Mode) {
	if !m.Valid() {
		return
	}
	c.mu.Lock()
	c.mode = m
	c.mu.Unlock()
}

// AllowForSession adds an allow rule for the rest of the session ("yes, and don't ask again").
// A rule whose specifier does not parse is dropped; rules from ParseRule and Suggest always
// parse. An empty Source becomes SessionSource.
func (c *Checker) AllowForSession(rule Rule) {
	if rule.Source == "" {
		rule.Source = SessionSource
	}
	cr, err := c.compile(rule)
	if err != nil {
		return
	}
	c.mu.Lock()
	c.session = append(c.session, cr)
	c.mu.Unlock()
}

// AddRule adds an allow, ask or deny rule to the running checker, as if it had been in the
// settings from the start (the UI's /permissions add writes it there too). It fails if the
// rule does not parse.
func (c *Checker) AddRule(b Behavior, rule Rule) error {
	cr, err := c.compile(rule)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch b {
	case Deny:
		c.deny = append(c.deny, cr)
		c.noteReadDeny(cr)
	case Ask:
		c.ask = append(c.ask, cr)
	default:
		c.allow = append(c.allow, cr)
	}
	return nil
}

// snapshot is the state one Check works with.
type snapshot struct {
	mode    Mode
	deny    []compiledRule
	ask     []compiledRule
	allow   []compiledRule
	session []compiledRule
}

func (c *Checker) snapshot() *snapshot {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return &snapshot{mode: c.mode, deny: c.deny, ask: c.ask, allow: c.allow, session: c.session}
}

// firstAllow returns the first allow rule f accepts, the configured ones before the session's.
func (s *snapshot) firstAllow(f func(*compiledRule) bool) *compiledRule {
	for i := range s.allow {
		if f(&s.allow[i]) {
			return &s.allow[i]
		}
	}
	for i := range s.session {
		if f(&s.session[i]) {
			return &s.session[i]
		}
	}
	return nil
}

func first(rules []compiledRule, f func(*compiledRule) bool) *compiledRule {
	for i := range rules {
		if f(&rules[i]) {
			return &rules[i]
		}
	}
	return nil
}

// kindOf returns the kind of a call: the built-in tools' names decide.
func kindOf(r *Request) Kind {
	switch {
	case r.Tool == "Bash":
		return Command
	case isReadTool(r.Tool):
		return Read
	case isEditTool(r.Tool):
		return Write
	case r.Tool == "WebFetch" || r.Tool == "WebSearch":
		return Fetch
	case r.Kind >= Read && r.Kind <= Other:
		return r.Kind
	}
	return Other
}

// Check judges one tool call.
func (c *Checker) Check(r Request) Decision {
	s := c.snapshot()
	k := kindOf(&r)
	var d Decision
	switch k {
	case Command:
		d = c.checkBash(s, &r)
	case Read, Write:
		d = c.checkPath(s, &r, k)
	case Fetch:
		d = c.checkFetch(s, &r)
	default:
		d = c.checkOther(s, &r)
	}
	if d.Behavior == Ask && s.mode == DontAsk {
		d.Behavior = Deny
		d.Reason = "Denied in dontAsk mode, which refuses whatever is not allowed in advance. " + d.Reason
	}
	return d
}

// pathsOf returns the path a request names as written (made absolute) and as resolved.
func (c *Checker) pathsOf(p string) (lexical, real string, ok bool) {
	lexical, ok = c.env.abs(p)
	if !ok {
		return "", "", false
	}
	return lexical, resolve(lexical), true
}

// pathDecision judges a read or a write of one file; checkPath and Bash's redirections share
// it. what describes the call for messages ("Write on /x/y").
func (c *Checker) pathDecision(s *snapshot, r *Request, k Kind, what string) Decision {
	lexical, real, ok := c.pathsOf(r.Path)
	if !ok {
		return Decision{Behavior: Ask, Reason: fmt.Sprintf("Permission to use %s needs approval: the path %q starts with ~ and no home directory is known.", what, r.Path)}
	}
	isDir := isDirFunc(real)
	either := func(cr *compiledRule) bool { return cr.coversPath(r, lexical, real, isDir) }
	if rule := first(s.deny, either); rule != nil {
		return deniedBy(rule, what)
	}
	if k == Write && s.mode == Plan {
		return planDenied(what)
	}
	if rule := first(s.ask, either); rule != nil {
		return askedBy(rule, what)
	}
	inside := c.env.inside(real)
	if k == Write && !inside {
		return c.outsideWrite(what, lexical)
	}
	if s.mode == BypassPermissions {
		return bypassed()
	}
	// An allow rule must match the path as resolved, so a link cannot carry an allowed name
	// to a file elsewhere; a rule for the whole tool covers the working directories only.
	rule := s.firstAllow(func(cr *compiledRule) bool {
		if !toolMatches(cr.Tool, r) {
			return false
		}
		if cr.path == nil {
			return cr.Specifier == "" && inside
		}
		return cr.path.match(real, isDir)
	})
	if rule != nil {
		return allowedBy(rule)
	}
	if !inside {
		return Decision{Behavior: Ask, Reason: fmt.Sprintf("Permission to use %s needs approval: %s is outside the working directory %s%s.",
			what, lexical, c.env.workDir, c.additionalNote())}
	}
	if k == Read {
		return Decision{Behavior: Allow, Reason: "Allowed: reading inside the working directories needs no approval."}
	}
	if s.mode == AcceptEdits {
		return Decision{Behavior: Allow, Reason: "Allowed: acceptEdits mode accepts changes to files inside the working directories."}
	}
	return Decision{Behavior: Ask, Reason: fmt.Sprintf("Permission to use %s needs approval: no allow rule covers it (an Edit rule or acceptEdits mode would).", what)}
}

// outsideWrite is the answer for a change outside the working directories: it always asks,
// whatever the mode and the allow rules, because no rule written for a project should reach
// files beyond it. Only making the directory a working directory allows it in advance.
func (c *Checker) outsideWrite(what, p string) Decision {
	dir := path.Dir(p)
	return Decision{Behavior: Ask,
		Reason: fmt.Sprintf("Permission to use %s needs approval: %s is outside the working directory %s%s, and changes there always ask.",
			what, p, c.env.workDir, c.additionalNote()),
		Hint: fmt.Sprintf("--add-dir %s (or additionalDirectories in the settings) makes %s a working directory", dir, dir)}
}

// coversPath reports whether a deny or ask rule applies to a call on a file: the rule's tool
// covers the call's and its path, if it has one, matches the file as given or as resolved.
func (cr *compiledRule) coversPath(r *Request, lexical, real string, isDir func() bool) bool {
	return toolMatches(cr.Tool, r) && (cr.path == nil && cr.Specifier == "" ||
		cr.path != nil && (cr.path.match(lexical, isDir) || cr.path.match(real, isDir)))
}

// ReadDenied reports whether a deny rule forbids reading the file at p. Search tools check
// each file they would show with it, because a rule such as Read(./secrets/**) must hide those
// files from Grep, Glob and LS too, not only from searches rooted in secrets/. Only deny rules
// count: a file the mode would ask about is still listed. It costs nothing when no deny rule
// covers reads.
func (c *Checker) ReadDenied(p string) bool {
	c.mu.RLock()
	readDeny := c.readDeny
	c.mu.RUnlock()
	if len(readDeny) == 0 {
		return false
	}
	lexical, real, ok := c.pathsOf(p)
	if !ok {
		return false
	}
	r := &Request{Tool: "Read", Path: p}
	isDir := isDirFunc(real)
	return first(readDeny, func(cr *compiledRule) bool { return cr.coversPath(r, lexical, real, isDir) }) != nil
}

// DeniesTool reports whether a deny rule refuses every call of the tool (a rule without a
// specifier, such as --disallowedTools WebFetch, or Edit for Write), so that it need not be
// offered to the model at all.
func (c *Checker) DeniesTool(name string) bool {
	r := &Request{Tool: name}
	return first(c.snapshot().deny, func(cr *compiledRule) bool { return cr.Specifier == "" && toolMatches(cr.Tool, r) }) != nil
}

func (c *Checker) additionalNote() string {
	if len(c.additional) == 0 {
		return ""
	}
	return " and the additional directories " + strings.Join(c.additional, ", ")
}

func (c *Checker) checkPath(s *snapshot, r *Request, k Kind) Decision {
	p := r.Path
	if p == "" {
		p = "."
	}
	return c.pathDecision(s, r, k, fmt.Sprintf("%s on %s", r.Tool, p))
}

func (c *Checker) checkFetch(s *snapshot, r *Request) Decision {
	what := r.Tool
	host := ""
	if r.URL != "" {
		what = fmt.Sprintf("%s for %s", r.Tool, r.URL)
		if u, err := url.Parse(r.URL); err == nil {
			host = strings.ToLower(u.Hostname())
		}
	}
	match := func(cr *compiledRule) bool {
		if !toolMatches(cr.Tool, r) {
			return false
		}
		if cr.Specifier == "" {
			return true
		}
		return cr.domain != "" && host != "" && domainMatch(cr.domain, host)
	}
	if rule := first(s.deny, match); rule != nil {
		return deniedBy(rule, what)
	}
	if s.mode == Plan {
		return planDenied(what)
	}
	if rule := first(s.ask, match); rule != nil {
		return askedBy(rule, what)
	}
	if s.mode == BypassPermissions {
		return bypassed()
	}
	if rule := s.firstAllow(match); rule != nil {
		return allowedBy(rule)
	}
	if r.URL != "" && host == "" {
		return Decision{Behavior: Ask, Reason: fmt.Sprintf("Permission to use %s needs approval: the address has no host name a rule could match.", what)}
	}
	hint := ""
	if host != "" {
		hint = fmt.Sprintf(" (WebFetch(domain:%s) would)", host)
	}
	return Decision{Behavior: Ask, Reason: fmt.Sprintf("Permission to use %s needs approval: no allow rule covers it%s.", what, hint)}
}

// domainMatch compares a host with a rule's host: equal, or for *.example.com any subdomain.
func domainMatch(pattern, host string) bool {
	host = strings.TrimSuffix(host, ".")
	if suffix, ok := strings.CutPrefix(pattern, "*."); ok {
		return strings.HasSuffix(host, "."+suffix)
	}
	return host == pattern
}

// sessionTools need no permission: they change nothing outside the conversation.
func sessionTool(name string) bool {
	switch name {
	case "TodoWrite", "TodoRead", "Task", "Agent", "ExitPlanMode", "EnterPlanMode", "AskUserQuestion",
		"BashOutput", "KillShell", "KillBash", "TaskOutput", "TaskStop":
		return true
	}
	return false
}

func (c *Checker) checkOther(s *snapshot, r *Request) Decision {
	what := r.Tool
	if r.Subject != "" {
		what = fmt.Sprintf("%s with %q", r.Tool, r.Subject)
	}
	match := func(cr *compiledRule) bool {
		if !toolMatches(cr.Tool, r) {
			return false
		}
		return cr.Specifier == "" || cr.bash != nil && cr.bash.match(r.Subject)
	}
	if rule := first(s.deny, match); rule != nil {
		return deniedBy(rule, what)
	}
	if rule := first(s.ask, match); rule != nil {
		return askedBy(rule, what)
	}
	if s.mode == BypassPermissions {
		return bypassed()
	}
	if sessionTool(r.Tool) {
		return Decision{Behavior: Allow, Reason: fmt.Sprintf("Allowed: %s changes nothing outside the conversation.", r.Tool)}
	}
	if rule := s.firstAllow(match); rule != nil {
		return allowedBy(rule)
	}
	return Decision{Behavior: Ask, Reason: fmt.Sprintf("Permission to use %s needs approval: no allow rule covers it.", what)}
}

func deniedBy(cr *compiledRule, what string) Decision {
	rule := cr.Rule
	return Decision{Behavior: Deny, Rule: &rule,
		Reason: fmt.Sprintf("Permission to use %s was denied by rule %s%s.", what, rule, rule.from())}
}

func askedBy(cr *compiledRule, what string) Decision {
	rule := cr.Rule
	return Decision{Behavior: Ask, Rule: &rule,
		Reason: fmt.Sprintf("Permission to use %s needs approval: rule %s%s asks before every matching call.", what, rule, rule.from())}
}

func allowedBy(cr *compiledRule) Decision {
	rule := cr.Rule
	return Decision{Behavior: Allow, Rule: &rule, Reason: fmt.Sprintf("Allowed by rule %s%s.", rule, rule.from())}
}

func bypassed() Decision {
	return Decision{Behavior: Allow, Reason: "Allowed: bypassPermissions mode allows every call that no deny or ask rule stops."}
}

func planDenied(what string) Decision {
	return Decision{Behavior: Deny, Reason: fmt.Sprintf("Permission to use %s was denied: plan mode is read-only, so nothing may be changed, run or fetched until the user approves the plan and plan mode ends.", what)}
}
