package bedrock

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Backoff: exponential from retryBase, capped at retryCap, with full jitter on the upper
// half so that parallel sessions throttled together do not retry together. Throttling starts
// from a longer base: the quota window is a minute, and hammering it only burns tokens.
const (
	retryBase         = 500 * time.Millisecond
	throttleRetryBase = 2 * time.Second
	retryCap          = 30 * time.Second
)

func backoff(kind Kind, attempt int) time.Duration {
	base := retryBase
	if kind == KindThrottled {
		base = throttleRetryBase
	}
	d := base << min(attempt-1, 10)
	if d > retryCap {
		d = retryCap
	}
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// NoticeKind says what a Notice reports.
type NoticeKind int

// Notice kinds.
const (
	NoticeRetry NoticeKind = iota + 1
	NoticeRefresh
	NoticeCachingOff
)

// Notice reports something the client does on its own that the user should see: a retry
// ("throttled, retrying in 4s (2/8)"), a credential refresh, caching turned off.
type Notice struct {
	Kind        NoticeKind
	Attempt     int
	MaxAttempts int
	Delay       time.Duration
	Err         *Error
	Command     string // the refresh command, for NoticeRefresh
}

func (n Notice) String() string {
	switch n.Kind {
	case NoticeRetry:
		what := n.Err.Kind.String()
		if cause := n.Err.cause(); cause != "" {
			what += " (" + cause + ")"
		}
		return fmt.Sprintf("%s, retrying in %s (%d/%d)", what, n.Delay.Round(100*time.Millisecond), n.Attempt, n.MaxAttempts)
	case NoticeRefresh:
		if n.Command == "" {
			return "AWS credentials were rejected; resolving them again"
		}
		return fmt.Sprintf("AWS credentials expired; running awsAuthRefresh: %s", n.Command)
	case NoticeCachingOff:
		return "prompt caching is not available for this model in this region; continuing without it"
	}
	return ""
}
