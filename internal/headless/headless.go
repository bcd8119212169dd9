// Package headless is print mode, `ganban -p`: one prompt (or a stream of them on stdin) run
// to completion without a terminal UI, the answer or JSON on stdout and progress on stderr,
// in the output shapes of the agent the setup guide is about, so that scripts written for it
// work with ganban.
package headless

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"ganban/internal/agent"
	"ganban/internal/anthropic"
	"ganban/internal/bedrock"
	"ganban/internal/bootstrap"
	"ganban/internal/memory"
	"ganban/internal/session"
	"ganban/internal/tools"
)

// Output and input formats.
const (
	FormatText       = "text"
	FormatJSON       = "json"
	FormatStreamJSON = "stream-json"
)

// Exit codes.
const (
	ExitOK          = 0
	ExitError       = 1
	ExitInterrupted = 130
)

// Options are print mode's flags.
type Options struct {
	Boot               bootstrap.Options
	Prompt             string
	Stdin              io.Reader // piped input, or nil
	OutputFormat       string
	InputFormat        string
	Verbose            bool
	Continue           bool
	Resume, SessionID  string
	MaxTurns           int
	MaxBudgetUSD       float64
	SystemPrompt       string
	AppendSystemPrompt string
	Stdout, Stderr     io.Writer
	Version            string
}

// Run runs print mode and returns the process exit code.
func Run(ctx context.Context, o Options) int {
	start := time.Now()
	out := newWriter(o)
	if err := o.check(); err != nil {
		return out.fail(err, nil, start)
	}
	o.Boot.RefreshOutput = out.refreshOutput()
	o.Boot.Notify = func(n bedrock.Notice) { out.notice(noticeKind(n), n.String()) }
	rt, err := bootstrap.Load(ctx, o.Boot)
	if err != nil {
		return out.fail(err, rt, start)
	}
	if err := rt.ResolveModels(ctx); err != nil {
		return out.fail(err, rt, start)
	}
	sess, history, err := openSession(rt, o)
	if err != nil {
		return out.fail(err, rt, start)
	}
	defer sess.Close()
	out.sessionID = sess.ID
	toolEnv := tools.NewEnv(rt.WorkDir, rt.Settings.Environ())
	defer toolEnv.Close()
	ag := agent.New(agent.Config{
		Provider: rt.Client, Model: rt.Primary, SmallFast: rt.SmallFast, SmallFastRegion: rt.SmallFastCallRegion(),
		System: systemPrompt(rt, o), Tools: tools.Default(), ToolEnv: toolEnv, Permissions: rt.Permissions,
		Transcript: sess, Emit: out.event, MaxTurns: o.MaxTurns, MaxBudgetUSD: o.MaxBudgetUSD,
		AutoCompact: !truthy(rt.Getenv("DISABLE_AUTO_COMPACT")), CompactAt: compactAt(rt), History: history,
		NeedsTitle: len(history) == 0, Secrets: secrets(rt),
	})
	defer ag.Close()
	out.init(rt, sess.ID)
	prompts, err := readPrompts(o)
	if err != nil {
		return out.fail(err, rt, start)
	}
	var res agent.Result
	for p := range prompts.seq {
		res = ag.Run(ctx, p)
		if res.Subtype != agent.Success {
			break
		}
	}
	if err := prompts.Err(); err != nil && res.Err == nil {
		res.Subtype, res.Err = agent.ErrDuringRun, err
	}
	return out.result(res, rt, start)
}

func (o *Options) check() error {
	switch o.OutputFormat {
	case "":
		o.OutputFormat = FormatText
	case FormatText, FormatJSON, FormatStreamJSON:
	default:
		return fmt.Errorf("--output-format %q: use text, json or stream-json", o.OutputFormat)
	}
	switch o.InputFormat {
	case "":
		o.InputFormat = FormatText
	case FormatText, FormatStreamJSON:
	default:
		return fmt.Errorf("--input-format %q: use text or stream-json", o.InputFormat)
	}
	if o.InputFormat == FormatText && strings.TrimSpace(o.Prompt) == "" && o.Stdin == nil {
		return errors.New(`print mode needs a prompt: ganban -p "your request" (or pipe it on stdin)`)
	}
	if o.Continue && o.Resume != "" {
		return errors.New("use either -c/--continue or -r/--resume, not both")
	}
	return nil
}

// openSession starts a new session or takes over the one to continue, repairing a tool call
// left without a result by a crash.
func openSession(rt *bootstrap.Runtime, o Options) (*session.Writer, []anthropic.Message, error) {
	meta := session.Meta{CWD: rt.WorkDir, Version: o.Version, GitBranch: gitBranch(rt.WorkDir)}
	if !o.Continue && o.Resume == "" {
		id := o.SessionID
		if id == "" {
			id = session.NewID()
		}
		w, err := session.Create(rt.ProjectDir, id, meta)
		return w, nil, err
	}
	path, err := session.Find(rt.ProjectDir, o.Resume)
	if err != nil {
		return nil, nil, err
	}
	w, t, err := session.Append(path, meta)
	if err != nil {
		return nil, nil, err
	}
	if err := t.Repair(w); err != nil {
		w.Close()
		return nil, nil, err
	}
	return w, t.Messages, nil
}

func systemPrompt(rt *bootstrap.Runtime, o Options) string {
	home := o.Boot.Home
	userDir := rt.Getenv("CLAUDE_CONFIG_DIR")
	if userDir == "" {
		userDir = home + "/.claude"
	}
	mem := memory.Load(memory.Options{WorkDir: rt.WorkDir, Root: rt.Settings.ProjectRoot(), UserDir: userDir})
	return agent.SystemPrompt(agent.PromptEnv{WorkDir: rt.WorkDir, Platform: runtime.GOOS + "/" + runtime.GOARCH, Model: rt.Primary.ID,
		Date: time.Now(), Memory: mem, Override: o.SystemPrompt, Append: o.AppendSystemPrompt})
}

// compactAt reads CLAUDE_CODE_AUTO_COMPACT_WINDOW, the prompt size that triggers compaction.
func compactAt(rt *bootstrap.Runtime) int64 {
	var n int64
	fmt.Sscan(rt.Getenv("CLAUDE_CODE_AUTO_COMPACT_WINDOW"), &n)
	return n
}

func truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// secrets are the credential values in the session's environment.
func secrets(rt *bootstrap.Runtime) []string {
	var out []string
	for _, k := range []string{"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK", "AWS_CONTAINER_AUTHORIZATION_TOKEN"} {
		if v := rt.Getenv(k); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func noticeKind(n bedrock.Notice) string {
	switch n.Kind {
	case bedrock.NoticeRefresh:
		return "credential_refresh"
	case bedrock.NoticeCachingOff:
		return "caching"
	}
	return "api_retry"
}
