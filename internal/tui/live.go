package tui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sync"

	tea "charm.land/bubbletea/v2"

	"ganban/internal/bootstrap"
	"ganban/internal/doctor"
	"ganban/internal/permission"
	"ganban/internal/session"
	"ganban/internal/settings"
	"ganban/internal/tools"
)

// Options configure Run: the command line of an interactive session.
type Options struct {
	Boot bootstrap.Options
	// Continue takes the directory's most recent session; Resume a given one; PickResume
	// opens the session picker first.
	Continue   bool
	Resume     string
	PickResume bool
	SessionID  string
	// SystemPrompt replaces ganban's instructions; AppendSystemPrompt adds to them.
	SystemPrompt, AppendSystemPrompt string
	MaxTurns                         int
	MaxBudgetUSD                     float64
	// Prompt is sent as soon as the session is open (ganban "fix the tests"); Draft is put in
	// the input, for the person to send or change (the demo's suggested request).
	Prompt, Draft string
	Version       string
	// Input and Output default to the terminal.
	Input  io.Reader
	Output io.Writer
}

// live is the real session behind the UI: the runtime from bootstrap and the open session.
// Its fields are written by the event loop only; commands that open or close sessions run in
// their own goroutines and hand results back in messages.
type live struct {
	opts Options
	br   *bridge
	rt   *bootstrap.Runtime
	sess *bootstrap.Session

	// open tracks every session opened and not yet closed, so that Run closes them all even
	// when the program ends while a session is being switched.
	mu   sync.Mutex
	open map[*bootstrap.Session]bool
}

// bootedMsg ends startup: a session, a session picker to show, or what is missing.
type bootedMsg struct {
	// trust is the question to answer before the folder's settings are acted on.
	trust  *bootstrap.TrustQuestion
	rt     *bootstrap.Runtime
	opened *opened
	pick   []session.Summary
	err    error
	checks []doctor.Check
}

// opened is a newly opened session and what the UI shows about it.
type opened struct {
	rt   *bootstrap.Runtime
	sess *bootstrap.Session
	info info
	// reset clears the conversation (a new or another session); note is said afterwards.
	reset bool
	note  string
}

// sessionMsg is the result of opening or switching a session after startup.
type sessionMsg struct {
	opened *opened
	err    error
}

// bootCmd loads the runtime, checks the credentials and the models, and opens the session.
// When anything fails, doctor says what is missing.
func (l *live) bootCmd(ctx context.Context) tea.Cmd {
	o := l.opts
	return func() tea.Msg {
		// A settings file that does not parse is reported by Load, with doctor's checks.
		if q, err := bootstrap.AskTrust(o.Boot); err == nil && q != nil {
			return bootedMsg{trust: q}
		}
		rt, err := bootstrap.Load(ctx, o.Boot)
		if err == nil {
			_, err = rt.Credentials.Status(ctx)
		}
		if err == nil {
			err = rt.ResolveModels(ctx)
		}
		if err != nil {
			if ctx.Err() != nil {
				return bootedMsg{err: ctx.Err()}
			}
			return bootedMsg{err: err, checks: doctor.Run(ctx, o.Boot)}
		}
		if o.PickResume {
			list, err := session.List(rt.ProjectDir)
			if err != nil {
				return bootedMsg{rt: rt, err: err}
			}
			return bootedMsg{rt: rt, pick: list}
		}
		op, err := l.openSession(rt, bootstrap.SessionOptions{Continue: o.Continue, Resume: o.Resume, SessionID: o.SessionID})
		return bootedMsg{rt: rt, opened: op, err: err}
	}
}

// openSession opens a session on rt with the UI's callbacks.
func (l *live) openSession(rt *bootstrap.Runtime, so bootstrap.SessionOptions) (*opened, error) {
	o := l.opts
	so.Version, so.SystemPrompt, so.AppendSystemPrompt = o.Version, o.SystemPrompt, o.AppendSystemPrompt
	so.MaxTurns, so.MaxBudgetUSD = o.MaxTurns, o.MaxBudgetUSD
	so.Emit, so.Ask = l.br.emit, l.br.ask
	sess, err := rt.OpenSession(so)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	if l.open == nil {
		l.open = map[*bootstrap.Session]bool{}
	}
	l.open[sess] = true
	l.mu.Unlock()
	br := l.br
	sess.ToolEnv.Todos.OnChange(func(items []tools.Todo) { br.post(todosMsg{items: items}) })
	return &opened{rt: rt, sess: sess, info: sessionInfo(rt, sess, so)}, nil
}

// closeSession closes a session once.
func (l *live) closeSession(s *bootstrap.Session) {
	if s == nil {
		return
	}
	l.mu.Lock()
	open := l.open[s]
	delete(l.open, s)
	l.mu.Unlock()
	if open {
		s.Close()
	}
}

// closeAll closes whatever is still open, at exit.
func (l *live) closeAll() {
	l.mu.Lock()
	var all []*bootstrap.Session
	for s := range l.open {
		all = append(all, s)
	}
	l.open = nil
	l.mu.Unlock()
	for _, s := range all {
		s.Close()
	}
}

func sessionInfo(rt *bootstrap.Runtime, sess *bootstrap.Session, so bootstrap.SessionOptions) info {
	in := info{ModelID: rt.Primary.ID, Model: rt.Primary.ID, Region: rt.Region, RegionSource: rt.RegionSource,
		SessionID: sess.ID, WorkDir: rt.WorkDir, ContextLimit: 200000}
	if m := rt.Primary.Info; m != nil {
		in.Model = m.Name
		in.ContextLimit = int64(m.ContextWindow)
		if rt.Primary.LongContext && m.LongContextWindow > m.ContextWindow {
			in.ContextLimit = int64(m.LongContextWindow)
		}
	}
	if sess.Transcript != nil {
		in.Title = sess.Transcript.Title
	}
	if rt.Permissions != nil {
		in.Mode = string(rt.Permissions.Mode())
	}
	in.SystemTokens = estimateTokens(len(rt.SystemPrompt(so)))
	if defs, err := json.Marshal(tools.Definitions(tools.Default())); err == nil {
		in.ToolTokens = estimateTokens(len(defs))
	}
	return in
}

// estimateTokens is the usual four bytes a token; /context says these are estimates.
func estimateTokens(n int) int64 { return int64(n+3) / 4 }

// switchCmd closes the current session and opens another: a new one (resume ""), a resumed
// one, or the same one with another model (model != "").
func (l *live) switchCmd(ctx context.Context, resume string, model string, note string) tea.Cmd {
	old, rt, o := l.sess, l.rt, l.opts
	return func() tea.Msg {
		if model != "" {
			o.Boot.Model = model
			nrt, err := bootstrap.Load(ctx, o.Boot)
			if err == nil {
				err = nrt.ResolveModels(ctx)
			}
			if err != nil {
				return sessionMsg{err: fmt.Errorf("switch to %s: %w", model, err)}
			}
			rt = nrt
		}
		so := bootstrap.SessionOptions{Resume: resume}
		if model != "" && old != nil {
			so.Resume = old.ID
		}
		l.closeSession(old)
		op, err := l.openSession(rt, so)
		if err != nil {
			return sessionMsg{err: err}
		}
		op.reset, op.note = model == "", note
		return sessionMsg{opened: op}
	}
}

// secrets are the credential values of the session, never shown from a command's output.
func (l *live) secrets() []string {
	var out []string
	for _, k := range []string{"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK", "AWS_CONTAINER_AUTHORIZATION_TOKEN"} {
		if v := l.rt.Getenv(k); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// cycleMode moves the permission mode to the next of default, acceptEdits and plan.
func (l *live) cycleMode() string {
	p := l.rt.Permissions
	next := map[permission.Mode]permission.Mode{permission.Default: permission.AcceptEdits, permission.AcceptEdits: permission.Plan}[p.Mode()]
	if next == "" {
		next = permission.Default
	}
	p.SetMode(next)
	return string(next)
}

// settingsNow reads the settings files as they are now, for /config and /permissions: the
// runtime's copy is from start-up and misses rules added since.
func (l *live) settingsNow() (*settings.Settings, error) {
	o := l.opts.Boot
	return settings.Load(settings.Options{WorkDir: o.WorkDir, Home: o.Home, SettingsFiles: o.SettingsFiles, Environ: o.Environ})
}

// userDir is ~/.claude, or CLAUDE_CONFIG_DIR.
func (l *live) userDir() string {
	if d := l.rt.Getenv("CLAUDE_CONFIG_DIR"); d != "" {
		return d
	}
	home := l.rt.Getenv("HOME")
	if home == "" {
		home = l.opts.Boot.Home
	}
	return filepath.Join(home, ".claude")
}

// errNoSession is returned by commands that need a session when none is open.
var errNoSession = errors.New("no session is open")
