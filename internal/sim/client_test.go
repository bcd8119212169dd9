package sim_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/smithy-go/auth/bearer"

	"ganban/internal/anthropic"
	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
)

const readScenario = `{"conversations": [{"match_first_user_text": "rename", "steps": [
  {"expect": {"tools_include": ["Read"]},
   "reply": {"content": [{"type": "text", "text": "Reading it first, then I will rename the function."},
                         {"type": "tool_use", "name": "Read", "input": {"file_path": "{{cwd}}/main.go"}}]}},
  {"expect": {"last_tool_result_contains": "package main"},
   "reply": {"content": [{"type": "text", "text": "Done."}]}}]}],
 "fallback_reply": {"content": [{"type": "text", "text": "fallback"}]}}`

func TestInvokeModelWithGoSDK(t *testing.T) {
	s := simtest.Start(t, sim.Options{AuthFile: authFile(t, ""), Scenario: scenario(t, readScenario, map[string]string{"cwd": "/src"})})
	c := runtimeClient(s, goodCreds, "us-east-1")
	resp, err := invoke(t, c, sonnet45, body(t, map[string]any{
		"tools":    []any{readTool},
		"messages": []any{map[string]any{"role": "user", "content": "please rename foo"}},
	}))
	if err != nil {
		t.Fatalf("InvokeModel: %v", err)
	}
	if !strings.HasPrefix(resp.ID, "msg_bdrk_") || resp.Model != "claude-sonnet-4-5-20250929" || *resp.StopReason != "tool_use" {
		t.Errorf("response head = %s %s %s", resp.ID, resp.Model, *resp.StopReason)
	}
	if len(resp.Content) != 2 || resp.Content[1].Type != "tool_use" || !strings.HasPrefix(resp.Content[1].ID, "toolu_bdrk_") {
		t.Fatalf("content = %+v", resp.Content)
	}
	if got := string(resp.Content[1].Input); got != `{"file_path":"/src/main.go"}` {
		t.Errorf("tool input = %s", got)
	}
	// "please rename foo" (17 bytes) = 5 tokens; the Read tool: "Read" 1 + "Read a file" 3 +
	// its schema, 87 bytes of compact JSON, 22 = 26; total 31.
	if resp.Usage.InputTokens != 31 {
		t.Errorf("input tokens = %d, want 31", resp.Usage.InputTokens)
	}
	rep := s.Report()
	if rep.StepsServed != 1 || len(rep.ExpectationFailures) != 0 || rep.Auth["sigv4"] != 1 {
		t.Errorf("report = %+v", rep)
	}
}

func TestStreamWithGoSDK(t *testing.T) {
	s := simtest.Start(t, sim.Options{AuthFile: authFile(t, ""), Scenario: scenario(t, readScenario, map[string]string{"cwd": "/src"})})
	c := runtimeClient(s, goodCreds, "us-east-1")
	res, err := stream(t, c, sonnet45, body(t, map[string]any{
		"tools":    []any{readTool},
		"messages": []any{map[string]any{"role": "user", "content": "please rename foo"}},
	}))
	if err != nil || res.Err != nil {
		t.Fatalf("stream: %v / %v", err, res.Err)
	}
	var kinds []string
	partials := 0
	for _, e := range res.Events {
		kinds = append(kinds, e.Type)
		if e.Delta != nil && e.Delta.Type == anthropic.DeltaInputJSON {
			partials++
		}
	}
	if kinds[0] != "message_start" || kinds[len(kinds)-1] != "message_stop" || kinds[len(kinds)-2] != "message_delta" {
		t.Errorf("event order = %v", kinds)
	}
	if partials < 3 {
		t.Errorf("tool input arrived in %d partial_json pieces, want several", partials)
	}
	last := res.Events[len(res.Events)-1]
	if last.Metrics == nil || last.Metrics.InputTokenCount != 31 || last.Metrics.OutputTokenCount != res.Msg.Usage.OutputTokens {
		t.Errorf("invocation metrics = %+v", last.Metrics)
	}
	if got := anthropic.PlainText(res.Msg.Content); got != "Reading it first, then I will rename the function." {
		t.Errorf("text = %q", got)
	}
	if tu := res.Msg.Content[1]; tu.Name != "Read" || string(tu.Input) != `{"file_path":"/src/main.go"}` {
		t.Errorf("tool_use = %+v %s", tu, tu.Input)
	}
	if *res.Msg.StopReason != "tool_use" || res.Msg.Usage.OutputTokens == 0 {
		t.Errorf("stop %s usage %+v", *res.Msg.StopReason, res.Msg.Usage)
	}
}

// TestThinkingStreamWithGoSDK: with thinking on, the stream opens with the thinking block as
// the model sends it (its start, the thinking in pieces, one signature_delta, its stop), then
// the text block.
func TestThinkingStreamWithGoSDK(t *testing.T) {
	s := simtest.Start(t, sim.Options{Scenario: scenario(t, `{"fallback_reply": {"content": [{"type": "text", "text": "The answer, after some thought."}]}}`, nil)})
	res, err := stream(t, runtimeClient(s, goodCreds, "us-east-1"), sonnet45, body(t, map[string]any{
		"max_tokens": 4096, "thinking": map[string]any{"type": "enabled", "budget_tokens": 1024}}))
	if err != nil || res.Err != nil {
		t.Fatalf("stream: %v / %v", err, res.Err)
	}
	var got []string
	for _, e := range res.Events {
		step := e.Type
		switch e.Type {
		case anthropic.EventContentBlockStart:
			step = fmt.Sprintf("start %d %s", *e.Index, e.ContentBlock.Type)
		case anthropic.EventContentBlockDelta:
			step = fmt.Sprintf("%d %s", *e.Index, e.Delta.Type)
		case anthropic.EventContentBlockStop:
			step = fmt.Sprintf("stop %d", *e.Index)
		}
		if n := len(got); n > 0 && strings.TrimSuffix(got[n-1], "+") == step && !strings.Contains(step, "signature") {
			got[n-1] = step + "+" // several deltas of a kind in a row
			continue
		}
		got = append(got, step)
	}
	want := []string{"message_start", "start 0 thinking", "0 thinking_delta+", "0 signature_delta", "stop 0",
		"start 1 text", "1 text_delta+", "stop 1", "message_delta", "message_stop"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("events:\n %s\nwant\n %s", strings.Join(got, ", "), strings.Join(want, ", "))
	}
	th := res.Msg.Content[0]
	if th.Thinking != "Following the scripted step." || th.Signature == "" {
		t.Errorf("thinking block = %q, signature %q", th.Thinking, th.Signature)
	}
	if got := anthropic.PlainText(res.Msg.Content); got != "The answer, after some thought." {
		t.Errorf("text = %q", got)
	}
}

func TestScenarioSteps(t *testing.T) {
	s := simtest.Start(t, sim.Options{Scenario: scenario(t, readScenario, map[string]string{"cwd": "/src"})})
	c := runtimeClient(s, goodCreds, "us-east-1")
	first, err := invoke(t, c, sonnet45, body(t, map[string]any{"tools": []any{readTool},
		"messages": []any{map[string]any{"role": "user", "content": "rename it"}}}))
	if err != nil {
		t.Fatal(err)
	}
	again, _ := invoke(t, c, sonnet45, body(t, map[string]any{"tools": []any{readTool},
		"messages": []any{map[string]any{"role": "user", "content": "rename it"}}}))
	if first.ID == again.ID || first.Content[1].ID == again.Content[1].ID {
		t.Error("a retried step must get fresh message and tool ids")
	}
	toolID := first.Content[1].ID
	turn2 := []any{
		map[string]any{"role": "user", "content": "rename it"},
		map[string]any{"role": "assistant", "content": first.Content},
		map[string]any{"role": "user", "content": []any{map[string]any{"type": "tool_result", "tool_use_id": toolID, "content": "package lib"}}},
	}
	second, err := invoke(t, c, sonnet45, body(t, map[string]any{"tools": []any{readTool}, "messages": turn2}))
	if err != nil {
		t.Fatal(err)
	}
	if anthropic.PlainText(second.Content) != "Done." {
		t.Errorf("step 2 = %+v", second.Content)
	}
	// A trailing assistant prefill continues the same step instead of advancing, and gets the
	// rest of the scripted answer.
	prefill := append(turn2, map[string]any{"role": "assistant", "content": "Do"})
	third, err := invoke(t, c, sonnet45, body(t, map[string]any{"tools": []any{readTool}, "messages": prefill}))
	if err != nil || anthropic.PlainText(third.Content) != "ne." {
		t.Errorf("prefill step = %v %+v", err, third)
	}
	// No tools: fallback. Unmatched conversation: fallback.
	for _, b := range [][]byte{
		body(t, map[string]any{"messages": []any{map[string]any{"role": "user", "content": "rename it"}}}),
		body(t, map[string]any{"tools": []any{readTool}, "messages": []any{map[string]any{"role": "user", "content": "other"}}}),
	} {
		r, err := invoke(t, c, sonnet45, b)
		if err != nil || anthropic.PlainText(r.Content) != "fallback" {
			t.Errorf("fallback = %v %+v", err, r)
		}
	}
	rep := s.Report()
	if len(rep.ExpectationFailures) != 1 || !strings.Contains(rep.ExpectationFailures[0].Failure, "package main") {
		t.Errorf("expectation failures = %+v", rep.ExpectationFailures)
	}
	if rep.StepsServed != 4 {
		t.Errorf("steps served = %d, want 4", rep.StepsServed)
	}
}

// TestToolInputAsSentByTheModel: a tool input scripted as a string is streamed as that text,
// JSON or not, so a scenario can send the broken input a model sometimes writes.
func TestToolInputAsSentByTheModel(t *testing.T) {
	cases := []struct {
		name, input, streamed, invoked string
	}{
		{"object", `{"file_path": "{{cwd}}/a"}`, `{"file_path":"/src/a"}`, `{"file_path":"/src/a"}`},
		{"string holding JSON", `"{\"file_path\": \"{{cwd}}/a\"}"`, `{"file_path": "/src/a"}`, `{"file_path":"/src/a"}`},
		{"string holding broken JSON", `"{\"file_path\": \"{{cwd}}/a"`, `{"file_path": "/src/a`, `{}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sc := scenario(t, `{"conversations": [{"match_first_user_text": "read", "steps": [
			  {"reply": {"content": [{"type": "tool_use", "name": "Read", "input": `+tc.input+`}]}}]}]}`, map[string]string{"cwd": "/src"})
			s := simtest.Start(t, sim.Options{Scenario: sc})
			c := runtimeClient(s, goodCreds, "us-east-1")
			req := body(t, map[string]any{"tools": []any{readTool}, "messages": []any{map[string]any{"role": "user", "content": "read it"}}})
			res, err := stream(t, c, sonnet45, req)
			if err != nil || res.Err != nil {
				t.Fatal(err, res.Err)
			}
			if got := string(res.Msg.Content[0].Input); got != tc.streamed || *res.Msg.StopReason != "tool_use" {
				t.Errorf("streamed input %s (%s), want %s", got, *res.Msg.StopReason, tc.streamed)
			}
			resp, err := invoke(t, c, sonnet45, req)
			if err != nil || string(resp.Content[0].Input) != tc.invoked {
				t.Errorf("invoked input %v %s, want %s", err, resp.Content[0].Input, tc.invoked)
			}
		})
	}
	if _, err := sim.ParseScenario([]byte(`{"conversations": [{"steps": [{"reply": {"content": [{"type": "tool_use", "name": "Read", "input": [1]}]}}]}]}`), nil); err == nil {
		t.Error("an input that is neither an object nor a string was accepted")
	}
}

func TestDefaultReplyWithoutScenario(t *testing.T) {
	s := simtest.Start(t, sim.Options{})
	resp, err := invoke(t, runtimeClient(s, goodCreds, "us-east-1"), sonnet45, body(t, map[string]any{}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(anthropic.PlainText(resp.Content), "simulator") {
		t.Errorf("default reply = %q", anthropic.PlainText(resp.Content))
	}
}

func TestAuthErrorsThroughGoSDK(t *testing.T) {
	s := simtest.StartTLS(t, sim.Options{AuthFile: authFile(t, "")})
	b := body(t, map[string]any{})
	cases := []struct {
		name     string
		client   *bedrockruntime.Client
		code     string
		contains string
	}{
		{"wrong secret", runtimeClient(s, staticCreds(testAKID, "wrongsecretEXAMPLEKEY", testToken), "us-east-1"), "InvalidSignatureException", "signature we calculated does not match"},
		{"unknown key", runtimeClient(s, staticCreds("AKIDEXAMPLEUNKNOWN", testSecret, ""), "us-east-1"), "UnrecognizedClientException", "security token included in the request is invalid"},
		{"wrong session token", runtimeClient(s, staticCreds(testAKID, testSecret, "WRONGTOKENEXAMPLE"), "us-east-1"), "UnrecognizedClientException", "invalid"},
		{"expired token", runtimeClient(s, staticCreds("AKIDEXAMPLEEXPIRED", testSecret, "EXPIREDEXAMPLE"), "us-east-1"), "ExpiredTokenException", "The security token included in the request is expired"},
		{"unknown bearer", bearerClient(s, "ABSKVW5rbm93bkV4YW1wbGVLZXk="), "AccessDeniedException", "Authentication failed"},
		{"expired bearer", bearerClient(s, "ABSKRXhwaXJlZEV4YW1wbGVLZXk="), "AccessDeniedException", "Authentication failed"},
		{"malformed bearer", bearerClient(s, "not-a-bedrock-key"), "AccessDeniedException", "Invalid API Key format"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := invoke(t, tc.client, sonnet45, b)
			if apiCode(err) != tc.code || !strings.Contains(apiMessage(err), tc.contains) {
				t.Errorf("err = %v, want %s containing %q", err, tc.code, tc.contains)
			}
		})
	}
	t.Run("good bearer", func(t *testing.T) {
		if _, err := invoke(t, bearerClient(s, testAPIKey), sonnet45, b); err != nil {
			t.Errorf("bearer: %v", err)
		}
	})
	t.Run("key without session token", func(t *testing.T) {
		if _, err := invoke(t, runtimeClient(s, staticCreds("AKIDEXAMPLENOTOKEN", testSecret, ""), "us-west-2"), sonnet45, b); err != nil {
			t.Errorf("long-term key: %v", err)
		}
	})
}

func bearerClient(s *simtest.Sim, key string) *bedrockruntime.Client {
	return bedrockruntime.New(bedrockruntime.Options{
		Region:                  "us-east-1",
		BaseEndpoint:            aws.String(s.URL),
		HTTPClient:              s.HTTPClient(),
		RetryMaxAttempts:        1,
		BearerAuthTokenProvider: bearer.StaticTokenProvider{Token: bearer.Token{Value: key}},
		AuthSchemePreference:    []string{"httpBearerAuth"},
	})
}

func TestPermissiveModeAcceptsUnsignedAndAnySignature(t *testing.T) {
	s := simtest.Start(t, sim.Options{})
	if _, err := invoke(t, runtimeClient(s, staticCreds("AKIDANYEXAMPLE", "anything", ""), "eu-west-1"), "eu.anthropic.claude-sonnet-4-5-20250929-v1:0", body(t, map[string]any{})); err != nil {
		t.Errorf("any signature: %v", err)
	}
	resp, err := s.HTTPClient().Post(s.URL+"/model/"+sonnet45+"/invoke", "application/json", strings.NewReader(string(body(t, map[string]any{}))))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("unsigned: %v %v", err, resp.Status)
	}
	resp.Body.Close()
	if rep := s.Report(); rep.Auth["unsigned"] != 1 || rep.Auth["sigv4"] != 1 {
		t.Errorf("auth counts = %v", rep.Auth)
	}
}

// TestBearerKeys: a Bedrock API key carries no region, so a bearer request is served in the
// simulator's region (--region), whatever the client's configuration says (us-east-1 here);
// without --auth any key of the right shape passes.
func TestBearerKeys(t *testing.T) {
	const (
		anyKey   = "ABSKEXAMPLEQmVkcm9ja0FQSUtleS1hbnl0aGluZy1FWEFNUExF"
		euSonnet = "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"
	)
	cases := []struct {
		name, region, key, model string
		strict                   bool
		code                     string // "" for an answer
	}{
		{"permissive: any well-formed key", "us-east-1", anyKey, sonnet45, false, ""},
		{"permissive: a key of the wrong shape", "us-east-1", "sk-notABedrockKeyEXAMPLE", sonnet45, false, "AccessDeniedException"},
		{"permissive: served in the simulator's region", "eu-west-1", anyKey, euSonnet, false, ""},
		{"permissive: a profile of another geography", "eu-west-1", anyKey, sonnet45, false, "ValidationException"},
		{"strict: served in the simulator's region", "eu-west-1", testAPIKey, euSonnet, true, ""},
		{"strict: a profile of another geography", "eu-west-1", testAPIKey, sonnet45, true, "ValidationException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := sim.Options{Region: tc.region}
			if tc.strict {
				opts.AuthFile = authFile(t, "")
			}
			s := simtest.StartTLS(t, opts)
			_, err := invoke(t, bearerClient(s, tc.key), tc.model, body(t, map[string]any{}))
			if apiCode(err) != tc.code {
				t.Fatalf("err = %v, want %q", err, tc.code)
			}
			if n := s.Report().Auth["bearer"]; n != 1 {
				t.Errorf("report: %d bearer requests, want 1", n)
			}
		})
	}
}

func TestCountTokens(t *testing.T) {
	s := simtest.Start(t, sim.Options{})
	inner := body(t, map[string]any{"messages": []any{map[string]any{"role": "user", "content": "12345678"}}})
	wrapped, _ := json.Marshal(map[string]any{"input": map[string]any{"invokeModel": map[string]any{"body": inner}}})
	req, _ := s.HTTPClient().Post(s.URL+"/model/"+sonnet45+"/count-tokens", "application/json", strings.NewReader(string(wrapped)))
	var out struct{ InputTokens int64 }
	json.NewDecoder(req.Body).Decode(&out)
	req.Body.Close()
	if out.InputTokens != 2 {
		t.Errorf("inputTokens = %d, want 2 (8 bytes)", out.InputTokens)
	}
}
