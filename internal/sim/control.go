package sim

import (
	"encoding/json"
	"net/http"
	"time"
)

// serveControl answers the simulator's own endpoints under /_sim/.
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/_sim/report" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.Report())
	case r.URL.Path == "/_sim/reset" && r.Method == http.MethodPost:
		s.Reset()
		writeJSON(w, http.StatusOK, map[string]bool{"reset": true})
	case r.URL.Path == "/_sim/clock" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]time.Time{"now": s.now().UTC()})
	case r.URL.Path == "/_sim/clock" && r.Method == http.MethodPost:
		var req struct {
			Advance string `json:"advance"`
		}
		if r.URL.Query().Has("advance") {
			req.Advance = r.URL.Query().Get("advance")
		} else if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			writeError(w, errValidation("clock: body must be {\"advance\": \"90s\"}"))
			return
		}
		d, err := time.ParseDuration(req.Advance)
		if err != nil || d < 0 {
			writeError(w, errValidation("clock: advance must be a non-negative duration such as 90s or 1h"))
			return
		}
		writeJSON(w, http.StatusOK, map[string]time.Time{"now": s.Advance(d).UTC()})
	default:
		writeError(w, &apiError{Status: http.StatusNotFound, Code: "UnknownOperationException",
			Message: "simulator endpoints: GET /_sim/report, POST /_sim/reset, GET|POST /_sim/clock", namespace: nsCoral})
	}
}

// Report returns what the simulator served so far.
func (s *Server) Report() Report {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rep.snapshot()
}

// Reset clears the report, the prompt cache, quota windows and fault attempt counters; the
// clock and issued credentials stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rep.reset()
	s.cache.init()
	s.quota.init()
	s.attempts = map[string]int{}
}

// Advance moves the simulator's clock forward and returns the new time.
func (s *Server) Advance(d time.Duration) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offset += d
	return s.opts.Clock().Add(s.offset)
}
