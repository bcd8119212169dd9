package permission

import (
	"testing"
)

// The test tree lives under a directory that does not exist, so no symbolic link on the test
// machine can change a result; the link tests build their own tree in t.TempDir.
const (
	testWork  = "/ganban-test/proj"
	testHome  = "/ganban-test/home"
	testExtra = "/ganban-test/extra"
	userFile  = "/ganban-test/home/.claude/settings.json"
)

// rules builds rule lists from settings-style strings; every rule gets userFile as its source.
type rules struct {
	allow, ask, deny []string
}

func mustRules(t testing.TB, raws []string) []Rule {
	t.Helper()
	out, err := ParseRules(raws, userFile)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func newTestChecker(t testing.TB, mode Mode, rs rules) *Checker {
	t.Helper()
	c, err := New(Config{
		Mode:           mode,
		WorkDir:        testWork,
		AdditionalDirs: []string{testExtra},
		Home:           testHome,
		Rules: Rules{
			Allow: mustRules(t, rs.allow),
			Ask:   mustRules(t, rs.ask),
			Deny:  mustRules(t, rs.deny),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func bash(cmd string) Request { return Request{Tool: "Bash", Command: cmd} }

func file(tool, p string) Request { return Request{Tool: tool, Path: p} }
