package bootstrap

import (
	"fmt"
	"runtime"
	"time"

	"ganban/internal/agent"
	"ganban/internal/anthropic"
	"ganban/internal/memory"
	"ganban/internal/permission"
	"ganban/internal/session"
	"ganban/internal/settings"
	"ganban/internal/tools"
)

// SessionOptions describe the session to open.
type SessionOptions struct {
	// Continue takes the most recent session of the directory; Resume a given one.
	Continue          bool
	Resume, SessionID string
	Version           string
	// SystemPrompt replaces ganban's instructions; AppendSystemPrompt adds to them.
	SystemPrompt, AppendSystemPrompt string
	MaxTurns                         int
	MaxBudgetUSD                     float64
	Emit                             func(agent.Event)
	// Ask answers permission questions; nil denies what the rules leave open (print mode).
	Ask agent.AskFunc
}

// Session is an open session: its transcript, its history and the agent working on it.
type Session struct {
	ID      string
	Writer  *session.Writer
	History []anthropic.Message
	// Transcript is the session as read back when it was resumed, nil for a new one.
	Transcript *session.Transcript
	ToolEnv    *tools.Env
	Agent      *agent.Agent
}

// OpenSession starts a new session or takes over the one to continue (repairing a tool call
// a crash left without a result), and builds the agent for it. Call ResolveModels first.
func (r *Runtime) OpenSession(o SessionOptions) (*Session, error) {
	s := &Session{}
	_, branch := r.Git.Wait()
	meta := session.Meta{CWD: r.WorkDir, Version: o.Version, GitBranch: branch}
	if !o.Continue && o.Resume == "" {
		id := o.SessionID
		if id == "" {
			id = session.NewID()
		} else if err := session.CheckID(id); err != nil {
			return nil, fmt.Errorf("--session-id: %w", err)
		}
		w, err := session.Create(r.ProjectDir, id, meta)
		if err != nil {
			return nil, err
		}
		s.Writer = w
	} else {
		path, err := session.Find(r.ProjectDir, o.Resume)
		if err != nil {
			return nil, err
		}
		w, t, err := session.Append(path, meta)
		if err != nil {
			return nil, err
		}
		if err := t.Repair(w); err != nil {
			w.Close()
			return nil, err
		}
		s.Writer, s.Transcript, s.History = w, t, t.Messages
	}
	s.ID = s.Writer.ID
	s.ToolEnv = tools.NewEnv(r.WorkDir, r.Settings.Environ())
	s.ToolEnv.ReadDenied = r.Permissions.ReadDenied
	s.Agent = agent.New(agent.Config{
		Provider: r.Client, Model: r.Primary, Fallback: r.Fallback, SmallFast: r.SmallFast, SmallFastRegion: r.SmallFastCallRegion(),
		System: r.SystemPrompt(o), Tools: tools.Default(), ToolEnv: s.ToolEnv, Permissions: r.Permissions,
		Ask: o.Ask, RememberRule: r.rememberRule, Transcript: s.Writer, Emit: o.Emit, MaxTurns: o.MaxTurns, MaxBudgetUSD: o.MaxBudgetUSD,
		AutoCompact: !settings.Truthy(r.Getenv("DISABLE_AUTO_COMPACT")), CompactAt: compactAt(r.Getenv),
		History: s.History, NeedsTitle: len(s.History) == 0, Secrets: r.secrets(),
	})
	return s, nil
}

// Close waits for the agent's background work and closes the transcript and the shell.
func (s *Session) Close() {
	s.Agent.Close()
	s.ToolEnv.Close()
	s.Writer.Close()
}

// SystemPrompt assembles the session's system prompt with the memory files.
func (r *Runtime) SystemPrompt(o SessionOptions) string {
	userDir := r.Getenv("CLAUDE_CONFIG_DIR")
	if userDir == "" {
		userDir = r.homeDir() + "/.claude"
	}
	mem := memory.Load(memory.Options{WorkDir: r.WorkDir, Root: r.Settings.ProjectRoot(), UserDir: userDir})
	status, _ := r.Git.Wait()
	return agent.SystemPrompt(agent.PromptEnv{WorkDir: r.WorkDir, Platform: runtime.GOOS + "/" + runtime.GOARCH, Model: r.Primary.ID,
		Date: time.Now(), Memory: mem, GitStatus: status, Override: o.SystemPrompt, Append: o.AppendSystemPrompt})
}

func (r *Runtime) homeDir() string {
	if h := r.Getenv("HOME"); h != "" {
		return h
	}
	return r.PermissionConfig.Home
}

// rememberRule writes an "always allow" rule to .claude/settings.local.json.
func (r *Runtime) rememberRule(rule permission.Rule) error {
	if err := settings.AddPermissionRule(r.Settings.LocalFile(), settings.ListAllow, rule.String()); err != nil {
		return err
	}
	return r.TrustProject()
}

// secrets are the credential values in the session's environment, never passed on from tool
// output.
func (r *Runtime) secrets() []string {
	var out []string
	for _, k := range []string{"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK", "AWS_CONTAINER_AUTHORIZATION_TOKEN"} {
		if v := r.Getenv(k); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// compactAt reads CLAUDE_CODE_AUTO_COMPACT_WINDOW, the prompt size that triggers compaction.
func compactAt(getenv func(string) string) int64 {
	n, err := settings.ParseInt(getenv("CLAUDE_CODE_AUTO_COMPACT_WINDOW"))
	if err != nil {
		return 0
	}
	return int64(n)
}
