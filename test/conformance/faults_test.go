package conformance

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestFaultsThroughJavaScriptSDK checks that each fault the simulator serves reaches the AWS
// SDK for JavaScript as the real service's error, and that the retry of the same request
// gets the scripted answer.
func TestFaultsThroughJavaScriptSDK(t *testing.T) {
	needNPM(t)
	t.Parallel()
	cases := []struct {
		fault, op string
		want      func(e map[string]any) bool
		wantDesc  string
	}{
		{"throttling", "invoke", named("ThrottlingException"), "ThrottlingException"},
		{"too_many_tokens", "invoke", named("ThrottlingException"), "ThrottlingException"},
		{"internal_server", "invoke", named("InternalServerException"), "InternalServerException"},
		{"service_unavailable", "invoke", named("ServiceUnavailableException"), "ServiceUnavailableException"},
		{"model_not_ready", "invoke", named("ModelNotReadyException"), "ModelNotReadyException"},
		{"model_timeout", "invoke", named("ModelTimeoutException"), "ModelTimeoutException"},
		{"expired_token", "invoke", named("ExpiredTokenException"), "ExpiredTokenException"},
		{"stream_exception:3:throttlingException", "stream", named("ThrottlingException"), "ThrottlingException"},
		{"stream_exception:2:modelStreamErrorException", "stream", named("ModelStreamErrorException"), "ModelStreamErrorException"},
		{"stream_exception:2:internalServerException", "stream", named("InternalServerException"), "InternalServerException"},
		{"stream_cut:3", "stream", anyError, "an error (connection closed mid-stream)"},
		{"corrupt_frame:2", "stream", anyError, "an error (checksum mismatch)"},
	}
	var convs []string
	for i, tc := range cases {
		f, _ := json.Marshal([]string{tc.fault})
		convs = append(convs, fmt.Sprintf(`{"match_first_user_text": "fault case %d.", "steps": [{"faults": %s, "reply": {"content": [{"type": "text", "text": "recovered"}]}}]}`, i, f))
	}
	s, _ := startSim(t, `{"conversations": [`+strings.Join(convs, ",")+`]}`, nil)
	for i, tc := range cases {
		t.Run(tc.fault, func(t *testing.T) {
			t.Parallel()
			prompt := fmt.Sprintf("fault case %d.", i)
			out, code := runNode(t, s, sigv4Creds, "aws-sdk.mjs", "--op", tc.op, "--model", modelID, "--prompt", prompt)
			e, _ := out["error"].(map[string]any)
			if code == 0 || !tc.want(e) {
				t.Fatalf("first attempt: exit %d, error %v; want %s", code, e, tc.wantDesc)
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

func named(name string) func(map[string]any) bool {
	return func(e map[string]any) bool { return str(e["name"]) == name }
}

func anyError(e map[string]any) bool { return e != nil && str(e["message"]) != "" }
