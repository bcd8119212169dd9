package main

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"ganban/internal/bootstrap"
)

// Claude Code's command line has two flag forms pflag cannot read: values that go on over
// several words (--allowedTools Edit "Bash(go test:*)") and an optional value given as a word
// of its own (-r ID). normalizeArgs rewrites them into forms pflag reads (--allowedTools Edit
// --allowedTools "Bash(go test:*)", -r=ID) before cobra parses the command line, so that the
// scripts written for that agent keep working.

// variadicFlags take every following word that looks like a tool rule.
var variadicFlags = map[string]bool{"allowedTools": true, "disallowedTools": true}

// toolRule is the shape of one tool rule: a capitalised tool name or an MCP name, with an
// optional specifier. It tells rules from the words of a prompt ("fix the tests").
var toolRule = regexp.MustCompile(`^([A-Z][A-Za-z0-9_]*|mcp__[A-Za-z0-9_*-]+)(\(.*\))?$`)

// normalizeArgs rewrites the root command's arguments; a subcommand's are left alone.
func normalizeArgs(root *cobra.Command, args []string) []string {
	if cmd, _, err := root.Find(args); err != nil || cmd != root {
		return args
	}
	fs := root.Flags()
	print := printMode(fs, args)
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		f, inline := lookup(fs, a)
		switch {
		case f == nil:
		case variadicFlags[f.Name]:
			if !inline && i+1 < len(args) {
				out = append(out, a)
				i++
				a = args[i]
			}
			for i+1 < len(args) && looksLikeRules(args[i+1]) {
				out = append(out, a)
				i++
				a = "--" + f.Name + "=" + args[i]
			}
		case f.Name == "resume":
			if !inline && i+1 < len(args) && resumeValue(args[i+1], print) {
				i++
				a += "=" + args[i]
			}
		case takesValue(f) && !inline && i+1 < len(args):
			// Keep a flag's value next to it, so it is never read as a flag of its own.
			out = append(out, a)
			i++
			a = args[i]
		}
		out = append(out, a)
	}
	return out
}

// lookup returns the flag a word names, and whether the word holds the flag's value too
// (--flag=value, -r=value). It is nil for other words. In a group of shorthands (-pc) the last
// one is the flag that may take a value.
func lookup(fs *pflag.FlagSet, a string) (*pflag.Flag, bool) {
	switch {
	case strings.HasPrefix(a, "--") && len(a) > 2:
		name, _, inline := strings.Cut(a[2:], "=")
		return fs.Lookup(name), inline
	case strings.HasPrefix(a, "-") && len(a) > 1:
		group, _, inline := strings.Cut(a[1:], "=")
		if group == "" {
			return nil, false
		}
		return fs.ShorthandLookup(group[len(group)-1:]), inline
	}
	return nil, false
}

func takesValue(f *pflag.Flag) bool { return f.NoOptDefVal == "" }

// printMode reports whether the command line asks for print mode (-p, --print, -pc).
func printMode(fs *pflag.FlagSet, args []string) bool {
	for i := 0; i < len(args) && args[i] != "--"; i++ {
		a := args[i]
		f, inline := lookup(fs, a)
		switch {
		case f == nil:
		case f.Name == "print":
			_, v, _ := strings.Cut(a, "=")
			if on, err := strconv.ParseBool(v); !inline || err == nil && on {
				return true
			}
		case !strings.HasPrefix(a, "--") && !inline && strings.ContainsRune(a[1:], 'p'):
			return true // -cp
		case takesValue(f) && !inline:
			i++
		}
	}
	return false
}

// resumeValue reports whether the word after -r is its value: a session ID (as Claude Code
// decides), or in print mode, where -r always needs one, any word that is not a flag.
func resumeValue(next string, print bool) bool {
	if strings.HasPrefix(next, "-") {
		return false
	}
	return looksLikeSessionID(next) || print
}

// sessionIDShape is a UUID; a session ID may be given by its first 8 characters or more.
const sessionIDShape = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"

func looksLikeSessionID(s string) bool {
	if len(s) < 8 || len(s) > len(sessionIDShape) {
		return false
	}
	for i, c := range []byte(s) {
		hex := c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
		if sessionIDShape[i] == '-' && c != '-' || sessionIDShape[i] == 'x' && !hex {
			return false
		}
	}
	return true
}

// looksLikeRules reports whether a word is a list of tool rules rather than a prompt or a
// subcommand: every rule in it has a rule's shape.
func looksLikeRules(word string) bool {
	rules := bootstrap.SplitToolList([]string{word})
	for _, r := range rules {
		if !toolRule.MatchString(r) {
			return false
		}
	}
	return len(rules) > 0
}
