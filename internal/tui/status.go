package tui

import (
	"fmt"
	"strings"
	"time"

	xansi "github.com/charmbracelet/x/ansi"

	"ganban/internal/bedrock"
	"ganban/internal/tools"
)

// retryState is a Bedrock retry in progress: "throttled, retrying in 4s (2/8)".
type retryState struct {
	what           string
	until          time.Time
	attempt, of    int
	refreshCommand string
	refreshing     bool
}

// todosMsg carries the agent's todo list (TodoWrite) to the screen.
type todosMsg struct{ items []tools.Todo }

// bedrockNotice shows what the Bedrock client does on its own.
func (m *Model) bedrockNotice(n bedrock.Notice) {
	switch n.Kind {
	case bedrock.NoticeRetry:
		what := "request failed"
		if n.Err != nil {
			what = n.Err.Kind.String()
		}
		m.retry = &retryState{what: what, until: m.now().Add(n.Delay), attempt: n.Attempt, of: n.MaxAttempts}
	case bedrock.NoticeRefresh:
		m.refreshing = true
		m.retry = &retryState{refreshing: true, refreshCommand: n.Command}
		m.conv.notice(levelWarn, n.String())
	case bedrock.NoticeCachingOff:
		m.conv.notice(levelInfo, n.String())
	}
}

// refreshOutput streams awsAuthRefresh's output into the panel above the input (S8), so
// that a device code or an SSO URL is seen while the command waits for the person.
func (m *Model) refreshOutput(text string) {
	m.refreshing = true
	m.refreshRaw += strings.ReplaceAll(text, "\r\n", "\n")
	if n := len(m.refreshRaw); n > 64<<10 {
		m.refreshRaw = m.refreshRaw[n-64<<10:]
	}
	m.refreshLines = m.refreshLines[:0]
	for _, l := range strings.Split(strings.TrimRight(m.refreshRaw, "\n"), "\n") {
		m.refreshLines = append(m.refreshLines, sanitize(l))
	}
}

// settleNotices clears retry and refresh states once the model answers again; the refresh
// output moves into the conversation so it stays readable.
func (m *Model) settleNotices() {
	if m.retry != nil && m.now().Before(m.retry.until) {
		return
	}
	m.retry = nil
	if m.refreshing {
		m.refreshing = false
		m.flushRefresh()
	}
}

func (m *Model) flushRefresh() {
	if len(m.refreshLines) == 0 {
		return
	}
	text := strings.TrimSpace(strings.Join(m.refreshLines, "\n"))
	if text != "" {
		m.conv.output("awsAuthRefresh output", text, levelInfo)
	}
	m.refreshLines, m.refreshRaw = nil, ""
}

func (r *retryState) text(now time.Time) string {
	if r.refreshing {
		if r.refreshCommand != "" {
			return "refreshing AWS credentials (awsAuthRefresh)"
		}
		return "resolving AWS credentials again"
	}
	left := r.until.Sub(now)
	if left < 0 {
		return fmt.Sprintf("%s, retrying (%d/%d)", r.what, r.attempt, r.of)
	}
	return fmt.Sprintf("%s, retrying in %ds (%d/%d)", r.what, int(left.Seconds()+0.999), r.attempt, r.of)
}

// statusLine shows the model, region, context use, cost and cache hits, and any retry or
// refresh in progress. When the width is short, the least useful parts go first.
func (m *Model) statusLine(w int) string {
	th := m.th
	type part struct {
		text string
		prio int // lower survives longer
		warn bool
	}
	var parts []part
	if m.retry != nil {
		parts = append(parts, part{m.retry.text(m.now()), 0, true})
	}
	model := m.info.Model
	if model == "" {
		model = "no model"
	}
	parts = append(parts, part{model, 1, false})
	if m.info.Region != "" {
		parts = append(parts, part{m.info.Region, 4, false})
	}
	limit := m.usage.ContextLimit
	if limit == 0 {
		limit = m.info.ContextLimit
	}
	if limit > 0 {
		pct := float64(m.usage.ContextUsed) / float64(limit) * 100
		parts = append(parts, part{fmt.Sprintf("ctx %.0f%% of %s", pct, tokens(limit)), 2, pct >= 80})
	}
	parts = append(parts, part{fmt.Sprintf("$%.4f", m.cost()), 2, false})
	if t := m.usage.Session; t.Input+t.CacheRead+t.CacheWrite() > 0 {
		parts = append(parts, part{fmt.Sprintf("cache %.0f%%", m.usage.CacheHitRatio()*100), 3, false})
	}
	if m.info.Mode != "" && m.info.Mode != "default" {
		parts = append(parts, part{m.info.Mode, 1, true})
	}
	render := func(ps []part) string {
		var b []string
		for _, p := range ps {
			st := th.statusDim
			if p.warn {
				st = th.statusWarn
			}
			b = append(b, st.Render(p.text))
		}
		return strings.Join(b, th.statusDim.Render(" · "))
	}
	for drop := 4; drop >= 0; drop-- {
		s := render(parts)
		if xansi.StringWidth(s) <= w {
			return s
		}
		var kept []part
		for _, p := range parts {
			if p.prio < drop {
				kept = append(kept, p)
			}
		}
		parts = kept
	}
	return truncate(render(parts), w)
}

// tokens formats a token count: 950, 12k, 1.2M.
func tokens(n int64) string {
	switch {
	case n >= 1_000_000:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/1e6), ".0") + "M"
	case n >= 1000:
		return fmt.Sprintf("%dk", (n+500)/1000)
	}
	return fmt.Sprint(n)
}

// todoLines shows the agent's todo list while it has open items: the one in progress first.
func (m *Model) todoLines(w int) []string {
	var open int
	for _, t := range m.todos {
		if t.Status != tools.TodoCompleted {
			open++
		}
	}
	if open == 0 {
		return nil
	}
	var out []string
	for _, t := range m.todos {
		mark, st := "☐", m.th.dim
		switch t.Status {
		case tools.TodoCompleted:
			mark = "☒"
		case tools.TodoInProgress:
			mark, st = "▸", m.th.bold
		}
		text := t.Content
		if t.Status == tools.TodoInProgress && t.ActiveForm != "" {
			text = t.ActiveForm
		}
		out = append(out, st.Render(truncate(" "+mark+" "+text, w)))
	}
	if len(out) > 6 {
		out = append(out[:5], m.th.dim.Render(fmt.Sprintf("   … %d more", len(m.todos)-5)))
	}
	return out
}
