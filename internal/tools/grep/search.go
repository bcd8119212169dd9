package grep

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sort"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Buffer sizes. A chunk is read at a time; a line longer than a chunk makes the buffer grow,
// up to maxBuffer, past which the file is given up (no text file has such lines, and
// multiline search needs the whole file in memory).
const (
	chunkSize = 256 << 10
	maxBuffer = 256 << 20
)

var errTooLarge = errors.New("line or file too large")

// searcher searches one file at a time; a pool of them keeps their buffers warm.
type searcher struct {
	c   *compiled
	buf []byte
	// nextLo and nextHi cache where the fold anchor's two bytes next occur in the region
	// being searched, so looking for either stays linear.
	nextLo, nextHi int
}

var searcherPool = sync.Pool{New: func() any { return &searcher{buf: make([]byte, 0, chunkSize)} }}

func getSearcher(c *compiled) *searcher {
	s := searcherPool.Get().(*searcher)
	s.c = c
	return s
}

func putSearcher(s *searcher) {
	s.c = nil
	if cap(s.buf) > 4*chunkSize {
		s.buf = make([]byte, 0, chunkSize) // do not pin a huge buffer
	}
	searcherPool.Put(s)
}

// fileState is the progress through one file.
type fileState struct {
	fr           FileResult
	lastEmitted  int // number of the last line put in fr.Lines
	pendingAfter int // context lines still owed after the last match
	done         bool
}

// searchFile searches the file at path. searched is false when the file was not searched
// (binary, unreadable).
func (s *searcher) searchFile(ctx context.Context, path string) (FileResult, bool, error) {
	f, err := openFile(path)
	if err != nil {
		return FileResult{}, false, err
	}
	defer f.Close()
	fr, searched, err := s.search(ctx, f)
	if errors.Is(err, errUTF16) {
		// Search it as UTF-8, as rg does: lines and matches are the text's, not its bytes'.
		again, err := openFile(path)
		if err != nil {
			return FileResult{}, false, err
		}
		defer again.Close()
		return s.search(ctx, transform.NewReader(again, unicode.BOMOverride(transform.Nop)))
	}
	return fr, searched, err
}

func (s *searcher) search(ctx context.Context, r io.Reader) (FileResult, bool, error) {
	if s.c.multiline {
		return s.searchWhole(r)
	}
	return s.searchChunks(ctx, r)
}

// errUTF16 stops the search of a file that begins with a UTF-16 byte order mark, for
// searchFile to transcode it (the transcoded text, valid UTF-8, cannot begin with one). Other
// files do not pay for it: the check looks at bytes already read.
var errUTF16 = errors.New("UTF-16 text")

func utf16BOM(b []byte) bool {
	return len(b) >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))
}

// searchChunks searches line by line through the file, a chunk at a time. The buffer holds
// [kept lines | lines to search | partial last line]: kept lines are the end of the previous
// chunk, there for before-context.
func (s *searcher) searchChunks(ctx context.Context, f io.Reader) (FileResult, bool, error) {
	c := s.c
	buf := s.buf[:0]
	defer func() { s.buf = buf[:0] }()
	var st fileState
	procStart := 0 // start of the lines not yet searched
	lineNo := 0    // lines before procStart
	first := true
	for {
		if ctx.Err() != nil {
			return FileResult{}, false, ctx.Err()
		}
		if len(buf) == cap(buf) {
			if cap(buf) >= maxBuffer {
				return FileResult{}, false, errTooLarge
			}
			nb := make([]byte, len(buf), 2*cap(buf))
			copy(nb, buf)
			buf = nb
		}
		readFrom := len(buf)
		n, rerr := io.ReadFull(f, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		eof := errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF)
		if rerr != nil && !eof {
			return FileResult{}, false, rerr
		}
		if first && utf16BOM(buf) {
			return FileResult{}, false, errUTF16
		}
		if bytes.IndexByte(buf[readFrom:], 0) >= 0 {
			// Binary data, found as rg does by a NUL byte: skip the file if it shows at once,
			// else stop here and keep what was found.
			if first {
				return FileResult{}, false, nil
			}
			break
		}
		first = false
		end := len(buf)
		if !eof {
			i := bytes.LastIndexByte(buf[procStart:], '\n')
			if i < 0 {
				continue // no complete line yet: read more
			}
			end = procStart + i + 1
		}
		if end > procStart {
			s.searchRegion(buf, procStart, end, lineNo, &st)
		}
		if st.done || eof {
			break
		}
		// Keep the last `before` searched lines, move the partial line after them.
		lineNo += bytes.Count(buf[procStart:end], []byte{'\n'})
		keep := end
		for k := 0; k < c.before && keep > 0; k++ {
			keep = bytes.LastIndexByte(buf[:keep-1], '\n') + 1
		}
		m := copy(buf, buf[keep:])
		buf = buf[:m]
		procStart = end - keep
	}
	return st.fr, true, nil
}

// searchRegion searches the complete lines in buf[start:end]; firstLine is the number of the
// line before start (0 at the start of the file). buf[:start] holds earlier lines for
// before-context.
func (s *searcher) searchRegion(buf []byte, start, end, lineBefore int, st *fileState) {
	c := s.c
	// Line numbers are counted lazily, only up to the lines that are reported.
	cntPos, cntLine := start, lineBefore
	numAt := func(ls int) int {
		cntLine += bytes.Count(buf[cntPos:ls], []byte{'\n'})
		cntPos = ls
		return cntLine + 1
	}
	nextPos, nextNum := start, lineBefore+1 // the line after the last one emitted
	emitAfter := func(limit int) {
		for st.pendingAfter > 0 && nextPos < limit {
			le := lineEnd(buf, nextPos, end)
			s.emit(st, nextNum, buf[nextPos:le], false)
			st.pendingAfter--
			nextPos, nextNum = le+1, nextNum+1
		}
	}
	s.nextLo, s.nextHi = -1, -1
	pos := start
	for pos < end {
		ls, le, ok := s.nextMatch(buf, pos, end)
		if !ok {
			break
		}
		st.fr.Count++
		if c.mode == FilesWithMatches {
			st.done = true
			return
		}
		pos = le + 1
		if c.mode == Count {
			continue
		}
		num := numAt(ls)
		emitAfter(ls)
		// Before-context: up to `before` lines above, not already shown.
		var starts []int
		p := ls
		for k := 1; k <= c.before && p > 0 && num-k > st.lastEmitted; k++ {
			p = bytes.LastIndexByte(buf[:p-1], '\n') + 1
			starts = append(starts, p)
		}
		for i := len(starts) - 1; i >= 0; i-- {
			b := starts[i]
			s.emit(st, num-1-i, buf[b:lineEnd(buf, b, end)], false)
		}
		s.emit(st, num, buf[ls:le], true)
		st.pendingAfter = c.after
		nextPos, nextNum = le+1, num+1
	}
	if c.mode == Content {
		emitAfter(end)
	}
}

// nextMatch finds the first line in buf[pos:end] (pos at a line start) that matches, as
// [ls, le) without its newline.
func (s *searcher) nextMatch(buf []byte, pos, end int) (ls, le int, ok bool) {
	c := s.c
	if c.perLine {
		for pos < end {
			le = lineEnd(buf, pos, end)
			if s.mayMatch(buf[pos:le]) && c.re.Match(buf[pos:le]) {
				return pos, le, true
			}
			pos = le + 1
		}
		return 0, 0, false
	}
	for pos < end {
		var cand int
		verified := false
		if len(c.lit) > 0 {
			i := bytes.Index(buf[pos:end], c.lit)
			if i < 0 {
				return 0, 0, false
			}
			cand = pos + i
		} else if len(c.foldLit) > 0 {
			if cand = s.indexFold(buf, pos, end); cand < 0 {
				return 0, 0, false
			}
		} else {
			loc := c.re.FindIndex(buf[pos:end])
			if loc == nil {
				return 0, 0, false
			}
			cand = pos + loc[0]
			if cand >= end && (end == 0 || buf[end-1] == '\n') {
				return 0, 0, false // an empty match after the last newline: no line is there
			}
			ls = bytes.LastIndexByte(buf[pos:cand], '\n') + 1 + pos
			le = lineEnd(buf, cand, end)
			// A match that ends within its line is a match of that line alone; one that runs
			// past the newline must be checked against the line by itself.
			verified = pos+loc[1] <= le
		}
		if !verified {
			ls = bytes.LastIndexByte(buf[pos:cand], '\n') + 1 + pos
			le = lineEnd(buf, cand, end)
			verified = c.re.Match(buf[ls:le])
		}
		if verified {
			return ls, le, true
		}
		pos = le + 1
	}
	return 0, 0, false
}

// indexFold returns the start of the first occurrence of the fold literal at or after pos,
// up to ASCII case, or -1. Occurrences of the anchor byte are cached per region, so
// looking for either case stays linear.
func (s *searcher) indexFold(buf []byte, pos, end int) int {
	c := s.c
	for {
		if s.nextLo < pos {
			s.nextLo = indexFrom(buf, pos, end, c.foldLo)
		}
		if s.nextHi < pos {
			s.nextHi = indexFrom(buf, pos, end, c.foldHi)
		}
		m := min(s.nextLo, s.nextHi)
		if m >= end {
			return -1
		}
		if start := m - c.foldAt; start >= pos && start+len(c.foldLit) <= end && equalFoldASCII(buf[start:], c.foldLit) {
			return start
		}
		// Not here: move past this anchor.
		if s.nextLo == m {
			s.nextLo = indexFrom(buf, m+1, end, c.foldLo)
		}
		if s.nextHi == m {
			s.nextHi = indexFrom(buf, m+1, end, c.foldHi)
		}
	}
}

// indexFrom returns the index of b in buf[pos:end] counted from the start of buf, or end.
func indexFrom(buf []byte, pos, end int, b byte) int {
	if i := bytes.IndexByte(buf[pos:end], b); i >= 0 {
		return pos + i
	}
	return end
}

// mayMatch is the cheap test that text can hold a match at all.
func (s *searcher) mayMatch(text []byte) bool {
	c := s.c
	switch {
	case len(c.lit) > 0:
		return bytes.Contains(text, c.lit)
	case len(c.foldLit) > 0:
		saveLo, saveHi := s.nextLo, s.nextHi
		s.nextLo, s.nextHi = -1, -1
		found := s.indexFold(text, 0, len(text)) >= 0
		s.nextLo, s.nextHi = saveLo, saveHi
		return found
	}
	return true
}

// lineEnd returns the index of the newline ending the line containing i, or end.
func lineEnd(buf []byte, i, end int) int {
	if j := bytes.IndexByte(buf[i:end], '\n'); j >= 0 {
		return i + j
	}
	return end
}

func trimCR(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\r' {
		return b[:n-1]
	}
	return b
}

// emit appends a line to the result.
func (s *searcher) emit(st *fileState, num int, text []byte, match bool) {
	if num <= st.lastEmitted {
		return
	}
	st.lastEmitted = num
	st.fr.Lines = append(st.fr.Lines, Line{Num: num, Text: s.lineText(trimCR(text)), Match: match})
}

// lineText copies a line for output, cutting a line longer than maxColumns to a window
// around its first match, as minified files would otherwise flood the output.
func (s *searcher) lineText(b []byte) string {
	max := s.c.maxColumns
	if max <= 0 || len(b) <= max {
		return string(b)
	}
	from := 0
	if loc := s.c.re.FindIndex(b); loc != nil {
		from = loc[0] - max/4
	}
	from = clamp(from, 0, len(b)-max)
	// Do not split a character; give up after three bytes, as invalid UTF-8 has no start.
	for i := 0; i < utf8.UTFMax-1 && from > 0 && !utf8.RuneStart(b[from]); i++ {
		from--
	}
	to := from + max
	for i := 0; i < utf8.UTFMax-1 && to < len(b) && to > from && !utf8.RuneStart(b[to]); i++ {
		to--
	}
	out := string(b[from:to])
	if from > 0 {
		out = "[...]" + out
	}
	if to < len(b) {
		out += "[...]"
	}
	return out + " [line cut to " + itoa(max) + " of its " + itoa(len(b)) + " characters]"
}

func clamp(v, lo, hi int) int { return max(lo, min(v, hi)) }

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(b[i:])
}

// searchWhole searches a whole file at once, for matches that may span lines.
func (s *searcher) searchWhole(f io.Reader) (FileResult, bool, error) {
	c := s.c
	buf := s.buf[:0]
	defer func() { s.buf = buf[:0] }()
	for {
		if len(buf) == cap(buf) {
			if cap(buf) >= maxBuffer {
				return FileResult{}, false, errTooLarge
			}
			nb := make([]byte, len(buf), 2*cap(buf))
			copy(nb, buf)
			buf = nb
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return FileResult{}, false, err
		}
	}
	if utf16BOM(buf) {
		return FileResult{}, false, errUTF16
	}
	if bytes.IndexByte(buf, 0) >= 0 {
		return FileResult{}, false, nil
	}
	var st fileState
	if !s.mayMatch(buf) {
		return st.fr, true, nil
	}
	limit := -1
	if c.mode == FilesWithMatches {
		limit = 1
	}
	locs := c.re.FindAllIndex(buf, limit)
	if len(locs) == 0 {
		return st.fr, true, nil
	}
	// Line starts, to turn offsets into line numbers and lines.
	starts := []int{0}
	for i := 0; ; {
		j := bytes.IndexByte(buf[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		if i < len(buf) {
			starts = append(starts, i)
		}
	}
	lineOf := func(off int) int { return sort.Search(len(starts), func(i int) bool { return starts[i] > off }) }
	text := func(n int) []byte {
		b := starts[n-1]
		return buf[b:lineEnd(buf, b, len(buf))]
	}
	matched := map[int]bool{}
	var order []int
	for _, loc := range locs {
		from, to := lineOf(loc[0]), lineOf(max(loc[1]-1, loc[0]))
		for n := from; n <= to; n++ {
			if !matched[n] {
				matched[n] = true
				order = append(order, n)
			}
		}
	}
	sort.Ints(order)
	st.fr.Count = len(order)
	if c.mode != Content {
		return st.fr, true, nil
	}
	for _, n := range order {
		for k := max(n-c.before, st.lastEmitted+1, 1); k < n; k++ {
			s.emit(&st, k, text(k), false)
		}
		s.emit(&st, n, text(n), true)
		// After-context is emitted up to the next matched line, which the loop then emits.
		for k := n + 1; k <= min(n+c.after, len(starts)) && !matched[k]; k++ {
			s.emit(&st, k, text(k), false)
		}
	}
	return st.fr, true, nil
}
