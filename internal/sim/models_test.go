package sim_test

import (
	"net/url"
	"strings"
	"testing"

	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
)

func TestModelResolution(t *testing.T) {
	s := simtest.Start(t, sim.Options{AuthFile: authFile(t, `, "model_access": ["anthropic.claude-sonnet-4-5*", "*haiku-4-5*", "global.*"]`)})
	b := body(t, map[string]any{})
	cases := []struct {
		name, region, model, code, contains string
	}{
		{"us profile from us-east-1", "us-east-1", sonnet45, "", ""},
		{"raw colon and ARN accepted", "us-east-1", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/" + sonnet45, "", ""},
		{"global profile", "ap-south-1", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", "", ""},
		{"application profile", "us-east-1", "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123example", "", ""},
		{"bare ID of a profile-only model", "us-east-1", "anthropic.claude-sonnet-4-5-20250929-v1:0", "ValidationException", "on-demand throughput isn\u2019t supported"},
		{"eu profile from a us region", "us-east-1", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "ValidationException", "The provided model identifier is invalid."},
		{"unknown model", "us-east-1", "us.anthropic.claude-nonexistent-v1:0", "ValidationException", "The provided model identifier is invalid."},
		{"not a model id", "us-east-1", "claude-sonnet", "ValidationException", "The provided model identifier is invalid."},
		{"undeclared application profile", "us-east-1", "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/zzz", "ValidationException", "invalid"},
		{"profile ARN of another region", "us-west-2", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/" + sonnet45, "ValidationException", "invalid"},
		{"no model access", "us-east-1", "us.anthropic.claude-opus-4-5-20251101-v1:0", "AccessDeniedException", "You don't have access to the model with the specified model ID."},
		{"retired model", "us-east-1", "us.anthropic.claude-3-7-sonnet-20250219-v1:0", "ResourceNotFoundException", "end of its life"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := invoke(t, runtimeClient(s, goodCreds, tc.region), tc.model, b)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if apiCode(err) != tc.code || !strings.Contains(apiMessage(err), tc.contains) {
				t.Errorf("err = %v, want %s containing %q", err, tc.code, tc.contains)
			}
		})
	}
}

// TestModelIDEncodings sends the same model the ways real clients put it on the wire.
func TestModelIDEncodings(t *testing.T) {
	s := simtest.Start(t, sim.Options{})
	arn := "arn:aws:bedrock:us-east-1:123456789012:inference-profile/" + sonnet45
	for _, path := range []string{
		"/model/" + url.PathEscape(sonnet45) + "/invoke",            // aws-sdk-go-v2: %3A
		"/model/" + sonnet45 + "/invoke",                            // Anthropic TS/Python: raw colon
		"/model/" + url.QueryEscape(arn) + "/invoke",                // ARN with %2F
		"/model/" + strings.ReplaceAll(arn, "/", "%2F") + "/invoke", // raw colons, %2F
	} {
		resp, err := s.HTTPClient().Post(s.URL+path, "application/json", strings.NewReader(string(body(t, map[string]any{}))))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: status %d", path, resp.StatusCode)
		}
	}
}
