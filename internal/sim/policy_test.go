package sim_test

import (
	"strings"
	"testing"

	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
)

const (
	sonnet45Model = "anthropic.claude-sonnet-4-5-20250929-v1:0"
	appProfileARN = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123example"
)

// TestIAMPolicy enforces a credential's iam_policy as IAM does for Bedrock: a call through a
// cross-region profile needs the profile and the foundation model in every region the profile
// routes to (catalog: Sonnet 4.5's us profile serves us-east-1, us-east-2, us-west-1 and
// us-west-2; Haiku 4.5's the us geography, which includes ca-central-1), a global profile also
// the region-less foundation-model ARN, and an application profile its own ARN.
func TestIAMPolicy(t *testing.T) {
	const (
		usProfiles     = "arn:aws:bedrock:*:*:inference-profile/us.anthropic.*"
		globalProfiles = "arn:aws:bedrock:*:*:inference-profile/global.anthropic.*"
		anyRegionFM    = "arn:aws:bedrock:*::foundation-model/anthropic.*" // * also matches no region
		regionalFM     = "arn:aws:bedrock:?*::foundation-model/anthropic.*"
		regionLessFM   = "arn:aws:bedrock:::foundation-model/anthropic.*"
	)
	cases := []struct {
		name, region, model string
		stream              bool
		allow               []string // resources of the Allow statement (bedrock:InvokeModel)
		deny                string   // resource of a Deny statement on bedrock:Invoke*
		denied              string   // what the denial names, "" = allowed
	}{
		{name: "us profile and every destination region", model: sonnet45,
			allow: []string{usProfiles, "arn:aws:bedrock:us-*::foundation-model/anthropic.*"}},
		{name: "us profile with the caller's region only", model: sonnet45,
			allow:  []string{usProfiles, "arn:aws:bedrock:us-east-1::foundation-model/anthropic.*"},
			denied: "bedrock:InvokeModel on resource: arn:aws:bedrock:us-east-2::foundation-model/" + sonnet45Model},
		{name: "us geography reaches ca-central-1", model: "us.anthropic.claude-haiku-4-5-20251001-v1:0",
			allow:  []string{usProfiles, "arn:aws:bedrock:us-*::foundation-model/anthropic.*"},
			denied: "on resource: arn:aws:bedrock:ca-central-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0"},
		{name: "action not allowed", model: sonnet45, stream: true, allow: []string{usProfiles, anyRegionFM},
			denied: "bedrock:InvokeModelWithResponseStream on resource: arn:aws:bedrock:us-east-1:123456789012:inference-profile/" + sonnet45},
		{name: "global profile without the region-less ARN", model: "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
			allow:  []string{globalProfiles, regionalFM},
			denied: "on resource: arn:aws:bedrock:::foundation-model/" + sonnet45Model + " because"},
		{name: "global profile with the region-less ARN", model: "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
			allow: []string{globalProfiles, regionalFM, regionLessFM}},
		{name: "global profile from another region", region: "eu-west-1", model: "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
			allow: []string{globalProfiles, anyRegionFM}},
		{name: "profile outside the policy", model: "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
			allow: []string{usProfiles, anyRegionFM}, denied: "inference-profile/global."},
		{name: "explicit deny", model: "us.anthropic.claude-opus-4-5-20251101-v1:0",
			allow: []string{usProfiles, anyRegionFM}, deny: "arn:aws:bedrock:*:*:inference-profile/*opus*",
			denied: "inference-profile/us.anthropic.claude-opus-4-5"},
		{name: "application profile allowed", model: appProfileARN,
			allow: []string{"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/*", anyRegionFM}},
		{name: "application profile not in the policy", model: appProfileARN,
			allow: []string{usProfiles, anyRegionFM}, denied: "bedrock:InvokeModel on resource: " + appProfileARN},
		{name: "application profile with the caller's region only", model: appProfileARN,
			allow:  []string{"arn:aws:bedrock:*:*:application-inference-profile/abc123example", "arn:aws:bedrock:us-east-1::foundation-model/*"},
			denied: "on resource: arn:aws:bedrock:us-east-2::foundation-model/" + sonnet45Model},
	}
	b := body(t, map[string]any{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stmts := []any{map[string]any{"Effect": "Allow", "Action": []string{"bedrock:InvokeModel"}, "Resource": tc.allow}}
			if tc.deny != "" {
				stmts = append(stmts, map[string]any{"Effect": "Deny", "Action": "bedrock:Invoke*", "Resource": tc.deny})
			}
			policy := mustJSON(t, map[string]any{"Version": "2012-10-17", "Statement": stmts})
			s := simtest.Start(t, sim.Options{AuthFile: simtest.WriteFile(t, "auth.json", `{"credentials": [
			  {"access_key_id": "AKIDEXAMPLE", "secret_access_key": "`+testSecret+`", "iam_policy": `+policy+`}],
			  "application_inference_profiles": [{"arn": "`+appProfileARN+`", "model": "`+sonnet45+`"}]}`)})
			region := tc.region
			if region == "" {
				region = "us-east-1"
			}
			c := runtimeClient(s, staticCreds(testAKID, testSecret, ""), region)
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
