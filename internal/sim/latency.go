package sim

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Latency models how fast the model answers: time to first token, then tokens per second.
// The zero value answers at once.
type Latency struct {
	TTFT time.Duration
	TPS  float64
}

// ParseLatency reads "ttft=800ms,tps=60".
func ParseLatency(s string) (Latency, error) {
	var l Latency
	if s == "" {
		return l, nil
	}
	for _, part := range strings.Split(s, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "ttft":
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 || d > time.Hour {
				return l, fmt.Errorf("latency %q: ttft must be a duration such as 800ms, at most 1h", s)
			}
			l.TTFT = d
		case "tps":
			n, err := strconv.ParseFloat(v, 64)
			if err != nil || !(n >= 0.1 && n <= 1e6) { // NaN fails both comparisons
				return l, fmt.Errorf("latency %q: tps must be a number of tokens a second from 0.1 to 1000000", s)
			}
			l.TPS = n
		default:
			return l, fmt.Errorf("latency %q: unknown setting %q (ttft, tps)", s, k)
		}
	}
	return l, nil
}

// tokenDelay is how long n output tokens take.
func (l Latency) tokenDelay(n int64) time.Duration {
	if l.TPS <= 0 || n <= 0 {
		return 0
	}
	return time.Duration(float64(n) / l.TPS * float64(time.Second))
}

// sleepCtx waits d or until ctx ends; it reports whether the full wait happened.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
