package tools

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"

	"ganban/internal/tools/udiff"
)

// utf8BOM is the byte order mark some editors put at the start of UTF-8 files. It is hidden
// from the model (so old_string can match the first line) and kept on disk.
const utf8BOM = "\uFEFF"

// textEncoding is how a text file's characters are stored on disk. Files Windows tools write
// (PowerShell redirections, .reg exports, some project files) are UTF-16 with a byte order
// mark; the model sees them as text and an edit writes them back as they were.
type textEncoding int

const (
	encUTF8 textEncoding = iota
	encUTF16LE
	encUTF16BE
)

func (e textEncoding) String() string {
	switch e {
	case encUTF16LE:
		return "UTF-16LE"
	case encUTF16BE:
		return "UTF-16BE"
	}
	return "UTF-8"
}

// utf16Encoding returns the UTF-16 byte order data's BOM names, or encUTF8 when it has none.
func utf16Encoding(data []byte) textEncoding {
	switch {
	case len(data) >= 2 && data[0] == 0xFF && data[1] == 0xFE:
		return encUTF16LE
	case len(data) >= 2 && data[0] == 0xFE && data[1] == 0xFF:
		return encUTF16BE
	}
	return encUTF8
}

// textFile is a text file as the edit tools see it.
type textFile struct {
	bom     bool         // the file starts with a byte order mark, stripped from content
	enc     textEncoding // how content is stored on disk
	content string       // the text (UTF-8) after the BOM, line endings as on disk
}

// errNotUTF16 is returned for a file that starts with a UTF-16 byte order mark but whose
// rest is not UTF-16 (an odd length, or a lone surrogate): rewriting it as UTF-16 would change
// bytes the model never meant to touch.
var errNotUTF16 = errors.New("starts with a UTF-16 byte order mark but is not valid UTF-16")

// decodeText splits a file's bytes into BOM, encoding and content.
func decodeText(data []byte) (textFile, error) {
	if enc := utf16Encoding(data); enc != encUTF8 {
		content, err := decodeUTF16(data[2:], enc)
		if err != nil {
			return textFile{}, err
		}
		return textFile{bom: true, enc: enc, content: content}, nil
	}
	if bytes.HasPrefix(data, []byte(utf8BOM)) {
		return textFile{bom: true, content: string(data[len(utf8BOM):])}, nil
	}
	return textFile{content: string(data)}, nil
}

// decodeUTF16 returns the UTF-8 form of data, UTF-16 in the byte order enc, refusing what
// would not encode back to the same bytes.
func decodeUTF16(data []byte, enc textEncoding) (string, error) {
	if len(data)%2 != 0 {
		return "", errNotUTF16
	}
	var b strings.Builder
	b.Grow(len(data) / 2)
	for i := 0; i < len(data); i += 2 {
		u := unit16(data[i:], enc)
		switch {
		case !utf16.IsSurrogate(rune(u)):
			b.WriteRune(rune(u))
		case u < 0xDC00 && i+3 < len(data):
			lo := unit16(data[i+2:], enc)
			r := utf16.DecodeRune(rune(u), rune(lo))
			if r == unicode.ReplacementChar {
				return "", errNotUTF16
			}
			b.WriteRune(r)
			i += 2
		default:
			return "", errNotUTF16
		}
	}
	return b.String(), nil
}

func unit16(b []byte, enc textEncoding) uint16 {
	if enc == encUTF16BE {
		return uint16(b[0])<<8 | uint16(b[1])
	}
	return uint16(b[1])<<8 | uint16(b[0])
}

// encode returns the bytes to write for content, restoring the BOM and the encoding.
func (f textFile) encode(content string) []byte {
	switch f.enc {
	case encUTF16LE, encUTF16BE:
		units := utf16.Encode([]rune(content))
		out := make([]byte, 0, 2+2*len(units))
		if f.enc == encUTF16LE {
			out = append(out, 0xFF, 0xFE)
			for _, u := range units {
				out = append(out, byte(u), byte(u>>8))
			}
		} else {
			out = append(out, 0xFE, 0xFF)
			for _, u := range units {
				out = append(out, byte(u>>8), byte(u))
			}
		}
		return out
	}
	if f.bom {
		return []byte(utf8BOM + content)
	}
	return []byte(content)
}

// usesCRLF reports whether most line breaks in s are CRLF: such a file gets CRLF in what the
// model writes, since the model always writes "\n".
func usesCRLF(s string) bool {
	crlf := strings.Count(s, "\r\n")
	return crlf > 0 && crlf >= strings.Count(s, "\n")-crlf
}

// toCRLF turns every bare "\n" in s into "\r\n".
func toCRLF(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + strings.Count(s, "\n"))
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' && (i == 0 || s[i-1] != '\r') {
			b.WriteByte('\r')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// looksBinary reports whether data is not text: a NUL byte in the first 8 KiB is the test git
// and ripgrep use, and it holds for executables, archives and images. UTF-16 with a byte order
// mark is text (ripgrep too reads it as such); without one it is taken for binary.
func looksBinary(data []byte) bool {
	if utf16Encoding(data) != encUTF8 {
		return false
	}
	if len(data) > 8192 {
		data = data[:8192]
	}
	return bytes.IndexByte(data, 0) >= 0
}

// binaryExtensions are refused by Read without looking at the content: their content may look
// like text at the start (PDF) and is useless as text anyway.
var binaryExtensions = map[string]bool{
	".pdf": true, ".zip": true, ".gz": true, ".tgz": true, ".bz2": true, ".xz": true, ".zst": true, ".7z": true, ".rar": true,
	".tar": true, ".jar": true, ".war": true, ".class": true, ".exe": true, ".dll": true, ".so": true, ".dylib": true,
	".o": true, ".a": true, ".lib": true, ".bin": true, ".dat": true, ".db": true, ".sqlite": true, ".wasm": true,
	".pyc": true, ".mp3": true, ".mp4": true, ".mov": true, ".avi": true, ".mkv": true, ".wav": true, ".flac": true,
	".ogg": true, ".ico": true, ".bmp": true, ".tif": true, ".tiff": true, ".psd": true, ".woff": true, ".woff2": true,
	".ttf": true, ".otf": true, ".eot": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".ppt": true,
	".pptx": true, ".odt": true, ".iso": true, ".dmg": true, ".deb": true, ".rpm": true,
}

// numberLines formats lines in `cat -n` style: the line number right-aligned in six columns,
// a tab, the line. first is the number of lines[0].
func numberLines(b *strings.Builder, lines []string, first int) {
	for i, l := range lines {
		n := strconv.Itoa(first + i)
		if len(n) < 6 {
			b.WriteString("      "[:6-len(n)])
		}
		b.WriteString(n)
		b.WriteByte('\t')
		b.WriteString(l)
		b.WriteByte('\n')
	}
}

// snippet shows lines [from, to] (1-based, inclusive) of content with `cat -n` numbers, plus
// ctx lines either side. CRs are dropped so a CRLF file reads like any other.
func snippet(content string, from, to, ctx int) string {
	lines := strings.Split(strings.ReplaceAll(content, "\r\n", "\n"), "\n")
	if len(lines) > 1 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	start := max(from-ctx, 1)
	end := min(to+ctx, len(lines))
	if start > end {
		return ""
	}
	shown := lines[start-1 : end]
	for i, l := range shown {
		if len(l) > maxLineChars {
			shown[i] = truncateUTF8(l, maxLineChars) + "... [line truncated]"
		}
	}
	var b strings.Builder
	numberLines(&b, shown, start)
	return b.String()
}

// What a result quotes of a changed file: lines of context around each change, and bounds on
// the changed places and lines shown, so a rewrite does not come back whole.
const (
	snippetContext  = 4
	maxSnippetSpans = 8
	maxSpanLines    = 40
)

// changeSnippet shows the places where content differs from old, numbered as `cat -n` does,
// with a few lines around each: what the model needs to check a change without reading the
// file again.
func changeSnippet(old, content string) string {
	spans := udiff.Changed(old, content, snippetContext)
	var b strings.Builder
	for i, s := range spans {
		if i == maxSnippetSpans {
			fmt.Fprintf(&b, "... (%d more changed places)\n", len(spans)-i)
			break
		}
		if i > 0 {
			b.WriteString("...\n")
		}
		to, more := s.To, 0
		if s.To-s.From >= maxSpanLines {
			// The lines of context after to fill the snippet up to its bound.
			to = s.From + maxSpanLines - 1 - snippetContext
			more = s.To - (to + snippetContext)
		}
		b.WriteString(snippet(content, s.From, to, snippetContext))
		if more > 0 {
			fmt.Fprintf(&b, "... (%d more changed lines)\n", more)
		}
	}
	return b.String()
}

// lineOf returns the 1-based line number of byte offset off in s.
func lineOf(s string, off int) int {
	off = min(max(off, 0), len(s))
	return strings.Count(s[:off], "\n") + 1
}

// writeFilePreserving writes data to path. An existing file keeps its mode, and a symlink is
// written through to its target. The data goes to a temporary file in the same directory that
// is then renamed over the old one, so a crash or a full disk never leaves half a file; when
// the directory is not writable the file is rewritten in place instead. Missing parent
// directories are created.
func writeFilePreserving(path string, data []byte) error {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	info, statErr := os.Stat(path)
	if statErr != nil && !errors.Is(statErr, fs.ErrNotExist) {
		return statErr
	}
	if statErr != nil {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("create parent directory: %w", err)
		}
		// A new file gets the usual mode minus the umask.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	if info.IsDir() {
		return fmt.Errorf("%s is a directory", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		// No write access to the directory: rewrite in place, which needs only the file.
		return os.WriteFile(path, data, info.Mode().Perm())
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	ok = true
	return nil
}
