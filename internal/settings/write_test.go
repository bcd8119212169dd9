package settings

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestAddPermissionRuleCreates(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := f.path(ScopeLocal) // .claude does not exist yet
	if err := AddPermissionRule(path, ListAllow, "Bash(make && make test)"); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"permissions\": {\n    \"allow\": [\n      \"Bash(make && make test)\"\n    ]\n  }\n}\n"
	if string(got) != want {
		t.Errorf("file = %q\nwant %q", got, want)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v", fi.Mode())
	}
	// Adding it again changes nothing.
	if err := AddPermissionRule(path, ListAllow, "Bash(make && make test)"); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(path); string(again) != want {
		t.Errorf("second add changed the file: %q", again)
	}
	s := f.load()
	if a := s.Permissions().Allow; len(a) != 1 || a[0].Rule != "Bash(make && make test)" || a[0].Source.Scope != ScopeLocal {
		t.Errorf("Allow = %+v", a)
	}
}

func TestAddPermissionRulePreserves(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, before, list, rule string
		wantKeys                 []string // top-level keys after
		wantPermKeys             []string
		want                     map[string][]string // the lists after
	}{
		{
			name:         "append to an existing list",
			before:       `{"z": 1, "env": {"B": "2", "A": "1"}, "permissions": {"deny": ["X"], "defaultMode": "plan", "allow": ["Read"]}, "a": [1, 2]}`,
			list:         ListAllow,
			rule:         "Edit",
			wantKeys:     []string{"z", "env", "permissions", "a"},
			wantPermKeys: []string{"deny", "defaultMode", "allow"},
			want:         map[string][]string{ListAllow: {"Read", "Edit"}, ListDeny: {"X"}},
		},
		{
			name:         "new list in an existing block",
			before:       "{\n\t\"permissions\": {\"deny\": [\"X\"], \"futureKey\": {\"k\": [true]}},\n\t\"hooks\": {}\n}",
			list:         ListAsk,
			rule:         "Bash(git push:*)",
			wantKeys:     []string{"permissions", "hooks"},
			wantPermKeys: []string{"deny", "futureKey", "ask"},
			want:         map[string][]string{ListAsk: {"Bash(git push:*)"}, ListDeny: {"X"}},
		},
		{
			name:         "new block",
			before:       `{"model": "m", "env": {}}`,
			list:         ListDeny,
			rule:         "WebFetch",
			wantKeys:     []string{"model", "env", "permissions"},
			wantPermKeys: []string{"deny"},
			want:         map[string][]string{ListDeny: {"WebFetch"}},
		},
		{
			name:         "empty file",
			before:       "\n",
			list:         ListAllow,
			rule:         "Read",
			wantKeys:     []string{"permissions"},
			wantPermKeys: []string{"allow"},
			want:         map[string][]string{ListAllow: {"Read"}},
		},
		{
			name:         "already there",
			before:       `{"permissions": {"allow": ["Read"]}}`,
			list:         ListAllow,
			rule:         "Read",
			wantKeys:     []string{"permissions"},
			wantPermKeys: []string{"allow"},
			want:         map[string][]string{ListAllow: {"Read"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "settings.json")
			writeFile(t, path, tc.before)
			if err := os.Chmod(path, 0o640); err != nil {
				t.Fatal(err)
			}
			if err := AddPermissionRule(path, tc.list, tc.rule); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			c, err := parse(path, data)
			if err != nil {
				t.Fatalf("result does not parse: %v\n%s", err, data)
			}
			if !reflect.DeepEqual(c.Keys, tc.wantKeys) || !reflect.DeepEqual(c.Permissions.Keys, tc.wantPermKeys) {
				t.Errorf("keys %q / %q, want %q / %q\n%s", c.Keys, c.Permissions.Keys, tc.wantKeys, tc.wantPermKeys, data)
			}
			got := map[string][]string{}
			for list, rules := range map[string][]string{ListAllow: c.Permissions.Allow, ListAsk: c.Permissions.Ask, ListDeny: c.Permissions.Deny} {
				if rules != nil {
					got[list] = rules
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("lists = %q, want %q", got, tc.want)
			}
			if before, _ := parse(path, []byte(tc.before)); before != nil {
				for k, v := range before.Other {
					if string(c.Other[k]) != compact(t, v) && compact(t, c.Other[k]) != compact(t, v) {
						t.Errorf("%s changed: %s -> %s", k, v, c.Other[k])
					}
				}
				if !reflect.DeepEqual(before.Env, c.Env) || !reflect.DeepEqual(before.Model, c.Model) {
					t.Errorf("env or model changed:\n%s", data)
				}
			}
			if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
				t.Errorf("mode = %v, want it kept", fi.Mode())
			}
			entries, _ := os.ReadDir(filepath.Dir(path))
			if len(entries) != 1 {
				t.Errorf("temporary files left: %v", entries)
			}
		})
	}
}

func compact(t *testing.T, raw []byte) string {
	t.Helper()
	return strings.Join(strings.Fields(string(raw)), "")
}

func TestAddPermissionRuleRefuses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.json")
	const brokenText = "{\n  // a comment\n}"
	writeFile(t, broken, brokenText)
	err := AddPermissionRule(broken, ListAllow, "Read")
	if err == nil || !strings.Contains(err.Error(), broken+":2:3") {
		t.Errorf("broken file: err = %v", err)
	}
	if data, _ := os.ReadFile(broken); string(data) != brokenText {
		t.Errorf("broken file was rewritten: %q", data)
	}
	wrong := filepath.Join(dir, "wrong.json")
	writeFile(t, wrong, `{"permissions": {"allow": "Read"}}`)
	if err := AddPermissionRule(wrong, ListAllow, "Edit"); err == nil {
		t.Error("allow as a string: no error")
	}
	if err := AddPermissionRule(filepath.Join(dir, "x.json"), "always", "Read"); err == nil {
		t.Error("unknown list: no error")
	}
	if err := AddPermissionRule(filepath.Join(dir, "x.json"), ListAllow, " "); err == nil {
		t.Error("empty rule: no error")
	}
}

func TestAddPermissionRuleFollowsSymlink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles", "settings.json")
	writeFile(t, real, `{"model": "m"}`)
	link := filepath.Join(dir, "settings.json")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symlinks:", err)
	}
	if err := AddPermissionRule(link, ListAllow, "Read"); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link replaced: %v %v", fi, err)
	}
	if data, _ := os.ReadFile(real); !strings.Contains(string(data), `"Read"`) {
		t.Errorf("target = %s", data)
	}
}

func TestRemovePermissionRule(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "settings.local.json")
	os.WriteFile(path, []byte(`{"model": "x", "permissions": {"allow": ["Edit", "Bash(make:*)"], "deny": ["Read(.env)"]}, "env": {"A": "1"}}`), 0o640)
	removed, err := RemovePermissionRule(path, ListAllow, "Edit")
	if err != nil || !removed {
		t.Fatalf("remove: %v %v", removed, err)
	}
	data, _ := os.ReadFile(path)
	got := string(data)
	if strings.Contains(got, `"Edit"`) || !strings.Contains(got, `"Bash(make:*)"`) || !strings.Contains(got, `"Read(.env)"`) ||
		strings.Index(got, `"model"`) > strings.Index(got, `"env"`) {
		t.Errorf("after removal:\n%s", got)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	if removed, err := RemovePermissionRule(path, ListAllow, "Edit"); err != nil || removed {
		t.Errorf("second removal: %v %v", removed, err)
	}
	if removed, err := RemovePermissionRule(filepath.Join(dir, "missing.json"), ListAllow, "Edit"); err != nil || removed {
		t.Errorf("missing file: %v %v", removed, err)
	}
	os.WriteFile(path, []byte(`{"permissions": `), 0o600)
	if _, err := RemovePermissionRule(path, ListAllow, "Edit"); err == nil {
		t.Error("a broken file was rewritten")
	}
	if b, _ := os.ReadFile(path); string(b) != `{"permissions": ` {
		t.Errorf("the broken file changed: %q", b)
	}
}
