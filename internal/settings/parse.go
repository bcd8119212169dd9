package settings

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Content is one parsed settings file. Pointer fields are nil when the key is absent; an
// empty string is present (and means "unset here, below me too").
type Content struct {
	Env                 map[string]string
	AWSAuthRefresh      *string
	AWSCredentialExport *string
	Model               *string
	ModelOverrides      map[string]string
	Permissions         PermissionsBlock
	// Keys are the top-level keys in file order.
	Keys []string
	// Other holds every top-level key ganban does not interpret, as raw JSON.
	Other map[string]json.RawMessage
}

// PermissionsBlock is the "permissions" object of one file.
type PermissionsBlock struct {
	Allow, Ask, Deny      []string
	DefaultMode           *string
	AdditionalDirectories []string
	// Keys are the block's keys in file order.
	Keys []string
	// Other holds the keys of the block ganban does not interpret, as raw JSON.
	Other map[string]json.RawMessage
}

// FileError is a settings file that cannot be used: not JSON, not an object, or a known key
// holding a value of the wrong type. Line and Column are 1-based; Column counts characters.
type FileError struct {
	Path   string
	Line   int
	Column int
	Msg    string
	Err    error // the *json.SyntaxError, when there is one
}

// Error is "path:line:column: message", the form editors and terminals link to.
func (e *FileError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Column, e.Msg)
}

// Unwrap returns the underlying JSON error, if any.
func (e *FileError) Unwrap() error { return e.Err }

// utf8BOM is tolerated at the start of a file: some Windows editors write it, and it carries
// no meaning.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// parse checks and decodes one settings file. A file holding only whitespace is an empty
// object: there is nothing in it to ignore.
func parse(path string, data []byte) (*Content, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	c := &Content{}
	start := skipSpace(data, 0)
	if start == len(data) {
		return c, nil
	}
	var raw json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, syntaxError(path, data, err)
	}
	fail := func(off int, format string, args ...any) error {
		line, col := position(data, off)
		return &FileError{Path: path, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
	}
	if data[start] != '{' {
		return nil, fail(start, "settings must be a JSON object, not %s", kind(data[start:]))
	}
	members := walk(data[start:], start)
	for _, m := range members {
		c.Keys = append(c.Keys, m.key)
		var err error
		switch m.key {
		case "env":
			if c.Env, err = stringMap(m, "env", fail); err == nil {
				err = checkEnvNames(m, fail)
			}
		case "awsAuthRefresh":
			c.AWSAuthRefresh, err = stringPtr(m, m.key, fail)
		case "awsCredentialExport":
			c.AWSCredentialExport, err = stringPtr(m, m.key, fail)
		case "model":
			c.Model, err = stringPtr(m, m.key, fail)
		case "modelOverrides":
			c.ModelOverrides, err = stringMap(m, m.key, fail)
		case "permissions":
			c.Permissions, err = permissionsBlock(m, fail)
		default:
			if c.Other == nil {
				c.Other = make(map[string]json.RawMessage)
			}
			c.Other[m.key] = m.raw
		}
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

type failFunc func(off int, format string, args ...any) error

func permissionsBlock(m member, fail failFunc) (PermissionsBlock, error) {
	var p PermissionsBlock
	if m.raw[0] != '{' {
		return p, fail(m.off, "permissions: want an object, got %s", kind(m.raw))
	}
	for _, pm := range walk(m.raw, m.off) {
		p.Keys = append(p.Keys, pm.key)
		name := "permissions." + pm.key
		var err error
		switch pm.key {
		case "allow":
			p.Allow, err = stringList(pm, name, fail)
		case "ask":
			p.Ask, err = stringList(pm, name, fail)
		case "deny":
			p.Deny, err = stringList(pm, name, fail)
		case "additionalDirectories":
			p.AdditionalDirectories, err = stringList(pm, name, fail)
		case "defaultMode":
			p.DefaultMode, err = stringPtr(pm, name, fail)
		default:
			if p.Other == nil {
				p.Other = make(map[string]json.RawMessage)
			}
			p.Other[pm.key] = pm.raw
		}
		if err != nil {
			return p, err
		}
	}
	return p, nil
}

// checkEnvNames rejects names and values no environment can hold: they would make
// os.Setenv fail or build a corrupt "NAME=value" string for a child process.
func checkEnvNames(m member, fail failFunc) error {
	for _, e := range walk(m.raw, m.off) {
		if e.key == "" || strings.ContainsAny(e.key, "=\x00") {
			return fail(e.keyOff, "env: %q is not a valid variable name", e.key)
		}
		var v string
		if json.Unmarshal(e.raw, &v) == nil && strings.ContainsRune(v, 0) {
			return fail(e.off, "env.%s: the value contains a NUL character", e.key)
		}
	}
	return nil
}

func stringPtr(m member, name string, fail failFunc) (*string, error) {
	if m.raw[0] != '"' {
		return nil, fail(m.off, "%s: want a string, got %s", name, kind(m.raw))
	}
	var s string
	if err := json.Unmarshal(m.raw, &s); err != nil {
		return nil, fail(m.off, "%s: %v", name, err)
	}
	return &s, nil
}

// stringMap decodes an object of strings; a repeated name keeps its last value, as
// JSON.parse does.
func stringMap(m member, name string, fail failFunc) (map[string]string, error) {
	if m.raw[0] != '{' {
		return nil, fail(m.off, "%s: want an object of strings, got %s", name, kind(m.raw))
	}
	out := make(map[string]string)
	for _, e := range walk(m.raw, m.off) {
		v, err := stringPtr(e, name+"."+e.key, fail)
		if err != nil {
			return nil, err
		}
		out[e.key] = *v
	}
	return out, nil
}

func stringList(m member, name string, fail failFunc) ([]string, error) {
	if m.raw[0] != '[' {
		return nil, fail(m.off, "%s: want an array of strings, got %s", name, kind(m.raw))
	}
	var out []string
	for i, e := range walk(m.raw, m.off) {
		v, err := stringPtr(e, name+"["+strconv.Itoa(i)+"]", fail)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// member is one value of a JSON object (with its key) or array, with the byte offset of the
// value in the whole file so that errors can name a line and column.
type member struct {
	key    string
	keyOff int
	raw    json.RawMessage
	off    int
}

// walk lists the members of the object or elements of the array raw, which starts at byte
// off of the file. raw must be valid JSON (parse checks the whole file first).
func walk(raw []byte, off int) []member {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // the opening delimiter
		return nil
	}
	isObject := raw[0] == '{'
	var out []member
	for dec.More() {
		var m member
		if isObject {
			m.keyOff = off + skipSeparators(raw, int(dec.InputOffset()))
			tok, err := dec.Token()
			if err != nil {
				return out
			}
			m.key, _ = tok.(string)
		}
		// The value starts after the separators (':' after a key, ',' between elements).
		p := skipSeparators(raw, int(dec.InputOffset()))
		if err := dec.Decode(&m.raw); err != nil || len(m.raw) == 0 {
			return out
		}
		m.off = off + p
		out = append(out, m)
	}
	return out
}

// skipSeparators skips whitespace, ':' and ',' from raw[i].
func skipSeparators(raw []byte, i int) int {
	for i < len(raw) && strings.IndexByte(" \t\r\n:,", raw[i]) >= 0 {
		i++
	}
	return i
}

// kind names the JSON type of the value starting raw, for messages.
func kind(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n') {
		i++
	}
	return i
}

// syntaxError locates a json error. json.SyntaxError.Offset counts the bytes read up to and
// including the offending one; at the end of input it is the length of the input.
func syntaxError(path string, data []byte, err error) error {
	off, msg := 0, err.Error()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset) - 1
		if strings.HasPrefix(se.Error(), "unexpected end") {
			// Point just after the last character, not at a trailing blank line.
			off = len(bytes.TrimRight(data, " \t\r\n"))
		}
	}
	off = max(0, min(off, len(data)))
	msg = "invalid JSON: " + msg
	if off < len(data) {
		switch c := data[off]; {
		case c == '/' || c == '#':
			msg += " (settings files are strict JSON: no comments)"
		case c == '}' || c == ']':
			if prev := bytes.TrimRight(data[:off], " \t\r\n"); len(prev) > 0 && prev[len(prev)-1] == ',' {
				msg += " (trailing commas are not allowed)"
			}
		}
	}
	line, col := position(data, off)
	return &FileError{Path: path, Line: line, Column: col, Msg: msg, Err: err}
}

// position turns a byte offset into a 1-based line and character column.
func position(data []byte, off int) (line, col int) {
	off = max(0, min(off, len(data)))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte{'\n'})
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return line, 1 + utf8.RuneCount(before[lineStart:])
}
