package sim

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"ganban/internal/anthropic"
)

// requestLog writes one JSON object per request. It holds its own lock so that log writes
// never wait on the server's state lock.
type requestLog struct {
	mu sync.Mutex
	w  io.Writer
}

// logEntry is one request as recorded in the log and counted in the report. Secrets never
// appear in it: only access key IDs, which AWS does not treat as secret.
type logEntry struct {
	Time         time.Time `json:"time"`
	Method       string    `json:"method"`
	Path         string    `json:"path"`
	Operation    string    `json:"operation"`
	Proto        string    `json:"proto"`
	Auth         string    `json:"auth,omitempty"`
	AccessKeyID  string    `json:"access_key_id,omitempty"`
	Region       string    `json:"region,omitempty"`
	Model        string    `json:"model,omitempty"`
	Status       int       `json:"status"`
	Error        string    `json:"error,omitempty"`
	Conversation string    `json:"conversation,omitempty"`
	Step         int       `json:"step"`
	Fault        string    `json:"fault,omitempty"`
	StopReason   string    `json:"stop_reason,omitempty"`
	// Abandoned: the client left mid-stream; Usage then counts the output it was sent.
	Abandoned    bool             `json:"abandoned,omitempty"`
	Usage        *anthropic.Usage `json:"usage,omitempty"`
	Expectations []string         `json:"expectation_failures,omitempty"`
	Notes        []string         `json:"notes,omitempty"`
	DurationMS   int64            `json:"duration_ms"`
}

func (e *logEntry) setPrincipal(p principal) {
	e.Auth, e.AccessKeyID, e.Region = p.Kind, p.AccessKeyID, p.Region
}

func (e *logEntry) fail(err *apiError) {
	e.Status, e.Error = err.Status, err.Code+": "+err.Message
}

func (s *Server) startEntry(r *http.Request, op string) *logEntry {
	return &logEntry{Time: s.wallClock().UTC(), Method: r.Method, Path: r.URL.EscapedPath(), Operation: op,
		Proto: r.Proto, Status: http.StatusOK, Step: -1}
}

// finishEntry counts the request in the report and writes it to the log.
func (s *Server) finishEntry(e *logEntry) {
	e.DurationMS = s.wallClock().Sub(e.Time).Milliseconds()
	s.mu.Lock()
	s.rep.Requests++
	if e.Auth != "" {
		s.rep.Auth[e.Auth]++
	}
	if e.Error != "" {
		code, _, _ := strings.Cut(e.Error, ":")
		s.rep.Errors[code]++
	}
	s.rep.recordNotes(e.Notes)
	s.mu.Unlock()
	if s.log == nil {
		return
	}
	line, _ := json.Marshal(e)
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	_, _ = s.log.w.Write(append(line, '\n'))
}
