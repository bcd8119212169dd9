package bedrock_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"ganban/internal/awsauth"
	"ganban/internal/bedrock"
	"ganban/internal/catalog"
	"ganban/internal/sim"
)

func TestDiscoverNewestInvokableModel(t *testing.T) {
	s := startSim(t, sim.Options{AuthFile: writeFile(t, "auth.json", authJSON(`, "model_access": ["anthropic.claude-sonnet-4-5*", "anthropic.claude-haiku-4-5*"]`))})
	c := newClient(t, s, clientOpts{})
	cache := bedrock.DiscoveryCache{Dir: t.TempDir(), Key: "profile:default"}
	ch, err := c.Discover(context.Background(), bedrock.Choice{Family: "sonnet", Source: "default"}, "us-east-1", cache)
	if err != nil {
		t.Fatal(err)
	}
	if ch.ID != sonnet45 || ch.Info == nil || ch.Info.ID != "claude-sonnet-4-5-20250929" || !strings.Contains(ch.Source, "newest sonnet-class model invokable") {
		t.Errorf("choice = %+v", ch)
	}
	requests := s.Report().Requests
	again, err := c.Discover(context.Background(), bedrock.Choice{Family: "sonnet", Source: "default"}, "us-east-1", cache)
	if err != nil || again.ID != sonnet45 || !strings.Contains(again.Source, "cached") || s.Report().Requests != requests {
		t.Errorf("second discovery = %+v %v (%d new requests)", again, err, s.Report().Requests-requests)
	}
	// A cache entry older than a day is checked again.
	stale := cache
	stale.Now = func() time.Time { return time.Now().Add(25 * time.Hour) }
	if ch, err := c.Discover(context.Background(), bedrock.Choice{Family: "sonnet", Source: "default"}, "us-east-1", stale); err != nil || strings.Contains(ch.Source, "cached") {
		t.Errorf("stale cache: %+v %v", ch, err)
	}
	h, err := c.Discover(context.Background(), bedrock.Choice{Family: "haiku", Source: "default"}, "eu-west-1", bedrock.DiscoveryCache{})
	if err != nil || h.ID != "eu.anthropic.claude-haiku-4-5-20251001-v1:0" {
		t.Errorf("haiku in eu-west-1 = %+v %v", h, err)
	}
	_, err = c.Discover(context.Background(), bedrock.Choice{Family: "opus", Source: "default"}, "us-east-1", bedrock.DiscoveryCache{})
	if err == nil || !strings.Contains(err.Error(), "no opus-class model is invokable") {
		t.Errorf("no opus access: %v", err)
	}
}

// TestARefusedDefaultChoiceIsForgotten: the model chosen yesterday loses its access today.
// The cached choice is used without a call, the refusal drops it and says so, and the next
// discovery settles on the model that still answers. A model the user named is never
// forgotten, since ganban did not choose it.
func TestARefusedDefaultChoiceIsForgotten(t *testing.T) {
	cache := bedrock.DiscoveryCache{Dir: t.TempDir(), Key: "profile:default"}
	sonnet := bedrock.Choice{Family: "sonnet", Source: "default"}
	before := startSim(t, sim.Options{AuthFile: writeFile(t, "auth.json", authJSON(`, "model_access": ["anthropic.claude-sonnet-4-5*"]`))})
	if ch, err := newClient(t, before, clientOpts{}).Discover(context.Background(), sonnet, "us-east-1", cache); err != nil || ch.ID != sonnet45 {
		t.Fatalf("first discovery = %q, %v", ch.ID, err)
	}

	after := startSim(t, sim.Options{AuthFile: writeFile(t, "auth.json", authJSON(`, "model_access": ["anthropic.claude-sonnet-4-2*"]`))})
	c := newClient(t, after, clientOpts{})
	ch, err := c.Discover(context.Background(), sonnet, "us-east-1", cache)
	if err != nil || ch.ID != sonnet45 || after.Report().Requests != 0 {
		t.Fatalf("cached discovery = %q, %v after %d requests", ch.ID, err, after.Report().Requests)
	}
	_, err = c.Invoke(context.Background(), bedrock.Call{Model: ch.ID, Request: userTurn("hi"), MaxTokens: 16, Info: ch.Info})
	var be *bedrock.Error
	if !errors.As(err, &be) || be.Kind != bedrock.KindAccessDenied || !be.ChoiceDropped {
		t.Fatalf("call to the withdrawn model: %v", err)
	}
	if advice := bedrock.Advice(err, catalog.Default()); !strings.Contains(advice, "forgotten that choice") || !strings.Contains(advice, "Model access") {
		t.Errorf("advice = %q", advice)
	}
	ch, err = c.Discover(context.Background(), sonnet, "us-east-1", cache)
	if want := "us.anthropic.claude-sonnet-4-20250514-v1:0"; err != nil || ch.ID != want || strings.Contains(ch.Source, "cached") {
		t.Errorf("rediscovery = %q (%s), %v; want %s probed", ch.ID, ch.Source, err, want)
	}

	pinned := newClient(t, after, clientOpts{})
	_, err = pinned.Invoke(context.Background(), bedrock.Call{Model: sonnet45, Request: userTurn("hi"), MaxTokens: 16, Info: ch.Info})
	if !errors.As(err, &be) || be.Kind != bedrock.KindAccessDenied || be.ChoiceDropped {
		t.Errorf("a model the user named: %v (dropped %v)", err, be != nil && be.ChoiceDropped)
	}
}

func TestDiscoveryProbesRideOutFaultsAndStopOnCredentials(t *testing.T) {
	access := `, "model_access": ["anthropic.claude-sonnet-4-5*"]`
	t.Run("throttled probes are retried, not taken for a missing model", func(t *testing.T) {
		s := startSim(t, sim.Options{AuthFile: writeFile(t, "auth.json", authJSON(access)),
			Faults: sim.RandomFaults{Rate: 0.6, Seed: 3, Kinds: []string{"throttling", "internal_server"}}})
		c := newClient(t, s, clientOpts{})
		ch, err := c.Discover(context.Background(), bedrock.Choice{Family: "sonnet", Source: "default"}, "us-east-1", bedrock.DiscoveryCache{})
		if err != nil || ch.ID != sonnet45 {
			t.Errorf("discovered %q, %v; want %s", ch.ID, err, sonnet45)
		}
	})
	t.Run("expired credentials are an error about credentials", func(t *testing.T) {
		expired := fmt.Sprintf(`{"credentials": [{"access_key_id": %q, "secret_access_key": %q, "session_token": %q, "expires_at": "2020-01-01T00:00:00Z"}]%s}`, akid, secret, token, access)
		s := startSim(t, sim.Options{AuthFile: writeFile(t, "auth.json", expired)})
		c := newClient(t, s, clientOpts{creds: awsauth.Config{Refresh: "true", LoadChain: staticChain(akid, secret, token)}})
		_, err := c.Discover(context.Background(), bedrock.Choice{Family: "sonnet", Source: "default"}, "us-east-1", bedrock.DiscoveryCache{})
		var be *bedrock.Error
		if !errors.As(err, &be) || be.Kind != bedrock.KindCredentials || !be.Refreshed {
			t.Errorf("err = %v", err)
		}
		if c.Credentials().Refreshes() != 1 {
			t.Errorf("awsAuthRefresh ran %d times, want 1", c.Credentials().Refreshes())
		}
	})
}

func TestListProfilesAndApplicationProfile(t *testing.T) {
	app := "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123example"
	s := startSim(t, sim.Options{AuthFile: writeFile(t, "auth.json", authJSON(`, "application_inference_profiles": [{"arn": "`+app+`", "model": "`+sonnet45+`", "name": "team"}]`))})
	c := newClient(t, s, clientOpts{})
	ps, err := c.ListProfiles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var sawApp, sawSonnet bool
	for _, p := range ps {
		sawApp = sawApp || (p.Application && p.ARN == app && p.Info != nil && p.Info.ID == "claude-sonnet-4-5-20250929")
		sawSonnet = sawSonnet || (p.ID == sonnet45 && len(p.FoundationARNs) >= 3)
	}
	if !sawApp || !sawSonnet {
		t.Errorf("profiles = %+v", ps)
	}
	ch, err := bedrock.ChoosePrimary(catalog.Default(), env(map[string]string{"ANTHROPIC_MODEL": app}), bedrock.ModelFlags{}, "us-east-1")
	if err != nil || ch.Info != nil {
		t.Fatalf("choice %+v %v", ch, err)
	}
	ch, err = c.Describe(context.Background(), ch)
	if err != nil || ch.Info == nil || ch.Info.ContextWindow == 0 {
		t.Errorf("described = %+v %v", ch, err)
	}
	resp, err := c.Invoke(context.Background(), bedrock.Call{Model: ch.ID, Request: userTurn("hi"), Info: ch.Info})
	if err != nil || resp.Model != "claude-sonnet-4-5-20250929" {
		t.Errorf("invoke through the ARN: %v %+v", err, resp)
	}
}

func TestAnARNIsCalledInItsOwnRegion(t *testing.T) {
	// The guide's own examples: AWS_REGION=us-east-1 (S11) with an application inference
	// profile in us-east-2 (S17).
	app := "arn:aws:bedrock:us-east-2:123456789012:application-inference-profile/abc123example"
	var log bytes.Buffer
	s := startSim(t, sim.Options{Log: &log, AuthFile: writeFile(t, "auth.json", authJSON(`, "application_inference_profiles": [{"arn": "`+app+`", "model": "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "name": "team"}]`))})
	c := newClient(t, s, clientOpts{cfg: bedrock.Config{Region: "us-east-1"}})
	if got := c.CallRegion(app, ""); got != "us-east-2" {
		t.Errorf("CallRegion = %s", got)
	}
	ch, err := c.Describe(context.Background(), bedrock.Choice{ID: app, Ref: mustParse(t, app)})
	if err != nil || ch.Info == nil {
		t.Fatalf("describe: %+v %v", ch, err)
	}
	if _, err := c.Invoke(context.Background(), bedrock.Call{Model: app, Request: userTurn("hi"), Info: ch.Info}); err != nil {
		t.Fatalf("invoke: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		var l struct{ Operation, Region string }
		if json.Unmarshal([]byte(line), &l) != nil || l.Region != "us-east-2" {
			t.Errorf("request not signed for us-east-2: %s", line)
		}
	}
}

func TestIAMPolicy(t *testing.T) {
	all := bedrock.Policy("us-east-1", nil)
	js := all.JSON()
	for _, want := range []string{"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:ListInferenceProfiles", "bedrock:GetInferenceProfile",
		"arn:aws:bedrock:*:*:inference-profile/*", "arn:aws:bedrock:*:*:application-inference-profile/*", "arn:aws:bedrock:*::foundation-model/*"} {
		if !strings.Contains(js, want) {
			t.Errorf("policy lacks %s", want)
		}
	}
	narrow := bedrock.Policy("us-east-1", []bedrock.Profile{{ARN: "arn:aws:bedrock:us-east-1:123456789012:inference-profile/" + sonnet45,
		FoundationARNs: []string{"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0", "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"}}})
	var doc bedrock.PolicyDocument
	json.Unmarshal([]byte(narrow.JSON()), &doc)
	if got := doc.Statement[0].Resource; len(got) != 3 || strings.Contains(narrow.JSON(), "inference-profile/*\"\n") && strings.Contains(strings.Join(got, ","), "*") {
		t.Errorf("restricted resources = %v", got)
	}
}

// TestPolicyWorksAgainstTheSimulator: the generated policies, enforced by the simulator, allow
// the calls ganban makes. The simulator asks, as IAM does, for the foundation model in every
// region a cross-region profile routes to and for the region-less one of a global profile, so a
// --restrict policy must take them all from GetInferenceProfile.
func TestPolicyWorksAgainstTheSimulator(t *testing.T) {
	const (
		global = "global.anthropic.claude-sonnet-4-5-20250929-v1:0"
		app    = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123example"
		haiku  = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	)
	apps := `"application_inference_profiles": [{"arn": "` + app + `", "model": "` + global + `"}]`
	lookup := newClient(t, startSim(t, sim.Options{AuthFile: writeFile(t, "auth.json", authJSON(", "+apps))}), clientOpts{})
	restricted := func(id string) bedrock.PolicyDocument {
		p, err := lookup.GetProfile(context.Background(), id, "")
		if err != nil {
			t.Fatalf("GetProfile %s: %v", id, err)
		}
		return bedrock.Policy("us-east-1", []bedrock.Profile{p})
	}
	cases := []struct {
		name    string
		policy  bedrock.PolicyDocument
		allowed []string
		denied  []string
	}{
		{"the whole policy", bedrock.Policy("", nil), []string{sonnet45, global, app, haiku}, nil},
		{"restricted to a us profile", restricted(sonnet45), []string{sonnet45}, []string{global, haiku}},
		{"restricted to a global profile", restricted(global), []string{global}, []string{sonnet45}},
		{"restricted to an application profile over a global one", restricted(app), []string{app}, []string{global}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			auth := `{"credentials": [{"access_key_id": "AKIDEXAMPLE", "secret_access_key": "` + secret + `", "session_token": "` + token + `", "iam_policy": ` + tc.policy.JSON() + `}], ` + apps + `}`
			c := newClient(t, startSim(t, sim.Options{AuthFile: writeFile(t, "auth.json", auth)}), clientOpts{})
			if _, err := c.ListProfiles(context.Background()); err != nil {
				t.Errorf("list: %v", err)
			}
			for _, id := range tc.allowed {
				if _, _, err := collect(t, c, bedrock.Call{Model: id, Request: userTurn("hi")}); err != nil {
					t.Errorf("%s: %v", id, err)
				}
			}
			for _, id := range tc.denied {
				if _, _, err := collect(t, c, bedrock.Call{Model: id, Request: userTurn("hi")}); err == nil {
					t.Errorf("%s: allowed by a policy that does not name it", id)
				}
			}
		})
	}
}

func mustParse(t *testing.T, id string) catalog.Ref {
	t.Helper()
	ref, err := catalog.Default().Parse(id)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}
