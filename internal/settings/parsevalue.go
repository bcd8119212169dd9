package settings

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Truthy reports whether an environment or settings value turns a switch on: "1", "true",
// "yes" or "on" in any case, surrounding spaces ignored. Everything else, including "" and
// "0", is off. (Claude Code before 1.0.124 treated any non-empty string as on; users who
// wrote CLAUDE_CODE_USE_BEDROCK=yes still expect it to work, hence "yes" and "on".)
func Truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// ParseInt parses a numeric environment value the way Claude Code accepts them: plain
// integers, underscores between digits ("64_000") and exponents ("2e3", "1.5e3"), with
// surrounding spaces ignored. The value must be a whole number that fits an int.
func ParseInt(v string) (int, error) {
	s := strings.TrimSpace(v)
	if s == "" {
		return 0, fmt.Errorf("parse number %q: empty", v)
	}
	if strings.Contains(s, "_") {
		for i := 0; i < len(s); i++ {
			if s[i] == '_' && (i == 0 || i == len(s)-1 || !isDigit(s[i-1]) || !isDigit(s[i+1])) {
				return 0, fmt.Errorf("parse number %q: underscores go between digits", v)
			}
		}
		s = strings.ReplaceAll(s, "_", "")
	}
	if n, err := strconv.ParseInt(s, 10, strconv.IntSize); err == nil {
		return int(n), nil
	}
	// ParseFloat also takes hex, "Inf" and "NaN": allow only decimal notation.
	if strings.IndexFunc(s, func(r rune) bool { return !strings.ContainsRune("0123456789+-.eE", r) }) >= 0 {
		return 0, fmt.Errorf("parse number %q: not a number", v)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("parse number %q: not a number", v)
	}
	if f != math.Trunc(f) {
		return 0, fmt.Errorf("parse number %q: not a whole number", v)
	}
	if f < math.MinInt || f >= math.MaxInt {
		return 0, fmt.Errorf("parse number %q: out of range", v)
	}
	return int(f), nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
