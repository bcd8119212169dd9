// Package harness runs coding agents (ganban and the agent the setup guide is about) as
// child processes against a Bedrock simulator on loopback, hermetically, and measures them:
// wall and CPU time and peak RSS of the child, and what the simulator saw of each request.
//
// The simulator runs in the benchmark's own process, so that a middleware can stamp the
// start and end of every request with nanosecond precision (the simulator's --log only has
// whole milliseconds of duration); it writes the same JSONL log as `ganban sim --log` and is
// driven through its own HTTP endpoints (/_sim/report, /_sim/clock).
package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"ganban/internal/sim"
)

// Sim is a running simulator.
type Sim struct {
	URL     string
	LogPath string

	srv  *sim.Server
	hs   *http.Server
	log  *os.File
	done chan error

	mu      sync.Mutex
	timings []Timing
}

// Timing is when the simulator started and finished answering one request.
type Timing struct {
	Path       string
	Start, End time.Time
}

// StartSim serves a simulator with opts on 127.0.0.1, logging requests to logPath.
func StartSim(opts sim.Options, logPath string) (*Sim, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	opts.Log = f
	srv, err := sim.New(opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Close()
		return nil, err
	}
	s := &Sim{URL: "http://" + ln.Addr().String(), LogPath: logPath, srv: srv, log: f, done: make(chan error, 1)}
	// The same protocols as sim.Listen: the AWS SDK for JavaScript speaks h2c to http://.
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetHTTP2(true)
	protocols.SetUnencryptedHTTP2(true)
	s.hs = &http.Server{Handler: s.timed(srv), Protocols: &protocols, ReadHeaderTimeout: 30 * time.Second}
	go func() { s.done <- s.hs.Serve(ln) }()
	return s, nil
}

// timed stamps each request. The deferred record also runs when the simulator aborts a
// stream on purpose (a cut-stream fault panics with http.ErrAbortHandler).
func (s *Sim) timed(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t := Timing{Path: r.URL.EscapedPath(), Start: time.Now()}
		defer func() {
			t.End = time.Now()
			s.mu.Lock()
			s.timings = append(s.timings, t)
			s.mu.Unlock()
		}()
		h.ServeHTTP(w, r)
	})
}

// Timings returns the requests answered so far.
func (s *Sim) Timings() []Timing {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Timing(nil), s.timings...)
}

// Close stops the simulator and closes its log.
func (s *Sim) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.hs.Shutdown(ctx); err != nil {
		_ = s.hs.Close()
	}
	<-s.done
	s.log.Close()
}

// Report is GET /_sim/report.
func (s *Sim) Report() (sim.Report, error) {
	var r sim.Report
	err := s.call(http.MethodGet, "/_sim/report", nil, &r)
	return r, err
}

// Reset is POST /_sim/reset: report, cache, quota windows and fault counters start afresh.
func (s *Sim) Reset() error { return s.call(http.MethodPost, "/_sim/reset", nil, nil) }

// Advance is POST /_sim/clock: it moves the simulator's clock and returns the new time.
func (s *Sim) Advance(d time.Duration) (time.Time, error) {
	var out struct {
		Now time.Time `json:"now"`
	}
	err := s.call(http.MethodPost, "/_sim/clock", map[string]string{"advance": d.String()}, &out)
	return out.Now, err
}

// Now is GET /_sim/clock.
func (s *Sim) Now() (time.Time, error) {
	var out struct {
		Now time.Time `json:"now"`
	}
	err := s.call(http.MethodGet, "/_sim/clock", nil, &out)
	return out.Now, err
}

func (s *Sim) call(method, path string, body, out any) error {
	var rd *bytes.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
