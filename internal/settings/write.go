package settings

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// AddPermissionRule adds rule to the list ("allow", "ask" or "deny") of the permissions block
// of the settings file at path, as the UI's "always allow" does for LocalFile. The file and
// its directory are created when missing. Every other key is kept, in its order; the file is
// re-indented with two spaces. A rule already in the list is not added twice. The file is
// replaced atomically (temporary file and rename in the same directory), keeping its mode,
// and a symbolic link is followed rather than replaced. A file that does not parse is left
// untouched and reported, never overwritten.
//
// Two processes adding rules to the same file at the same moment can lose one of the rules;
// the file is never corrupted.
func AddPermissionRule(path, list, rule string) error {
	switch list {
	case ListAllow, ListAsk, ListDeny:
	default:
		return fmt.Errorf("settings: add permission rule: unknown list %q (want allow, ask or deny)", list)
	}
	if strings.TrimSpace(rule) == "" {
		return errors.New("settings: add permission rule: empty rule")
	}
	target := path
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved
	}
	perm := fs.FileMode(0o600) // a new local file may later hold env secrets
	data, err := os.ReadFile(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		data = nil
	case err != nil:
		return fmt.Errorf("settings: add permission rule: %w", err)
	default:
		if fi, err := os.Stat(target); err == nil {
			perm = fi.Mode().Perm()
		}
	}
	c, err := parse(target, data)
	if err != nil {
		return fmt.Errorf("settings: add permission rule: %w", err)
	}
	existing := map[string][]string{ListAllow: c.Permissions.Allow, ListAsk: c.Permissions.Ask, ListDeny: c.Permissions.Deny}[list]
	if slices.Contains(existing, rule) {
		return nil
	}
	out, err := withRule(bytes.TrimPrefix(data, utf8BOM), list, rule)
	if err != nil {
		return fmt.Errorf("settings: add permission rule: %w", err)
	}
	if err := writeAtomic(target, out, perm); err != nil {
		return fmt.Errorf("settings: add permission rule: %w", err)
	}
	return nil
}

// withRule returns data (a valid settings file, possibly empty) with rule appended to
// permissions.<list>.
func withRule(data []byte, list, rule string) ([]byte, error) {
	var top []member
	if start := skipSpace(data, 0); start < len(data) {
		top = walk(data[start:], start)
	}
	ruleJSON := quoteJSON(rule)
	// JSON.parse keeps the last of repeated keys, so that is the one to change.
	pi := lastIndex(top, "permissions")
	if pi < 0 {
		top = append(top, member{key: "permissions", raw: objectJSON([]member{{key: list, raw: arrayJSON([]json.RawMessage{ruleJSON})}})})
	} else {
		perms := walk(top[pi].raw, 0)
		if li := lastIndex(perms, list); li < 0 {
			perms = append(perms, member{key: list, raw: arrayJSON([]json.RawMessage{ruleJSON})})
		} else {
			var elems []json.RawMessage
			for _, e := range walk(perms[li].raw, 0) {
				elems = append(elems, e.raw)
			}
			perms[li].raw = arrayJSON(append(elems, ruleJSON))
		}
		top[pi].raw = objectJSON(perms)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, objectJSON(top), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func lastIndex(ms []member, key string) int {
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].key == key {
			return i
		}
	}
	return -1
}

func objectJSON(ms []member) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(quoteJSON(m.key))
		b.WriteByte(':')
		b.Write(m.raw)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func arrayJSON(elems []json.RawMessage) json.RawMessage {
	b := []byte{'['}
	for i, e := range elems {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, e...)
	}
	return append(b, ']')
}

// quoteJSON encodes s as a JSON string without HTML escaping, so that a rule such as
// "Bash(make && make test)" stays readable in the file.
func quoteJSON(s string) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return bytes.TrimRight(b.Bytes(), "\n")
}

// writeAtomic replaces path with data: readers see the old file or the new one, never a
// partial one.
func writeAtomic(path string, data []byte, perm fs.FileMode) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp, perm); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
