package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"ganban/internal/anthropic"
)

// Scenario scripts the model: conversations matched by their first user message, each a list
// of steps answered in order. Steps are found statelessly from the request (see stepIndex), so
// a retried request gets the same step again.
type Scenario struct {
	Conversations []Conversation `json:"conversations"`
	// FallbackReply answers requests without tools, past the last step, or matching no
	// conversation.
	FallbackReply *Reply `json:"fallback_reply,omitempty"`
}

// Conversation is one scripted session.
type Conversation struct {
	Name string `json:"name,omitempty"`
	// MatchFirstUserText selects the conversation when the request's first user message
	// contains it; "" matches every request.
	MatchFirstUserText string `json:"match_first_user_text"`
	Steps              []Step `json:"steps"`
}

// Step is one model turn: what the request should look like and what to answer.
type Step struct {
	Expect *Expect `json:"expect,omitempty"`
	Reply  Reply   `json:"reply"`
	// Faults are served to successive attempts of this step before the reply, one each.
	Faults []string `json:"faults,omitempty"`
}

// Expect lists checks on the request that reaches a step. A failed check is recorded in the
// report and the log; the step is still answered.
type Expect struct {
	ToolsInclude           []string `json:"tools_include,omitempty"`
	ToolsExclude           []string `json:"tools_exclude,omitempty"`
	LastToolResultContains string   `json:"last_tool_result_contains,omitempty"`
	LastToolResultIsError  *bool    `json:"last_tool_result_is_error,omitempty"`
	LastUserTextContains   string   `json:"last_user_text_contains,omitempty"`
	SystemContains         string   `json:"system_contains,omitempty"`
	SystemExcludes         string   `json:"system_excludes,omitempty"`
	MaxTokensAtLeast       int      `json:"max_tokens_at_least,omitempty"`
	CacheControl           *bool    `json:"cache_control,omitempty"`
	Thinking               *bool    `json:"thinking,omitempty"`
}

// Reply is a scripted answer. Content uses the Messages block shapes (text, tool_use with
// name and input, thinking); ids and signatures are generated fresh for every answer.
type Reply struct {
	Content    []anthropic.Block `json:"content"`
	StopReason string            `json:"stop_reason,omitempty"`
}

var varPattern = regexp.MustCompile(`\{\{([A-Za-z0-9_.-]+)\}\}`)

// LoadScenario reads a scenario file and substitutes {{name}} with vars. A variable the file
// uses but vars lacks is an error, so a typo never reaches a test as a literal "{{cwd}}".
func LoadScenario(path string, vars map[string]string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	sc, err := ParseScenario(data, vars)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", path, err)
	}
	return sc, nil
}

// ParseScenario parses scenario JSON; see LoadScenario.
func ParseScenario(data []byte, vars map[string]string) (*Scenario, error) {
	var missing []string
	for _, m := range varPattern.FindAllSubmatch(data, -1) {
		if _, ok := vars[string(m[1])]; !ok {
			missing = append(missing, string(m[1]))
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("uses {{%s}} but no value was given (--var %s=...)", strings.Join(missing, "}}, {{"), missing[0])
	}
	var sc Scenario
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sc); err != nil {
		return nil, err
	}
	sub := func(s string) string {
		return varPattern.ReplaceAllStringFunc(s, func(m string) string { return vars[m[2:len(m)-2]] })
	}
	for ci := range sc.Conversations {
		c := &sc.Conversations[ci]
		c.MatchFirstUserText = sub(c.MatchFirstUserText)
		for si := range c.Steps {
			st := &c.Steps[si]
			if err := st.Reply.substitute(sub); err != nil {
				return nil, fmt.Errorf("conversation %d step %d: %w", ci, si, err)
			}
			if err := checkFaults(st.Faults); err != nil {
				return nil, fmt.Errorf("conversation %d step %d: %w", ci, si, err)
			}
			if e := st.Expect; e != nil {
				e.LastToolResultContains = sub(e.LastToolResultContains)
				e.LastUserTextContains = sub(e.LastUserTextContains)
				e.SystemContains = sub(e.SystemContains)
				e.SystemExcludes = sub(e.SystemExcludes)
			}
		}
	}
	if sc.FallbackReply != nil {
		if err := sc.FallbackReply.substitute(sub); err != nil {
			return nil, fmt.Errorf("fallback_reply: %w", err)
		}
	}
	return &sc, nil
}

// substitute applies vars to every string of the reply, tool inputs included, and checks
// that each block is one the simulator can send.
func (r *Reply) substitute(sub func(string) string) error {
	for i := range r.Content {
		b := &r.Content[i]
		switch b.Type {
		case anthropic.BlockText:
			b.Text = sub(b.Text)
		case anthropic.BlockThinking:
			b.Thinking = sub(b.Thinking)
		case anthropic.BlockRedactedThinking:
		case anthropic.BlockToolUse:
			if b.Name == "" {
				return fmt.Errorf("reply block %d: tool_use needs a name", i)
			}
			in, err := substituteJSON(b.Input, sub)
			if err != nil {
				return fmt.Errorf("reply block %d (%s) input: %w", i, b.Name, err)
			}
			b.Input = in
		default:
			return fmt.Errorf("reply block %d: type %q is not one a model answers with (text, tool_use, thinking, redacted_thinking)", i, b.Type)
		}
	}
	return nil
}

// substituteJSON replaces variables inside the string values of a JSON document, so that a
// value containing quotes or backslashes (a Windows path) stays valid JSON. The document is an
// object, or a string: the input text exactly as the model writes it, which need not be JSON
// at all (models sometimes send broken input, and clients must survive it).
func substituteJSON(raw json.RawMessage, sub func(string) string) (json.RawMessage, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return json.RawMessage("{}"), nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	switch v.(type) {
	case map[string]any, string:
	default:
		return nil, fmt.Errorf("must be a JSON object, or a string holding the input text as sent")
	}
	var walk func(any) any
	walk = func(v any) any {
		switch t := v.(type) {
		case string:
			return sub(t)
		case map[string]any:
			for k, e := range t {
				t[k] = walk(e)
			}
		case []any:
			for i, e := range t {
				t[i] = walk(e)
			}
		}
		return v
	}
	return json.Marshal(walk(v))
}
