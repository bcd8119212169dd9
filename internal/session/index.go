package session

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// indexFile keeps the summaries of a project's transcripts, keyed by file name with the size
// and modification time they were read at. Listing sessions (ganban -c, /resume, ganban
// sessions) then reads only the transcripts that changed: reading them all, megabytes each
// for long sessions, made each of those wait on the whole history. It is a cache: lost or
// broken, it is rebuilt; two processes writing it leave one complete version.
const indexFile = "sessions-index.json"

type index struct {
	path    string
	entries map[string]indexEntry
	changed bool
}

type indexEntry struct {
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mod_time"`
	Title   string    `json:"title,omitempty"`
	Turns   int       `json:"turns"`
	CostUSD float64   `json:"cost_usd"`
	Updated time.Time `json:"updated"`
}

func loadIndex(dir string) *index {
	idx := &index{path: filepath.Join(dir, indexFile), entries: map[string]indexEntry{}}
	if data, err := os.ReadFile(idx.path); err == nil {
		_ = json.Unmarshal(data, &idx.entries)
	}
	return idx
}

// summary returns the summary of the transcript at path, from the index when the file is as
// it was; false when the file cannot be read.
func (idx *index) summary(path string) (Summary, bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return Summary{}, false
	}
	name := filepath.Base(path)
	e, ok := idx.entries[name]
	if !ok || e.Size != fi.Size() || !e.ModTime.Equal(fi.ModTime()) {
		if e, err = scan(path); err != nil {
			return Summary{}, false
		}
		if e.Updated.IsZero() {
			e.Updated = fi.ModTime()
		}
		e.Size, e.ModTime = fi.Size(), fi.ModTime()
		idx.entries[name], idx.changed = e, true
	}
	return Summary{ID: strings.TrimSuffix(name, ".jsonl"), Path: path, Title: e.Title, Turns: e.Turns, CostUSD: e.CostUSD, Updated: e.Updated}, true
}

// save writes the index when it changed, dropping transcripts that are gone.
func (idx *index) save() {
	for name := range idx.entries {
		if _, err := os.Stat(filepath.Join(filepath.Dir(idx.path), name)); err != nil {
			delete(idx.entries, name)
			idx.changed = true
		}
	}
	if !idx.changed {
		return
	}
	data, err := json.Marshal(idx.entries)
	if err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(idx.path), indexFile+".*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr != nil || cerr != nil || os.Rename(tmp.Name(), idx.path) != nil {
		os.Remove(tmp.Name())
	}
}

// summaryLine is what a listing needs of a transcript line; the message itself is only
// noted, not decoded.
type summaryLine struct {
	Type          string     `json:"type"`
	Subtype       string     `json:"subtype"`
	Summary       string     `json:"summary"`
	Timestamp     time.Time  `json:"timestamp"`
	CostUSD       float64    `json:"costUSD"`
	ToolUseResult bool       `json:"toolUseResult"`
	Message       presentRaw `json:"message"`
}

// presentRaw records that a JSON value is there and not null, without keeping it.
type presentRaw bool

func (p *presentRaw) UnmarshalJSON(b []byte) error {
	*p = string(b) != "null"
	return nil
}

// scan reads a transcript's summary the way Read would count it: title, prompts, cost and
// the last timestamp.
func scan(path string) (indexEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return indexEntry{}, err
	}
	defer f.Close()
	var e indexEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	for sc.Scan() {
		var l summaryLine
		if json.Unmarshal(sc.Bytes(), &l) != nil || l.Type == "" {
			continue
		}
		if !l.Timestamp.IsZero() {
			e.Updated = l.Timestamp
		}
		switch {
		case l.Type == TypeSummary:
			e.Title = l.Summary
		case l.Type == TypeSystem && l.Subtype == SubtypeRequest:
			e.CostUSD += l.CostUSD
		case (l.Type == TypeUser || l.Type == TypeAssistant) && bool(l.Message):
			e.CostUSD += l.CostUSD
			if l.Type == TypeUser && !l.ToolUseResult {
				e.Turns++
			}
		}
	}
	return e, sc.Err()
}
