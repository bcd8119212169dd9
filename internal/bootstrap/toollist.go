package bootstrap

import "strings"

// SplitToolList reads --allowedTools values the way the agent the guide is about does: each
// flag value may hold several rules separated by commas or spaces, but not inside a rule's
// parentheses ("Bash(git diff *)" stays whole).
func SplitToolList(values []string) []string {
	var out []string
	for _, v := range values {
		depth, start := 0, 0
		flush := func(end int) {
			if s := strings.TrimSpace(v[start:end]); s != "" {
				out = append(out, s)
			}
		}
		for i, r := range v {
			switch {
			case r == '(':
				depth++
			case r == ')' && depth > 0:
				depth--
			case (r == ',' || r == ' ') && depth == 0:
				flush(i)
				start = i + 1
			}
		}
		flush(len(v))
	}
	return out
}
