package grep

import (
	"regexp/syntax"
	"strings"
)

// requiredLiteral returns a string every match of re must contain, the longest it can find,
// or "" when there is none it can prove. Files without it are skipped with one bytes.Index,
// and in line mode only lines containing it are handed to the regexp, which is where most of
// the speed of a literal-heavy search comes from. Case-folded literals are not used.
func requiredLiteral(re *syntax.Regexp) string { return literalOf(re, false) }

// literalOf is requiredLiteral; with fold, case-folded literals count too (as written).
func literalOf(re *syntax.Regexp, fold bool) string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 && !fold {
			return ""
		}
		return string(re.Rune)
	case syntax.OpCapture, syntax.OpPlus:
		return literalOf(re.Sub[0], fold)
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return literalOf(re.Sub[0], fold)
		}
	case syntax.OpConcat:
		best, run := "", ""
		for _, sub := range re.Sub {
			if sub.Op == syntax.OpLiteral && (fold || sub.Flags&syntax.FoldCase == 0) {
				run += string(sub.Rune)
				continue
			}
			if len(run) > len(best) {
				best = run
			}
			run = ""
			if l := literalOf(sub, fold); len(l) > len(best) {
				best = l
			}
		}
		if len(run) > len(best) {
			best = run
		}
		return best
	}
	return ""
}

// usesTextAnchors reports whether re has \A or \z (or ^ and $ without multi-line mode),
// which mean the start and end of each line when a line is matched on its own, but only the
// start and end of the buffer in a buffer-wide search.
func usesTextAnchors(re *syntax.Regexp) bool {
	if re.Op == syntax.OpBeginText || re.Op == syntax.OpEndText {
		return true
	}
	for _, sub := range re.Sub {
		if usesTextAnchors(sub) {
			return true
		}
	}
	return false
}

// letterRarity orders lowercase letters from most to least common in source code and
// prose, to pick the anchor byte that yields the fewest false candidates.
const letterRarity = "etaoinsrhldcumfpgwybvkxjqz"

// foldLiteral returns, for a case-insensitive pattern without an exact literal, a string
// every match contains up to ASCII case, lowercased, with the offset of its rarest letter
// (the anchor byte searched for in both cases). It is the longest run of the pattern's
// required literal made of ASCII characters other than 'k' and 's': under Unicode case
// folding those two also match the Kelvin sign and the long s, which are not ASCII, while
// every other ASCII character folds only within ASCII, so the comparison is exact.
func foldLiteral(re *syntax.Regexp) (lit []byte, anchor int, ok bool) {
	full := literalOf(re, true)
	best, run := "", ""
	for i := 0; i <= len(full); i++ {
		if i < len(full) {
			c := full[i] | 0x20
			if full[i] < 0x80 && c != 'k' && c != 's' {
				run += string(full[i])
				continue
			}
		}
		if len(run) > len(best) {
			best = run
		}
		run = ""
	}
	if best == "" {
		return nil, 0, false
	}
	lit = []byte(strings.ToLower(best))
	rank := -1
	for i, c := range lit {
		if r := strings.IndexByte(letterRarity, c); r > rank {
			rank, anchor = r, i
		}
	}
	return lit, anchor, true
}

// equalFoldASCII compares text with a lowercase ASCII literal, ignoring ASCII case.
func equalFoldASCII(text, lower []byte) bool {
	for i, c := range lower {
		t := text[i]
		if 'A' <= t && t <= 'Z' {
			t += 'a' - 'A'
		}
		if t != c {
			return false
		}
	}
	return true
}
