package permission

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// word is one shell word as the permission check sees it.
type word struct {
	// lit is the word's value after quote removal; meaningful only when !dynamic.
	lit string
	// src is the word as written.
	src string
	// dynamic: part of the value is only known when the shell runs (a parameter, a command
	// substitution, arithmetic, brace expansion, ...).
	dynamic bool
	// pattern: an unquoted glob character, which the shell expands to file names.
	pattern bool
	// tilde: an unquoted leading ~, which the shell expands to a home directory.
	tilde bool
}

// stdinSrc stands for the arguments xargs reads from its input.
const stdinSrc = "<stdin>"

// convWord converts a parsed word, given the source it was parsed from.
func convWord(w *syntax.Word, src string) word {
	out := word{src: source(w, src)}
	var b strings.Builder
	for i, part := range w.Parts {
		switch p := part.(type) {
		case *syntax.Lit:
			v := p.Value
			if i == 0 && strings.HasPrefix(v, "~") {
				out.tilde = true
			}
			if strings.ContainsAny(v, "*?[") || strings.Contains(v, "+(") || strings.Contains(v, "@(") {
				out.pattern = true
			}
			if braceExpands(v) {
				out.dynamic = true
			}
			b.WriteString(unescapeUnquoted(v))
		case *syntax.SglQuoted:
			if !p.Dollar {
				b.WriteString(p.Value)
				continue
			}
			v, ok := decodeANSIC(p.Value)
			if !ok {
				out.dynamic = true
			}
			b.WriteString(v)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if l, ok := q.(*syntax.Lit); ok {
					b.WriteString(unescapeDouble(l.Value))
					continue
				}
				out.dynamic = true
			}
		default:
			out.dynamic = true
		}
	}
	out.lit = b.String()
	return out
}

// source returns the text of a node, given the source it was parsed from.
func source(n syntax.Node, src string) string {
	start, end := n.Pos().Offset(), n.End().Offset()
	if start > end || end > uint(len(src)) {
		return ""
	}
	return src[start:end]
}

// braceExpands reports whether an unquoted literal holds a brace expansion ({a,b} or {1..3}),
// which turns one word into several.
func braceExpands(v string) bool {
	// One pass with a stack: each open brace remembers whether a ',' or ".." was seen at its
	// own level.
	var open []bool
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case '{':
			open = append(open, false)
		case ',':
			if len(open) > 0 {
				open[len(open)-1] = true
			}
		case '.':
			if len(open) > 0 && i+1 < len(v) && v[i+1] == '.' {
				open[len(open)-1] = true
			}
		case '}':
			if len(open) > 0 {
				if open[len(open)-1] {
					return true
				}
				open = open[:len(open)-1]
			}
		}
	}
	return false
}

// unescapeUnquoted removes the backslashes of an unquoted literal: \x is x.
func unescapeUnquoted(v string) string {
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
			if v[i] == '\n' {
				continue // a line continuation
			}
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// unescapeDouble removes the backslashes that are special inside double quotes.
func unescapeDouble(v string) string {
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			switch v[i+1] {
			case '$', '`', '"', '\\':
				i++
			case '\n':
				i++
				continue
			}
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// decodeANSIC decodes the body of a $'...' string. ok is false for escapes it does not know,
// so such a word counts as dynamic.
func decodeANSIC(v string) (string, bool) {
	if !strings.Contains(v, `\`) {
		return v, true
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\\' || i+1 >= len(v) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := v[i]; e {
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'e', 'E':
			b.WriteByte(0x1b)
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case '\\', '\'', '"', '?':
			b.WriteByte(e)
		case 'x', 'u', 'U':
			max := 2
			if e == 'u' {
				max = 4
			} else if e == 'U' {
				max = 8
			}
			j := i + 1
			for j < len(v) && j-i-1 < max && isHex(v[j]) {
				j++
			}
			if j == i+1 {
				return "", false
			}
			n, err := strconv.ParseUint(v[i+1:j], 16, 32)
			if err != nil {
				return "", false
			}
			if e == 'x' {
				b.WriteByte(byte(n))
			} else {
				if !utf8.ValidRune(rune(n)) {
					return "", false
				}
				b.WriteRune(rune(n))
			}
			i = j - 1
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(v) && j-i < 3 && v[j] >= '0' && v[j] <= '7' {
				j++
			}
			n, _ := strconv.ParseUint(v[i:j], 8, 16)
			b.WriteByte(byte(n))
			i = j - 1
		default:
			return "", false
		}
	}
	return b.String(), true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// render joins words the way a rule is written: literal words by value, quoted only where the
// shell would need it, and the others as written. Quoting tricks ('npm' run "test") thus
// render as the plain command, while a single word holding spaces cannot pass for several.
func render(ws []word) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		if w.dynamic {
			parts[i] = w.src
		} else {
			parts[i] = quoteIfNeeded(w.lit)
		}
	}
	return strings.Join(parts, " ")
}

// renderSource joins the words as written.
func renderSource(ws []word) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.src
	}
	return strings.Join(parts, " ")
}

func quoteIfNeeded(s string) string {
	if s == "" {
		return "''"
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.ContainsRune("-_./:=@%+,^~*?[]{}#!", c)) {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}

// literals returns the values of words, and false if any of them is dynamic.
func literals(ws []word) ([]string, bool) {
	out := make([]string, len(ws))
	for i, w := range ws {
		if w.dynamic {
			return nil, false
		}
		out[i] = w.lit
	}
	return out, true
}
