package sim_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"ganban/internal/anthropic"
	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
)

func faultScenario(t *testing.T, faults ...string) *sim.Scenario {
	f, _ := json.Marshal(faults)
	return scenario(t, `{"conversations": [{"match_first_user_text": "go", "steps": [
	  {"faults": `+string(f)+`, "reply": {"content": [{"type": "text", "text": "I will write the file."},
	    {"type": "tool_use", "name": "Write", "input": {"file_path": "/tmp/out.txt", "content": "`+strings.Repeat("line of text\\n", 40)+`"}}]}}]}]}`, nil)
}

var writeTool = map[string]any{"name": "Write", "input_schema": map[string]any{"type": "object"}}

func agentTurn(t *testing.T, maxTokens int) []byte {
	return body(t, map[string]any{"max_tokens": maxTokens, "tools": []any{writeTool},
		"messages": []any{map[string]any{"role": "user", "content": "go"}}})
}

// TestErrorFaultsThroughGoSDK: InvokeModel meets each fault as the real service's error. A
// stream fault on this non-streaming call is what a client could see of it: a dropped
// connection, or the in-stream exception as the HTTP error of the same kind.
func TestErrorFaultsThroughGoSDK(t *testing.T) {
	cases := []struct{ fault, code string }{ // code "": the connection dropped, no API error
		{"throttling", "ThrottlingException"},
		{"too_many_tokens", "ThrottlingException"},
		{"internal_server", "InternalServerException"},
		{"service_unavailable", "ServiceUnavailableException"},
		{"model_not_ready", "ModelNotReadyException"},
		{"model_timeout", "ModelTimeoutException"},
		{"expired_token", "ExpiredTokenException"},
		{"stream_cut:3", ""},
		{"corrupt_frame:2", ""},
		{"stream_exception:2:throttlingException", "ThrottlingException"},
		{"stream_exception:2:internalServerException", "InternalServerException"},
		{"stream_exception:2:serviceUnavailableException", "ServiceUnavailableException"},
		{"stream_exception:2:modelTimeoutException", "ModelTimeoutException"},
		{"stream_exception:2:validationException", "ValidationException"},
		{"stream_exception:2:modelStreamErrorException", "ModelErrorException"},
	}
	for _, tc := range cases {
		t.Run(tc.fault, func(t *testing.T) {
			s := simtest.Start(t, sim.Options{Scenario: faultScenario(t, tc.fault)})
			c := runtimeClient(s, goodCreds, "us-east-1")
			_, err := invoke(t, c, sonnet45, agentTurn(t, 4096))
			if err == nil || apiCode(err) != tc.code {
				t.Fatalf("err = %v, want %q", err, tc.code)
			}
			// The retry of the same request gets the reply.
			if _, err := invoke(t, c, sonnet45, agentTurn(t, 4096)); err != nil {
				t.Errorf("retry: %v", err)
			}
			if rep := s.Report(); rep.FaultsServed != 1 || rep.StepsServed != 1 {
				t.Errorf("report faults %d steps %d", rep.FaultsServed, rep.StepsServed)
			}
		})
	}
}

// TestSDKRetriesWalkTheFaults lets the SDK's own retryer meet two faults, then the reply.
func TestSDKRetriesWalkTheFaults(t *testing.T) {
	s := simtest.Start(t, sim.Options{Scenario: faultScenario(t, "throttling", "service_unavailable")})
	c := bedrockruntime.New(bedrockruntime.Options{Region: "us-east-1", Credentials: goodCreds, BaseEndpoint: aws.String(s.URL),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 3
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		})})
	if _, err := invoke(t, c, sonnet45, agentTurn(t, 4096)); err != nil {
		t.Fatalf("after two faults: %v", err)
	}
	if rep := s.Report(); rep.Requests != 3 || rep.FaultsServed != 2 {
		t.Errorf("requests %d faults %d, want 3 and 2", rep.Requests, rep.FaultsServed)
	}
}

func TestStreamFaultsThroughGoSDK(t *testing.T) {
	cases := []struct {
		fault  string
		events int // events delivered before the failure
		check  func(error) bool
	}{
		// aws-sdk-go-v2 (smithy-go's event-stream codec) reports a connection closed between
		// frames as a clean end of stream, so what a client sees is the missing message_stop;
		// ganban's provider must treat that as a broken stream.
		{"stream_cut:3", 3, func(err error) bool { return err == nil }},
		{"stream_exception:4:throttlingException", 4, func(err error) bool { var e *types.ThrottlingException; return errors.As(err, &e) }},
		{"stream_exception:2:modelStreamErrorException", 2, func(err error) bool { var e *types.ModelStreamErrorException; return errors.As(err, &e) }},
		{"stream_exception:2:internalServerException", 2, func(err error) bool { var e *types.InternalServerException; return errors.As(err, &e) }},
		{"stream_exception:2:serviceUnavailableException", 2, func(err error) bool { var e *types.ServiceUnavailableException; return errors.As(err, &e) }},
		{"stream_exception:3:modelTimeoutException", 3, func(err error) bool { var e *types.ModelTimeoutException; return errors.As(err, &e) }},
		{"stream_exception:5:validationException", 5, func(err error) bool { var e *types.ValidationException; return errors.As(err, &e) }},
		{"corrupt_frame:2", 2, func(err error) bool { return err != nil && strings.Contains(strings.ToLower(err.Error()), "checksum") }},
	}
	for _, tc := range cases {
		t.Run(tc.fault, func(t *testing.T) {
			s := simtest.Start(t, sim.Options{Scenario: faultScenario(t, tc.fault)})
			c := runtimeClient(s, goodCreds, "us-east-1")
			res, err := stream(t, c, sonnet45, agentTurn(t, 4096))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Events) != tc.events || !tc.check(res.Err) || res.Events[len(res.Events)-1].Type == "message_stop" {
				t.Errorf("%d events then %v", len(res.Events), res.Err)
			}
			res, err = stream(t, c, sonnet45, agentTurn(t, 4096))
			if err != nil || res.Err != nil || res.Events[len(res.Events)-1].Type != "message_stop" {
				t.Errorf("retry: %v %v", err, res.Err)
			}
		})
	}
	t.Run("stall", func(t *testing.T) {
		s := simtest.Start(t, sim.Options{Scenario: faultScenario(t, "stall:300:2")})
		start := time.Now()
		res, err := stream(t, runtimeClient(s, goodCreds, "us-east-1"), sonnet45, agentTurn(t, 4096))
		if err != nil || res.Err != nil || time.Since(start) < 300*time.Millisecond {
			t.Errorf("stall: %v %v after %v", err, res.Err, time.Since(start))
		}
	})
	t.Run("stall on InvokeModel", func(t *testing.T) {
		s := simtest.Start(t, sim.Options{Scenario: faultScenario(t, "stall:300:2")})
		start := time.Now()
		resp, err := invoke(t, runtimeClient(s, goodCreds, "us-east-1"), sonnet45, agentTurn(t, 4096))
		if err != nil || *resp.StopReason != "tool_use" || time.Since(start) < 300*time.Millisecond {
			t.Errorf("stall: %v after %v", err, time.Since(start))
		}
	})
}

func TestRandomFaultsAreSeeded(t *testing.T) {
	run := func() []string {
		s := simtest.Start(t, sim.Options{Faults: sim.RandomFaults{Rate: 0.5, Seed: 7, Kinds: []string{"throttling", "internal_server"}}})
		c := runtimeClient(s, goodCreds, "us-east-1")
		var codes []string
		for range 20 {
			_, err := invoke(t, c, sonnet45, body(t, map[string]any{}))
			codes = append(codes, apiCode(err))
		}
		return codes
	}
	a, b := run(), run()
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Errorf("same seed, different faults:\n%v\n%v", a, b)
	}
	n := 0
	for _, c := range a {
		if c != "" {
			n++
		}
	}
	if n < 4 || n > 16 {
		t.Errorf("%d of 20 faulted at rate 0.5", n)
	}
}

// TestMaxTokensCutsToolInput: a budget that ends inside a tool's input JSON cuts it there.
func TestMaxTokensCutsToolInput(t *testing.T) {
	s := simtest.Start(t, sim.Options{Scenario: faultScenario(t)})
	res, err := stream(t, runtimeClient(s, goodCreds, "us-east-1"), sonnet45, agentTurn(t, 50))
	if err != nil || res.Err != nil {
		t.Fatal(err, res.Err)
	}
	// Budget 50: text "I will write the file." 22 bytes = 6 tokens; tool name "Write" = 2;
	// 42 tokens left = the first 168 bytes of the input JSON.
	tu := res.Msg.Content[1]
	full := `{"content":"` + strings.Repeat(`line of text\n`, 40) + `","file_path":"/tmp/out.txt"}`
	if string(tu.Input) != full[:168] || json.Valid(tu.Input) {
		t.Errorf("cut input = %q", tu.Input)
	}
	if *res.Msg.StopReason != anthropic.StopMaxTokens || res.Msg.Usage.OutputTokens != 50 {
		t.Errorf("stop %s, output %d", *res.Msg.StopReason, res.Msg.Usage.OutputTokens)
	}
	// With room the whole call arrives.
	res, err = stream(t, runtimeClient(s, goodCreds, "us-east-1"), sonnet45, agentTurn(t, 4096))
	if err != nil || res.Err != nil {
		t.Fatal(err, res.Err)
	}
	if got := res.Msg.Content[1].Input; string(got) != full || *res.Msg.StopReason != "tool_use" {
		t.Errorf("full input = %s (%s)", got, *res.Msg.StopReason)
	}
	// max_tokens_cut is a fault: the first attempt is cut at 10 tokens whatever max_tokens says.
	s2 := simtest.Start(t, sim.Options{Scenario: faultScenario(t, "max_tokens_cut:10")})
	resp, err := invoke(t, runtimeClient(s2, goodCreds, "us-east-1"), sonnet45, agentTurn(t, 4096))
	if err != nil || *resp.StopReason != "max_tokens" || resp.Usage.OutputTokens != 10 {
		t.Errorf("max_tokens_cut: %v %+v", err, resp)
	}
	if string(resp.Content[1].Input) != "{}" {
		t.Errorf("a cut tool call in a non-streamed answer keeps no input, got %s", resp.Content[1].Input)
	}
}

// TestFaultAttemptsPerSession: two sessions of one conversation with different first
// messages each walk the step's faults on their own.
func TestFaultAttemptsPerSession(t *testing.T) {
	s := simtest.Start(t, sim.Options{Scenario: scenario(t, `{"conversations": [{"match_first_user_text": "task", "steps": [
	  {"faults": ["throttling"], "reply": {"content": [{"type": "text", "text": "ok"}]}}]}]}`, nil)})
	c := runtimeClient(s, goodCreds, "us-east-1")
	turn := func(first string) []byte {
		return body(t, map[string]any{"tools": []any{writeTool}, "messages": []any{map[string]any{"role": "user", "content": first}}})
	}
	for _, first := range []string{"task one", "task two"} {
		if _, err := invoke(t, c, sonnet45, turn(first)); apiCode(err) != "ThrottlingException" {
			t.Errorf("%s first attempt: %v", first, err)
		}
	}
	for _, first := range []string{"task one", "task two"} {
		if _, err := invoke(t, c, sonnet45, turn(first)); err != nil {
			t.Errorf("%s retry: %v", first, err)
		}
	}
}
