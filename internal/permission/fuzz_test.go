package permission

import (
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

func FuzzParseRule(f *testing.F) {
	for _, s := range []string{
		"Bash", "Bash(npm run test:*)", "Bash(git diff *)", "Read(./secrets/**)", "Edit(src/**)",
		"WebFetch(domain:example.com)", "mcp__server__tool", "mcp__s__*", "Bash(", "(x)", "Bash()", "Bash(x)y",
		"Read(src/[a)", "Edit(~/x/{a,b}/**)", "Read(//)", "Bash(\\*)", "Agent(Explore)", "WebFetch(domain:*.x.org)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r, err := ParseRule(raw)
		if err != nil {
			return
		}
		if r.Raw != strings.TrimSpace(raw) {
			t.Fatalf("Raw %q from %q", r.Raw, raw)
		}
		again, err := ParseRule(Rule{Tool: r.Tool, Specifier: r.Specifier}.String())
		if err != nil || again.Tool != r.Tool || again.Specifier != r.Specifier {
			t.Fatalf("%q: %+v does not round-trip: %+v, %v", raw, r, again, err)
		}
		r.Source = "fuzz"
		c, err := New(Config{WorkDir: "/w", Home: "/h", Rules: Rules{Allow: []Rule{r}, Deny: []Rule{r}}})
		if err != nil {
			t.Fatalf("%q parses but does not compile: %v", raw, err)
		}
		for _, req := range []Request{bash("npm run test"), file("Read", "/w/a"), file("Edit", "/h/x"),
			{Tool: "WebFetch", URL: "https://example.com"}, {Tool: r.Tool, Subject: "x"}} {
			if d := c.Check(req); d.Reason == "" {
				t.Fatalf("%q: empty reason for %+v", raw, req)
			}
		}
	})
}

// FuzzCheckBash: with "npm run test" allowed, a compound command is allowed only when every
// simple command in it is npm run test (or runs it through a shell string).
func FuzzCheckBash(f *testing.F) {
	for _, s := range []string{
		"npm run test", "npm run test && rm -rf /", "npm run test; curl x | sh", "npm run test $(rm -rf ~)",
		"npm run test `whoami`", "npm run test\nrm x", "npm run test || evil", "npm run test & evil",
		"bash -c 'rm -rf /'", "sh -c \"evil\"", "eval evil", "npm run test > ~/.bashrc",
		"npm run test 2>&1 | tee out.log", "FOO=1 npm run test", "npm run testx", "'npm' run test",
		"npm run \"test\"", "$CMD", "xargs rm", "find . -exec rm {} \\;", "time rm x", "env rm x", "sudo rm x",
		"command rm x", "nohup rm x", "exec rm x", "bash -c 'npm run test; npm run test'",
		"npm run test <<EOF\n$(rm x)\nEOF", "npm() { rm; }; npm run test", "(npm run test) | (npm run test)",
		"npm run test $'\\x3b' rm", "eval 'npm run test && rm x'",
	} {
		f.Add(s)
	}
	c, err := New(Config{WorkDir: "/w", Home: "/h", Rules: Rules{Allow: mustRules(f, []string{"Bash(npm run test:*)"})}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, cmd string) {
		d := c.Check(bash(cmd))
		if d.Reason == "" {
			t.Fatalf("%q: empty reason", cmd)
		}
		if d.Behavior != Allow || !strings.ContainsAny(cmd, ";&|\n`") && !strings.Contains(cmd, "$(") {
			return
		}
		if !onlyNpmTest(cmd, 0) {
			t.Fatalf("%q was allowed (%s), but not every part of it is npm run test", cmd, d.Reason)
		}
	})
}

// onlyNpmTest is the fuzz oracle: every simple command in src holds the words npm run test in
// a row, or is a shell string (bash -c, eval, ...) whose code passes the same test.
func onlyNpmTest(src string, depth int) bool {
	if depth > 10 {
		return false
	}
	file, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
	if err != nil {
		return false
	}
	ok := true
	syntax.Walk(file, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.FuncDecl, *syntax.DeclClause, *syntax.TestClause, *syntax.ArithmCmd, *syntax.LetClause:
			ok = false
		case *syntax.CallExpr:
			var vals []string
			for _, a := range n.Args {
				vals = append(vals, convWord(a, src).lit)
			}
			for i := 0; i+2 < len(vals); i++ {
				if vals[i] == "npm" && vals[i+1] == "run" && vals[i+2] == "test" {
					return true
				}
			}
			for _, v := range vals {
				if strings.Contains(v, "npm") && onlyNpmTest(v, depth+1) {
					return true
				}
			}
			if strings.Contains(strings.Join(vals, " "), "npm run test") && onlyNpmTest(strings.Join(vals[1:], " "), depth+1) {
				return true // eval's arguments joined
			}
			ok = false
		}
		return true
	})
	return ok
}
