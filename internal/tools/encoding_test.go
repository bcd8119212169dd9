package tools

import (
	"encoding/binary"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// utf16File is text as a Windows tool writes it: a byte order mark, then UTF-16 code units.
func utf16File(text string, bigEndian bool) string {
	units := utf16.Encode([]rune(text))
	out := make([]byte, 2, 2+2*len(units))
	var order binary.AppendByteOrder = binary.LittleEndian
	copy(out, []byte{0xFF, 0xFE})
	if bigEndian {
		order = binary.BigEndian
		copy(out, []byte{0xFE, 0xFF})
	}
	for _, u := range units {
		out = order.AppendUint16(out, u)
	}
	return string(out)
}

// TestUTF16Files: a UTF-16 file with a byte order mark reads as text, and Edit, MultiEdit and
// Write keep its encoding, byte order, BOM and line endings; one that is not valid UTF-16 is
// refused rather than rewritten.
func TestUTF16Files(t *testing.T) {
	const crlf = "first line\r\nsecond \U0001F600 line\r\nthird\r\n"
	tests := []struct {
		name   string
		before string // file bytes
		tool   string
		input  map[string]any // file_path is added
		after  string         // file bytes; "" means unchanged
		errs   []string       // error substrings of the read, or else of the change
		read   []string       // what Read shows
	}{
		{name: "Edit UTF-16LE with CRLF and a surrogate pair", before: utf16File(crlf, false), tool: "Edit",
			input: map[string]any{"old_string": "second \U0001F600 line\nthird", "new_string": "2nd \U0001F600\nthree\nfour"},
			after: utf16File("first line\r\n2nd \U0001F600\r\nthree\r\nfour\r\n", false),
			read:  []string{"     1\tfirst line\n", "     2\tsecond \U0001F600 line\n", "     3\tthird\n"}},
		{name: "Edit UTF-16BE", before: utf16File("alpha\nbeta\n", true), tool: "Edit",
			input: map[string]any{"old_string": "beta", "new_string": "gamma"},
			after: utf16File("alpha\ngamma\n", true), read: []string{"     2\tbeta\n"}},
		{name: "MultiEdit UTF-16LE", before: utf16File("a = 1\nb = 2\n", false), tool: "MultiEdit",
			input: map[string]any{"edits": []any{map[string]any{"old_string": "a = 1", "new_string": "a = 10"}, map[string]any{"old_string": "b = 2", "new_string": "b = 20"}}},
			after: utf16File("a = 10\nb = 20\n", false)},
		{name: "Write over UTF-16LE keeps the encoding", before: utf16File("old\r\n", false), tool: "Write",
			input: map[string]any{"content": "new\ncontent\n"}, after: utf16File("new\r\ncontent\r\n", false)},
		{name: "a BOM sent by the model is not doubled", before: utf16File("old\n", false), tool: "Write",
			input: map[string]any{"content": "\uFEFFnew\n"}, after: utf16File("new\n", false)},
		{name: "odd length is refused", before: utf16File("text\n", false) + "x", tool: "Edit",
			input: map[string]any{"old_string": "text", "new_string": "more"}, errs: []string{"not valid UTF-16"}},
		{name: "a lone surrogate is refused", before: "\xFF\xFEa\x00\x00\xD8b\x00", tool: "Edit",
			input: map[string]any{"old_string": "a", "new_string": "c"}, errs: []string{"not valid UTF-16"}},
		{name: "UTF-16 without a BOM is binary", before: "a\x00b\x00\n\x00", tool: "Edit",
			input: map[string]any{"old_string": "a", "new_string": "c"}, errs: []string{"binary file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t)
			p := filepath.Join(env.WorkDir, "f.txt")
			writeFile(t, p, tt.before)
			r := call(t, env, "Read", map[string]any{"file_path": p})
			if tt.errs != nil {
				mustErr(t, r, tt.errs...)
				// Even when the model was shown nothing, a change must not go through.
				env.Files.recordData(p, []byte(tt.before), statModTime(t, p), false)
				input := map[string]any{"file_path": p}
				for k, v := range tt.input {
					input[k] = v
				}
				mustErr(t, call(t, env, tt.tool, input), tt.errs...)
				if got := readFile(t, p); got != tt.before {
					t.Fatalf("the file changed: %q", got)
				}
				return
			}
			shown := mustOK(t, r)
			for _, w := range tt.read {
				if !strings.Contains(shown, w) {
					t.Errorf("Read shows\n%s\nwant %q", shown, w)
				}
			}
			if strings.ContainsAny(shown, "\x00\r\uFEFF") {
				t.Errorf("Read shows raw encoding bytes: %q", shown)
			}
			input := map[string]any{"file_path": p}
			for k, v := range tt.input {
				input[k] = v
			}
			mustOK(t, call(t, env, tt.tool, input))
			if got := readFile(t, p); got != tt.after {
				t.Fatalf("file bytes\n%q\nwant\n%q", got, tt.after)
			}
		})
	}
}

// TestUTF16FreshnessComparesBytesOnDisk: an edit after a change to the file on disk is
// refused, and one after a read of the unchanged file goes through, as for UTF-8.
func TestUTF16FreshnessComparesBytesOnDisk(t *testing.T) {
	env := newTestEnv(t)
	p := filepath.Join(env.WorkDir, "f.txt")
	writeFile(t, p, utf16File("one\ntwo\n", false))
	mustOK(t, call(t, env, "Read", map[string]any{"file_path": p, "limit": 1}))
	writeFile(t, p, utf16File("one\nTWO\n", false))
	mustErr(t, call(t, env, "Edit", map[string]any{"file_path": p, "old_string": "one", "new_string": "1"}), "modified since it was last read")
	mustOK(t, call(t, env, "Read", map[string]any{"file_path": p}))
	mustOK(t, call(t, env, "Edit", map[string]any{"file_path": p, "old_string": "one", "new_string": "1"}))
	if got := readFile(t, p); got != utf16File("1\nTWO\n", false) {
		t.Errorf("file = %q", got)
	}
}

// FuzzUTF16RoundTrip: whatever decodes as UTF-16 encodes back to the same bytes, so an edit
// changes only what it replaces.
func FuzzUTF16RoundTrip(f *testing.F) {
	f.Add([]byte(utf16File("a\r\n\U0001F600\n", false)))
	f.Add([]byte(utf16File("b\n", true)))
	f.Add([]byte("\xFF\xFE\x00\xD8"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tf, err := decodeText(data)
		if err != nil {
			return
		}
		if got := tf.encode(tf.content); string(got) != string(data) {
			t.Fatalf("%q decoded as %s %q encodes to %q", data, tf.enc, tf.content, got)
		}
	})
}
