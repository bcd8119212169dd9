package agent

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"ganban/internal/anthropic"
	"ganban/internal/bedrock"
	"ganban/internal/session"
)

// titleTimeout bounds a title request in a long session; titleGrace is how long Close waits
// for one still on its way: a title is worth a moment at exit, not a stalled one.
const (
	titleTimeout = 30 * time.Second
	titleGrace   = time.Second
)

// startTitle asks the small/fast model, in its own region, for a short title of the session,
// once, in the background. It runs on a context of its own, so an interrupted turn does not
// lose it; Close waits for it briefly, then cancels it.
func (a *Agent) startTitle() {
	if a.titled || a.cfg.SmallFast.ID == "" {
		return
	}
	a.titled = true
	first := ""
	for _, m := range a.messages {
		if m.Role == anthropic.RoleUser {
			first = anthropic.PlainText(m.Content)
			break
		}
	}
	first = cutUTF8(first, 2000)
	ctx, cancel := context.WithTimeout(context.Background(), titleTimeout)
	done := make(chan struct{})
	a.titleDone, a.titleCancel = done, cancel
	go func() {
		defer close(done)
		defer cancel()
		resp, err := a.cfg.Provider.Invoke(ctx, bedrock.Call{
			Model: a.cfg.SmallFast.ID, Region: a.cfg.SmallFastRegion, Info: a.cfg.SmallFast.Info, MaxTokens: 32, NoThinking: true,
			Request: &anthropic.Request{Messages: []anthropic.Message{{Role: anthropic.RoleUser, Content: []anthropic.Block{anthropic.Text(
				"Write a title of at most seven words for a coding session that starts with the request below. Answer with the title only.\n\n<request>\n" + first + "\n</request>")}}}},
		})
		if err != nil {
			return
		}
		cost := 0.0
		if m := a.cfg.SmallFast.Info; m != nil {
			cost = m.Cost(tokensOf(resp.Usage), a.cfg.SmallFast.Ref.Geo)
		}
		a.addSpend(tokensOf(resp.Usage), cost)
		a.recordRequest(session.PurposeTitle, resp, cost)
		title := strings.Trim(strings.TrimSpace(anthropic.PlainText(resp.Content)), `"'`)
		if i := strings.IndexByte(title, '\n'); i >= 0 {
			title = title[:i]
		}
		title = strings.TrimSpace(cutUTF8(title, 80))
		if title == "" {
			return
		}
		a.emit(Event{Kind: EventTitle, Text: title})
		_ = a.record(func(w *session.Writer) error { return w.Title(title) })
	}()
}

// cutUTF8 returns at most n bytes of s, cut between characters: a title cut inside one would
// end in a replacement character once written as JSON.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
