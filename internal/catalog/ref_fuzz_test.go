package catalog

import (
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics and that what it accepts is self-consistent: a
// successful parse has a kind, an ARN parses as an ARN of a known kind, and a system profile
// spells its profile ID back.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"",
		"claude-sonnet",
		"us.anthropic.claude-sonnet-4-5-20250929-v1:0",
		"global.anthropic.claude-sonnet-4-6",
		"anthropic.claude-3-7-sonnet-20250219-v1:0",
		"arn:aws:bedrock:us-east-2:123456789012:application-inference-profile/abc123",
		"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0",
		"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0",
		"arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0",
		"arn:aws:bedrock:us-west-2:123456789012:provisioned-model/a1b2c3d4e5f6",
		"arn:aws:s3:::bucket",
		"arn:aws:bedrock:us-east-1:1:guardrail/x",
		"arn:aws:bedrock:::/",
		"arn:",
		"us.",
		"a b",
	} {
		f.Add(seed)
	}
	c := Default()
	f.Fuzz(func(t *testing.T, id string) {
		r, err := c.Parse(id)
		if r.Raw != id {
			t.Fatalf("Parse(%q).Raw = %q", id, r.Raw)
		}
		if err != nil {
			if r.Kind != 0 || r.Model != nil {
				t.Fatalf("Parse(%q) failed (%v) but returned %+v", id, err, r)
			}
			return
		}
		if r.Kind == 0 {
			t.Fatalf("Parse(%q) succeeded without a kind: %+v", id, r)
		}
		if strings.HasPrefix(id, "arn:") {
			if !r.IsARN || r.Region == "" || r.Resource == "" {
				t.Fatalf("Parse(%q) accepted an ARN as %+v", id, r)
			}
		} else if r.IsARN {
			t.Fatalf("Parse(%q) took a non-ARN for an ARN: %+v", id, r)
		}
		switch r.Kind {
		case SystemProfile:
			if _, ok := c.Geography(r.Geo); !ok || r.BaseID == "" {
				t.Fatalf("Parse(%q) gave a profile without a known geography or base ID: %+v", id, r)
			}
			want := id
			if r.IsARN {
				want = r.Resource
			}
			if r.ProfileID() != want {
				t.Fatalf("Parse(%q).ProfileID() = %q, want %q", id, r.ProfileID(), want)
			}
		case FoundationModel:
			if r.BaseID == "" || r.Geo != "" {
				t.Fatalf("Parse(%q) gave a foundation model %+v", id, r)
			}
		}
		if r.Model != nil {
			if m, ok := c.Model(r.BaseID); !ok || m != r.Model {
				t.Fatalf("Parse(%q).Model is not the catalog's model for %q", id, r.BaseID)
			}
		}
	})
}
