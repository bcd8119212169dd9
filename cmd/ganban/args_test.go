package main

import (
	"slices"
	"testing"
)

const testID = "1507326d-93f1-4c8a-a4b7-6f5b1c2d3e4f"

// TestNormalizeArgs: Claude Code's multi-word --allowedTools and the -r ID forms become
// what pflag reads; prompts, other flags' values and subcommands are left alone.
func TestNormalizeArgs(t *testing.T) {
	cases := []struct {
		in, want []string
	}{
		{[]string{"-p", "fix it", "--allowedTools", "Edit", "Bash(go test:*)"},
			[]string{"-p", "fix it", "--allowedTools", "Edit", "--allowedTools=Bash(go test:*)"}},
		{[]string{"-p", "--allowedTools", "Edit", "Bash(go test:*)", "fix the tests"},
			[]string{"-p", "--allowedTools", "Edit", "--allowedTools=Bash(go test:*)", "fix the tests"}},
		{[]string{"--allowedTools=Edit", "Read,Grep", "-p", "x"},
			[]string{"--allowedTools=Edit", "--allowedTools=Read,Grep", "-p", "x"}},
		{[]string{"--disallowedTools", "WebFetch", "mcp__github", "-p", "x"},
			[]string{"--disallowedTools", "WebFetch", "--disallowedTools=mcp__github", "-p", "x"}},
		{[]string{"--allowedTools", "Edit Bash(git diff *)", "-p", "x"}, []string{"--allowedTools", "Edit Bash(git diff *)", "-p", "x"}},
		{[]string{"-p", "--allowedTools", "Edit", "Fix it"}, []string{"-p", "--allowedTools", "Edit", "Fix it"}},
		{[]string{"-p", "--allowedTools", "Edit", "--", "Read"}, []string{"-p", "--allowedTools", "Edit", "--", "Read"}},

		{[]string{"-p", "recall it", "--resume", testID}, []string{"-p", "recall it", "--resume=" + testID}},
		{[]string{"--resume", testID, "-p", "x"}, []string{"--resume=" + testID, "-p", "x"}},
		{[]string{"-r", testID}, []string{"-r=" + testID}},
		{[]string{"-r", testID[:8], "hello"}, []string{"-r=" + testID[:8], "hello"}},
		{[]string{"-pr", testID, "x"}, []string{"-pr=" + testID, "x"}},
		{[]string{"-r", "fix the tests"}, []string{"-r", "fix the tests"}},
		{[]string{"-r"}, []string{"-r"}},
		{[]string{"-r", "-c"}, []string{"-r", "-c"}},
		{[]string{"-p", "-r", "old-style-id", "x"}, []string{"-p", "-r=old-style-id", "x"}},
		{[]string{"-r", "old-style-id", "--print", "x"}, []string{"-r=old-style-id", "--print", "x"}},
		{[]string{"-r", "old-style-id", "--print=false"}, []string{"-r", "old-style-id", "--print=false"}},
		{[]string{"--resume=" + testID, "-p", "x"}, []string{"--resume=" + testID, "-p", "x"}},

		{[]string{"--model", "-r", "-p", "x"}, []string{"--model", "-r", "-p", "x"}},
		{[]string{"--append-system-prompt", "Edit", "-p", "x"}, []string{"--append-system-prompt", "Edit", "-p", "x"}},
		{[]string{"sessions"}, []string{"sessions"}},
		{[]string{"sim", "--addr", "127.0.0.1:0"}, []string{"sim", "--addr", "127.0.0.1:0"}},
	}
	for _, tc := range cases {
		if got := normalizeArgs(newRootCmd(), tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("normalizeArgs(%q)\n = %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestLooksLikeSessionID(t *testing.T) {
	for s, want := range map[string]bool{
		testID: true, testID[:8]: true, testID[:13]: true, "1507326D": true,
		"1507326": false, testID + "0": false, "fix-the-tests": false, "1507326d_93f1": false, "../../x": false,
	} {
		if got := looksLikeSessionID(s); got != want {
			t.Errorf("looksLikeSessionID(%q) = %v, want %v", s, got, want)
		}
	}
}
