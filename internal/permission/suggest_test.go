package permission

import "testing"

func TestSuggest(t *testing.T) {
	t.Parallel()
	cases := []struct {
		req  Request
		want string
	}{
		{bash("npm run test -- -v"), "Bash(npm run test:*)"},
		{bash("npm run test"), "Bash(npm run test:*)"},
		{bash("npm run test:unit --watch"), "Bash(npm run test:unit:*)"},
		{bash("git diff HEAD~1"), "Bash(git diff:*)"},
		{bash("git status"), "Bash(git status:*)"},
		{bash("ls -la"), "Bash(ls:*)"},
		{bash("go test ./..."), "Bash(go test:*)"},
		{bash("python script.py"), "Bash(python:*)"},
		{bash("make"), "Bash(make:*)"},
		{bash("FOO=1 npm run build"), "Bash(npm run build:*)"},
		{bash("timeout 30 npm test"), "Bash(npm test:*)"},
		{bash("'npm' run lint"), "Bash(npm run lint:*)"},
		{bash("npm run test | tee out.log"), "Bash(npm run test:*)"},
		{bash("rm -rf build"), "Bash(rm -rf build)"},
		{bash("sudo apt-get install jq"), "Bash(sudo apt-get install jq)"},
		{bash("bash -c 'make'"), "Bash(bash -c 'make')"},
		{bash("echo a*"), "Bash(echo:*)"},
		{bash("rm *.tmp"), `Bash(rm \*.tmp)`},
		{bash("$CMD x"), "Bash($CMD x)"},
		{bash("npm run test |"), "Bash(npm run test |)"},
		{file("Edit", "src/a.go"), "Edit(src/**)"},
		{file("Write", "a.go"), "Edit(./**)"},
		{file("Write", "/tmp/x/a.go"), "Edit(//tmp/x/**)"},
		{file("Read", "/etc/hosts"), "Read(//etc/**)"},
		{file("Read", "/hosts"), "Read(//**)"},
		{file("Grep", "/usr/share"), "Read(//usr/share/**)"},
		{file("LS", "docs"), "Read(docs/**)"},
		{file("MultiEdit", "a[1]/x.go"), `Edit(a\[1\]/**)`},
		{Request{Tool: "WebFetch", URL: "https://Docs.Example.com/a?b"}, "WebFetch(domain:docs.example.com)"},
		{Request{Tool: "WebFetch", URL: "::"}, "WebFetch"},
		{Request{Tool: "WebSearch"}, "WebSearch"},
		{Request{Tool: "mcp__s__t"}, "mcp__s__t"},
	}
	for _, tc := range cases {
		got := Suggest(tc.req)
		if got.String() != tc.want {
			t.Errorf("Suggest(%+v) = %s, want %s", tc.req, got, tc.want)
		}
		if _, err := ParseRule(got.Raw); err != nil {
			t.Errorf("Suggest(%+v) = %s, which does not parse: %v", tc.req, got, err)
		}
	}
}

func TestCheckerSuggest(t *testing.T) {
	t.Parallel()
	c := newTestChecker(t, Default, rules{allow: []string{"Bash(npm run test:*)"}})
	cases := []struct {
		req  Request
		want string
	}{
		{file("Edit", testWork+"/src/pkg/a.go"), "Edit(src/pkg/**)"},
		{file("Write", testWork+"/a.go"), "Edit(./**)"},
		{file("Write", testHome+"/.config/x/y"), "Edit(~/.config/x/**)"},
		{file("Read", testHome+"/notes.txt"), "Read(~/**)"},
		{file("Read", "/etc/hosts"), "Read(//etc/**)"},
		{file("Edit", "src/a.go"), "Edit(src/**)"},
		{bash("npm run test && go vet ./..."), "Bash(go vet:*)"},
		{bash("npm run test; rm -rf x"), "Bash(rm -rf x)"},
		{bash("go build"), "Bash(go build:*)"},
		{bash("npm run test > logs/out.log"), "Edit(logs/**)"},
		{bash("npm run test | tee /tmp/t/out.log"), "Edit(//tmp/t/**)"},
	}
	for _, tc := range cases {
		got := c.Suggest(tc.req)
		if got.String() != tc.want {
			t.Errorf("Suggest(%+v) = %s, want %s", tc.req, got, tc.want)
		}
	}
	// What Suggest proposes, once allowed, covers the call it was made for (after a prompt or two).
	for _, req := range []Request{
		bash("go vet ./... -v"), bash("rm -rf build"), bash("npm run test > out.log"), bash("rm *.tmp"), bash("bash -c 'make'"), bash("sudo make install"), bash("echo 'a b' \"c*\""), bash("ls *.go"),
		file("Write", testWork+"/src/deep/x.go"), file("Write", testWork+"/a[1]/{b}/x*.go"), file("Read", "/opt/data/x.csv"),
		{Tool: "WebFetch", URL: "https://pkg.go.dev/x"}, {Tool: "mcp__a__b"},
	} {
		c := newTestChecker(t, Default, rules{})
		var added []string
		for range 3 { // one rule per prompt: a command and the file it writes take two
			if c.Check(req).Behavior == Allow {
				break
			}
			r := c.Suggest(req)
			added = append(added, r.String())
			c.AllowForSession(r)
		}
		if d := c.Check(req); d.Behavior != Allow {
			t.Errorf("%+v: after allowing %v: %s (%s)", req, added, d.Behavior, d.Reason)
		}
	}
	// Except a change outside the working directories: no rule allows it.
	c = newTestChecker(t, Default, rules{})
	req := file("Edit", testHome+"/.bashrc")
	c.AllowForSession(c.Suggest(req))
	if d := c.Check(req); d.Behavior != Ask {
		t.Errorf("an edit outside, after allowing %s: %s", c.Suggest(req), d.Behavior)
	}
}
