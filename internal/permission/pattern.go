package permission

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// bashPattern is a compiled Bash (or other string) specifier. Three forms, as in Claude Code:
//
//	npm run build     exactly that command
//	npm run test:*    the legacy prefix form: "npm run test" alone or followed by a space and
//	                  anything, so it covers "npm run test -- -v" but not "npm run testx"
//	git diff *        '*' matches any run of characters, spaces included; a trailing " *"
//	                  also matches nothing, so "git diff *" covers "git diff" too; "\*" is a
//	                  literal star
//
// Allow rules are matched against one simple command at a time, so "npm run test:*" does not
// cover "npm run test && rm -rf /"; only a rule without wildcards may name a whole command
// line. Deny and ask rules are also matched against the whole line.
type bashPattern struct {
	exact string         // for patterns without wildcards
	re    *regexp.Regexp // for the others
}

func (p *bashPattern) match(s string) bool {
	if p.re == nil {
		return s == p.exact
	}
	return p.re.MatchString(s)
}

// wildcard reports whether the pattern can match more than one string.
func (p *bashPattern) wildcard() bool { return p.re != nil }

func compileBashPattern(spec string) (*bashPattern, error) {
	if spec == "" {
		return nil, errors.New("empty command pattern")
	}
	if strings.ContainsRune(spec, 0) {
		return nil, errors.New("command pattern contains a NUL byte")
	}
	prefix, legacy := strings.CutSuffix(spec, ":*")
	if legacy {
		if strings.TrimSpace(prefix) == "" {
			return nil, fmt.Errorf("command pattern %q has nothing before :*; write Bash to match every command", spec)
		}
		re, err := regexp.Compile(`(?s)^` + globToRegexp(prefix) + `(?: .*)?$`)
		if err != nil {
			return nil, fmt.Errorf("command pattern %q: %w", spec, err)
		}
		return &bashPattern{re: re}, nil
	}
	if !hasUnescapedStar(spec) {
		return &bashPattern{exact: strings.ReplaceAll(spec, `\*`, "*")}, nil
	}
	body, optionalTail := spec, ""
	if b, ok := strings.CutSuffix(spec, " *"); ok && !strings.HasSuffix(b, `\`) {
		body, optionalTail = b, `(?: .*)?`
	}
	re, err := regexp.Compile(`(?s)^` + globToRegexp(body) + optionalTail + `$`)
	if err != nil {
		return nil, fmt.Errorf("command pattern %q: %w", spec, err)
	}
	return &bashPattern{re: re}, nil
}

// globToRegexp turns '*' into ".*", "\*" into a literal star, and quotes everything else.
func globToRegexp(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '*':
			b.WriteString(`\*`)
			i++
		case s[i] == '*':
			b.WriteString(`.*`)
		default:
			b.WriteString(regexp.QuoteMeta(s[i : i+1]))
		}
	}
	return b.String()
}

func hasUnescapedStar(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			continue
		}
		if s[i] == '*' {
			return true
		}
	}
	return false
}
