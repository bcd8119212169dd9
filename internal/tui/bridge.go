package tui

import (
	"context"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"ganban/internal/agent"
	"ganban/internal/bedrock"
)

// frame is how long the pump waits after sending text before it sends more: one screen
// refresh at 60 Hz. Deltas that arrive meanwhile are merged into one message.
const frame = 16 * time.Millisecond

// bridge carries reports from other goroutines (agent events, Bedrock notices, permission
// questions, refresh output, finished work) into the Bubble Tea event loop. Producers append
// to an unbounded queue and never wait for the screen; one pump goroutine drains it in order.
// See the package documentation for the delivery rules.
type bridge struct {
	mu    sync.Mutex
	queue []tea.Msg
	wake  chan struct{}
	frame time.Duration

	stopOnce sync.Once
	stopCh   chan struct{}
	done     chan struct{}
}

func newBridge() *bridge {
	return &bridge{wake: make(chan struct{}, 1), frame: frame, stopCh: make(chan struct{}), done: make(chan struct{})}
}

// start runs the pump, which delivers with send (tea.Program.Send) until stop.
func (b *bridge) start(send func(tea.Msg)) {
	go b.pump(send)
}

// stop ends the pump and waits for it. Messages still queued are dropped: the program they
// were for has ended.
func (b *bridge) stop() {
	b.stopOnce.Do(func() { close(b.stopCh) })
	<-b.done
}

// post queues a message for the event loop.
func (b *bridge) post(msg tea.Msg) {
	b.mu.Lock()
	b.queue = append(b.queue, msg)
	b.mu.Unlock()
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// emit is the agent's Emit callback.
func (b *bridge) emit(e agent.Event) { b.post(agentMsg{e: e}) }

// notify is the Bedrock client's Notify callback.
func (b *bridge) notify(n bedrock.Notice) { b.post(noticeMsg{n: n}) }

// Write receives the awsAuthRefresh command's output (bootstrap.Options.RefreshOutput).
func (b *bridge) Write(p []byte) (int, error) {
	b.post(refreshOutputMsg{text: string(p)})
	return len(p), nil
}

// ask is the agent's AskFunc: it shows the question and blocks the agent goroutine until the
// dialog answers or ctx ends (Esc interrupts the run, which refuses the call).
func (b *bridge) ask(ctx context.Context, q agent.Question) agent.Answer {
	reply := make(chan agent.Answer, 1)
	b.post(askMsg{ctx: ctx, q: q, reply: reply})
	select {
	case a := <-reply:
		return a
	case <-ctx.Done():
		return agent.Answer{Allow: false, Reason: "The user interrupted."}
	}
}

func (b *bridge) pump(send func(tea.Msg)) {
	defer close(b.done)
	for {
		select {
		case <-b.stopCh:
			return
		case <-b.wake:
		}
		b.mu.Lock()
		batch := b.queue
		b.queue = nil
		b.mu.Unlock()
		sentText := false
		for _, msg := range coalesce(batch) {
			select {
			case <-b.stopCh:
				return
			default:
			}
			if isDelta(msg) {
				sentText = true
			}
			send(msg)
		}
		if sentText {
			// Let the next deltas gather instead of rendering each one.
			select {
			case <-b.stopCh:
				return
			case <-time.After(b.frame):
			}
		}
	}
}

func isDelta(msg tea.Msg) bool {
	am, ok := msg.(agentMsg)
	return ok && (am.e.Kind == agent.EventText || am.e.Kind == agent.EventThinking)
}

// coalesce merges runs of text deltas (and runs of thinking deltas) into single messages,
// keeping every other message and the order.
func coalesce(msgs []tea.Msg) []tea.Msg {
	out := msgs[:0:0]
	var sb strings.Builder
	kind := agent.EventKind(0)
	flush := func() {
		if kind != 0 {
			out = append(out, agentMsg{e: agent.Event{Kind: kind, Text: sb.String()}})
			sb.Reset()
			kind = 0
		}
	}
	for _, msg := range msgs {
		if isDelta(msg) {
			e := msg.(agentMsg).e
			if e.Kind != kind {
				flush()
				kind = e.Kind
			}
			sb.WriteString(e.Text)
			continue
		}
		flush()
		out = append(out, msg)
	}
	flush()
	return out
}
