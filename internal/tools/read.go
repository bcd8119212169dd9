package tools

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"ganban/internal/anthropic"
)

// Limits of one Read. 2000 lines of at most 2000 characters are what Claude Code shows and
// what the model expects; the byte cap keeps a file of long lines from flooding the context.
const (
	defaultReadLines = 2000
	maxLineChars     = 2000
	maxReadBytes     = 256 << 10
)

type readInput struct {
	FilePath string `json:"file_path" description:"The absolute path to the file to read"`
	Offset   *int   `json:"offset,omitempty" description:"The line number to start reading from (1-based). Only give it for files too long to read at once" minimum:"0"`
	Limit    *int   `json:"limit,omitempty" description:"The number of lines to read. Only give it for files too long to read at once" minimum:"1"`
}

const readDescription = `Reads a file from the local filesystem and returns its contents. Any file on the machine can be read; if the path does not exist, an error says so.

Usage:
- file_path must be an absolute path, not a relative one.
- By default up to 2000 lines are returned, from the start of the file. offset (a 1-based line number) and limit (a number of lines) read a part of a long file; prefer reading the whole file when it fits.
- Lines longer than 2000 characters are cut short.
- Output is in cat -n format: each line is prefixed with its line number (right-aligned, then a tab), starting at 1. The prefix is not part of the file: never copy it into Edit's old_string.
- Images (PNG, JPEG, GIF, WebP) are returned as images, so you can look at screenshots and diagrams.
- Binary files (archives, executables, PDFs) cannot be read; use a command-line tool through Bash for those.
- Directories cannot be read; use LS to list them.
- You can read several files in one response: speculatively reading files that may be useful is better than reading them one at a time.
- A file that exists but is empty is reported as such.`

// ReadTool returns the Read tool.
func ReadTool() Tool {
	return New("Read", readDescription, true, readTarget, runRead)
}

func readTarget(in readInput, env *Env) (Target, error) {
	if in.FilePath == "" {
		return Target{}, errors.New("Read: file_path is required")
	}
	p := env.abs(in.FilePath)
	return Target{Kind: TargetRead, Path: p, Summary: "Read " + env.display(p)}, nil
}

func runRead(ctx context.Context, env *Env, in readInput) Result {
	tg, err := readTarget(in, env)
	if err != nil {
		return errorResult(err.Error())
	}
	path, shown := tg.Path, env.display(tg.Path)
	info, err := os.Stat(path)
	if err != nil {
		return errorResult(missingFileMessage(path, err))
	}
	if info.IsDir() {
		return errorResult(fmt.Sprintf("%s is a directory, not a file. Use the LS tool to list it.", path))
	}
	if !info.Mode().IsRegular() {
		return errorResult(fmt.Sprintf("%s is not a regular file (it is a %s) and cannot be read.", path, fileKind(info.Mode())))
	}
	ext := strings.ToLower(filepath.Ext(path))
	if imageExtensions[ext] {
		if info.Size() > maxImageFileBytes {
			return errorResult(fmt.Sprintf("%s is too large to read as an image (%d MB); shrink it with a command first.", path, info.Size()>>20))
		}
		return readImage(env, path, shown, info)
	}
	if binaryExtensions[ext] {
		return errorResult(fmt.Sprintf("%s is a binary file (%s) and cannot be read as text. Use a suitable command through Bash to inspect it.", path, ext))
	}
	f, err := os.Open(path)
	if err != nil {
		return errorResult(fmt.Sprintf("Cannot read %s: %v", path, err))
	}
	defer f.Close()

	offset := 1
	if in.Offset != nil && *in.Offset > 1 {
		offset = *in.Offset
	}
	limit := defaultReadLines
	if in.Limit != nil {
		limit = *in.Limit
	}
	r, err := readText(ctx, f, info.Size(), offset, limit)
	if err != nil {
		if errors.Is(err, errNotUTF16) {
			return errorResult(fmt.Sprintf("%s %v and cannot be read as text. Use a suitable command through Bash to inspect it.", path, err))
		}
		if errors.Is(err, errTooLargeUTF16) {
			return errorResult(fmt.Sprintf("%s is a UTF-16 file of %d MB, too large to read whole; convert a part of it with iconv through Bash.", path, info.Size()>>20))
		}
		if errors.Is(err, errBinary) {
			return errorResult(fmt.Sprintf("%s appears to be a binary file and cannot be read as text. Use a suitable command through Bash to inspect it.", path))
		}
		return errorResult(fmt.Sprintf("Cannot read %s: %v", path, err))
	}
	partial := r.first > 1 || r.last < r.total
	env.Files.Record(path, FileState{ModTime: info.ModTime(), Size: r.size, Hash: r.hash, Partial: partial})

	switch {
	case r.total == 0:
		return textResult("The file exists but is empty.", "Read "+shown+" (empty)")
	case r.first > r.total:
		return textResult(fmt.Sprintf("The file has only %d lines, so offset %d is past its end. Use a smaller offset.", r.total, offset), "Read "+shown+" (offset past end)")
	}
	out := r.text
	if r.last < r.total {
		why := ""
		if r.byteCapped {
			why = " (output size limit reached)"
		}
		out += fmt.Sprintf("\n(Showing lines %d-%d of %d%s. To read more, call Read with offset %d.)\n", r.first, r.last, r.total, why, r.last+1)
	}
	if r.longLines > 0 {
		out += fmt.Sprintf("\n(%d line(s) longer than %d characters were cut short.)\n", r.longLines, maxLineChars)
	}
	return textResult(out, fmt.Sprintf("Read %s (%d lines)", shown, r.last-r.first+1))
}

var errBinary = errors.New("binary file")

// maxUTF16Bytes bounds the UTF-16 files Read decodes: they are read whole, unlike UTF-8 files,
// which are streamed.
const maxUTF16Bytes = 32 << 20

var errTooLargeUTF16 = errors.New("UTF-16 file too large")

// readText is readLines for a file of any text encoding: a UTF-16 file (one with a byte order
// mark) is decoded first, and its size and hash stay those of its bytes on disk, which is what
// the edit tools compare.
func readText(ctx context.Context, f io.Reader, size int64, offset, limit int) (readResult, error) {
	br := bufio.NewReader(f)
	head, _ := br.Peek(2)
	if utf16Encoding(head) == encUTF8 {
		return readLines(ctx, br, offset, limit)
	}
	if size > maxUTF16Bytes {
		return readResult{}, errTooLargeUTF16
	}
	data, err := io.ReadAll(br)
	if err != nil {
		return readResult{}, err
	}
	tf, err := decodeText(data)
	if err != nil {
		return readResult{}, err
	}
	if strings.IndexByte(tf.content, 0) >= 0 {
		return readResult{}, errBinary
	}
	r, err := readLines(ctx, strings.NewReader(tf.content), offset, limit)
	if err != nil {
		return readResult{}, err
	}
	r.size, r.hash = int64(len(data)), sha256.Sum256(data)
	return r, nil
}

// readResult is the part of a file Read shows, and what it learned about the whole.
type readResult struct {
	text        string
	first, last int // 1-based line numbers shown
	total       int // lines in the file
	size        int64
	hash        [sha256.Size]byte
	longLines   int
	byteCapped  bool
}

// readLines streams f, formatting lines [offset, offset+limit) and counting and hashing the
// whole file, so a huge log is never held in memory.
func readLines(ctx context.Context, f io.Reader, offset, limit int) (readResult, error) {
	h := sha256.New()
	counter := &countingWriter{w: h}
	br := bufio.NewReaderSize(io.TeeReader(f, counter), 64<<10)
	head, _ := br.Peek(8192)
	if looksBinary(head) {
		return readResult{}, errBinary
	}
	res := readResult{first: offset, last: offset - 1}
	var out strings.Builder
	var line []byte
	lineNo := 0
	for {
		if lineNo%4096 == 0 && ctx.Err() != nil {
			return readResult{}, ctx.Err()
		}
		chunk, err := br.ReadSlice('\n')
		// A line longer than the buffer arrives in pieces: keep only what can be shown.
		if len(line) <= maxLineChars*4 {
			line = append(line, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if len(line) == 0 && err != nil {
			if err == io.EOF {
				break
			}
			return readResult{}, err
		}
		lineNo++
		if lineNo >= offset && lineNo < offset+limit && !res.byteCapped {
			text := strings.TrimSuffix(strings.TrimSuffix(string(line), "\n"), "\r")
			if lineNo == 1 {
				text = strings.TrimPrefix(text, utf8BOM)
			}
			if len(text) > maxLineChars {
				text = truncateUTF8(text, maxLineChars) + "... [line truncated]"
				res.longLines++
			}
			if out.Len()+len(text) > maxReadBytes && res.last >= res.first {
				res.byteCapped = true
			} else {
				n := strconv.Itoa(lineNo)
				if len(n) < 6 {
					out.WriteString("      "[:6-len(n)])
				}
				out.WriteString(n)
				out.WriteByte('\t')
				out.WriteString(text)
				out.WriteByte('\n')
				res.last = lineNo
			}
		}
		line = line[:0]
		if err != nil {
			if err == io.EOF {
				break
			}
			return readResult{}, err
		}
		if lineNo >= offset+limit-1 || res.byteCapped {
			// Past what is shown: only count the remaining lines, a block at a time.
			rest, err := countLines(ctx, br)
			if err != nil {
				return readResult{}, err
			}
			lineNo += rest
			break
		}
	}
	res.total = lineNo
	res.text = out.String()
	res.size = counter.n
	copy(res.hash[:], h.Sum(nil))
	return res, nil
}

// countLines counts the lines left in r; a last line without "\n" counts too.
func countLines(ctx context.Context, r io.Reader) (int, error) {
	buf := make([]byte, 64<<10)
	n, last := 0, byte('\n')
	for {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		k, err := r.Read(buf)
		if k > 0 {
			n += bytes.Count(buf[:k], []byte{'\n'})
			last = buf[k-1]
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	if last != '\n' {
		n++
	}
	return n, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.w.Write(p)
}

// missingFileMessage explains why path cannot be opened and, when it does not exist,
// suggests a file with the same name in another case or with another extension.
func missingFileMessage(path string, err error) string {
	if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Sprintf("Cannot read %s: %v", path, err)
	}
	msg := "File does not exist: " + path + "."
	dir, base := filepath.Split(path)
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	entries, derr := os.ReadDir(dir)
	if derr != nil {
		return msg + " Its directory does not exist either."
	}
	var similar []string
	for _, e := range entries {
		n := e.Name()
		if n != base && (strings.EqualFold(n, base) || strings.TrimSuffix(n, filepath.Ext(n)) == stem) {
			similar = append(similar, filepath.Join(dir, n))
		}
	}
	if len(similar) > 0 && len(similar) <= 5 {
		msg += " Did you mean " + strings.Join(similar, " or ") + "?"
	}
	return msg
}

func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

// readImage returns an image file as an image block.
func readImage(env *Env, path, shown string, info fs.FileInfo) Result {
	data, err := os.ReadFile(path)
	if err != nil {
		return errorResult(fmt.Sprintf("Cannot read %s: %v", path, err))
	}
	block, note, err := imageBlock(data)
	if err != nil {
		return errorResult(fmt.Sprintf("Cannot read image %s: %v", path, err))
	}
	env.Files.recordData(path, data, info.ModTime(), false)
	content := []anthropic.Block{block}
	if note != "" {
		content = append(content, anthropic.Text(note))
	}
	return Result{Content: content, Summary: fmt.Sprintf("Read image %s (%d KB)", shown, (len(data)+1023)/1024)}
}
