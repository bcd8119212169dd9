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
// its directory are created when missing. A rule already in the list is not added twice.
// See editRules for how the file is kept and replaced.
func AddPermissionRule(path, list, rule string) error {
	_, err := editRules(path, list, rule, func(elems []json.RawMessage, present bool) ([]json.RawMessage, bool) {
		if present {
			return elems, false
		}
		return append(elems, quoteJSON(rule)), true
	})
	if err != nil {
		return fmt.Errorf("settings: add permission rule: %w", err)
	}
	return nil
}

// RemovePermissionRule removes rule from the list of the permissions block of the settings
// file at path, and reports whether it was there. A missing file holds no rule.
func RemovePermissionRule(path, list, rule string) (bool, error) {
	removed, err := editRules(path, list, rule, func(elems []json.RawMessage, present bool) ([]json.RawMessage, bool) {
		if !present {
			return elems, false
		}
		kept := elems[:0]
		for _, e := range elems {
			var r string
			if json.Unmarshal(e, &r) == nil && r == rule {
				continue
			}
			kept = append(kept, e)
		}
		return kept, true
	})
	if err != nil {
		return false, fmt.Errorf("settings: remove permission rule: %w", err)
	}
	return removed, nil
}

// editRules rewrites permissions.<list> of the settings file at path with change, which gets
// the list's elements and whether rule is among them, and says whether it changed anything.
// Every other key is kept, in its order; the file is re-indented with two spaces and replaced
// atomically (temporary file and rename in the same directory), keeping its mode; a symbolic
// link is followed rather than replaced. A file that does not parse is left untouched and
// reported, never overwritten. Two processes editing the same file at the same moment can
// lose one change; the file is never corrupted.
func editRules(path, list, rule string, change func(elems []json.RawMessage, present bool) ([]json.RawMessage, bool)) (bool, error) {
	switch list {
	case ListAllow, ListAsk, ListDeny:
	default:
		return false, fmt.Errorf("unknown list %q (want allow, ask or deny)", list)
	}
	if strings.TrimSpace(rule) == "" {
		return false, errors.New("empty rule")
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
		return false, err
	default:
		if fi, err := os.Stat(target); err == nil {
			perm = fi.Mode().Perm()
		}
	}
	c, err := parse(target, data)
	if err != nil {
		return false, err
	}
	existing := map[string][]string{ListAllow: c.Permissions.Allow, ListAsk: c.Permissions.Ask, ListDeny: c.Permissions.Deny}[list]
	out, changed, err := withList(bytes.TrimPrefix(data, utf8BOM), list, func(elems []json.RawMessage) ([]json.RawMessage, bool) {
		return change(elems, slices.Contains(existing, rule))
	})
	if err != nil || !changed {
		return false, err
	}
	return true, writeAtomic(target, out, perm)
}

// withList returns data (a valid settings file, possibly empty) with permissions.<list>
// replaced by what change makes of its elements.
func withList(data []byte, list string, change func([]json.RawMessage) ([]json.RawMessage, bool)) ([]byte, bool, error) {
	var top []member
	if start := skipSpace(data, 0); start < len(data) {
		top = walk(data[start:], start)
	}
	// JSON.parse keeps the last of repeated keys, so that is the one to change.
	var perms []member
	pi := lastIndex(top, "permissions")
	if pi >= 0 {
		perms = walk(top[pi].raw, 0)
	}
	var elems []json.RawMessage
	li := lastIndex(perms, list)
	if li >= 0 {
		for _, e := range walk(perms[li].raw, 0) {
			elems = append(elems, e.raw)
		}
	}
	elems, changed := change(elems)
	if !changed {
		return data, false, nil
	}
	if li < 0 {
		perms = append(perms, member{key: list, raw: arrayJSON(elems)})
	} else {
		perms[li].raw = arrayJSON(elems)
	}
	if pi < 0 {
		top = append(top, member{key: "permissions", raw: objectJSON(perms)})
	} else {
		top[pi].raw = objectJSON(perms)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, objectJSON(top), "", "  "); err != nil {
		return nil, false, err
	}
	out.WriteByte('\n')
	return out.Bytes(), true, nil
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
