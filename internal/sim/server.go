package sim

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"ganban/internal/catalog"
)

// Options configure a Server. The zero value is a permissive simulator in us-east-1 that
// answers every request with a short note that it is the simulator.
type Options struct {
	// Region is the simulator's region: the one bearer and unsigned requests are served in.
	Region string
	// AuthFile turns on strict authentication against the credentials it lists.
	AuthFile string
	// Scenario scripts the model; nil answers with a fixed note.
	Scenario *Scenario
	// Strict rejects request fields and beta flags newer than the simulator's catalog.
	Strict bool
	// Log, when set, receives one JSON line per request.
	Log io.Writer
	// Catalog is the model table; nil uses catalog.Default().
	Catalog *catalog.Catalog
	// Quota, Latency and Faults model a loaded or failing service; zero values turn them off.
	Quota   Quota
	Latency Latency
	Faults  RandomFaults
	// CachingUnavailable lists regions where prompt caching is not offered: requests with
	// cache_control there get a ValidationException.
	CachingUnavailable []string
	// Clock is the wall clock; nil uses time.Now. The simulator's own clock (credential
	// expiry, cache TTLs, quota windows) runs at this clock plus what /_sim/clock added.
	Clock func() time.Time
}

// Server is the simulator. Create it with New.
type Server struct {
	opts Options
	cat  *catalog.Catalog
	auth *authSource
	log  *requestLog

	mu         sync.Mutex
	offset     time.Duration
	issued     map[string]Credential
	rep        report
	cache      promptCache
	quota      quotaState
	attempts   map[string]int
	randFaults faultDice
}

// New checks the options and returns a Server ready to serve.
func New(opts Options) (*Server, error) {
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	s := &Server{opts: opts, cat: opts.Catalog, issued: map[string]Credential{}, attempts: map[string]int{}}
	if s.cat == nil {
		s.cat = catalog.Default()
	}
	if opts.AuthFile != "" {
		src, err := newAuthSource(opts.AuthFile)
		if err != nil {
			return nil, err
		}
		s.auth = src
	}
	if opts.Log != nil {
		s.log = &requestLog{w: opts.Log}
	}
	s.rep.reset()
	s.cache.init()
	s.quota.init()
	s.randFaults.init(opts.Faults)
	return s, nil
}

// now is the simulator's clock.
func (s *Server) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opts.Clock().Add(s.offset)
}

// wallClock is the real clock; SigV4's five-minute window is about the client's clock, so it
// is checked against this one, and advancing the simulator's clock never breaks signing.
func (s *Server) wallClock() time.Time { return s.opts.Clock() }

// authConfig is the current auth file, or nil when the simulator is permissive.
func (s *Server) authConfig() (*AuthConfig, error) {
	if s.auth == nil {
		return nil, nil
	}
	return s.auth.load()
}

// ServeHTTP routes a request to the API it belongs to. Paths are split in their escaped form,
// because an ARN's "/" arrives as %2F inside one path segment.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Amzn-RequestId", newRequestID())
	// The service's own clock, which clients read to detect skew (net/http would stamp ours).
	w.Header().Set("Date", s.wallClock().UTC().Format(http.TimeFormat))
	segs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	switch {
	case r.Method == http.MethodPost && len(segs) == 3 && segs[0] == "model":
		s.serveRuntime(w, r, segs[1], segs[2])
	case r.Method == http.MethodGet && segs[0] == "inference-profiles" && len(segs) <= 2:
		s.serveControlPlane(w, r, segs)
	case r.Method == http.MethodGet && r.URL.Path == "/federation/credentials":
		s.serveSSO(w, r)
	case r.Method == http.MethodPost && r.URL.Path == "/":
		s.serveSTS(w, r)
	case r.Method == http.MethodGet && r.URL.Path == containerCredentialsPath:
		s.serveContainerCredentials(w, r)
	case segs[0] == "_sim":
		s.serveControl(w, r)
	default:
		writeError(w, &apiError{Status: http.StatusNotFound, Code: "UnknownOperationException",
			Message: fmt.Sprintf("%s %s is not an operation the simulator serves", r.Method, r.URL.Path), namespace: nsCoral})
	}
}

// maxBodyBytes is Bedrock's body limit for InvokeModel.
const maxBodyBytes = 25_000_000

// readBody reads a request body up to Bedrock's limit.
func readBody(r *http.Request) ([]byte, *apiError) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr) || len(body) > maxBodyBytes:
		return nil, bedrockError(http.StatusRequestEntityTooLarge, "ValidationException", "Input is too long for requested model.")
	case err != nil:
		return nil, errValidation("Malformed input request: the request body could not be read, please reformat your input and try again.")
	}
	return body, nil
}
