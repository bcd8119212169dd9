package bedrock

import (
	"encoding/json"
	"sort"
)

// PolicyDocument is an IAM policy.
type PolicyDocument struct {
	Version   string            `json:"Version"`
	Statement []PolicyStatement `json:"Statement"`
}

// PolicyStatement is one statement of a policy.
type PolicyStatement struct {
	Sid       string         `json:"Sid"`
	Effect    string         `json:"Effect"`
	Action    []string       `json:"Action"`
	Resource  []string       `json:"Resource"`
	Condition map[string]any `json:"Condition,omitempty"`
}

// invokeActions are the guide's actions (S22) plus GetInferenceProfile, which resolving an
// application inference profile needs.
var invokeActions = []string{"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"}

// Policy is the IAM policy ganban needs. With no models it allows every Claude inference
// profile, application profile and the foundation models they route to (S22: profiles alone
// are not enough; IAM authorizes a cross-region call on the foundation model in every region
// the profile routes to, and a global profile's also on the region-less
// arn:aws:bedrock:::foundation-model/ID, which the region wildcard matches). With models
// (restrict) it names exactly their profiles and the foundation models GetInferenceProfile
// lists for them, region-less ones included (S23).
func Policy(region string, models []Profile) PolicyDocument {
	doc := PolicyDocument{Version: "2012-10-17"}
	if len(models) == 0 {
		doc.Statement = append(doc.Statement, PolicyStatement{
			Sid: "AllowModelAndInferenceProfileAccess", Effect: "Allow",
			Action: append(append([]string{}, invokeActions...), "bedrock:GetInferenceProfile"),
			Resource: []string{"arn:aws:bedrock:*:*:inference-profile/*", "arn:aws:bedrock:*:*:application-inference-profile/*",
				"arn:aws:bedrock:*::foundation-model/*"},
		})
	} else {
		var res, get []string
		for _, p := range models {
			res = append(res, p.ARN)
			res = append(res, p.FoundationARNs...)
			get = append(get, p.ARN)
		}
		doc.Statement = append(doc.Statement,
			PolicyStatement{Sid: "AllowConfiguredModels", Effect: "Allow", Action: invokeActions, Resource: uniqueSorted(res)},
			PolicyStatement{Sid: "AllowResolvingConfiguredProfiles", Effect: "Allow", Action: []string{"bedrock:GetInferenceProfile"}, Resource: uniqueSorted(get)})
	}
	listRes := "arn:aws:bedrock:*:*:inference-profile/*"
	if len(models) > 0 && region != "" {
		listRes = "arn:aws:bedrock:" + region + ":*:inference-profile/*"
	}
	doc.Statement = append(doc.Statement,
		PolicyStatement{Sid: "AllowListingInferenceProfiles", Effect: "Allow", Action: []string{"bedrock:ListInferenceProfiles"}, Resource: []string{listRes}},
		PolicyStatement{Sid: "AllowMarketplaceSubscription", Effect: "Allow", Action: []string{"aws-marketplace:ViewSubscriptions", "aws-marketplace:Subscribe"},
			Resource: []string{"*"}, Condition: map[string]any{"StringEquals": map[string]string{"aws:CalledViaLast": "bedrock.amazonaws.com"}}})
	return doc
}

func uniqueSorted(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// JSON renders the policy for people and for `aws iam put-role-policy`.
func (d PolicyDocument) JSON() string {
	b, _ := json.MarshalIndent(d, "", "  ")
	return string(b)
}
