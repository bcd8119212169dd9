package conformance

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestFaultsThroughJavaScriptSDK checks that each fault the simulator serves reaches the AWS
// SDK for JavaScript as it would from the real service (an error named as the service names
// it, a dropped connection, a late or cut answer), and that the retry of the same request
// gets the scripted answer.
func TestFaultsThroughJavaScriptSDK(t *testing.T) {
	needNPM(t)
	t.Parallel()
	cases := []struct {
		fault, op string
		want      outcome
		wantDesc  string
	}{
		{"throttling", "invoke", failsWith("ThrottlingException"), "ThrottlingException"},
		{"too_many_tokens", "invoke", failsWith("ThrottlingException"), "ThrottlingException"},
		{"internal_server", "invoke", failsWith("InternalServerException"), "InternalServerException"},
		{"service_unavailable", "invoke", failsWith("ServiceUnavailableException"), "ServiceUnavailableException"},
		{"model_not_ready", "invoke", failsWith("ModelNotReadyException"), "ModelNotReadyException"},
		{"model_timeout", "invoke", failsWith("ModelTimeoutException"), "ModelTimeoutException"},
		{"expired_token", "invoke", failsWith("ExpiredTokenException"), "ExpiredTokenException"},
		{"stream_exception:3:throttlingException", "stream", failsWith("ThrottlingException"), "ThrottlingException"},
		{"stream_exception:2:modelStreamErrorException", "stream", failsWith("ModelStreamErrorException"), "ModelStreamErrorException"},
		{"stream_exception:2:internalServerException", "stream", failsWith("InternalServerException"), "InternalServerException"},
		{"stream_exception:2:serviceUnavailableException", "stream", failsWith("ServiceUnavailableException"), "ServiceUnavailableException"},
		{"stream_exception:3:modelTimeoutException", "stream", failsWith("ModelTimeoutException"), "ModelTimeoutException"},
		{"stream_exception:4:validationException", "stream", failsWith("ValidationException"), "ValidationException"},
		{"stream_cut:3", "stream", fails, "an error (connection closed mid-stream)"},
		{"corrupt_frame:2", "stream", fails, "an error (checksum mismatch)"},
		{"stall:1500:2", "stream", answers("end_turn", 3, "recovered", 1500), "the whole answer, 1.5 s late"},
		{"max_tokens_cut:1", "stream", answers("max_tokens", 1, "reco", 0), "the answer cut at 1 token"},
		// InvokeModel has no stream: a stream fault is a dropped connection or an HTTP error.
		{"stream_cut:3", "invoke", fails, "an error (connection closed before the answer)"},
		{"corrupt_frame:2", "invoke", fails, "an error (connection closed before the answer)"},
		{"stream_exception:2:throttlingException", "invoke", failsWith("ThrottlingException"), "ThrottlingException"},
		{"stream_exception:2:serviceUnavailableException", "invoke", failsWith("ServiceUnavailableException"), "ServiceUnavailableException"},
		{"stream_exception:2:validationException", "invoke", failsWith("ValidationException"), "ValidationException"},
		{"stall:1500", "invoke", answers("end_turn", 3, "recovered", 1500), "the whole answer, 1.5 s late"},
		{"max_tokens_cut:1", "invoke", answers("max_tokens", 1, "reco", 0), "the answer cut at 1 token"},
	}
	var convs []string
	for i, tc := range cases {
		f, _ := json.Marshal([]string{tc.fault})
		convs = append(convs, fmt.Sprintf(`{"match_first_user_text": "fault case %d.", "steps": [{"faults": %s, "reply": {"content": [{"type": "text", "text": "recovered"}]}}]}`, i, f))
	}
	s, _ := startSim(t, `{"conversations": [`+strings.Join(convs, ",")+`]}`, nil)
	for i, tc := range cases {
		t.Run(tc.fault+"/"+tc.op, func(t *testing.T) {
			t.Parallel()
			prompt := fmt.Sprintf("fault case %d.", i)
			out, code := runNode(t, s, sigv4Creds, "aws-sdk.mjs", "--op", tc.op, "--model", modelID, "--prompt", prompt)
			if !tc.want(out, code) {
				pretty, _ := json.MarshalIndent(out, "", "  ")
				t.Fatalf("first attempt: exit %d, want %s:\n%s", code, tc.wantDesc, pretty)
			}
			out, code = runNode(t, s, sigv4Creds, "aws-sdk.mjs", "--op", tc.op, "--model", modelID, "--prompt", prompt)
			if !mustOK(t, "retry", out, code) {
				return
			}
			if got := str(path(out, "message", "content", 0, "text")); got != "recovered" {
				t.Errorf("retry answer = %q", got)
			}
		})
	}
}

// outcome says whether what the client printed (and its exit code) is what a fault should
// give it.
type outcome func(out map[string]any, code int) bool

func failsWith(name string) outcome {
	return func(out map[string]any, code int) bool {
		return code != 0 && str(path(out, "error", "name")) == name
	}
}

func fails(out map[string]any, code int) bool {
	return code != 0 && str(path(out, "error", "message")) != ""
}

// answers is a successful call with this stop reason, output tokens and text, taking at least
// minMS from sending to the end of the answer.
func answers(stop string, outputTokens int64, text string, minMS int64) outcome {
	return func(out map[string]any, code int) bool {
		return code == 0 && str(path(out, "message", "stop_reason")) == stop &&
			num(path(out, "message", "usage", "output_tokens")) == outputTokens &&
			str(path(out, "message", "content", 0, "text")) == text && num(out["elapsed_ms"]) >= minMS
	}
}
