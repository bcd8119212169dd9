package agent

import (
	"strings"
	"sync"
	"testing"
	"time"
)

type emitted struct {
	mu    sync.Mutex
	texts []string
}

func (e *emitted) add(s string) { e.mu.Lock(); e.texts = append(e.texts, s); e.mu.Unlock() }
func (e *emitted) all() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.texts...)
}

// TestLiveOutput: complete lines only (a secret split across writes is never shown half),
// carriage returns end lines, secrets redacted, the last lines kept, and a burst of writes
// sent once per interval; nothing after stop.
func TestLiveOutput(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	var got emitted
	l := newLiveOutput([]string{secret}, got.add)
	l.Write([]byte("building\nkey=" + secret[:10]))
	if texts := got.all(); len(texts) != 1 || texts[0] != "building" {
		t.Fatalf("first write sent %q", texts)
	}
	l.Write([]byte(secret[10:] + "\r 10%\r 50%\n\n"))
	for i := range 20 {
		l.Write([]byte(strings.Repeat("x", i) + "\n"))
	}
	if n := len(got.all()); n != 1 {
		t.Fatalf("a burst within the interval sent %d times", n)
	}
	time.Sleep(2 * progressEvery)
	texts := got.all()
	last := texts[len(texts)-1]
	if len(texts) != 2 || strings.Count(last, "\n") != progressLines-1 || !strings.HasSuffix(last, strings.Repeat("x", 19)) {
		t.Fatalf("after the interval: %q", texts)
	}
	for _, s := range texts {
		if strings.Contains(s, secret[:10]) {
			t.Errorf("a piece of the secret was shown: %q", s)
		}
	}
	l.Write([]byte("key=" + secret + "\n"))
	time.Sleep(2 * progressEvery)
	if texts := got.all(); !strings.Contains(texts[len(texts)-1], "key=[REDACTED]") {
		t.Errorf("redaction: %q", texts[len(texts)-1])
	}
	l.stop()
	n := len(got.all())
	l.Write([]byte("after\n"))
	time.Sleep(2 * progressEvery)
	if len(got.all()) != n {
		t.Error("sent after stop")
	}
}

// BenchmarkLiveOutput passes 64 KB writes of short lines, as a build log or a large cat
// arrives, through the live view: it must cost little next to the command.
func BenchmarkLiveOutput(b *testing.B) {
	chunk := []byte(strings.Repeat("ok  \tganban/internal/some/package\t0.123s\n", 64<<10/42))
	l := newLiveOutput([]string{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}, func(string) {})
	b.SetBytes(int64(len(chunk)))
	for b.Loop() {
		l.Write(chunk)
	}
	l.stop()
}
