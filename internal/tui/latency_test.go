package tui

import (
	"context"
	"io"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"ganban/internal/agent"
)

// watchedModel tells the benchmark when a rendered view first shows what was typed.
type watchedModel struct {
	*Model
	watch atomic.Pointer[watch]
}

type watch struct {
	want string
	seen chan time.Time
	once sync.Once
}

func (w *watchedModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := w.Model.Update(msg)
	return w, cmd
}

func (w *watchedModel) View() tea.View {
	v := w.Model.View()
	if wt := w.watch.Load(); wt != nil && strings.Contains(v.Content, wt.want) {
		wt.once.Do(func() { wt.seen <- time.Now() })
	}
	return v
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
// tokens a second: from sending a key to the Bubble Tea program until a rendered view shows
// the typed character. It reports the 50th and 99th percentiles; the goal is p99 < 16 ms.
func BenchmarkKeystrokeLatency(b *testing.B) {
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
	wm := &watchedModel{Model: m}
	p := tea.NewProgram(wm, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(io.Discard),
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

	const alphabet = "QXZJKVW0123456789"
	typed := ""
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if len(typed) >= 24 {
			// Clear the input (not measured) so the typed text stays on one line.
			b.StopTimer()
			p.Send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
			typed = ""
			time.Sleep(5 * time.Millisecond)
			b.StartTimer()
		}
		c := rune(alphabet[rand.IntN(len(alphabet))])
		typed += string(c)
		w := &watch{want: typed, seen: make(chan time.Time, 1)}
		wm.watch.Store(w)
		start := time.Now()
		p.Send(tea.KeyPressMsg{Code: c, Text: string(c)})
		select {
		case at := <-w.seen:
			lat = append(lat, at.Sub(start))
		case <-time.After(2 * time.Second):
			b.Fatalf("the typed text %q never appeared on screen", typed)
		}
		// Type at a person's pace, a little irregularly, so keys land at every point of the
		// stream's frame cycle.
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
