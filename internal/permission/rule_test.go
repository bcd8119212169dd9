package permission

import (
	"strings"
	"testing"
)

func TestParseRule(t *testing.T) {
	t.Parallel()
	valid := []struct {
		raw, tool, spec string
	}{
		{"Bash", "Bash", ""},
		{"  Bash  ", "Bash", ""},
		{"Bash(*)", "Bash", ""},
		{"Bash(npm run test:*)", "Bash", "npm run test:*"},
		{"Bash(git diff *)", "Bash", "git diff *"},
		{"Bash(npm run build)", "Bash", "npm run build"},
		{"Bash(echo (nested))", "Bash", "echo (nested)"},
		{"Bash(curl http://site.com/:*)", "Bash", "curl http://site.com/:*"},
		{"Read(./secrets/**)", "Read", "./secrets/**"},
		{"Read(~/.ssh/**)", "Read", "~/.ssh/**"},
		{"Read(//etc/passwd)", "Read", "//etc/passwd"},
		{"Read(*.env)", "Read", "*.env"},
		{"Edit(src/**)", "Edit", "src/**"},
		{"Edit(/src/**/*.ts)", "Edit", "/src/**/*.ts"},
		{"Write(docs/**)", "Write", "docs/**"},
		{"WebFetch(domain:example.com)", "WebFetch", "domain:example.com"},
		{"WebFetch(domain:*.example.com)", "WebFetch", "domain:*.example.com"},
		{"WebFetch", "WebFetch", ""},
		{"WebSearch", "WebSearch", ""},
		{"mcp__server__tool", "mcp__server__tool", ""},
		{"mcp__server", "mcp__server", ""},
		{"mcp__server__*", "mcp__server__*", ""},
		{"mcp__my-server__do_thing", "mcp__my-server__do_thing", ""},
		{"Agent(Explore)", "Agent", "Explore"},
		{"TodoWrite", "TodoWrite", ""},
	}
	for _, tc := range valid {
		r, err := ParseRule(tc.raw)
		if err != nil {
			t.Errorf("ParseRule(%q): %v", tc.raw, err)
			continue
		}
		if r.Tool != tc.tool || r.Specifier != tc.spec {
			t.Errorf("ParseRule(%q) = %q, %q; want %q, %q", tc.raw, r.Tool, r.Specifier, tc.tool, tc.spec)
		}
		if r.Raw != strings.TrimSpace(tc.raw) {
			t.Errorf("ParseRule(%q).Raw = %q", tc.raw, r.Raw)
		}
		if r.Source != "" {
			t.Errorf("ParseRule(%q).Source = %q, want empty", tc.raw, r.Source)
		}
	}

	invalid := []struct {
		raw, want string // want: a piece of the error message
	}{
		{"", "empty"},
		{"   ", "empty"},
		{"Bash(", "missing its closing ')'"},
		{"Bash(npm", "missing its closing ')'"},
		{"(x)", "no tool name"},
		{"()", "no tool name"},
		{"Bash()", "empty specifier"},
		{"Bash(  )", "empty specifier"},
		{"Bash(x)y", "text after its closing ')'"},
		{"Bash)", "without a '('"},
		{"Bash x", "tool name"},
		{"1Bash", "tool name"},
		{"Ba*sh", "tool name"},
		{"Bash(:*)", "nothing before :*"},
		{"WebFetch(example.com)", "domain:host"},
		{"WebFetch(domain:)", "no host"},
		{"WebFetch(domain:https://example.com)", "bare host name"},
		{"WebFetch(domain:ex*ample.com)", "leading *."},
		{"Read(src/[abc)", "not a valid glob"},
		{"Edit(src/{a,b)", "not a valid glob"},
	}
	for _, tc := range invalid {
		_, err := ParseRule(tc.raw)
		if err == nil {
			t.Errorf("ParseRule(%q) succeeded, want an error", tc.raw)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseRule(%q) = %v, want it to say %q", tc.raw, err, tc.want)
		}
	}
}

func TestParseRulesSetsSource(t *testing.T) {
	t.Parallel()
	rs, err := ParseRules([]string{"Bash(ls:*)", "Read"}, "--allowedTools")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Source != "--allowedTools" {
			t.Errorf("%s: Source = %q", r, r.Source)
		}
	}
	_, err = ParseRules([]string{"Bash(ls:*)", "Bash("}, "/p/.claude/settings.json")
	if err == nil || !strings.HasPrefix(err.Error(), "/p/.claude/settings.json: ") {
		t.Errorf("error %v does not start with the source", err)
	}
}

func TestParseMode(t *testing.T) {
	t.Parallel()
	for _, m := range Modes() {
		got, err := ParseMode(string(m))
		if err != nil || got != m {
			t.Errorf("ParseMode(%q) = %q, %v", m, got, err)
		}
	}
	if got, err := ParseMode(""); err != nil || got != Default {
		t.Errorf("ParseMode(\"\") = %q, %v; want default", got, err)
	}
	for in, want := range map[string]string{
		"acceptedits": `did you mean "acceptEdits"`,
		"yolo":        "use one of default, acceptEdits",
		"auto":        "not supported",
	} {
		if _, err := ParseMode(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseMode(%q) = %v, want %q", in, err, want)
		}
	}
}

func TestStrings(t *testing.T) {
	t.Parallel()
	for b, want := range map[Behavior]string{Allow: "allow", Ask: "ask", Deny: "deny", 7: "Behavior(7)"} {
		if b.String() != want {
			t.Errorf("%d.String() = %q", int(b), b.String())
		}
	}
	for k, want := range map[Kind]string{Read: "read", Write: "write", Command: "command", Fetch: "fetch", Other: "other"} {
		if k.String() != want {
			t.Errorf("%d.String() = %q", int(k), k.String())
		}
	}
	r := Rule{Tool: "Bash", Specifier: "ls:*"}
	if r.String() != "Bash(ls:*)" {
		t.Errorf("String() = %q", r.String())
	}
}

func TestBashPattern(t *testing.T) {
	t.Parallel()
	cases := []struct {
		spec  string
		yes   []string
		never []string
	}{
		{"npm run test:*", []string{"npm run test", "npm run test -- -v", "npm run test x y"},
			[]string{"npm run testx", "npm run tes", "npm run test:unit", "xnpm run test"}},
		{"git diff *", []string{"git diff", "git diff HEAD", "git diff a b"}, []string{"git diffx", "git dif"}},
		{"ls*", []string{"ls", "lsof", "ls -la"}, []string{"l"}},
		{"git * main", []string{"git log main", "git push origin main"}, []string{"git log mainx", "git main"}},
		{"* --help", []string{"npm --help", "go build --help"}, []string{"npm --helpx"}},
		{"npm run build", []string{"npm run build"}, []string{"npm run build x", "npm run buil"}},
		{`echo \*`, []string{"echo *"}, []string{"echo x"}},
		{"echo a.b", []string{"echo a.b"}, []string{"echo axb"}},
	}
	for _, tc := range cases {
		p, err := compileBashPattern(tc.spec)
		if err != nil {
			t.Fatalf("%q: %v", tc.spec, err)
		}
		for _, s := range tc.yes {
			if !p.match(s) {
				t.Errorf("%q does not match %q", tc.spec, s)
			}
		}
		for _, s := range tc.never {
			if p.match(s) {
				t.Errorf("%q matches %q", tc.spec, s)
			}
		}
	}
}
