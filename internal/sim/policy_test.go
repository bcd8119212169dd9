package sim_test

import (
	"strings"
	"testing"

	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
)

func TestIAMPolicy(t *testing.T) {
	policy := `{"Version": "2012-10-17", "Statement": [
	  {"Effect": "Allow", "Action": ["bedrock:InvokeModel", "bedrock:ListInferenceProfiles"],
	   "Resource": ["arn:aws:bedrock:*:*:inference-profile/us.anthropic.*", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.*"]},
	  {"Effect": "Deny", "Action": "bedrock:Invoke*", "Resource": "arn:aws:bedrock:*:*:inference-profile/*opus*"}]}`
	narrowed := simtest.Start(t, sim.Options{AuthFile: simtest.WriteFile(t, "auth.json", `{"credentials": [
	  {"access_key_id": "AKIDEXAMPLE", "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "iam_policy": `+policy+`}]}`)})
	creds := staticCreds(testAKID, testSecret, "")
	b := body(t, map[string]any{})
	cases := []struct {
		name, region, model string
		stream              bool
		denied              string // resource named in the denial, "" = allowed
	}{
		{"allowed profile and routed model", "us-east-1", sonnet45, false, ""},
		{"action not allowed", "us-east-1", sonnet45, true, "bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-1:123456789012:inference-profile/" + sonnet45},
		{"routed foundation model outside the policy", "us-west-2", sonnet45, false, "on resource: arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"profile outside the policy", "us-east-1", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", false, "inference-profile/global."},
		{"explicit deny", "us-east-1", "us.anthropic.claude-opus-4-5-20251101-v1:0", false, "inference-profile/us.anthropic.claude-opus-4-5"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := runtimeClient(narrowed, creds, tc.region)
			var err error
			if tc.stream {
				_, err = stream(t, c, tc.model, b)
			} else {
				_, err = invoke(t, c, tc.model, b)
			}
			if tc.denied == "" {
				if err != nil {
					t.Fatalf("denied: %v", err)
				}
				return
			}
			if apiCode(err) != "AccessDeniedException" || !strings.Contains(apiMessage(err), tc.denied) ||
				!strings.HasPrefix(apiMessage(err), "User: arn:aws:iam::123456789012:user/sim is not authorized to perform: ") {
				t.Errorf("err = %v, want a denial naming %q", err, tc.denied)
			}
		})
	}
}

func TestPolicyFileErrors(t *testing.T) {
	for _, pol := range []string{
		`{"Statement": [{"Effect": "Maybe", "Action": "*", "Resource": "*"}]}`,
		`{"Statement": [{"Effect": "Allow", "Resource": "*"}]}`,
		`{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"}}}]}`,
	} {
		_, err := sim.ParseAuthConfig([]byte(`{"credentials": [{"access_key_id": "AKIDEXAMPLE", "secret_access_key": "x", "iam_policy": ` + pol + `}]}`))
		if err == nil {
			t.Errorf("accepted %s", pol)
		}
	}
}
