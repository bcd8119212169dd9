package agent

import (
	"bytes"
	"strings"
	"sync"
	"time"

	"ganban/internal/redact"
)

// Live output of a running tool (EventToolProgress): the last lines it wrote, redacted, at
// most every progressEvery. Only complete lines are shown, so that a secret is never cut
// in two by a write boundary and shown half unredacted; a carriage return (progress bars)
// ends a line too.
const (
	progressEvery = 100 * time.Millisecond
	progressLines = 8
	// maxPartialLine is how long an unterminated line may grow before it is dropped from
	// the live view.
	maxPartialLine = 4096
)

// liveOutput is the io.Writer a tool writes to while it runs. Writes never block on the
// UI: they update the tail and at most arm a timer.
type liveOutput struct {
	mu      sync.Mutex
	partial []byte
	lines   []string
	dirty   bool
	last    time.Time
	timer   *time.Timer
	stopped bool
	secrets []string
	emit    func(text string)
}

func newLiveOutput(secrets []string, emit func(text string)) *liveOutput {
	return &liveOutput{secrets: secrets, emit: emit}
}

func (l *liveOutput) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped {
		return len(p), nil
	}
	l.partial = append(l.partial, p...)
	if i := bytes.LastIndexAny(l.partial, "\r\n"); i >= 0 {
		l.addLines(l.partial[:i])
		l.partial = append(l.partial[:0], l.partial[i+1:]...)
	}
	if len(l.partial) > maxPartialLine {
		// Shown in pieces, a long line could show part of a secret; the result has it all.
		l.partial = l.partial[:0]
	}
	l.schedule()
	return len(p), nil
}

// addLines keeps the last non-blank lines of text, which ends at a line's end. Only those
// are looked at: a command may write megabytes, of which the view shows a few lines.
func (l *liveOutput) addLines(text []byte) {
	var newest []string
	for end := len(text); end >= 0 && len(newest) < progressLines; {
		start := bytes.LastIndexAny(text[:end], "\r\n") + 1
		if line := text[start:end]; len(bytes.TrimSpace(line)) > 0 {
			newest = append(newest, string(line))
		}
		end = start - 1
	}
	for i := len(newest) - 1; i >= 0; i-- {
		l.lines = append(l.lines, redact.String(newest[i], l.secrets...))
	}
	if len(l.lines) > progressLines {
		l.lines = l.lines[len(l.lines)-progressLines:]
	}
	l.dirty = l.dirty || len(newest) > 0
}

// schedule sends the tail now when the last send is old enough, else once the interval is
// up; l.mu is held.
func (l *liveOutput) schedule() {
	if !l.dirty || l.timer != nil {
		return
	}
	wait := progressEvery - time.Since(l.last)
	if wait <= 0 {
		l.flush()
		return
	}
	l.timer = time.AfterFunc(wait, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.timer = nil
		if !l.stopped {
			l.flush()
		}
	})
}

// flush sends the tail; l.mu is held.
func (l *liveOutput) flush() {
	l.dirty, l.last = false, time.Now()
	l.emit(strings.Join(l.lines, "\n"))
}

// stop ends the live view: the result takes its place.
func (l *liveOutput) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
	if l.timer != nil {
		l.timer.Stop()
	}
}
