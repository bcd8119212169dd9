package tui

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"ganban/internal/agent"
)

func TestCoalesce(t *testing.T) {
	t.Parallel()
	txt := func(s string) tea.Msg { return agentMsg{e: agent.Event{Kind: agent.EventText, Text: s}} }
	thk := func(s string) tea.Msg { return agentMsg{e: agent.Event{Kind: agent.EventThinking, Text: s}} }
	tool := agentMsg{e: agent.Event{Kind: agent.EventToolStart}}
	done := runDoneMsg{}
	tests := []struct {
		name    string
		in, out []tea.Msg
	}{
		{"empty", nil, nil},
		{"text run", []tea.Msg{txt("a"), txt("b"), txt("c")}, []tea.Msg{txt("abc")}},
		{"kinds kept apart", []tea.Msg{thk("x"), thk("y"), txt("a"), txt("b")}, []tea.Msg{thk("xy"), txt("ab")}},
		{"order kept", []tea.Msg{txt("a"), tool, txt("b"), txt("c"), done}, []tea.Msg{txt("a"), tool, txt("bc"), done}},
	}
	for _, tt := range tests {
		if got := coalesce(tt.in); !reflect.DeepEqual(got, tt.out) && !(len(got) == 0 && len(tt.out) == 0) {
			t.Errorf("%s: coalesce = %#v, want %#v", tt.name, got, tt.out)
		}
	}
}

// TestBridgeDelivers checks that the pump delivers everything, in order, with deltas merged.
func TestBridgeDelivers(t *testing.T) {
	t.Parallel()
	br := newBridge()
	var mu sync.Mutex
	var got []tea.Msg
	br.start(func(msg tea.Msg) { mu.Lock(); got = append(got, msg); mu.Unlock() })
	for i := 0; i < 100; i++ {
		br.emit(agent.Event{Kind: agent.EventText, Text: "x"})
	}
	br.post(runDoneMsg{})
	deadline := time.Now().Add(2 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		last := tea.Msg(nil)
		if n > 0 {
			last = got[n-1]
		}
		mu.Unlock()
		if _, ok := last.(runDoneMsg); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("runDoneMsg never arrived")
		}
		time.Sleep(5 * time.Millisecond)
	}
	br.stop()
	text := ""
	for _, msg := range got[:len(got)-1] {
		text += msg.(agentMsg).e.Text
	}
	if len(text) != 100 {
		t.Errorf("delivered %d characters of text, want 100", len(text))
	}
	if len(got) > 20 {
		t.Errorf("%d messages for 100 deltas: they were not merged", len(got))
	}
}

func TestAskFirstAnswerWins(t *testing.T) {
	t.Parallel()
	br := newBridge()
	asks := make(chan askMsg, 1)
	br.start(func(msg tea.Msg) {
		if a, ok := msg.(askMsg); ok {
			asks <- a
		}
	})
	defer br.stop()
	got := make(chan agent.Answer, 1)
	go func() { got <- br.ask(context.Background(), agent.Question{}) }()
	a := <-asks
	a.answer(agent.Answer{Allow: true, Scope: agent.ForSession})
	a.answer(agent.Answer{Allow: false}) // late: dropped
	if ans := <-got; !ans.Allow || ans.Scope != agent.ForSession {
		t.Errorf("answer = %+v, want the first one", ans)
	}
}

func TestAskUnblocksOnCancel(t *testing.T) {
	t.Parallel()
	br := newBridge()
	br.start(func(tea.Msg) {})
	defer br.stop()
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan agent.Answer, 1)
	go func() { got <- br.ask(ctx, agent.Question{}) }()
	time.Sleep(10 * time.Millisecond)
	cancel()
	select {
	case ans := <-got:
		if ans.Allow {
			t.Error("a cancelled question was allowed")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("ask did not return after the context was cancelled")
	}
}
