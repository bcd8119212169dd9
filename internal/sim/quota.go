package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Quota is a per-model, per-region requests-per-minute and tokens-per-minute limit.
// Zero fields are unlimited.
type Quota struct {
	RPM int64
	TPM int64
}

// ParseQuota reads "rpm=50,tpm=200000".
func ParseQuota(s string) (Quota, error) {
	var q Quota
	if s == "" {
		return q, nil
	}
	for _, part := range strings.Split(s, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return q, fmt.Errorf("quota %q: %q must be a positive integer", s, part)
		}
		switch k {
		case "rpm":
			q.RPM = n
		case "tpm":
			q.TPM = n
		default:
			return q, fmt.Errorf("quota %q: unknown limit %q (rpm, tpm)", s, k)
		}
	}
	return q, nil
}

// burndownFloor is the smallest max_tokens the quota reserves (S20).
const burndownFloor = 4096

// The token burndown (S20): a request reserves its input (cached or not) plus
// max(max_tokens, 4096) against the tokens-per-minute quota when it starts, and holds it while
// its answer is written; when it ends the reservation is replaced by what it consumed, input + cache writes + output x the model's
// burndown rate, and the cache-read part is released. Windows are whole minutes of the
// simulator's clock, so a test advances /_sim/clock to the next minute instead of waiting.
type quotaWindow struct {
	minute   int64
	requests int64
	tokens   int64
}

type quotaState struct {
	windows map[string]*quotaWindow
}

func (q *quotaState) init() { q.windows = map[string]*quotaWindow{} }

// admit charges a request to its model's window or says which limit it hit. The caller holds
// the server's lock. It returns the key and minute to settle against.
func (q *quotaState) admit(limit Quota, key string, now time.Time, reserve int64) (quotaTicket, *apiError) {
	if limit.RPM == 0 && limit.TPM == 0 {
		return quotaTicket{}, nil
	}
	minute := now.Unix() / 60
	w := q.windows[key]
	if w == nil || w.minute != minute {
		w = &quotaWindow{minute: minute}
		q.windows[key] = w
	}
	if limit.RPM > 0 && w.requests >= limit.RPM {
		return quotaTicket{}, errThrottling(msgTooManyReqs)
	}
	if limit.TPM > 0 && w.tokens+reserve > limit.TPM {
		return quotaTicket{}, errThrottling(msgTooManyTokens)
	}
	w.requests++
	w.tokens += reserve
	return quotaTicket{window: w, reserved: reserve}, nil
}

// quotaTicket settles one admitted request.
type quotaTicket struct {
	window   *quotaWindow
	reserved int64
}

// settle replaces the reservation with the tokens consumed. The caller holds the lock.
func (t quotaTicket) settle(consumed int64) {
	if t.window != nil {
		t.window.tokens += consumed - t.reserved
	}
}

// settle ends a call's reservation. It runs when the answer is written, or when writing it
// stopped: a client gone, a fault that cut the stream (deferred, so a panic that aborts the
// connection settles too).
func (s *Server) settle(t quotaTicket, consumed int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t.settle(consumed)
}
