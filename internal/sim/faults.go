package sim

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault kinds. A scenario step lists them in "faults"; attempt n of the step gets the nth,
// and the attempt after the last gets the reply. Kinds with ":N" act after N stream events
// (or, for max_tokens_cut, at N output tokens).
const (
	faultThrottling         = "throttling"          // 429 ThrottlingException, too many requests
	faultTooManyTokens      = "too_many_tokens"     // 429 ThrottlingException, too many tokens
	faultInternal           = "internal_server"     // 500 InternalServerException
	faultUnavailable        = "service_unavailable" // 503 ServiceUnavailableException
	faultModelNotReady      = "model_not_ready"     // 429 ModelNotReadyException
	faultModelTimeout       = "model_timeout"       // 408 ModelTimeoutException
	faultExpiredToken       = "expired_token"       // 403 ExpiredTokenException
	faultStreamCut          = "stream_cut"          // stream_cut:N, connection closed
	faultStreamException    = "stream_exception"    // stream_exception:N[:member], exception frame
	faultStall              = "stall"               // stall:MS[:N], no bytes for MS milliseconds
	faultCorruptFrame       = "corrupt_frame"       // corrupt_frame:N, a frame failing its CRC
	faultMaxTokensCut       = "max_tokens_cut"      // max_tokens_cut:N, answer cut at N tokens
	defaultStallAfterEvents = 2
)

// streamExceptions are the ResponseStream union members and the message each carries.
var streamExceptions = map[string]string{
	"throttlingException":         msgTooManyReqs,
	"modelStreamErrorException":   "The model stream ended with an error. Try your request again.",
	"internalServerException":     "The system encountered an unexpected error during processing. Try your request again.",
	"serviceUnavailableException": msgUnavailable,
	"modelTimeoutException":       "Model has timed out in processing the request. Try your request again.",
	"validationException":         "The model returned an invalid response.",
}

// fault is one parsed fault.
type fault struct {
	kind      string
	n         int
	exception string
	stall     time.Duration
}

// streamFault is the part of a fault that happens inside a stream.
type streamFault struct {
	kind      string
	after     int
	exception string
	message   string
	stall     time.Duration
}

func parseFault(spec string) (fault, error) {
	parts := strings.Split(spec, ":")
	f := fault{kind: parts[0]}
	num := func(i int, def int) (int, error) {
		if len(parts) <= i {
			return def, nil
		}
		n, err := strconv.Atoi(parts[i])
		if err != nil || n < 0 {
			return 0, fmt.Errorf("fault %q: %q is not a count", spec, parts[i])
		}
		return n, nil
	}
	var err error
	switch f.kind {
	case faultThrottling, faultTooManyTokens, faultInternal, faultUnavailable, faultModelNotReady, faultModelTimeout, faultExpiredToken:
		if len(parts) > 1 {
			return f, fmt.Errorf("fault %q takes no argument", spec)
		}
	case faultStreamCut, faultCorruptFrame, faultMaxTokensCut:
		f.n, err = num(1, 0)
	case faultStreamException:
		f.n, err = num(1, 0)
		f.exception = "throttlingException"
		if len(parts) > 2 {
			f.exception = parts[2]
		}
		if _, ok := streamExceptions[f.exception]; !ok && err == nil {
			err = fmt.Errorf("fault %q: unknown stream exception %q", spec, f.exception)
		}
	case faultStall:
		var ms int
		ms, err = num(1, 1000)
		f.stall = time.Duration(ms) * time.Millisecond
		if err == nil {
			f.n, err = num(2, defaultStallAfterEvents)
		}
	default:
		return f, fmt.Errorf("unknown fault %q (see README: throttling, too_many_tokens, internal_server, service_unavailable, model_not_ready, model_timeout, expired_token, stream_cut:N, stream_exception:N[:member], stall:MS[:N], corrupt_frame:N, max_tokens_cut:N)", spec)
	}
	return f, err
}

func checkFaults(specs []string) error {
	for _, s := range specs {
		if _, err := parseFault(s); err != nil {
			return err
		}
	}
	return nil
}

// asError is the HTTP error an error fault answers with, or nil for stream and cut faults.
// On a non-streaming call a stream exception is the HTTP error of the same kind, as the client
// has no stream to receive it in; like the other errors it bills nothing and serves no step.
func (f fault) asError(stream bool) *apiError {
	switch f.kind {
	case faultStreamException:
		if !stream {
			return streamExceptionAsError(f.exception)
		}
	case faultThrottling:
		return errThrottling(msgTooManyReqs)
	case faultTooManyTokens:
		return errThrottling(msgTooManyTokens)
	case faultInternal:
		return bedrockError(http.StatusInternalServerError, "InternalServerException", streamExceptions["internalServerException"])
	case faultUnavailable:
		return bedrockError(http.StatusServiceUnavailable, "ServiceUnavailableException", msgUnavailable)
	case faultModelNotReady:
		return bedrockError(http.StatusTooManyRequests, "ModelNotReadyException", "Model is not ready to serve inference requests. The model is still being loaded; try your request again.")
	case faultModelTimeout:
		return bedrockError(http.StatusRequestTimeout, "ModelTimeoutException", streamExceptions["modelTimeoutException"])
	case faultExpiredToken:
		return frontDoorError("ExpiredTokenException", msgTokenExpired)
	}
	return nil
}

// dropsInvoke reports a cut or corrupted stream on a non-streaming call: the client sees the
// connection close before any answer, so nothing is billed or served.
func (f fault) dropsInvoke(stream bool) bool {
	return !stream && (f.kind == faultStreamCut || f.kind == faultCorruptFrame)
}

func (f fault) inStream() streamFault {
	switch f.kind {
	case faultStreamCut, faultStreamException, faultStall, faultCorruptFrame:
		return streamFault{kind: f.kind, after: f.n, exception: f.exception, message: streamExceptions[f.exception], stall: f.stall}
	}
	return streamFault{}
}

// RandomFaults injects faults at random for soak tests.
type RandomFaults struct {
	Rate  float64  // probability that a model invocation gets a fault
	Seed  uint64   // makes the sequence repeatable
	Kinds []string // fault specs to draw from; nil uses defaultRandomKinds
}

var defaultRandomKinds = []string{
	faultThrottling, faultTooManyTokens, faultInternal, faultUnavailable, faultModelNotReady,
	"stream_cut:3", "stream_exception:4:throttlingException", "stream_exception:2:modelStreamErrorException",
	"stall:300:2", "corrupt_frame:3",
}

// faultDice draws random faults; guarded by the server's mutex.
type faultDice struct {
	rate  float64
	kinds []fault
	rng   *rand.Rand
}

func (d *faultDice) init(o RandomFaults) {
	d.rate = o.Rate
	kinds := o.Kinds
	if kinds == nil {
		kinds = defaultRandomKinds
	}
	for _, k := range kinds {
		if f, err := parseFault(k); err == nil {
			d.kinds = append(d.kinds, f)
		}
	}
	d.rng = rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
}

func (d *faultDice) roll() (fault, bool) {
	if d.rate <= 0 || len(d.kinds) == 0 || d.rng.Float64() >= d.rate {
		return fault{}, false
	}
	return d.kinds[d.rng.IntN(len(d.kinds))], true
}

// ParseRandomFaultKinds checks a comma-separated list of fault specs for --fault-kinds.
func ParseRandomFaultKinds(list string) ([]string, error) {
	if list == "" {
		return nil, nil
	}
	kinds := strings.Split(list, ",")
	return kinds, checkFaults(kinds)
}

// nextFault picks the fault for this attempt: the step's next scripted fault, else maybe a
// random one. The caller holds s.mu.
func (s *Server) nextFault(pl plan) (fault, bool) {
	if pl.attemptKey != "" && len(pl.Faults) > 0 {
		n := s.attempts[pl.attemptKey]
		s.attempts[pl.attemptKey] = n + 1
		if n < len(pl.Faults) {
			f, err := parseFault(pl.Faults[n])
			return f, err == nil
		}
		return fault{}, false
	}
	return s.randFaults.roll()
}
