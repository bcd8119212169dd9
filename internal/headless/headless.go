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
	"strings"
	"time"

	"ganban/internal/agent"
	"ganban/internal/bedrock"
	"ganban/internal/bootstrap"
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
	err := o.check()
	out := newWriter(o)
	if err != nil {
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
	sess, err := rt.OpenSession(bootstrap.SessionOptions{
		Continue: o.Continue, Resume: o.Resume, SessionID: o.SessionID, Version: o.Version,
		SystemPrompt: o.SystemPrompt, AppendSystemPrompt: o.AppendSystemPrompt,
		MaxTurns: o.MaxTurns, MaxBudgetUSD: o.MaxBudgetUSD, Emit: out.event,
	})
	if err != nil {
		return out.fail(err, rt, start)
	}
	defer sess.Close()
	out.sessionID = sess.ID
	ag := sess.Agent
	out.init(rt, sess.ID, ag.ToolNames())
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
	// The title may still be on its way: settle it (briefly) first, so the result's cost is
	// what the transcript records.
	ag.Close()
	res.Usage, res.CostUSD = ag.Totals()
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

func noticeKind(n bedrock.Notice) string {
	switch n.Kind {
	case bedrock.NoticeRefresh:
		return "credential_refresh"
	case bedrock.NoticeCachingOff:
		return "caching"
	}
	return "api_retry"
}
