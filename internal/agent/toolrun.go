package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"ganban/internal/anthropic"
	"ganban/internal/permission"
	"ganban/internal/redact"
	"ganban/internal/tools"
)

// Scope is how long a "yes" to a permission question lasts.
type Scope int

// Permission answer scopes.
const (
	Once Scope = iota
	ForSession
	Always // also written as a rule to .claude/settings.local.json
)

// Question is a permission question for the user.
type Question struct {
	Call    ToolCall
	Reason  string
	Suggest permission.Rule
}

// Answer is the user's answer; Reason goes to the model with a refusal.
type Answer struct {
	Allow  bool
	Scope  Scope
	Reason string
}

// AskFunc asks the user a permission question and waits for the answer.
type AskFunc func(ctx context.Context, q Question) Answer

// pendingCall is a tool call on its way to running.
type pendingCall struct {
	block  anthropic.Block
	tool   tools.Tool
	target tools.Target
	result *tools.Result
	denied bool
}

// runTools runs the calls of one answer and returns their tool_result blocks, in order.
// Permissions are settled first, one call at a time; then read-only calls run in parallel
// groups and the others one by one. If the user refuses a call, the calls after it are not
// run: the model hears why and decides again.
func (a *Agent) runTools(ctx context.Context, blocks []anthropic.Block) []anthropic.Block {
	calls := make([]*pendingCall, len(blocks))
	refused := false
	for i, b := range blocks {
		c := &pendingCall{block: b}
		calls[i] = c
		switch {
		case refused:
			c.result = errResult("Not run: the user refused an earlier tool call of the same answer.")
		case ctx.Err() != nil:
			c.result = errResult("Not run: the user interrupted.")
		default:
			refused = a.prepare(ctx, c)
		}
	}
	for i := 0; i < len(calls); {
		j := i
		for j < len(calls) && calls[j].result == nil && calls[j].tool.ReadOnly() {
			j++
		}
		if j > i+1 {
			a.runParallel(ctx, calls[i:j])
			i = j
			continue
		}
		if calls[i].result == nil {
			a.runOne(ctx, calls[i])
		}
		i++
	}
	out := make([]anthropic.Block, len(calls))
	for i, c := range calls {
		out[i] = anthropic.Block{Type: anthropic.BlockToolResult, ToolUseID: c.block.ID, Content: a.redacted(c.result.Content), IsError: c.result.IsError}
		if len(out[i].Content) == 0 {
			out[i].Content = []anthropic.Block{anthropic.Text("(no output)")}
		}
	}
	return out
}

// prepare finds the tool, checks the input and settles permission. It reports whether the
// user refused the call.
func (a *Agent) prepare(ctx context.Context, c *pendingCall) (userRefused bool) {
	if c.block.MalformedInput != "" {
		c.result = errResult(malformedInput(c.block))
		return false
	}
	t, ok := tools.Lookup(a.cfg.Tools, c.block.Name)
	if !ok {
		c.result = errResult(fmt.Sprintf("No tool named %q. The tools are: %s.", c.block.Name, toolNames(a.cfg.Tools)))
		return false
	}
	c.tool = t
	target, err := t.Target(c.block.Input, a.cfg.ToolEnv)
	c.target = target
	if err != nil {
		c.result = errResult(err.Error())
		return false
	}
	allowed, reason, byUser := a.permit(ctx, c)
	if !allowed {
		c.denied = true
		c.result = errResult(reason)
		a.emit(Event{Kind: EventToolEnd, Tool: a.toolCall(c)})
		return byUser
	}
	return false
}

// permit applies the rules and, when they leave the call open, asks the user.
func (a *Agent) permit(ctx context.Context, c *pendingCall) (allowed bool, reason string, byUser bool) {
	if a.cfg.Permissions == nil {
		return true, "", false
	}
	req := permission.Request{Tool: c.block.Name, Path: c.target.Path, Command: c.target.Command, URL: c.target.URL}
	d := a.cfg.Permissions.Check(req)
	switch d.Behavior {
	case permission.Allow:
		return true, "", false
	case permission.Deny:
		return false, d.Reason, false
	}
	if a.cfg.Ask == nil {
		advice := fmt.Sprintf("--allowedTools %q, or --permission-mode acceptEdits for file edits", a.cfg.Permissions.Suggest(req).String())
		if d.Hint != "" {
			advice = d.Hint
		}
		return false, fmt.Sprintf("%s Nobody can answer a permission question in this mode (non-interactive). Allow it in advance: %s.", d.Reason, advice), false
	}
	ans := a.cfg.Ask(ctx, Question{Call: *a.toolCall(c), Reason: d.Reason, Suggest: a.cfg.Permissions.Suggest(req)})
	if !ans.Allow {
		why := "The user refused this tool call."
		if ans.Reason != "" {
			why += " They said: " + ans.Reason
		}
		return false, why, true
	}
	rule := a.cfg.Permissions.Suggest(req)
	switch ans.Scope {
	case ForSession:
		a.cfg.Permissions.AllowForSession(rule)
	case Always:
		a.cfg.Permissions.AllowForSession(rule)
		if a.cfg.RememberRule != nil {
			if err := a.cfg.RememberRule(rule); err != nil {
				a.notice("permission", "Could not save the rule "+rule.String()+": "+err.Error())
			}
		}
	}
	return true, "", false
}

func (a *Agent) runParallel(ctx context.Context, calls []*pendingCall) {
	var wg sync.WaitGroup
	for _, c := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.runOne(ctx, c)
		}()
	}
	wg.Wait()
}

// runOne runs a call. A tool that panics becomes an error result: a broken tool must not
// take the session down.
func (a *Agent) runOne(ctx context.Context, c *pendingCall) {
	a.emit(Event{Kind: EventToolStart, Tool: a.toolCall(c)})
	live := newLiveOutput(a.cfg.Secrets, func(text string) {
		a.emit(Event{Kind: EventToolProgress, Tool: &ToolCall{ID: c.block.ID, Name: c.block.Name}, Text: text})
	})
	ctx = tools.WithProgress(ctx, live)
	func() {
		defer live.stop()
		defer func() {
			if p := recover(); p != nil {
				c.result = errResult(fmt.Sprintf("%s failed unexpectedly: %v", c.block.Name, p))
			}
		}()
		res := c.tool.Run(ctx, a.cfg.ToolEnv, c.block.Input)
		res.Content = a.redacted(res.Content) // before the screen sees it, not only the model
		c.result = &res
	}()
	if ctx.Err() != nil && !c.result.IsError {
		c.result.Content = append(c.result.Content, anthropic.Text("(The user interrupted while this ran.)"))
	}
	a.emit(Event{Kind: EventToolEnd, Tool: a.toolCall(c)})
}

func (a *Agent) toolCall(c *pendingCall) *ToolCall {
	return &ToolCall{ID: c.block.ID, Name: c.block.Name, Input: c.block.Input, Target: c.target, Result: c.result, Denied: c.denied}
}

// redacted removes secrets from tool output before anyone sees it: the model, the transcript,
// the screen. A command that prints the environment must not send the session's keys to
// Bedrock or into a log.
func (a *Agent) redacted(blocks []anthropic.Block) []anthropic.Block {
	out := make([]anthropic.Block, len(blocks))
	for i, b := range blocks {
		if b.Type == anthropic.BlockText {
			b.Text = redact.String(b.Text, a.cfg.Secrets...)
		}
		out[i] = b
	}
	return out
}

// maxMalformedShown bounds how much of a broken input is quoted back to the model: enough to
// see the mistake, not a second copy of a large file.
const maxMalformedShown = 4000

// malformedInput tells the model that a call's input was not a JSON object, quoting it, so it
// can send the call again corrected.
func malformedInput(b anthropic.Block) string {
	raw := b.MalformedInput
	why := "it is not a JSON object"
	var v map[string]any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		why = "it is not a JSON object: " + err.Error()
	}
	if len(raw) > maxMalformedShown {
		raw = fmt.Sprintf("%s\n... (%d more bytes)", raw[:maxMalformedShown], len(raw)-maxMalformedShown)
	}
	return fmt.Sprintf("%s was not run because its input could not be read (%s). The input as received:\n%s\nCall %s again with the input as one valid JSON object.", b.Name, why, raw, b.Name)
}

func errResult(text string) *tools.Result {
	return &tools.Result{Content: []anthropic.Block{anthropic.Text(text)}, IsError: true, Summary: text}
}

func toolNames(ts []tools.Tool) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Name()
	}
	return strings.Join(names, ", ")
}
