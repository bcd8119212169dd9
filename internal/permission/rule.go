package permission

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Rule is one permission rule: a tool name and, optionally, what in the call it applies to.
type Rule struct {
	// Tool is the tool name: Bash, Read, Edit, WebFetch, mcp__server__tool, ...
	Tool string
	// Specifier narrows the rule: a command pattern for Bash, a path pattern for file tools,
	// domain:host for WebFetch. Empty means every call of the tool.
	Specifier string
	// Raw is the rule as written, for messages.
	Raw string
	// Source is where the rule came from: a settings file's path, "--allowedTools", or
	// SessionSource for rules added with Checker.AllowForSession.
	Source string
}

// SessionSource is the Source of rules added with Checker.AllowForSession that had none.
const SessionSource = "this session"

// Rules holds the three rule lists of the permissions settings, merged across files.
type Rules struct {
	Allow, Ask, Deny []Rule
}

// String returns the rule in settings syntax, Tool or Tool(specifier).
func (r Rule) String() string {
	if r.Raw != "" {
		return r.Raw
	}
	if r.Specifier == "" {
		return r.Tool
	}
	return r.Tool + "(" + r.Specifier + ")"
}

// from says where the rule came from, for the end of a sentence.
func (r Rule) from() string {
	switch {
	case r.Source == "":
		return ""
	case r.Source == SessionSource:
		return " given for this session"
	case strings.HasPrefix(r.Source, "-"):
		return " from " + r.Source
	}
	return " in " + r.Source
}

// isReadTool and isEditTool name the built-in tools whose specifiers are paths. Read and Edit
// rules also cover the other tools of their kind.
func isReadTool(tool string) bool {
	switch tool {
	case "Read", "Glob", "Grep", "LS", "NotebookRead":
		return true
	}
	return false
}

func isEditTool(tool string) bool {
	switch tool {
	case "Edit", "Write", "MultiEdit", "NotebookEdit":
		return true
	}
	return false
}

func isPathTool(tool string) bool { return isReadTool(tool) || isEditTool(tool) }

// ParseRule parses one rule as written in permissions.allow, .ask or .deny, or given to
// --allowedTools:
//
//	Bash                          every Bash command
//	Bash(npm run build)           exactly that command
//	Bash(npm run test:*)          commands starting with "npm run test" (legacy prefix form)
//	Bash(git diff *)              "*" matches anything; a trailing " *" may match nothing
//	Read(./secrets/**)            paths, gitignore-style (see the package documentation)
//	Edit(src/**)                  edits under src
//	WebFetch(domain:example.com)  fetches from that host; domain:*.example.com for subdomains
//	mcp__server__tool             one MCP tool; mcp__server or mcp__server__* for all of a server's
//
// The result's Source is empty: the caller sets it.
func ParseRule(raw string) (Rule, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return Rule{}, errors.New("empty permission rule")
	}
	tool, spec, hasSpec := s, "", false
	if open := strings.IndexByte(s, '('); open >= 0 {
		if !strings.HasSuffix(s, ")") {
			if strings.LastIndexByte(s, ')') > open {
				return Rule{}, fmt.Errorf("permission rule %q has text after its closing ')'", s)
			}
			return Rule{}, fmt.Errorf("permission rule %q is missing its closing ')'", s)
		}
		tool, spec, hasSpec = s[:open], s[open+1:len(s)-1], true
	} else if strings.ContainsRune(s, ')') {
		return Rule{}, fmt.Errorf("permission rule %q has a ')' without a '('", s)
	}
	if tool == "" {
		return Rule{}, fmt.Errorf("permission rule %q has no tool name: write Tool or Tool(specifier), as in Bash(npm run test:*)", s)
	}
	if err := checkToolName(tool); err != nil {
		return Rule{}, fmt.Errorf("permission rule %q: %w", s, err)
	}
	spec = strings.TrimSpace(spec)
	if hasSpec && spec == "" {
		return Rule{}, fmt.Errorf("permission rule %q has an empty specifier: write %s to match every call", s, tool)
	}
	if spec == "*" {
		spec = "" // Tool(*) is Tool
	}
	if spec != "" {
		if err := checkSpecifier(tool, spec); err != nil {
			return Rule{}, fmt.Errorf("permission rule %q: %w", s, err)
		}
	}
	return Rule{Tool: tool, Specifier: spec, Raw: s}, nil
}

// ParseRules parses a list of rules from one source, stopping at the first error.
func ParseRules(raws []string, source string) ([]Rule, error) {
	rules := make([]Rule, 0, len(raws))
	for _, raw := range raws {
		r, err := ParseRule(raw)
		if err != nil {
			if source != "" {
				return nil, fmt.Errorf("%s: %w", source, err)
			}
			return nil, err
		}
		r.Source = source
		rules = append(rules, r)
	}
	return rules, nil
}

func checkToolName(tool string) error {
	name := tool
	if strings.HasPrefix(tool, "mcp__") {
		name = strings.TrimSuffix(tool, "__*") // mcp__server__* is every tool of the server
	}
	for i, c := range name {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		case i > 0 && (c >= '0' && c <= '9' || c == '_' || c == '-'):
		default:
			return fmt.Errorf("tool name %q may hold only letters, digits, '_' and '-', starting with a letter", tool)
		}
	}
	return nil
}

func checkSpecifier(tool, spec string) error {
	switch {
	case tool == "WebFetch":
		_, err := parseDomain(spec)
		return err
	case isPathTool(tool):
		if strings.ContainsRune(spec, 0) {
			return errors.New("path pattern contains a NUL byte")
		}
		if !doublestar.ValidatePattern(pathBody(spec)) {
			return fmt.Errorf("path pattern %q is not a valid glob (check its brackets and braces)", spec)
		}
		return nil
	}
	// Bash, and the specifiers of other tools, which are matched the same way.
	_, err := compileBashPattern(spec)
	return err
}

// parseDomain checks a WebFetch specifier and returns the host pattern, lower-cased.
func parseDomain(spec string) (string, error) {
	host, ok := strings.CutPrefix(spec, "domain:")
	if !ok {
		return "", fmt.Errorf("WebFetch specifier %q must be domain:host, as in WebFetch(domain:example.com)", spec)
	}
	host = strings.ToLower(strings.TrimSpace(host))
	if host == "" {
		return "", errors.New("WebFetch specifier has no host after domain:")
	}
	if strings.ContainsAny(host, "/:@ ") {
		return "", fmt.Errorf("WebFetch host %q must be a bare host name, without scheme, port or path", host)
	}
	if strings.Contains(strings.TrimPrefix(host, "*."), "*") {
		return "", fmt.Errorf("WebFetch host %q may use '*' only as a leading *. for subdomains", host)
	}
	return host, nil
}

// toolMatches reports whether a rule for ruleTool applies to a call of the request's tool.
func toolMatches(ruleTool string, r *Request) bool {
	if ruleTool == r.Tool {
		return true
	}
	switch {
	case ruleTool == "Edit":
		return r.Kind == Write || isEditTool(r.Tool)
	case ruleTool == "Read":
		return r.Kind == Read || isReadTool(r.Tool)
	case strings.HasPrefix(ruleTool, "mcp__"):
		server := strings.TrimSuffix(strings.TrimSuffix(ruleTool, "*"), "__")
		return !strings.Contains(strings.TrimPrefix(server, "mcp__"), "__") &&
			strings.HasPrefix(r.Tool, server+"__")
	}
	return false
}
