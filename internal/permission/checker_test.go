package permission

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNewValidates(t *testing.T) {
	t.Parallel()
	bad := []struct {
		cfg  Config
		want string
	}{
		{Config{}, "absolute"},
		{Config{WorkDir: "rel/dir"}, "absolute"},
		{Config{WorkDir: "/w", Mode: "yolo"}, "unknown permission mode"},
		{Config{WorkDir: "/w", Home: "home"}, "home directory"},
		{Config{WorkDir: "/w", AdditionalDirs: []string{"~/x"}}, "no home directory"},
		{Config{WorkDir: "/w", Rules: Rules{Allow: []Rule{{Specifier: "x"}}}}, "no tool name"},
		{Config{WorkDir: "/w", Rules: Rules{Deny: []Rule{{Tool: "WebFetch", Specifier: "example.com", Source: "/s.json"}}}}, "/s.json"},
	}
	for _, tc := range bad {
		if _, err := New(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error saying %q", tc.cfg, err, tc.want)
		}
	}
	c, err := New(Config{WorkDir: "/w"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Mode() != Default {
		t.Errorf("mode %q, want default", c.Mode())
	}
}

// TestPathRules covers the forms of path specifiers and how they meet paths in and out of the
// working directories.
func TestPathRules(t *testing.T) {
	t.Parallel()
	w, h := testWork, testHome
	cases := []struct {
		name string
		mode Mode
		r    rules
		req  Request
		want Behavior
	}{
		// Reads: free inside, ask outside.
		{"read inside", Default, rules{}, file("Read", w+"/src/a.go"), Allow},
		{"read relative path", Default, rules{}, file("Read", "src/a.go"), Allow},
		{"read additional dir", Default, rules{}, file("Read", testExtra+"/x"), Allow},
		{"read outside", Default, rules{}, file("Read", "/etc/passwd"), Ask},
		{"read parent via ..", Default, rules{}, file("Read", w+"/../other/x"), Ask},
		{"read outside allowed by path", Default, rules{allow: []string{"Read(//etc/**)"}}, file("Read", "/etc/passwd"), Allow},
		{"bare Read does not reach outside", Default, rules{allow: []string{"Read"}}, file("Read", "/etc/passwd"), Ask},
		{"glob root inside", Default, rules{}, file("Glob", w), Allow},
		{"grep root empty is workdir", Default, rules{}, Request{Tool: "Grep"}, Allow},
		{"grep root outside", Default, rules{}, file("Grep", "/usr/share"), Ask},
		{"LS outside allowed by ~", Default, rules{allow: []string{"Read(~/notes/**)"}}, file("LS", h+"/notes/x"), Allow},

		// Deny and ask on reads.
		{"./ anchors", Default, rules{deny: []string{"Read(./.env)"}}, file("Read", w+"/.env"), Deny},
		{"./ anchors, not deeper", Default, rules{deny: []string{"Read(./.env)"}}, file("Read", w+"/sub/.env"), Allow},
		{"bare name at any depth", Default, rules{deny: []string{"Read(.env)"}}, file("Read", w+"/sub/.env"), Deny},
		{"bare glob at any depth", Default, rules{deny: []string{"Read(*.pem)"}}, file("Read", w+"/a/b/key.pem"), Deny},
		{"bare glob, other name", Default, rules{deny: []string{"Read(*.pem)"}}, file("Read", w+"/a/b/key.pub"), Allow},
		{"directory covers contents", Default, rules{deny: []string{"Read(./secrets)"}}, file("Read", w+"/secrets/a/b.txt"), Deny},
		{"doublestar", Default, rules{deny: []string{"Read(./secrets/**)"}}, file("Read", w+"/secrets/a/b.txt"), Deny},
		{"doublestar in the middle", Default, rules{deny: []string{"Read(src/**/*.key)"}}, file("Read", w+"/src/a/b/c.key"), Deny},
		{"doublestar in the middle, miss", Default, rules{deny: []string{"Read(src/**/*.key)"}}, file("Read", w+"/lib/c.key"), Allow},
		{"leading / is the working directory", Default, rules{deny: []string{"Read(/secrets/**)"}}, file("Read", w+"/secrets/x"), Deny},
		{"leading / is not the root", Default, rules{deny: []string{"Read(/etc/**)"}}, file("Read", "/etc/passwd"), Ask},
		{"// is the root", Default, rules{deny: []string{"Read(//etc/**)"}}, file("Read", "/etc/passwd"), Deny},
		{"~ is home", Default, rules{deny: []string{"Read(~/.ssh/**)"}}, file("Read", h+"/.ssh/id_rsa"), Deny},
		{"~ path in the request", Default, rules{deny: []string{"Read(~/.ssh/**)"}}, file("Read", "~/.ssh/id_rsa"), Deny},
		{"dir-only pattern, file below", Default, rules{deny: []string{"Read(cache/)"}}, file("Read", w+"/a/cache/x"), Deny},
		{"deny Read covers Grep", Default, rules{deny: []string{"Read(./secrets/**)"}}, file("Grep", w+"/secrets/x"), Deny},
		{"deny Read in bypass", BypassPermissions, rules{deny: []string{"Read(.env)"}}, file("Read", w+"/.env"), Deny},
		{"ask Read", Default, rules{ask: []string{"Read(./big/**)"}}, file("Read", w+"/big/x"), Ask},
		{"deny beats allow", Default, rules{allow: []string{"Read(//etc/**)"}, deny: []string{"Read(//etc/shadow)"}}, file("Read", "/etc/shadow"), Deny},
		{"ask beats allow", Default, rules{allow: []string{"Read(//etc/**)"}, ask: []string{"Read(//etc/shadow)"}}, file("Read", "/etc/shadow"), Ask},
		{"Read rule is not an Edit rule", Default, rules{deny: []string{"Read(.env)"}}, file("Write", w+"/.env"), Ask},

		// Writes.
		{"write inside, default", Default, rules{}, file("Write", w+"/a.go"), Ask},
		{"write allowed by Edit path", Default, rules{allow: []string{"Edit(src/**)"}}, file("Write", w+"/src/a.go"), Allow},
		{"Edit path rule elsewhere", Default, rules{allow: []string{"Edit(src/**)"}}, file("Edit", w+"/docs/a.md"), Ask},
		{"Edit covers MultiEdit", Default, rules{allow: []string{"Edit(src/**)"}}, file("MultiEdit", w+"/src/a.go"), Allow},
		{"Edit covers NotebookEdit", Default, rules{allow: []string{"Edit"}}, file("NotebookEdit", w+"/n.ipynb"), Allow},
		{"Write rule covers Write only", Default, rules{allow: []string{"Write(docs/**)"}}, file("Edit", w+"/docs/a.md"), Ask},
		{"Write rule covers Write", Default, rules{allow: []string{"Write(docs/**)"}}, file("Write", w+"/docs/a.md"), Allow},
		{"bare Edit stays inside", Default, rules{allow: []string{"Edit"}}, file("Write", "/tmp/x"), Ask},
		{"Edit path outside still asks", Default, rules{allow: []string{"Edit(//tmp/**)"}}, file("Write", "/tmp/x"), Ask},
		{"Edit path outside in acceptEdits", AcceptEdits, rules{allow: []string{"Edit(//tmp/**)"}}, file("Write", "/tmp/x"), Ask},
		{"Edit path in an additional dir", Default, rules{allow: []string{"Edit(//" + testExtra[1:] + "/**)"}}, file("Write", testExtra+"/a.go"), Allow},
		{"deny beats outside", Default, rules{deny: []string{"Edit(//tmp/**)"}}, file("Write", "/tmp/x"), Deny},
		{"plan outside", Plan, rules{}, file("Write", "/tmp/x"), Deny},
		{"dontAsk outside", DontAsk, rules{allow: []string{"Edit(//tmp/**)"}}, file("Write", "/tmp/x"), Deny},
		{"acceptEdits inside", AcceptEdits, rules{}, file("Edit", w+"/a.go"), Allow},
		{"acceptEdits additional dir", AcceptEdits, rules{}, file("Write", testExtra+"/a.go"), Allow},
		{"acceptEdits outside", AcceptEdits, rules{}, file("Write", h+"/.bashrc"), Ask},
		{"acceptEdits ask rule", AcceptEdits, rules{ask: []string{"Edit(docs/**)"}}, file("Edit", w+"/docs/a.md"), Ask},
		{"acceptEdits deny rule", AcceptEdits, rules{deny: []string{"Edit(.git/**)"}}, file("Edit", w+"/.git/config"), Deny},
		{"plan write", Plan, rules{allow: []string{"Edit"}}, file("Write", w+"/a.go"), Deny},
		{"plan read", Plan, rules{}, file("Read", w+"/a.go"), Allow},
		{"plan read outside", Plan, rules{}, file("Read", "/etc/hosts"), Ask},
		{"bypass outside still asks", BypassPermissions, rules{}, file("Write", "/etc/hosts"), Ask},
		{"bypass reads outside", BypassPermissions, rules{}, file("Read", "/etc/hosts"), Allow},
		{"bypass ask rule", BypassPermissions, rules{ask: []string{"Edit(//etc/**)"}}, file("Write", "/etc/hosts"), Ask},
		{"dontAsk write", DontAsk, rules{}, file("Write", w+"/a.go"), Deny},
		{"dontAsk read", DontAsk, rules{}, file("Read", w+"/a.go"), Allow},
		{"dontAsk allowed", DontAsk, rules{allow: []string{"Edit"}}, file("Write", w+"/a.go"), Allow},
	}
	for _, tc := range cases {
		c := newTestChecker(t, tc.mode, tc.r)
		d := c.Check(tc.req)
		if d.Behavior != tc.want {
			t.Errorf("%s: %s, want %s (%s)", tc.name, d.Behavior, tc.want, d.Reason)
		}
		if d.Reason == "" {
			t.Errorf("%s: no reason", tc.name)
		}
	}
}

func TestPathReasons(t *testing.T) {
	t.Parallel()
	c := newTestChecker(t, Default, rules{deny: []string{"Read(~/.ssh/**)"}})
	d := c.Check(file("Read", testHome+"/.ssh/id_rsa"))
	want := "Permission to use Read on " + testHome + "/.ssh/id_rsa was denied by rule Read(~/.ssh/**) in " + userFile + "."
	if d.Reason != want {
		t.Errorf("reason %q\nwant   %q", d.Reason, want)
	}
	d = c.Check(file("Write", "/etc/hosts"))
	for _, s := range []string{"outside the working directory " + testWork, "additional directories " + testExtra} {
		if !strings.Contains(d.Reason, s) {
			t.Errorf("reason %q lacks %q", d.Reason, s)
		}
	}
	if !strings.Contains(d.Hint, "--add-dir /etc") {
		t.Errorf("hint %q does not name --add-dir /etc", d.Hint)
	}
	if d := c.Check(file("Write", testWork+"/a.go")); d.Hint != "" {
		t.Errorf("an edit an allow rule could cover has the hint %q", d.Hint)
	}
}

// TestSymlinks: a link inside the project that points elsewhere does not carry the project's
// permissions, and deny rules see through it.
func TestSymlinks(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	work := filepath.Join(root, "proj")
	outside := filepath.Join(root, "outside")
	for _, d := range []string{filepath.Join(work, "src"), outside, filepath.Join(work, ".git", "hooks")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	mustLink := func(target, link string) {
		t.Helper()
		if err := os.Symlink(target, link); err != nil {
			t.Skipf("symlinks unavailable: %v", err)
		}
	}
	mustLink(outside, filepath.Join(work, "out"))
	mustLink(filepath.Join(work, ".git", "hooks"), filepath.Join(work, "src", "hooks"))
	mustLink(filepath.Join(outside, "missing.txt"), filepath.Join(work, "dangling"))
	mustLink(work, filepath.Join(root, "alias"))

	mk := func(mode Mode, r rules) *Checker {
		c, err := New(Config{Mode: mode, WorkDir: work, Rules: Rules{
			Allow: mustRules(t, r.allow), Ask: mustRules(t, r.ask), Deny: mustRules(t, r.deny)}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	cases := []struct {
		name string
		mode Mode
		r    rules
		req  Request
		want Behavior
	}{
		{"write through link to outside", AcceptEdits, rules{}, file("Write", filepath.Join(work, "out", "x")), Ask},
		{"write through dangling link", AcceptEdits, rules{}, file("Write", filepath.Join(work, "dangling")), Ask},
		{"read through link to outside", Default, rules{}, file("Read", filepath.Join(work, "out", "x")), Ask},
		{"allow rule does not follow the link name", Default, rules{allow: []string{"Edit(src/**)"}}, file("Write", filepath.Join(work, "src", "hooks", "pre-commit")), Ask},
		{"deny rule sees the real path", Default, rules{deny: []string{"Read(./.git/**)"}}, file("Read", filepath.Join(work, "src", "hooks", "pre-commit")), Deny},
		{"deny rule on the outside target", Default, rules{deny: []string{"Read(//" + strings.TrimPrefix(outside, "/") + "/**)"}}, file("Read", filepath.Join(work, "out", "x")), Deny},
		{"work dir reached by a link", AcceptEdits, rules{}, file("Write", filepath.Join(root, "alias", "a.go")), Allow},
		{"bash redirect through link", AcceptEdits, rules{allow: []string{"Bash(echo:*)"}}, bash("echo x > out/x"), Ask},
		{"bash redirect inside", AcceptEdits, rules{allow: []string{"Bash(echo:*)"}}, bash("echo x > src/x"), Allow},
	}
	for _, tc := range cases {
		d := mk(tc.mode, tc.r).Check(tc.req)
		if d.Behavior != tc.want {
			t.Errorf("%s: %s, want %s (%s)", tc.name, d.Behavior, tc.want, d.Reason)
		}
	}
}

func TestFetch(t *testing.T) {
	t.Parallel()
	fetch := func(u string) Request { return Request{Tool: "WebFetch", URL: u} }
	cases := []struct {
		name string
		mode Mode
		r    rules
		req  Request
		want Behavior
	}{
		{"no rule", Default, rules{}, fetch("https://example.com/x"), Ask},
		{"domain rule", Default, rules{allow: []string{"WebFetch(domain:example.com)"}}, fetch("https://example.com/x"), Allow},
		{"domain rule, port and case", Default, rules{allow: []string{"WebFetch(domain:example.com)"}}, fetch("https://EXAMPLE.com:8443/x"), Allow},
		{"domain rule, other host", Default, rules{allow: []string{"WebFetch(domain:example.com)"}}, fetch("https://example.com.evil.net/"), Ask},
		{"domain rule, subdomain", Default, rules{allow: []string{"WebFetch(domain:example.com)"}}, fetch("https://api.example.com/"), Ask},
		{"wildcard subdomain", Default, rules{allow: []string{"WebFetch(domain:*.example.com)"}}, fetch("https://api.example.com/"), Allow},
		{"wildcard is not the apex", Default, rules{allow: []string{"WebFetch(domain:*.example.com)"}}, fetch("https://example.com/"), Ask},
		{"userinfo trick", Default, rules{allow: []string{"WebFetch(domain:example.com)"}}, fetch("https://example.com@evil.net/"), Ask},
		{"bare WebFetch", Default, rules{allow: []string{"WebFetch"}}, fetch("https://any.where/"), Allow},
		{"deny domain", BypassPermissions, rules{deny: []string{"WebFetch(domain:evil.net)"}}, fetch("http://evil.net/"), Deny},
		{"plan", Plan, rules{allow: []string{"WebFetch"}}, fetch("https://example.com/"), Deny},
		{"acceptEdits asks", AcceptEdits, rules{}, fetch("https://example.com/"), Ask},
		{"no host", Default, rules{allow: []string{"WebFetch(domain:example.com)"}}, fetch("not a url"), Ask},
		{"WebSearch", Default, rules{allow: []string{"WebSearch"}}, Request{Tool: "WebSearch"}, Allow},
		{"WebSearch no rule", Default, rules{}, Request{Tool: "WebSearch"}, Ask},
	}
	for _, tc := range cases {
		d := newTestChecker(t, tc.mode, tc.r).Check(tc.req)
		if d.Behavior != tc.want {
			t.Errorf("%s: %s, want %s (%s)", tc.name, d.Behavior, tc.want, d.Reason)
		}
	}
	d := newTestChecker(t, Default, rules{}).Check(fetch("https://example.com/x"))
	if !strings.Contains(d.Reason, "WebFetch(domain:example.com)") {
		t.Errorf("reason %q does not name the rule that would allow it", d.Reason)
	}
}

func TestOtherTools(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		mode Mode
		r    rules
		req  Request
		want Behavior
	}{
		{"todo list", Default, rules{}, Request{Tool: "TodoWrite"}, Allow},
		{"todo list in plan", Plan, rules{}, Request{Tool: "TodoWrite"}, Allow},
		{"todo list denied", Default, rules{deny: []string{"TodoWrite"}}, Request{Tool: "TodoWrite"}, Deny},
		{"mcp no rule", Default, rules{}, Request{Tool: "mcp__github__create_issue"}, Ask},
		{"mcp exact", Default, rules{allow: []string{"mcp__github__create_issue"}}, Request{Tool: "mcp__github__create_issue"}, Allow},
		{"mcp server", Default, rules{allow: []string{"mcp__github"}}, Request{Tool: "mcp__github__create_issue"}, Allow},
		{"mcp server star", Default, rules{allow: []string{"mcp__github__*"}}, Request{Tool: "mcp__github__create_issue"}, Allow},
		{"mcp other server", Default, rules{allow: []string{"mcp__git"}}, Request{Tool: "mcp__github__create_issue"}, Ask},
		{"mcp deny server", BypassPermissions, rules{deny: []string{"mcp__github"}}, Request{Tool: "mcp__github__x"}, Deny},
		{"mcp bypass", BypassPermissions, rules{}, Request{Tool: "mcp__github__x"}, Allow},
		{"subject rule", Default, rules{allow: []string{"Agent(Explore)"}}, Request{Tool: "Skill", Subject: "Explore"}, Ask},
		{"subject rule match", Default, rules{allow: []string{"Skill(pdf*)"}}, Request{Tool: "Skill", Subject: "pdf-tools"}, Allow},
		{"subject rule miss", Default, rules{allow: []string{"Skill(pdf*)"}}, Request{Tool: "Skill", Subject: "docx"}, Ask},
		{"unknown kind defaults to other", Default, rules{}, Request{Tool: "Mystery"}, Ask},
		{"declared read kind", Default, rules{}, Request{Tool: "mcp__fs__read", Kind: Read, Path: testWork + "/a"}, Allow},
		{"name beats kind", Default, rules{}, Request{Tool: "Bash", Kind: Read, Command: "rm -rf /"}, Ask},
		{"name beats kind for writes", Default, rules{}, Request{Tool: "Write", Kind: Read, Path: testWork + "/a"}, Ask},
	}
	for _, tc := range cases {
		d := newTestChecker(t, tc.mode, tc.r).Check(tc.req)
		if d.Behavior != tc.want {
			t.Errorf("%s: %s, want %s (%s)", tc.name, d.Behavior, tc.want, d.Reason)
		}
	}
}

// TestModeMatrix runs one request of each kind through every mode with no rules, and with an
// allow, an ask and a deny rule that match it.
func TestModeMatrix(t *testing.T) {
	t.Parallel()
	type kindCase struct {
		req  Request
		rule string
	}
	kinds := map[string]kindCase{
		"read":    {file("Read", testWork+"/a.go"), "Read(./a.go)"},
		"readOut": {file("Read", "/etc/hosts"), "Read(//etc/hosts)"},
		"write":   {file("Write", testWork+"/a.go"), "Edit(./a.go)"},
		"command": {bash("make build"), "Bash(make build:*)"},
		"fetch":   {Request{Tool: "WebFetch", URL: "https://example.com"}, "WebFetch(domain:example.com)"},
		"mcp":     {Request{Tool: "mcp__s__t"}, "mcp__s__t"},
	}
	const A, Q, D = Allow, Ask, Deny
	// want[kind][mode] for: no rule, allow rule, ask rule, deny rule.
	want := map[string]map[Mode][4]Behavior{
		"read": {
			Default: {A, A, Q, D}, AcceptEdits: {A, A, Q, D}, Plan: {A, A, Q, D}, BypassPermissions: {A, A, Q, D}, DontAsk: {A, A, D, D},
		},
		"readOut": {
			Default: {Q, A, Q, D}, AcceptEdits: {Q, A, Q, D}, Plan: {Q, A, Q, D}, BypassPermissions: {A, A, Q, D}, DontAsk: {D, A, D, D},
		},
		"write": {
			Default: {Q, A, Q, D}, AcceptEdits: {A, A, Q, D}, Plan: {D, D, D, D}, BypassPermissions: {A, A, Q, D}, DontAsk: {D, A, D, D},
		},
		"command": {
			Default: {Q, A, Q, D}, AcceptEdits: {Q, A, Q, D}, Plan: {D, D, D, D}, BypassPermissions: {A, A, Q, D}, DontAsk: {D, A, D, D},
		},
		"fetch": {
			Default: {Q, A, Q, D}, AcceptEdits: {Q, A, Q, D}, Plan: {D, D, D, D}, BypassPermissions: {A, A, Q, D}, DontAsk: {D, A, D, D},
		},
		"mcp": {
			Default: {Q, A, Q, D}, AcceptEdits: {Q, A, Q, D}, Plan: {Q, A, Q, D}, BypassPermissions: {A, A, Q, D}, DontAsk: {D, A, D, D},
		},
	}
	for name, kc := range kinds {
		for mode, wants := range want[name] {
			for i, r := range []rules{{}, {allow: []string{kc.rule}}, {ask: []string{kc.rule}}, {deny: []string{kc.rule}}} {
				d := newTestChecker(t, mode, r).Check(kc.req)
				if d.Behavior != wants[i] {
					t.Errorf("%s in %s with %+v: %s, want %s (%s)", name, mode, r, d.Behavior, wants[i], d.Reason)
				}
				// Ask and deny rules always name themselves in the decision.
				if (i == 2 && mode != Plan || i == 3) && (d.Rule == nil || d.Rule.Raw != kc.rule) {
					t.Errorf("%s in %s with %+v: decided by %v, want %s", name, mode, r, d.Rule, kc.rule)
				}
			}
		}
	}
}

func TestSetMode(t *testing.T) {
	t.Parallel()
	c := newTestChecker(t, Default, rules{})
	w := file("Write", testWork+"/a.go")
	if d := c.Check(w); d.Behavior != Ask {
		t.Fatalf("default: %s", d.Behavior)
	}
	c.SetMode(AcceptEdits)
	if d := c.Check(w); d.Behavior != Allow {
		t.Fatalf("acceptEdits: %s", d.Behavior)
	}
	c.SetMode("nonsense")
	if c.Mode() != AcceptEdits {
		t.Fatalf("an unknown mode changed the mode to %q", c.Mode())
	}
	c.SetMode(Plan)
	if d := c.Check(w); d.Behavior != Deny {
		t.Fatalf("plan: %s", d.Behavior)
	}
}

func TestAllowForSession(t *testing.T) {
	t.Parallel()
	c := newTestChecker(t, Default, rules{deny: []string{"Bash(npm publish:*)"}})
	req := bash("npm run test -- -v")
	if d := c.Check(req); d.Behavior != Ask {
		t.Fatalf("before: %s", d.Behavior)
	}
	c.AllowForSession(c.Suggest(req))
	d := c.Check(req)
	if d.Behavior != Allow || d.Rule == nil || d.Rule.Source != SessionSource {
		t.Fatalf("after: %s %+v", d.Behavior, d.Rule)
	}
	if !strings.Contains(d.Reason, "given for this session") {
		t.Errorf("reason %q", d.Reason)
	}
	// A session rule never beats a deny rule.
	c.AllowForSession(Rule{Tool: "Bash"})
	if d := c.Check(bash("npm publish")); d.Behavior != Deny {
		t.Errorf("session allow beat a deny rule: %s", d.Behavior)
	}
	// A rule that does not parse is dropped rather than matching everything.
	c2 := newTestChecker(t, Default, rules{})
	c2.AllowForSession(Rule{Tool: "WebFetch", Specifier: "not-a-domain"})
	if d := c2.Check(Request{Tool: "WebFetch", URL: "https://x.org"}); d.Behavior != Ask {
		t.Errorf("bad session rule: %s", d.Behavior)
	}
}

// TestReadDenied: what a search tool may show. Only deny rules on reads hide a file.
func TestReadDenied(t *testing.T) {
	t.Parallel()
	w := testWork
	cases := []struct {
		name string
		mode Mode
		r    rules
		path string
		want bool
	}{
		{"no rules", Default, rules{}, w + "/secrets/key", false},
		{"directory rule", Default, rules{deny: []string{"Read(./secrets/**)"}}, w + "/secrets/key", true},
		{"directory rule, elsewhere", Default, rules{deny: []string{"Read(./secrets/**)"}}, w + "/src/key", false},
		{"bare name at any depth", Default, rules{deny: []string{"Read(.env)"}}, w + "/a/b/.env", true},
		{"relative path", Default, rules{deny: []string{"Read(.env)"}}, "sub/.env", true},
		{"a whole-tool Read rule", Default, rules{deny: []string{"Read"}}, w + "/a.go", true},
		{"an Edit rule does not hide", Default, rules{deny: []string{"Edit(./secrets/**)"}}, w + "/secrets/key", false},
		{"a Grep rule does not hide", Default, rules{deny: []string{"Grep(./secrets/**)"}}, w + "/secrets/key", false},
		{"an ask rule does not hide", Default, rules{ask: []string{"Read(./secrets/**)"}}, w + "/secrets/key", false},
		{"outside in dontAsk is listed", DontAsk, rules{deny: []string{"Read(.env)"}}, "/etc/hosts", false},
		{"home rule", BypassPermissions, rules{deny: []string{"Read(~/.ssh/**)"}}, testHome + "/.ssh/id_rsa", true},
	}
	for _, tc := range cases {
		if got := newTestChecker(t, tc.mode, tc.r).ReadDenied(tc.path); got != tc.want {
			t.Errorf("%s: ReadDenied(%s) = %v, want %v", tc.name, tc.path, got, tc.want)
		}
	}
}

func TestDeniesTool(t *testing.T) {
	t.Parallel()
	cases := []struct {
		deny []string
		tool string
		want bool
	}{
		{nil, "WebFetch", false},
		{[]string{"WebFetch"}, "WebFetch", true},
		{[]string{"WebFetch(domain:evil.net)"}, "WebFetch", false},
		{[]string{"Edit"}, "Write", true},
		{[]string{"Edit"}, "Read", false},
		{[]string{"Read"}, "Grep", true},
		{[]string{"Bash(*)"}, "Bash", true},
		{[]string{"Bash(rm:*)"}, "Bash", false},
		{[]string{"mcp__github"}, "mcp__github__issue", true},
	}
	for _, tc := range cases {
		if got := newTestChecker(t, Default, rules{deny: tc.deny}).DeniesTool(tc.tool); got != tc.want {
			t.Errorf("deny %v: DeniesTool(%s) = %v, want %v", tc.deny, tc.tool, got, tc.want)
		}
	}
	if newTestChecker(t, Default, rules{ask: []string{"WebFetch"}}).DeniesTool("WebFetch") {
		t.Error("an ask rule denies the tool")
	}
}
