package headless

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"ganban/internal/agent"
	"ganban/internal/bedrock"
	"ganban/internal/bootstrap"
	"ganban/internal/redact"
	"ganban/internal/session"
)

// writer renders agent events in the chosen format. Stdout carries only the answer or the
// JSON; progress goes to stderr (and, in stream-json, also as system events).
type writer struct {
	o         Options
	mu        sync.Mutex
	sessionID string
	denials   []map[string]any
}

func newWriter(o Options) *writer { return &writer{o: o} }

func (w *writer) line(v any) {
	data, _ := json.Marshal(v)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.o.Stdout.Write(append(data, '\n'))
}

func (w *writer) stderr(format string, args ...any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	fmt.Fprintf(w.o.Stderr, format, args...)
}

// notice reports progress: retries, refreshes, recoveries.
func (w *writer) notice(subtype, text string) {
	text = redact.String(text)
	w.stderr("ganban: %s\n", text)
	if w.o.OutputFormat == FormatStreamJSON {
		w.line(map[string]any{"type": "system", "subtype": subtype, "message": text, "session_id": w.sessionID, "uuid": session.NewID()})
	}
}

// refreshOutput shows awsAuthRefresh's output on stderr, and as events in stream-json.
func (w *writer) refreshOutput() io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		text := redact.String(string(p))
		w.stderr("%s", text)
		if w.o.OutputFormat == FormatStreamJSON {
			w.line(map[string]any{"type": "system", "subtype": "auth_refresh_output", "message": text, "session_id": w.sessionID, "uuid": session.NewID()})
		}
		return len(p), nil
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func (w *writer) init(rt *bootstrap.Runtime, id string, toolNames []string) {
	if w.o.OutputFormat != FormatStreamJSON {
		if w.o.Verbose {
			w.stderr("ganban: session %s, model %s (%s) in %s\n", id, rt.Primary.ID, rt.Primary.Source, rt.Region)
		}
		return
	}
	w.line(map[string]any{"type": "system", "subtype": "init", "cwd": rt.WorkDir, "session_id": id, "tools": toolNames,
		"model": rt.Primary.ID, "permissionMode": string(rt.Permissions.Mode()), "apiKeySource": "none",
		"mcp_servers": []any{}, "slash_commands": []any{}, "output_style": "default", "uuid": session.NewID(),
		"region": rt.Region, "ganban_version": w.o.Version})
}

// event handles one agent event.
func (w *writer) event(e agent.Event) {
	switch e.Kind {
	case agent.EventNotice:
		w.notice("notice", e.Text)
	case agent.EventAssistant:
		if w.o.OutputFormat == FormatStreamJSON {
			w.line(map[string]any{"type": "assistant", "message": e.Message, "parent_tool_use_id": nil, "session_id": w.sessionID, "uuid": session.NewID()})
		}
	case agent.EventToolResults:
		if w.o.OutputFormat == FormatStreamJSON {
			w.line(map[string]any{"type": "user", "message": e.Results, "parent_tool_use_id": nil, "session_id": w.sessionID, "uuid": session.NewID()})
		}
	case agent.EventToolStart:
		if w.o.Verbose {
			w.stderr("ganban: %s\n", e.Tool.Target.Summary)
		}
	case agent.EventToolEnd:
		if e.Tool.Denied {
			var in any
			_ = json.Unmarshal(e.Tool.Input, &in)
			w.mu.Lock()
			w.denials = append(w.denials, map[string]any{"tool_name": e.Tool.Name, "tool_use_id": e.Tool.ID, "tool_input": in})
			w.mu.Unlock()
			w.stderr("ganban: %s denied: %s\n", e.Tool.Name, e.Tool.Result.Summary)
		}
	case agent.EventCompacted:
		if w.o.OutputFormat == FormatStreamJSON {
			w.line(map[string]any{"type": "system", "subtype": "compact_boundary", "session_id": w.sessionID, "uuid": session.NewID()})
		}
	}
}

// result writes the final outcome and returns the exit code.
func (w *writer) result(r agent.Result, rt *bootstrap.Runtime, start time.Time) int {
	isErr := r.Subtype != agent.Success
	text := r.Text
	if r.Err != nil {
		text = describe(r.Err, rt)
	}
	switch w.o.OutputFormat {
	case FormatText:
		if isErr {
			w.stderr("ganban: %s\n", text)
			if r.Final != nil && r.Text != "" {
				fmt.Fprintln(w.o.Stdout, r.Text)
			}
		} else {
			fmt.Fprintln(w.o.Stdout, r.Text)
		}
	default:
		w.line(w.resultJSON(r, text, isErr, start))
	}
	switch {
	case r.Subtype == agent.ErrInterrupted:
		return ExitInterrupted
	case isErr:
		return ExitError
	}
	return ExitOK
}

func (w *writer) resultJSON(r agent.Result, text string, isErr bool, start time.Time) map[string]any {
	denials := w.denials
	if denials == nil {
		denials = []map[string]any{}
	}
	return map[string]any{
		"type": "result", "subtype": r.Subtype, "is_error": isErr, "result": text,
		"session_id": w.sessionID, "num_turns": r.Turns,
		"duration_ms": time.Since(start).Milliseconds(), "duration_api_ms": r.API.Milliseconds(),
		"total_cost_usd": r.CostUSD,
		"usage": map[string]any{"input_tokens": r.Usage.Input, "output_tokens": r.Usage.Output,
			"cache_creation_input_tokens": r.Usage.CacheWrite(), "cache_read_input_tokens": r.Usage.CacheRead},
		"permission_denials": denials, "uuid": session.NewID(),
	}
}

// fail reports an error that stopped print mode before or outside the agent loop.
func (w *writer) fail(err error, rt *bootstrap.Runtime, start time.Time) int {
	r := agent.Result{Subtype: agent.ErrDuringRun, Err: err}
	if errors.Is(err, context.Canceled) {
		r.Subtype = agent.ErrInterrupted
	}
	return w.result(r, rt, start)
}

// describe is an error as a person should read it: what happened, and the next step.
func describe(err error, rt *bootstrap.Runtime) string {
	msg := redact.String(err.Error())
	var b bytes.Buffer
	b.WriteString(msg)
	cat := rt.CatalogOrDefault()
	if advice := bedrock.Advice(err, cat); advice != "" {
		b.WriteString("\n  next step: " + advice)
	}
	return b.String()
}
