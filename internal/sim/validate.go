package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"

	"ganban/internal/anthropic"
	"ganban/internal/catalog"
)

// knownBodyKeys are the top-level keys of a Claude Messages body on Bedrock. "model" and
// "stream" are not among them: the path carries both, and Bedrock rejects them in the body.
var knownBodyKeys = []string{
	"anthropic_version", "anthropic_beta", "max_tokens", "messages", "system", "tools",
	"tool_choice", "thinking", "stop_sequences", "temperature", "top_p", "top_k", "metadata",
}

// knownBetas are the anthropic_beta flags AWS documents for Claude on Bedrock.
var knownBetas = []string{
	"computer-use-2024-10-22", "computer-use-2025-01-24", "token-efficient-tools-2025-02-19",
	"interleaved-thinking-2025-05-14", "output-128k-2025-02-19", "dev-full-thinking-2025-05-14",
	"context-1m-2025-08-07", "context-management-2025-06-27", "effort-2025-11-24",
	"tool-search-tool-2025-10-19", "tool-examples-2025-10-29",
}

// firstPartyOnlyBetas are flags Bedrock rejects even from lenient clients.
var firstPartyOnlyBetas = []string{"extended-cache-ttl-2025-04-11"}

// knownVersions are the anthropic_version values Bedrock documents or current SDKs send.
var knownVersions = []string{anthropic.Version, "2026-10-21"}

// datedVersion is the shape of API versions newer clients copy into the body (2026-10-21).
var datedVersion = regexp.MustCompile(`^(bedrock-)?20[0-9]{2}-[0-9]{2}-[0-9]{2}$`)

var toolNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)

// validation is the outcome of checking a body: the parsed request and the newer-than-catalog
// things that were accepted (recorded in the log).
type validation struct {
	Req   *anthropic.Request
	Notes []string
}

func malformed(format string, args ...any) *apiError {
	return errValidation("Malformed input request: "+format+", please reformat your input and try again.", args...)
}

// validateBody checks a Claude Messages body as Bedrock does for model m.
func validateBody(body []byte, m *catalog.Model, strict bool) (validation, *apiError) {
	var v validation
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil || top == nil {
		return v, malformed("#: expected type: JSONObject, found: %s", jsonKind(body))
	}
	keys := make([]string, 0, len(top))
	for k := range top {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch {
		case slices.Contains(knownBodyKeys, k):
		case k == "model" || k == "stream" || strict:
			return v, malformed("#: extraneous key [%s] is not permitted", k)
		default:
			v.Notes = append(v.Notes, "accepted body field newer than the catalog: "+k)
		}
	}
	for _, k := range []string{"anthropic_version", "max_tokens", "messages"} {
		if _, ok := top[k]; !ok {
			return v, malformed("#: required key [%s] not found", k)
		}
	}
	var req anthropic.Request
	if err := json.Unmarshal(body, &req); err != nil {
		return v, malformed("%s", err.Error())
	}
	v.Req = &req
	if !slices.Contains(knownVersions, req.AnthropicVersion) {
		if strict || !datedVersion.MatchString(req.AnthropicVersion) {
			return v, malformed("#/anthropic_version: %q is not a supported version (use %q)", req.AnthropicVersion, anthropic.Version)
		}
		v.Notes = append(v.Notes, "accepted anthropic_version newer than the catalog: "+req.AnthropicVersion)
	}
	if err := checkMetadata(top["metadata"]); err != nil {
		return v, err
	}
	toolNotes, err := checkToolKeys(top["tools"], strict)
	v.Notes = append(v.Notes, toolNotes...)
	if err != nil {
		return v, err
	}
	notes, err := checkBetas(req.AnthropicBeta, strict)
	v.Notes = append(v.Notes, notes...)
	if err != nil {
		return v, err
	}
	checks := []func(*anthropic.Request, *catalog.Model, bool) ([]string, *apiError){
		checkLimits, checkTools, checkMessages, checkToolPairs, checkCacheControl, checkThinking, checkSampling,
	}
	for _, check := range checks {
		notes, err := check(&req, m, strict)
		v.Notes = append(v.Notes, notes...)
		if err != nil {
			return v, err
		}
	}
	return v, nil
}

func jsonKind(body []byte) string {
	b := bytes.TrimSpace(body)
	switch {
	case len(b) == 0:
		return "empty body"
	case b[0] == '[':
		return "JSONArray"
	case b[0] == '"':
		return "String"
	}
	return "invalid JSON"
}

func checkMetadata(raw json.RawMessage) *apiError {
	if len(raw) == 0 {
		return nil
	}
	var md map[string]json.RawMessage
	if err := json.Unmarshal(raw, &md); err != nil {
		return errValidation("metadata: Input should be a valid dictionary")
	}
	for k := range md {
		if k != "user_id" {
			return errValidation("metadata.%s: Extra inputs are not permitted", k)
		}
	}
	return nil
}

// knownToolKeys are the fields of a custom tool definition.
var knownToolKeys = []string{"name", "description", "input_schema", "cache_control", "type"}

// checkToolKeys looks at tool definitions field by field, since newer clients add fields
// (defer_loading, input_examples) that older service versions refuse.
func checkToolKeys(raw json.RawMessage, strict bool) ([]string, *apiError) {
	if len(raw) == 0 {
		return nil, nil
	}
	var tools []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &tools); err != nil {
		return nil, errValidation("tools: Input should be a valid list")
	}
	var notes []string
	for i, t := range tools {
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if slices.Contains(knownToolKeys, k) {
				continue
			}
			if strict {
				return notes, errValidation("tools.%d.custom.%s: Extra inputs are not permitted", i, k)
			}
			notes = append(notes, fmt.Sprintf("accepted tool field newer than the catalog: tools.%d.%s", i, k))
		}
	}
	return notes, nil
}

func checkBetas(betas []string, strict bool) ([]string, *apiError) {
	var notes []string
	for _, b := range betas {
		switch {
		case slices.Contains(knownBetas, b):
		case strict || slices.Contains(firstPartyOnlyBetas, b):
			return notes, errValidation("invalid beta flag")
		default:
			notes = append(notes, "accepted beta flag newer than the catalog: "+b)
		}
	}
	return notes, nil
}

func checkLimits(req *anthropic.Request, m *catalog.Model, _ bool) ([]string, *apiError) {
	switch {
	case req.MaxTokens < 1:
		return nil, errValidation("max_tokens: Input should be greater than or equal to 1")
	case req.MaxTokens > m.MaxOutput:
		return nil, errValidation("max_tokens: %d > %d, which is the maximum allowed number of output tokens for %s", req.MaxTokens, m.MaxOutput, m.ID)
	case len(req.Messages) == 0:
		return nil, errValidation("messages: at least one message is required")
	}
	return nil, nil
}

func checkTools(req *anthropic.Request, _ *catalog.Model, strict bool) ([]string, *apiError) {
	seen := map[string]bool{}
	for i, t := range req.Tools {
		if !toolNamePattern.MatchString(t.Name) {
			return nil, errValidation("tools.%d.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'", i)
		}
		if seen[t.Name] {
			return nil, errValidation("tools: Tool names must be unique.")
		}
		seen[t.Name] = true
		var schema struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(t.InputSchema, &schema); err != nil || schema.Type != "object" {
			return nil, errValidation("tools.%d.custom.input_schema.type: Input should be 'object'", i)
		}
	}
	if tc := req.ToolChoice; tc != nil {
		switch tc.Type {
		case "auto", "any", "none":
		case "tool":
			if !seen[tc.Name] {
				return nil, errValidation("tool_choice.tool.name: tool %q is not one of the provided tools", tc.Name)
			}
		default:
			return nil, errValidation("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'")
		}
	}
	return nil, nil
}
