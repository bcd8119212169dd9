package tui

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	xansi "github.com/charmbracelet/x/ansi"

	"ganban/internal/agent"
)

// terminal stands for the terminal the program writes to: it notes when the character
// being waited for is first written. Bubble Tea renders a view after every update but
// writes frames on a ticker, so the time that counts is when the bytes leave, not when
// View returns.
type terminal struct {
	watch atomic.Pointer[watch]
}

type watch struct {
	want string
	seen chan time.Time
	once sync.Once
}

func (t *terminal) Write(p []byte) (int, error) {
	if w := t.watch.Load(); w != nil && strings.Contains(xansi.Strip(string(p)), w.want) {
		w.once.Do(func() { w.seen <- time.Now() })
	}
	return len(p), nil
}

// streamTokens emits text deltas at rate tokens a second through the bridge, as the agent
// does while Bedrock streams: paragraphs of prose with now and then a code block.
func streamTokens(ctx context.Context, br *bridge, rate int) {
	words := strings.Fields("the cart total ignores the quantity of each item so we multiply the price by it and run the tests again to be sure nothing else breaks")
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		tok := " " + words[i%len(words)]
		switch {
		case i%400 == 399:
			tok = "\n\n```go\nfunc total(items []Item) int {\n\tsum := 0\n\tfor _, it := range items {\n\t\tsum += it.Price * it.Qty\n\t}\n\treturn sum\n}\n```\n\n"
		case i%60 == 59:
			tok += ".\n\n"
		}
		br.emit(agent.Event{Kind: agent.EventText, Text: tok})
	}
}

// BenchmarkKeystrokeLatency measures keystroke-to-screen time while an answer streams at 200
// tokens a second: from sending a key to the Bubble Tea program until the frame showing the
// typed character is written to the terminal. It reports the 50th and 99th percentiles; the
// goal is p99 < 16 ms. It runs at Bubble Tea's default 60 frames a second and at the
// frameRate Run uses.
func BenchmarkKeystrokeLatency(b *testing.B) {
	for _, fps := range []int{60, frameRate} {
		b.Run(fmt.Sprintf("fps=%d", fps), func(b *testing.B) { keystrokeLatency(b, fps) })
	}
}

// typed are the characters typed: letters that appear nowhere else on the screen, a line of
// them at most, so that finding one in the terminal's output means it was just typed.
var typed = []rune("αβγδεζηθικλμνξοπρστυφχψω")

func keystrokeLatency(b *testing.B, fps int) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	br := newBridge()
	m := newModel(config{ctx: ctx, post: br.post, dark: true})
	m.eng = &fakeEngine{}
	m.info = info{Model: "Claude Sonnet 4.5", Region: "us-east-1", ContextLimit: 200000}
	// A session with history: earlier prompts and answers to scroll past.
	for i := 0; i < 40; i++ {
		m.conv.addUser("earlier prompt number " + itoa(i))
		m.conv.add(&entry{kind: kindAssistant, text: "An earlier answer with `code` and **bold** text.\n\n- a list\n- of items"})
	}
	m.conv.addUser("explain the fix")
	m.running, m.runStart = true, time.Now()
	term := &terminal{}
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(term), tea.WithFPS(fps),
		tea.WithWindowSize(120, 40), tea.WithoutSignalHandler(), tea.WithColorProfile(colorprofile.TrueColor))
	br.start(p.Send)
	defer br.stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = p.Run()
	}()
	defer func() { p.Quit(); <-done }()
	p.Send(tea.WindowSizeMsg{Width: 120, Height: 40})
	go streamTokens(ctx, br, 200)
	time.Sleep(300 * time.Millisecond) // let the answer get going

	n := 0
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if n == len(typed) {
			// Clear the input (not measured): the letters can be typed again.
			b.StopTimer()
			p.Send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
			n = 0
			time.Sleep(50 * time.Millisecond)
			b.StartTimer()
		}
		c := typed[n]
		n++
		w := &watch{want: string(c), seen: make(chan time.Time, 1)}
		term.watch.Store(w)
		start := time.Now()
		p.Send(tea.KeyPressMsg{Code: c, Text: string(c)})
		select {
		case at := <-w.seen:
			lat = append(lat, at.Sub(start))
		case <-time.After(2 * time.Second):
			b.Fatalf("the typed %q was never written to the terminal", c)
		}
		// Type at a person's pace, a little irregularly, so keys land at every point of the
		// stream's and the renderer's frame cycles.
		time.Sleep(time.Duration(2+rand.IntN(8)) * time.Millisecond)
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 {
		return float64(lat[min(int(p*float64(len(lat))), len(lat)-1)]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op")
}
