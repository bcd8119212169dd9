package agent

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"sync"
	"time"

	"ganban/internal/anthropic"
	"ganban/internal/bedrock"
	"ganban/internal/catalog"
	"ganban/internal/permission"
	"ganban/internal/session"
	"ganban/internal/tools"
)

// Provider is what the agent needs of Bedrock: a streamed answer and a whole one.
type Provider interface {
	Stream(ctx context.Context, call bedrock.Call) iter.Seq2[bedrock.Part, error]
	Invoke(ctx context.Context, call bedrock.Call) (*anthropic.Response, error)
}

// Permissions decides about tool calls and learns the user's "allow for this session".
type Permissions interface {
	Check(permission.Request) permission.Decision
	AllowForSession(permission.Rule)
	// Suggest is the rule "allow for this session" and "always allow" add for a request:
	// paths in the working directory relative to it, as people write them in settings.
	Suggest(permission.Request) permission.Rule
	// DeniesTool reports that every call of the tool is denied: it is then not offered to
	// the model (a call to it anyway is still judged, and refused, like any other).
	DeniesTool(name string) bool
}

// Config assembles an Agent.
type Config struct {
	Provider Provider
	Model    bedrock.Choice
	// Fallback is the model to switch to, once, when Model is unavailable or overloaded
	// after the provider's retries (--fallback-model).
	Fallback  bedrock.Choice
	SmallFast bedrock.Choice
	// SmallFastRegion is the region of small/fast calls; "" is the main region.
	SmallFastRegion string
	System          string
	Tools           []tools.Tool
	ToolEnv         *tools.Env
	Permissions     Permissions
	// Ask asks the user about a call the rules leave open; nil denies it with a message to
	// the model (print mode).
	Ask AskFunc
	// RememberRule stores an "always allow" rule (in .claude/settings.local.json).
	RememberRule func(permission.Rule) error
	Transcript   *session.Writer
	Emit         func(Event)
	MaxTurns     int
	MaxBudgetUSD float64
	// AutoCompact summarises the conversation before the context window fills; CompactAt
	// is the prompt size that triggers it (0: 85% of the model's window).
	AutoCompact bool
	CompactAt   int64
	// History is the conversation of a resumed session.
	History []anthropic.Message
	// NeedsTitle asks for a title from the small/fast model after the first answer.
	NeedsTitle bool
	// Secrets are values never to pass on from tool output (the session's own keys), on top
	// of what redact recognises by shape.
	Secrets []string
}

// Agent runs a conversation.
type Agent struct {
	cfg      Config
	defs     []anthropic.Tool
	messages []anthropic.Message

	emitMu sync.Mutex

	spendMu sync.Mutex
	totals  catalog.Tokens
	cost    float64
	// lastPrompt is the size of the last prompt, as its answer reported it; unmeasured
	// estimates what was added to the conversation since (see nextPromptTokens).
	lastPrompt int64
	unmeasured int64
	titled     bool
	// titleDone is closed when the title request started by startTitle has ended;
	// titleCancel ends it early. Both are set once, on the Run goroutine, before Close.
	titleDone   chan struct{}
	titleCancel context.CancelFunc
}

// New returns an Agent ready to Run.
func New(cfg Config) *Agent {
	if cfg.Emit == nil {
		cfg.Emit = func(Event) {}
	}
	a := &Agent{cfg: cfg, defs: tools.Definitions(offered(cfg.Tools, cfg.Permissions)), messages: append([]anthropic.Message(nil), cfg.History...), titled: !cfg.NeedsTitle}
	a.remeasure()
	return a
}

// offered is the tools to offer the model: all but those the rules refuse outright, which
// it could only be refused.
func offered(ts []tools.Tool, p Permissions) []tools.Tool {
	if p == nil {
		return ts
	}
	var out []tools.Tool
	for _, t := range ts {
		if !p.DeniesTool(t.Name()) {
			out = append(out, t)
		}
	}
	return out
}

// ToolNames names the tools offered to the model, in order.
func (a *Agent) ToolNames() []string {
	names := make([]string, len(a.defs))
	for i, d := range a.defs {
		names[i] = d.Name
	}
	return names
}

// Messages returns the conversation so far.
func (a *Agent) Messages() []anthropic.Message {
	return append([]anthropic.Message(nil), a.messages...)
}

// Totals returns the session's tokens and cost so far.
func (a *Agent) Totals() (catalog.Tokens, float64) { return a.addSpend(catalog.Tokens{}, 0) }

// Close ends background work. A title request still on its way gets titleGrace to arrive and
// is then cancelled, so closing a session (and print mode's exit) never waits long; a title
// that arrives is in the totals and the transcript before Close returns. Call it after the
// last Run; calling it again does nothing.
func (a *Agent) Close() {
	if a.titleDone == nil {
		return
	}
	select {
	case <-a.titleDone:
	case <-time.After(titleGrace):
		a.titleCancel()
		<-a.titleDone
	}
}

func (a *Agent) emit(e Event) {
	a.emitMu.Lock()
	defer a.emitMu.Unlock()
	a.cfg.Emit(e)
}

func (a *Agent) notice(about, text string) {
	a.emit(Event{Kind: EventNotice, Text: text, NoticeFor: about})
	if a.cfg.Transcript != nil {
		_ = a.cfg.Transcript.Notice(text)
	}
}

// Result subtypes, as print mode reports them.
const (
	Success         = "success"
	ErrMaxTurns     = "error_max_turns"
	ErrMaxBudget    = "error_max_budget_usd"
	ErrDuringRun    = "error_during_execution"
	ErrInterrupted  = "error_interrupted"
	defaultCompactF = 0.85
)

// Result is how a Run ended.
type Result struct {
	Subtype string
	// Final is the last assistant message; Text its text.
	Final   *anthropic.Response
	Text    string
	Turns   int
	Usage   catalog.Tokens
	CostUSD float64
	API     time.Duration
	Err     error
}

// Run sends a user prompt and works until the model ends its turn, a limit is reached or ctx
// is cancelled. The session stays consistent whatever happens: every tool call on disk gets a
// result, and a cancelled answer keeps what was said.
func (a *Agent) Run(ctx context.Context, prompt []anthropic.Block) Result {
	r := Result{Subtype: Success}
	user := anthropic.Message{Role: anthropic.RoleUser, Content: prompt}
	a.appendMessage(user)
	if err := a.record(func(w *session.Writer) error { return w.User(user, false) }); err != nil {
		return a.finish(r, ErrDuringRun, err)
	}
	budget := 0
	announced, overflowed := false, false
	for {
		if a.cfg.MaxTurns > 0 && r.Turns >= a.cfg.MaxTurns {
			return a.finish(r, ErrMaxTurns, nil)
		}
		if _, spent := a.Totals(); a.cfg.MaxBudgetUSD > 0 && spent >= a.cfg.MaxBudgetUSD {
			return a.finish(r, ErrMaxBudget, nil)
		}
		if err := a.maybeCompact(ctx); err != nil {
			return a.finish(r, ErrDuringRun, err)
		}
		start := time.Now()
		resp, err := a.request(ctx, budget, nil)
		r.API += time.Since(start)
		// A turn counts (for --max-turns and num_turns) once, when it ends: asking it again
		// on the fallback model or with more room after max_tokens is the same turn.
		if err != nil && a.switchToFallback(ctx, err) {
			continue
		}
		if err != nil && !overflowed {
			compacted, cerr := a.compactAfterOverflow(ctx, err)
			if cerr != nil {
				r.Turns++
				return a.finish(r, ErrDuringRun, cerr)
			}
			if overflowed = compacted; compacted {
				continue
			}
		}
		if err != nil {
			if overflowed && promptTooLong(err) {
				err = fmt.Errorf("the prompt is still too long after compacting the conversation, so the last prompt or tool results alone do not fit the model's context window: %w", err)
			}
			r.Turns++
			return a.interrupted(ctx, r, resp, err)
		}
		overflowed = false
		cost := a.account(resp)
		if resp.StopReason != nil && *resp.StopReason == anthropic.StopMaxTokens {
			next, final, cerr := a.recoverTruncation(ctx, resp, budget, &announced)
			if final == nil {
				a.recordRequest(session.PurposeDiscarded, resp, cost)
				if cerr != nil {
					r.Turns++
					return a.interrupted(ctx, r, nil, cerr)
				}
				budget = next
				continue
			}
			resp = final
		}
		budget = 0
		r.Turns++
		if err := a.commitAssistant(*resp, cost); err != nil {
			return a.finish(r, ErrDuringRun, err)
		}
		r.Final = resp
		a.startTitle()
		calls := toolUses(resp.Content)
		if len(calls) == 0 {
			return a.finish(r, Success, nil)
		}
		results := a.runTools(ctx, calls)
		msg := anthropic.Message{Role: anthropic.RoleUser, Content: results}
		a.appendMessage(msg)
		a.emit(Event{Kind: EventToolResults, Results: &msg})
		if err := a.record(func(w *session.Writer) error { return w.User(msg, true) }); err != nil {
			return a.finish(r, ErrDuringRun, err)
		}
		if ctx.Err() != nil {
			return a.finish(r, ErrInterrupted, ctx.Err())
		}
	}
}

func (a *Agent) finish(r Result, subtype string, err error) Result {
	r.Subtype, r.Err = subtype, err
	r.Usage, r.CostUSD = a.Totals()
	if r.Final != nil {
		r.Text = anthropic.PlainText(r.Final.Content)
	}
	return r
}

// interrupted ends a Run whose request failed or was cancelled, keeping the text that had
// arrived (never a partial tool call) so the session reads as it happened.
func (a *Agent) interrupted(ctx context.Context, r Result, partial *anthropic.Response, err error) Result {
	if partial != nil && partial.ID != "" {
		kept := *partial
		kept.Content = textOnly(partial.Content)
		if len(kept.Content) == 0 {
			a.discard(partial)
		} else {
			stop := "interrupted"
			kept.StopReason = &stop
			_ = a.commitAssistant(kept, a.account(partial))
			r.Final = &kept
		}
	}
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return a.finish(r, ErrInterrupted, err)
	}
	return a.finish(r, ErrDuringRun, err)
}

// commitAssistant adds an answer to the conversation and the transcript; cost is the price of
// the request that produced it.
func (a *Agent) commitAssistant(resp anthropic.Response, cost float64) error {
	a.appendMessage(anthropic.Message{Role: anthropic.RoleAssistant, Content: resp.Content})
	a.emit(Event{Kind: EventAssistant, Message: &resp})
	return a.record(func(w *session.Writer) error { return w.Assistant(resp, resp.RequestID, cost) })
}

// appendMessage adds a message, merging consecutive messages of the same role (a prompt
// after a compaction summary, a continuation of a cut-off answer).
func (a *Agent) appendMessage(m anthropic.Message) {
	a.unmeasured += blocksTokens(m.Content)
	if n := len(a.messages); n > 0 && a.messages[n-1].Role == m.Role {
		last := &a.messages[n-1]
		last.Content = append(append([]anthropic.Block(nil), last.Content...), m.Content...)
		return
	}
	a.messages = append(a.messages, m)
}

func (a *Agent) record(f func(*session.Writer) error) error {
	if a.cfg.Transcript == nil {
		return nil
	}
	return f(a.cfg.Transcript)
}

func toolUses(blocks []anthropic.Block) []anthropic.Block {
	var out []anthropic.Block
	for _, b := range blocks {
		if b.Type == anthropic.BlockToolUse {
			out = append(out, b)
		}
	}
	return out
}

func textOnly(blocks []anthropic.Block) []anthropic.Block {
	var out []anthropic.Block
	for _, b := range blocks {
		if b.Type == anthropic.BlockText && b.Text != "" {
			out = append(out, b)
		}
	}
	return out
}

// fallbackKinds are the failures that another model may not have.
var fallbackKinds = map[bedrock.Kind]bool{
	bedrock.KindThrottled: true, bedrock.KindQuotaExceeded: true, bedrock.KindModelNotReady: true, bedrock.KindModelTimeout: true,
	bedrock.KindServer: true, bedrock.KindInvalidModel: true, bedrock.KindModelRetired: true, bedrock.KindAccessDenied: true,
	bedrock.KindOnDemand: true,
}

// switchToFallback moves the session to the fallback model after a failure of the main one
// that retries did not cure. It happens once per session.
func (a *Agent) switchToFallback(ctx context.Context, err error) bool {
	var be *bedrock.Error
	if a.cfg.Fallback.ID == "" || ctx.Err() != nil || !errors.As(err, &be) || !fallbackKinds[be.Kind] {
		return false
	}
	a.notice("fallback", fmt.Sprintf("%s failed (%s); switching to the fallback model %s.", a.cfg.Model.ID, be.Kind, a.cfg.Fallback.ID))
	a.cfg.Model, a.cfg.Fallback = a.cfg.Fallback, bedrock.Choice{}
	return true
}

// ErrNothingToRewind is returned when there is no prompt to take back.
var ErrNothingToRewind = errors.New("there is no prompt to take back")

// Rewind takes back the last prompt and everything that followed it, as if it had never
// been sent, and returns its text so the user can edit and send it again (Esc Esc). The
// transcript records the rewind, so a resumed session ends where this one now does. Call it
// only between Runs.
func (a *Agent) Rewind() (string, error) {
	for i := len(a.messages) - 1; i >= 0; i-- {
		m := a.messages[i]
		if m.Role != anthropic.RoleUser || hasToolResult(m.Content) {
			continue
		}
		if strings.HasPrefix(anthropic.PlainText(m.Content), session.CompactPreamble) {
			break // the prompt was merged into a compaction summary: nothing to take back alone
		}
		text := anthropic.PlainText(m.Content)
		a.messages = a.messages[:i]
		a.remeasure()
		if err := a.record(func(w *session.Writer) error { return w.Rewound(i) }); err != nil {
			return text, err
		}
		return text, nil
	}
	return "", ErrNothingToRewind
}

func hasToolResult(blocks []anthropic.Block) bool {
	for _, b := range blocks {
		if b.Type == anthropic.BlockToolResult {
			return true
		}
	}
	return false
}
