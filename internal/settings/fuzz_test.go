package settings

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes as the project settings file. Load must never panic; it
// either returns settings (and then the file was JSON) or a *FileError with a real position.
// When it succeeds, adding a permission rule must keep the file loadable and add the rule.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `[]`, `null`, `{"model": "x",}`, "{\n// c\n}", `{"env": {"A": 1}}`,
		`{"env": {"AWS_PROFILE": "", "A=B": "x"}}`, `{"permissions": {"allow": ["Read", 2]}}`,
		`{"permissions": {"allow": ["Bash(a && b)"], "deny": [], "defaultMode": "plan", "additionalDirectories": ["~"]}}`,
		`{"modelOverrides": {"claude-opus-4-7": "arn:x"}, "hooks": {}, "permissions": []}`,
		"\xEF\xBB\xBF{\"model\": \"é\"}", `{"a": {"b": [1, {"c": "\u0000"}]}}`, `{"env": {"X": "\u0000"}}`,
		`{"permissions": {"allow": ["a"]}, "permissions": {"ask": ["b"]}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		root := filepath.Join(dir, "repo")
		path := filepath.Join(root, ".claude", "settings.json")
		writeFile(t, path, string(data))
		writeFile(t, filepath.Join(root, ".git"), "gitdir: x\n")
		opts := Options{WorkDir: root, Home: filepath.Join(dir, "home"),
			Environ: []string{EnvManagedSettings + "=" + filepath.Join(dir, "managed.json"), "X=1"}}
		s, err := Load(opts)
		if err != nil {
			var fe *FileError
			if s != nil || !errors.As(err, &fe) || fe.Line < 1 || fe.Column < 1 || fe.Path != path {
				t.Fatalf("Load = %v, %v", s, err)
			}
			return
		}
		body := bytes.TrimPrefix(data, utf8BOM)
		if len(bytes.TrimSpace(body)) > 0 && !json.Valid(body) {
			t.Fatalf("invalid JSON accepted: %q", data)
		}
		_ = s.Environ()
		_ = s.NotActedOn()
		_ = Render(s.Effective(true), io.Discard)

		if err := AddPermissionRule(path, ListDeny, "Fuzz(rule)"); err != nil {
			t.Fatalf("AddPermissionRule on a loadable file: %v", err)
		}
		s2, err := Load(opts)
		if err != nil {
			t.Fatalf("file not loadable after AddPermissionRule: %v", err)
		}
		found := false
		for _, r := range s2.Permissions().Deny {
			found = found || r.Rule == "Fuzz(rule)"
		}
		if !found {
			t.Fatalf("rule not added to %q", data)
		}
	})
}
