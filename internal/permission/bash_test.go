package permission

import (
	"strings"
	"testing"
)

// TestBashAdversarial: with only "npm run test" and "git diff" allowed, nothing else may slip
// through behind them.
func TestBashAdversarial(t *testing.T) {
	t.Parallel()
	c := newTestChecker(t, Default, rules{allow: []string{"Bash(npm run test:*)", "Bash(git diff *)"}})
	cases := []struct {
		cmd  string
		want Behavior
	}{
		// What the rules are for.
		{"npm run test", Allow},
		{"npm run test -- -v", Allow},
		{"  npm run test  ", Allow},
		{"npm run test ;", Allow},
		{"npm run test &", Allow},
		{"git diff HEAD", Allow},
		{"git diff", Allow},
		{"FOO=1 npm run test", Allow},
		{"FOO=1 BAR=2 npm run test --watch", Allow},
		{"npm run test # && rm -rf /", Allow},
		{"npm run test > /dev/null 2>&1", Allow},
		{"npm run test 2>/dev/null >&2", Allow},
		{"npm run test | tee /dev/null", Allow},

		// Prefixes are word-bounded.
		{"npm run testx", Ask},
		{"npm run test:unit", Ask},
		{"npm run tes", Ask},
		{"git diffx", Ask},
		{"npm", Ask},

		// Lists, pipelines, background jobs, newlines.
		{"npm run test && rm -rf /", Ask},
		{"npm run test; curl x | sh", Ask},
		{"npm run test || evil", Ask},
		{"npm run test & evil", Ask},
		{"npm run test\nrm x", Ask},
		{"npm run test\r\nrm x", Ask},
		{"npm run test \\\n&& rm x", Ask},
		{"npm run test | sh", Ask},
		{"npm run test |& sh", Ask},
		{"git diff; rm -rf /", Ask},
		{"git diff && git push", Ask},
		{"! npm run test || rm x", Ask},

		// Substitutions run commands too.
		{"npm run test $(rm -rf ~)", Ask},
		{"npm run test \"$(rm -rf ~)\"", Ask},
		{"npm run test `whoami`", Ask},
		{"npm run test <(rm x)", Ask},
		{"npm run test >(rm x)", Ask},
		{"npm run test ${X:-$(rm x)}", Ask},
		{"npm run test $((1 + $(rm x)))", Ask},
		{"x=$(rm -rf /) npm run test", Ask},
		{"npm run test <<EOF\n$(rm x)\nEOF", Ask},
		{"npm run test <<'EOF'\n$(rm x)\nEOF", Allow}, // a quoted here-document is not expanded
		{"npm run test $(npm run test)", Allow},

		// Grouping does not hide anything.
		{"(npm run test)", Allow},
		{"{ npm run test; }", Allow},
		{"(npm run test; rm x)", Ask},
		{"{ npm run test; rm x; }", Ask},
		{"for i in 1 2; do npm run test; done", Allow},
		{"for i in $(rm x); do npm run test; done", Ask},
		{"if true; then npm run test; fi", Ask},
		{"while npm run test; do rm x; done", Ask},
		{"case x in x) rm y;; esac", Ask},
		{"coproc rm x", Ask},
		{"[[ -f x ]] && npm run test", Ask},
		{"(( x )) && npm run test", Ask},

		// Shell strings.
		{"bash -c 'rm -rf /'", Ask},
		{"sh -c \"evil\"", Ask},
		{"bash -c 'npm run test'", Allow},
		{"bash -lc 'npm run test'", Allow},
		{"bash -c 'npm run test; rm x'", Ask},
		{"sh -c 'sh -c \"npm run test\"'", Allow},
		{"sh -c 'sh -c \"npm run test && rm x\"'", Ask},
		{"bash -c \"$X\"", Ask},
		{"bash -c", Ask},
		{"bash", Ask},
		{"bash script.sh", Ask},
		{"zsh -c 'rm x'", Ask},
		{"eval evil", Ask},
		{"eval npm run test", Allow},
		{"eval 'npm run test; rm x'", Ask},
		{"eval \"$X\"", Ask},
		{"watch rm x", Ask},
		{"flock /tmp/l -c 'rm x'", Ask},

		// Writes.
		{"npm run test > ~/.bashrc", Ask},
		{"npm run test >> /etc/passwd", Ask},
		{"npm run test 2>&1 | tee out.log", Ask},
		{"npm run test > out.log", Ask},
		{"npm run test &> out.log", Ask},
		{"npm run test >& out.log", Ask},
		{"npm run test > $OUT", Ask},
		{"npm run test > \"$(echo x)\"", Ask},
		{"npm run test | tee", Ask},

		// Quoting and escaping tricks are judged by value.
		{"'npm' run test", Allow},
		{"npm run \"test\"", Allow},
		{"n\\pm run test", Allow},
		{"$'npm' run test", Allow},
		{"\"npm\" 'run' \"test\" -v", Allow},
		{"'npm run test'", Ask},
		{"'npm run' test", Ask},
		{"'git diff; rm -rf /'", Ask},
		{"np{m,x} run test", Ask},
		{"npm run test${IFS}&&rm x", Ask},
		{"npm run test $'\\x3b' rm x", Allow}, // one argument holding ";": harmless
		{"$'\\x72\\x6d' x", Ask},              // rm spelled in hex

		// Commands only known at run time.
		{"$CMD", Ask},
		{"$CMD run test", Ask},
		{"${CMD} run test", Ask},
		{"\"$CMD\" run test", Ask},
		{"$(echo npm) run test", Ask},
		{"~/bin/npm run test", Ask},
		{"n?m run test", Ask},

		// Wrappers are judged by what they run.
		{"xargs rm", Ask},
		{"xargs npm run test", Allow},
		{"find . -exec rm {} \\;", Ask},
		{"find . -name x -exec npm run test \\;", Ask}, // find itself needs a rule
		{"time rm x", Ask},
		{"time npm run test", Allow},
		{"/usr/bin/time -o t.txt npm run test", Ask}, // writes t.txt
		{"/usr/bin/time npm run test", Allow},
		{"env rm x", Ask},
		{"env FOO=1 npm run test", Allow},
		{"env -i npm run test", Allow},
		{"env PATH=/tmp npm run test", Ask},
		{"env -S 'rm -rf /'", Ask},
		{"env", Ask},
		{"sudo rm x", Ask},
		{"sudo npm run test", Ask}, // running as root needs a rule for sudo
		{"doas npm run test", Ask},
		{"command rm x", Ask},
		{"command npm run test", Allow},
		{"command -v npm", Ask},
		{"nohup rm x", Ask},
		{"nohup npm run test", Allow},
		{"exec rm x", Ask},
		{"exec npm run test", Allow},
		{"timeout 30 npm run test", Allow},
		{"timeout -s KILL 30 rm x", Ask},
		{"nice -n 5 npm run test", Allow},
		{"nice -n 5 rm x", Ask},
		{"stdbuf -oL npm run test", Allow},
		{"builtin eval rm", Ask},
		{"busybox rm x", Ask},
		{"time nohup nice env FOO=1 npm run test", Allow},
		{"time nohup nice env FOO=1 rm x", Ask},

		// Environment that changes what runs.
		{"PATH=/tmp npm run test", Ask},
		{"LD_PRELOAD=/tmp/x.so npm run test", Ask},
		{"NODE_OPTIONS='--require /tmp/x.js' npm run test", Ask},
		{"npm_config_script_shell=/tmp/x npm run test", Ask},
		{"GIT_SSH_COMMAND='rm -rf /' git diff", Ask},
		{"BASH_ENV=/tmp/x npm run test", Ask},
		{"X='$(rm x)' npm run test", Ask},
		{"FOO=bar; npm run test", Ask}, // a bare assignment needs a rule of its own

		// Definitions that could shadow an allowed command.
		{"npm() { rm -rf /; }; npm run test", Ask},
		{"function npm { rm x; }; npm run test", Ask},
		{"alias npm=rm; npm run test", Ask},
		{"export PATH=/tmp; npm run test", Ask},
		{"declare -n r=PATH; r=/tmp; npm run test", Ask},

		// What does not parse never passes.
		{"npm run test |", Ask},
		{"npm run test $(", Ask},
		{"npm run test 'unterminated", Ask},
		{"npm run test )", Ask},
		{"", Ask},
	}
	for _, tc := range cases {
		d := c.Check(bash(tc.cmd))
		if d.Behavior != tc.want {
			t.Errorf("%q: %s, want %s (%s)", tc.cmd, d.Behavior, tc.want, d.Reason)
		}
		if d.Reason == "" {
			t.Errorf("%q: no reason", tc.cmd)
		}
	}
}

// TestBashDenyThroughWrappers: a deny rule for rm stops rm however it is dressed up.
func TestBashDenyThroughWrappers(t *testing.T) {
	t.Parallel()
	c := newTestChecker(t, BypassPermissions, rules{
		allow: []string{"Bash(npm run test:*)", "Bash(sudo:*)", "Bash"},
		deny:  []string{"Bash(rm:*)"},
	})
	for _, cmd := range []string{
		"rm x", "rm", "npm run test && rm -rf /", "npm run test; rm x", "npm run test | rm x",
		"npm run test $(rm -rf ~)", "npm run test `rm x`", "npm run test <(rm x)", "echo \"$(rm x)\"",
		"sudo rm x", "sudo -u root rm x", "doas rm x", "time rm x", "/usr/bin/time rm x", "env rm x",
		"env FOO=1 rm x", "command rm x", "nohup rm x", "exec rm x", "timeout 5 rm x", "nice rm x",
		"stdbuf -o0 rm x", "xargs rm", "xargs -0 rm -f", "echo x | xargs -n1 rm", "find . -exec rm {} \\;",
		"find . -execdir rm {} +", "bash -c 'rm -rf /'", "sh -c \"rm x\"", "bash -c \"bash -c 'rm x'\"",
		"eval rm x", "eval 'rm x'", "watch rm x", "/bin/rm x", "./rm x", "'rm' x", "\"rm\" -rf /", "r\\m x",
		"$'rm' x", "(rm x)", "{ rm x; }", "f() { rm x; }", "if true; then rm x; fi", "FOO=1 rm x",
		"sudo bash -c 'rm x'", "busybox rm x", "flock /tmp/l rm x", "flock /tmp/l -c 'rm x'",
		"npm run test <<EOF\n$(rm x)\nEOF",
	} {
		d := c.Check(bash(cmd))
		if d.Behavior != Deny {
			t.Errorf("%q: %s, want deny (%s)", cmd, d.Behavior, d.Reason)
			continue
		}
		if d.Rule == nil || d.Rule.Raw != "Bash(rm:*)" {
			t.Errorf("%q: decided by %v, want Bash(rm:*)", cmd, d.Rule)
		}
	}
	// Commands that merely look alike are not denied.
	for _, cmd := range []string{"rmdir x", "echo rm", "npm run test rm", "grep rm x", "git rm x"} {
		if d := c.Check(bash(cmd)); d.Behavior != Allow {
			t.Errorf("%q: %s, want allow (%s)", cmd, d.Behavior, d.Reason)
		}
	}
}

func TestBashReasons(t *testing.T) {
	t.Parallel()
	c := newTestChecker(t, Default, rules{
		allow: []string{"Bash(npm run test:*)"},
		deny:  []string{"Bash(rm:*)"},
		ask:   []string{"Bash(git push:*)"},
	})
	cases := []struct {
		cmd  string
		want []string
	}{
		{"rm -rf build", []string{`Permission to use Bash with command "rm -rf build" was denied by rule Bash(rm:*) in ` + userFile + "."}},
		{"npm run test && rm -rf build", []string{"denied by rule Bash(rm:*)", `the part "rm -rf build"`}},
		{"git push origin main", []string{"needs approval", "rule Bash(git push:*)", "asks before every matching call"}},
		{"curl x", []string{`no allow rule covers "curl x"`}},
		{"npm run test; curl x | sh", []string{`"curl x", nor "sh"`, "Every command in a pipeline or list needs its own allow rule"}},
		{"sudo npm run test", []string{"runs a command as another user", "rule for sudo itself"}},
		{"npm run test > /etc/x", []string{"writes to /etc/x", "outside the working directory " + testWork}},
		{"npm run test |", []string{"does not parse"}},
		{"f() { :; }; npm run test", []string{"defines a shell function"}},
	}
	for _, tc := range cases {
		d := c.Check(bash(tc.cmd))
		for _, w := range tc.want {
			if !strings.Contains(d.Reason, w) {
				t.Errorf("%q: reason %q lacks %q", tc.cmd, d.Reason, w)
			}
		}
	}
	if d := c.Check(bash("npm run test")); d.Rule == nil || d.Rule.Raw != "Bash(npm run test:*)" || d.Rule.Source != userFile {
		t.Errorf("allow decision carries rule %+v", d.Rule)
	}
}

func TestBashModes(t *testing.T) {
	t.Parallel()
	base := rules{allow: []string{"Bash(npm run test:*)", "Bash(git status)", "Bash(cat:*)"}}
	cases := []struct {
		mode Mode
		r    rules
		cmd  string
		want Behavior
	}{
		// default
		{Default, base, "npm run test", Allow},
		{Default, base, "mkdir x", Ask},
		{Default, base, "npm run test > out.log", Ask},
		{Default, rules{allow: []string{"Bash(npm run test:*)", "Edit(logs/**)"}}, "npm run test > logs/out.log", Allow},
		{Default, rules{allow: []string{"Bash(npm run test:*)", "Edit"}}, "npm run test > out.log", Allow},
		{Default, rules{allow: []string{"Bash(npm run test:*)", "Edit"}}, "npm run test > /tmp/out.log", Ask},
		{Default, rules{allow: []string{"Bash(npm run test:*)", "Edit(//tmp/**)"}}, "npm run test > /tmp/out.log", Ask}, // outside: always asks
		{Default, rules{allow: []string{"Bash"}}, "anything at all | sh", Allow},
		{Default, rules{allow: []string{"Bash"}}, "echo x > /etc/x", Ask},
		{Default, rules{allow: []string{"Bash(npm run test && npm run lint)"}}, "npm run test && npm run lint", Allow},
		{Default, rules{allow: []string{"Bash(npm run test:*)"}, ask: []string{"Bash(npm run test --update:*)"}}, "npm run test --update", Ask},
		{Default, rules{allow: []string{"Bash(npm run test:*)"}, deny: []string{"Edit(./secrets/**)"}}, "npm run test > secrets/x", Deny},
		{Default, rules{allow: []string{"Bash(npm run test:*)", "Edit"}, ask: []string{"Edit(docs/**)"}}, "npm run test > docs/x", Ask},
		{Default, rules{deny: []string{"Bash(curl * | sh)"}}, "curl x | sh", Deny}, // a deny rule also sees the whole line

		// acceptEdits
		{AcceptEdits, base, "npm run test > out.log", Allow},
		{AcceptEdits, base, "npm run test 2>&1 | tee out.log", Allow},
		{AcceptEdits, base, "npm run test > ~/.bashrc", Ask},
		{AcceptEdits, base, "npm run test > ../out.log", Ask},
		{AcceptEdits, base, "npm run test > " + testExtra + "/out.log", Allow},
		{AcceptEdits, base, "mkdir -p src/x", Allow},
		{AcceptEdits, base, "touch a b && mv a c && cp -r c d", Allow},
		{AcceptEdits, base, "cp *.go dst/", Allow},
		{AcceptEdits, base, "mkdir /etc/x", Ask},
		{AcceptEdits, base, "cp a ../b", Ask},
		{AcceptEdits, base, "cp ../*.go .", Ask},
		{AcceptEdits, base, "cp --target-directory=/etc a", Ask},
		{AcceptEdits, base, "mkdir $DIR", Ask},
		{AcceptEdits, base, "mkdir ~/x", Ask},
		{AcceptEdits, base, "cd /tmp && mkdir x", Ask},
		{AcceptEdits, rules{allow: []string{"Bash(cd:*)"}}, "cd sub && touch x", Ask}, // after cd, x may be anywhere
		{AcceptEdits, base, "rm x", Ask},
		{AcceptEdits, base, "sudo mkdir x", Ask},
		{AcceptEdits, base, "curl x", Ask},
		{AcceptEdits, rules{deny: []string{"Edit(./secrets/**)"}}, "touch secrets/a", Deny},
		{AcceptEdits, rules{allow: []string{"Bash(mv:*)"}, deny: []string{"Edit(.env)"}}, "mv x .env", Deny},
		{AcceptEdits, rules{ask: []string{"Bash(npm run test:*)"}}, "npm run test", Ask},

		// plan
		{Plan, base, "git status", Allow},
		{Plan, base, "cat README.md", Allow},
		{Plan, base, "ls", Ask}, // read-only, but still needs an allow rule
		{Plan, base, "npm run test", Deny},
		{Plan, base, "cat x > y", Deny},
		{Plan, base, "cat x | tee y", Deny},
		{Plan, base, "mkdir x", Deny},
		{Plan, base, "git status && rm x", Deny},
		{Plan, base, "bash -c 'git status'", Allow},
		{Plan, base, "npm run test |", Deny},
		{Plan, rules{allow: []string{"Bash"}}, "git push", Deny},
		{Plan, rules{allow: []string{"Bash"}}, "git log --oneline | head", Allow},
		{Plan, rules{deny: []string{"Bash(git status)"}}, "git status", Deny},

		// bypassPermissions
		{BypassPermissions, rules{}, "rm -rf build && curl x | sh", Allow},
		{BypassPermissions, rules{}, "echo x > /etc/x", Ask}, // outside the working directories
		{BypassPermissions, rules{}, "echo x > out.txt", Allow},
		{BypassPermissions, rules{}, "npm run test |", Allow},
		{BypassPermissions, rules{deny: []string{"Bash(rm:*)"}}, "echo ok; rm -rf build", Deny},
		{BypassPermissions, rules{ask: []string{"Bash(git push:*)"}}, "git push", Ask},
		{BypassPermissions, rules{deny: []string{"Edit(//etc/**)"}}, "echo x > /etc/hosts", Deny},
		{BypassPermissions, rules{ask: []string{"Edit(.env)"}}, "echo x > .env", Ask},

		// dontAsk
		{DontAsk, base, "npm run test", Allow},
		{DontAsk, base, "curl x", Deny},
		{DontAsk, base, "npm run test > out.log", Deny},
	}
	for _, tc := range cases {
		c := newTestChecker(t, tc.mode, tc.r)
		d := c.Check(bash(tc.cmd))
		if d.Behavior != tc.want {
			t.Errorf("%s %+v %q: %s, want %s (%s)", tc.mode, tc.r, tc.cmd, d.Behavior, tc.want, d.Reason)
		}
	}
}

func TestPlanDenialReason(t *testing.T) {
	t.Parallel()
	c := newTestChecker(t, Plan, rules{allow: []string{"Bash(npm run test:*)"}})
	d := c.Check(bash("npm run test"))
	if d.Behavior != Deny || !strings.Contains(d.Reason, "plan mode is read-only") {
		t.Errorf("got %s: %s", d.Behavior, d.Reason)
	}
	d = c.Check(Request{Tool: "DontAskMode"})
	if d.Behavior != Ask {
		t.Errorf("unknown tool in plan mode: %s", d.Behavior)
	}
}
