package harness

import (
	"bufio"
	"encoding/json"
	"os"
	"sort"
	"time"

	"ganban/internal/anthropic"
)

// Operations as the simulator's log names them.
const (
	OpStream = "InvokeModelWithResponseStream"
	OpInvoke = "InvokeModel"
)

// LogEntry is one line of the simulator's request log (the fields the benchmarks read).
type LogEntry struct {
	Time         time.Time        `json:"time"`
	Path         string           `json:"path"`
	Operation    string           `json:"operation"`
	Model        string           `json:"model"`
	Status       int              `json:"status"`
	Error        string           `json:"error"`
	Conversation string           `json:"conversation"`
	Step         int              `json:"step"`
	Fault        string           `json:"fault"`
	StopReason   string           `json:"stop_reason"`
	Usage        *anthropic.Usage `json:"usage"`
	AccessKeyID  string           `json:"access_key_id"`
	DurationMS   int64            `json:"duration_ms"`
}

// Turn reports whether the entry is an agent turn the scenario answered in full: a streamed
// call that reached a step and ended with a stop reason (a fault or a throttle has none).
func (e LogEntry) Turn() bool {
	return e.Operation == OpStream && e.Step >= 0 && e.Status == 200 && e.StopReason != "" && e.Fault == ""
}

// InputTotal is every input token of the request: uncached, written and read.
func (e LogEntry) InputTotal() int64 {
	if e.Usage == nil {
		return 0
	}
	return e.Usage.InputTokens + e.Usage.CacheCreationInputTokens + e.Usage.CacheReadInputTokens
}

// ReadLog reads a request log, ordered by request start.
func ReadLog(path string) ([]LogEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []LogEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		var e LogEntry
		if json.Unmarshal(sc.Bytes(), &e) == nil {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out, sc.Err()
}

// Entries reads the simulator's log so far.
func (s *Sim) Entries() ([]LogEntry, error) { return ReadLog(s.LogPath) }

// Since keeps the entries of requests that started at or after t.
func Since(es []LogEntry, t time.Time) []LogEntry {
	var out []LogEntry
	for _, e := range es {
		if !e.Time.Before(t) {
			out = append(out, e)
		}
	}
	return out
}

// EndOf finds when the simulator finished answering the request that e records: the timing
// with the same path whose start is closest to the entry's time (the log stamps the start a
// few microseconds after the middleware does).
func EndOf(ts []Timing, e LogEntry) (time.Time, bool) {
	best, found := time.Duration(1<<62), time.Time{}
	for _, t := range ts {
		if t.Path != e.Path {
			continue
		}
		d := e.Time.Sub(t.Start)
		if d < 0 {
			d = -d
		}
		if d < best {
			best, found = d, t.End
		}
	}
	return found, best < 50*time.Millisecond
}
