package bedrock_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ganban/internal/bedrock"
	"ganban/internal/catalog"
	"ganban/internal/testenv"
)

func env(kv map[string]string) bedrock.Getenv { return func(k string) string { return kv[k] } }

func TestLoadConfig(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want func(bedrock.Config) bool
		err  string
	}{
		{"defaults", nil, func(c bedrock.Config) bool {
			return c.MaxOutputTokens == 0 && c.ThinkingTokens == 0 && c.Timeout == 10*time.Minute && !c.CachingDisabled("sonnet")
		}, ""},
		{"guide recommendation", map[string]string{"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "4096", "MAX_THINKING_TOKENS": "1024"},
			func(c bedrock.Config) bool { return c.MaxOutputTokens == 4096 && c.ThinkingTokens == 1024 }, ""},
		{"underscores and exponents", map[string]string{"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "64_000", "API_TIMEOUT_MS": "2e3"},
			func(c bedrock.Config) bool { return c.MaxOutputTokens == 64000 && c.Timeout == 2*time.Second }, ""},
		{"bad max output", map[string]string{"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "lots"}, nil, "CLAUDE_CODE_MAX_OUTPUT_TOKENS"},
		{"thinking below 1024", map[string]string{"MAX_THINKING_TOKENS": "500"}, nil, "at least 1024"},
		{"thinking zero is off", map[string]string{"MAX_THINKING_TOKENS": "0"}, func(c bedrock.Config) bool { return c.ThinkingTokens == 0 }, ""},
		{"caching off", map[string]string{"DISABLE_PROMPT_CACHING": "1"}, func(c bedrock.Config) bool { return c.CachingDisabled("haiku") }, ""},
		{"caching off for one family", map[string]string{"DISABLE_PROMPT_CACHING_OPUS": "true"},
			func(c bedrock.Config) bool { return c.CachingDisabled("opus") && !c.CachingDisabled("sonnet") }, ""},
		{"custom headers", map[string]string{"ANTHROPIC_CUSTOM_HEADERS": "X-Amzn-Bedrock-GuardrailIdentifier: abc\nX-Amzn-Bedrock-GuardrailVersion: 1"},
			func(c bedrock.Config) bool { return c.CustomHeaders.Get("X-Amzn-Bedrock-GuardrailVersion") == "1" }, ""},
		{"bad custom header", map[string]string{"ANTHROPIC_CUSTOM_HEADERS": "no colon here"}, nil, "Name: Value"},
		{"bad service tier", map[string]string{"ANTHROPIC_BEDROCK_SERVICE_TIER": "gold"}, nil, "ANTHROPIC_BEDROCK_SERVICE_TIER"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := bedrock.LoadConfig(env(tc.env))
			if tc.err != "" {
				var ce *bedrock.ConfigError
				if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || !tc.want(c) {
				t.Errorf("config = %+v, %v", c, err)
			}
		})
	}
}

func TestResolveRegion(t *testing.T) {
	home := t.TempDir()
	testenv.SetHome(t, home)
	os.MkdirAll(filepath.Join(home, ".aws"), 0o700)
	os.WriteFile(filepath.Join(home, ".aws", "config"), []byte("[default]\nregion = eu-west-1\n\n[profile tokyo]\nregion = ap-northeast-1\n"), 0o600)
	base := map[string]string{"HOME": home, "AWS_CONFIG_FILE": filepath.Join(home, ".aws", "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(home, ".aws", "credentials")}
	with := func(kv map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range kv {
			m[k] = v
		}
		return m
	}
	cases := []struct {
		name               string
		env                map[string]string
		region, sourceHint string
	}{
		{"AWS_REGION first", with(map[string]string{"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-west-2"}), "us-east-1", "AWS_REGION"},
		{"then AWS_DEFAULT_REGION", with(map[string]string{"AWS_DEFAULT_REGION": "us-west-2"}), "us-west-2", "AWS_DEFAULT_REGION"},
		{"spaces around a region are dropped", with(map[string]string{"AWS_REGION": "us-east-1 "}), "us-east-1", "AWS_REGION"},
		{"an empty AWS_REGION counts as unset (S14)", with(map[string]string{"AWS_REGION": "", "AWS_DEFAULT_REGION": "us-west-2"}), "us-west-2", "AWS_DEFAULT_REGION"},
		{"then the default profile", with(nil), "eu-west-1", "profile default"},
		{"then AWS_PROFILE's", with(map[string]string{"AWS_PROFILE": "tokyo"}), "ap-northeast-1", "profile tokyo"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, src, err := bedrock.ResolveRegion(context.Background(), env(tc.env))
			if err != nil || r != tc.region || !strings.Contains(src, tc.sourceHint) {
				t.Errorf("got %s from %q (%v)", r, src, err)
			}
		})
	}
	for _, bad := range []map[string]string{
		{"AWS_REGION": "US-EAST-1", "AWS_DEFAULT_REGION": "us-west-2"},
		{"AWS_REGION": "us east 1"},
		{"AWS_DEFAULT_REGION": "bedrock.us-east-1.amazonaws.com"},
	} {
		_, _, err := bedrock.ResolveRegion(context.Background(), env(with(bad)))
		var ce *bedrock.ConfigError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "is not an AWS region name") {
			t.Errorf("%v: a malformed region fell through to another: %v", bad, err)
		}
	}
	os.Remove(filepath.Join(home, ".aws", "config"))
	if _, _, err := bedrock.ResolveRegion(context.Background(), env(base)); !errors.Is(err, bedrock.ErrNoRegion) || !strings.Contains(err.Error(), "AWS_REGION") {
		t.Errorf("no region: %v", err)
	}
	r, src, err := bedrock.ResolveSmallFastRegion(env(map[string]string{"ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION": "us-west-2"}), "us-east-1", "AWS_REGION")
	if err != nil || r != "us-west-2" || src != "ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION" {
		t.Errorf("small/fast region %s %s %v", r, src, err)
	}
}

func TestChooseModels(t *testing.T) {
	cat := catalog.Default()
	cases := []struct {
		name       string
		env        map[string]string
		flags      bedrock.ModelFlags
		region     string
		id, family string
		long       bool
		sourceHint string
		smallFast  bool
	}{
		{name: "flag beats env", env: map[string]string{"ANTHROPIC_MODEL": "us.anthropic.claude-opus-4-1-20250805-v1:0"}, flags: bedrock.ModelFlags{Flag: sonnet45}, id: sonnet45, sourceHint: "--model"},
		{name: "env beats settings", env: map[string]string{"ANTHROPIC_MODEL": "us.anthropic.claude-opus-4-1-20250805-v1:0"}, flags: bedrock.ModelFlags{Setting: sonnet45, SettingSource: "x"}, id: "us.anthropic.claude-opus-4-1-20250805-v1:0", sourceHint: "ANTHROPIC_MODEL"},
		{name: "settings", flags: bedrock.ModelFlags{Setting: sonnet45, SettingSource: "/h/.claude/settings.json"}, id: sonnet45, sourceHint: "settings.json"},
		{name: "default is discovered sonnet", family: "sonnet", sourceHint: "default"},
		{name: "application profile ARN as given", env: map[string]string{"ANTHROPIC_MODEL": "arn:aws:bedrock:us-east-2:123456789012:application-inference-profile/abc123"}, id: "arn:aws:bedrock:us-east-2:123456789012:application-inference-profile/abc123"},
		{name: "[1m] suffix stripped", env: map[string]string{"ANTHROPIC_MODEL": "global.anthropic.claude-sonnet-4-6[1m]"}, id: "global.anthropic.claude-sonnet-4-6", long: true},
		{name: "alias pinned", env: map[string]string{"ANTHROPIC_MODEL": "opus", "ANTHROPIC_DEFAULT_OPUS_MODEL": "us.anthropic.claude-opus-4-5-20251101-v1:0"}, id: "us.anthropic.claude-opus-4-5-20251101-v1:0", sourceHint: "ANTHROPIC_DEFAULT_OPUS_MODEL"},
		{name: "alias unpinned is discovered", env: map[string]string{"ANTHROPIC_MODEL": "opus"}, family: "opus"},
		{name: "modelOverrides", flags: bedrock.ModelFlags{Flag: "claude-opus-4-6", Overrides: map[string]string{"claude-opus-4-6": "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/opus"}}, id: "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/opus", sourceHint: "modelOverrides"},
		{name: "Anthropic name mapped to the region's profile", flags: bedrock.ModelFlags{Flag: "claude-sonnet-4-5-20250929"}, region: "eu-central-1", id: "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{name: "small/fast pinned", smallFast: true, env: map[string]string{"ANTHROPIC_SMALL_FAST_MODEL": "us.anthropic.claude-3-5-haiku-20241022-v1:0"}, id: "us.anthropic.claude-3-5-haiku-20241022-v1:0", sourceHint: "ANTHROPIC_SMALL_FAST_MODEL"},
		{name: "small/fast haiku variable first", smallFast: true, env: map[string]string{"ANTHROPIC_SMALL_FAST_MODEL": "x.y", "ANTHROPIC_DEFAULT_HAIKU_MODEL": "us.anthropic.claude-haiku-4-5-20251001-v1:0"}, id: "us.anthropic.claude-haiku-4-5-20251001-v1:0"},
		{name: "small/fast default", smallFast: true, family: "haiku"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			region := tc.region
			if region == "" {
				region = "us-east-1"
			}
			var ch bedrock.Choice
			var err error
			if tc.smallFast {
				ch, err = bedrock.ChooseSmallFast(cat, env(tc.env), nil, region)
			} else {
				ch, err = bedrock.ChoosePrimary(cat, env(tc.env), tc.flags, region)
			}
			if err != nil {
				t.Fatal(err)
			}
			if ch.ID != tc.id || ch.Family != tc.family || ch.LongContext != tc.long || !strings.Contains(ch.Source, tc.sourceHint) {
				t.Errorf("choice = %+v", ch)
			}
		})
	}
	if _, err := bedrock.ChoosePrimary(cat, env(map[string]string{"ANTHROPIC_MODEL": "claude sonnet"}), bedrock.ModelFlags{}, "us-east-1"); err == nil || !strings.Contains(err.Error(), "ANTHROPIC_MODEL") {
		t.Errorf("a malformed model: %v", err)
	}
}
