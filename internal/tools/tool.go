package tools

import (
	"context"
	"encoding/json"
	"fmt"

	"ganban/internal/anthropic"
)

// Tool is one tool the model can call.
type Tool interface {
	Name() string
	Description() string
	// InputSchema is the JSON Schema of the input object.
	InputSchema() json.RawMessage
	// ReadOnly reports that the tool changes no file and runs no command: it may run in
	// parallel with other read-only calls and in plan mode.
	ReadOnly() bool
	// Target decodes and validates the input and says what the call touches, before it runs,
	// for permission checks and for display. Invalid input returns an error whose text is what
	// the model should read (e.g. "Edit: old_string is required").
	Target(input json.RawMessage, env *Env) (Target, error)
	// Run performs the call. Every failure, including invalid input, is an error Result.
	Run(ctx context.Context, env *Env, input json.RawMessage) Result
}

// TargetKind classifies what a call touches, for permission rules.
type TargetKind int

// Target kinds.
const (
	TargetNone    TargetKind = iota // touches nothing outside the session (TodoWrite)
	TargetRead                      // reads files under Path
	TargetWrite                     // creates or changes the file at Path
	TargetCommand                   // runs Command in a shell
	TargetFetch                     // fetches URL
)

// String names the kind.
func (k TargetKind) String() string {
	switch k {
	case TargetNone:
		return "none"
	case TargetRead:
		return "read"
	case TargetWrite:
		return "write"
	case TargetCommand:
		return "command"
	case TargetFetch:
		return "fetch"
	}
	return fmt.Sprintf("TargetKind(%d)", int(k))
}

// Target is what a call touches, known before it runs.
type Target struct {
	Kind    TargetKind
	Path    string // absolute; for Read, Write and the search tools
	Command string // for Bash
	URL     string // for WebFetch, after the http-to-https upgrade
	// Summary is one line for the UI, e.g. "Edit internal/foo.go".
	Summary string
	// Preview shows what will change: a unified diff for Write, Edit and MultiEdit (computed
	// without writing), the command for Bash.
	Preview string
}

// Result is the outcome of a call.
type Result struct {
	// Content is the tool_result content: text and image blocks.
	Content []anthropic.Block
	IsError bool
	// Summary is one status line for the UI.
	Summary string
	// Diff is the unified diff of what changed, for Write, Edit and MultiEdit.
	Diff string
}

// Text returns the text of the result's text blocks.
func (r Result) Text() string { return anthropic.PlainText(r.Content) }

// textResult is a successful result with one text block.
func textResult(text, summary string) Result {
	return Result{Content: []anthropic.Block{anthropic.Text(text)}, Summary: summary}
}

// errorResult is an error result with one text block; the text is for the model, so it says
// what went wrong and what to do instead.
func errorResult(text string) Result {
	return Result{Content: []anthropic.Block{anthropic.Text(text)}, IsError: true, Summary: firstLine(text)}
}

// Definitions returns the tool definitions to offer the model.
func Definitions(ts []Tool) []anthropic.Tool {
	defs := make([]anthropic.Tool, 0, len(ts))
	for _, t := range ts {
		defs = append(defs, anthropic.Tool{Name: t.Name(), Description: t.Description(), InputSchema: t.InputSchema()})
	}
	return defs
}

// Lookup finds a tool by name.
func Lookup(ts []Tool, name string) (Tool, bool) {
	for _, t := range ts {
		if t.Name() == name {
			return t, true
		}
	}
	return nil, false
}

// Default returns the built-in tools in the order they are offered to the model.
func Default() []Tool {
	return []Tool{ReadTool(), WriteTool(), EditTool(), MultiEditTool(), BashTool(), GlobTool(), GrepTool(), LSTool(), TodoWriteTool(), WebFetchTool()}
}

// New makes a Tool from typed functions. The input schema is derived from In's fields (see
// Schema); input is decoded and validated against it before target or run is called, so they
// only see well-formed input. target may be nil (the call then touches nothing). New panics
// if In cannot be described by a schema, which is a programming error.
func New[In any](name, description string, readOnly bool, target func(In, *Env) (Target, error), run func(context.Context, *Env, In) Result) Tool {
	schema, err := Schema[In]()
	if err != nil {
		panic(fmt.Sprintf("tools.New(%s): %v", name, err))
	}
	return &typedTool[In]{name: name, description: description, readOnly: readOnly, schema: schema, target: target, run: run}
}

type typedTool[In any] struct {
	name, description string
	readOnly          bool
	schema            json.RawMessage
	target            func(In, *Env) (Target, error)
	run               func(context.Context, *Env, In) Result
}

func (t *typedTool[In]) Name() string                 { return t.name }
func (t *typedTool[In]) Description() string          { return t.description }
func (t *typedTool[In]) InputSchema() json.RawMessage { return t.schema }
func (t *typedTool[In]) ReadOnly() bool               { return t.readOnly }

func (t *typedTool[In]) decode(input json.RawMessage) (In, error) {
	var in In
	if err := Decode(input, &in); err != nil {
		return in, fmt.Errorf("%s: %w", t.name, err)
	}
	return in, nil
}

func (t *typedTool[In]) Target(input json.RawMessage, env *Env) (tg Target, err error) {
	in, err := t.decode(input)
	if err != nil {
		return Target{}, err
	}
	if t.target == nil {
		return Target{Kind: TargetNone, Summary: t.name}, nil
	}
	// A bug in one tool must not take the session down: the model gets an error instead.
	defer func() {
		if r := recover(); r != nil {
			tg, err = Target{}, fmt.Errorf("%s: internal error: %v", t.name, r)
		}
	}()
	return t.target(in, env)
}

func (t *typedTool[In]) Run(ctx context.Context, env *Env, input json.RawMessage) (res Result) {
	in, err := t.decode(input)
	if err != nil {
		return errorResult(err.Error())
	}
	defer func() {
		if r := recover(); r != nil {
			res = errorResult(fmt.Sprintf("%s: internal error: %v", t.name, r))
		}
	}()
	return t.run(ctx, env, in)
}
