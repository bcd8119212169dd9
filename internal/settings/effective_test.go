package settings

import (
	"encoding/json"
	"strings"
	"testing"
)

// Obviously fake secrets: nothing here is, or looks like, a real credential.
const (
	fakeSecretKey    = "fakeSecretKeyForTestsOnly0001"
	fakeSessionToken = "fakeSessionTokenForTestsOnly0002"
	fakeBedrockKey   = "ABSKZmFrZUJlZHJvY2tLZXlGb3JUZXN0cw"
	fakeShellToken   = "fakeShellTokenForTestsOnly0003"
	fakeRuleToken    = "fakeRuleTokenForTestsOnly0004"
)

func TestEffective(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.environ = append(f.environ, "AWS_SESSION_TOKEN="+fakeShellToken, "AWS_PROFILE=shell")
	f.write(f.path(ScopeUser), `{
		"env": {"AWS_PROFILE": "dev", "AWS_SECRET_ACCESS_KEY": "`+fakeSecretKey+`", "AWS_REGION": "eu-west-1"},
		"awsAuthRefresh": "aws sso login --profile dev",
		"awsCredentialExport": "printf '{\"SessionToken\":\"`+fakeSessionToken+`\"}'",
		"model": "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
		"modelOverrides": {"claude-opus-4-7": "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc"},
		"permissions": {"defaultMode": "acceptEdits", "allow": ["Bash(curl -H 'Authorization: Bearer `+fakeRuleToken+`' x)"], "additionalDirectories": ["../lib"]}
	}`)
	f.write(f.path(ScopeProject), `{
		"env": {"AWS_BEARER_TOKEN_BEDROCK": "`+fakeBedrockKey+`", "AWS_PROFILE": ""},
		"awsAuthRefresh": "refresh --token `+fakeShellToken+`",
		"permissions": {"deny": ["WebFetch"]}
	}`)
	s := f.load()

	var plain, masked strings.Builder
	if err := Render(s.Effective(false), &plain); err != nil {
		t.Fatal(err)
	}
	if err := Render(s.Effective(true), &masked); err != nil {
		t.Fatal(err)
	}
	secrets := []string{fakeSecretKey, fakeSessionToken, fakeBedrockKey, fakeShellToken, fakeRuleToken}
	for _, secret := range secrets {
		if !strings.Contains(plain.String(), secret) {
			t.Errorf("unredacted output lacks %s:\n%s", secret, plain.String())
		}
		if strings.Contains(masked.String(), secret) {
			t.Errorf("redacted output shows %s:\n%s", secret, masked.String())
		}
	}
	for _, keep := range []string{"eu-west-1", "refresh --token", "claude-opus-4-7", "WebFetch", "../lib", "acceptEdits", "[REDACTED]"} {
		if !strings.Contains(masked.String(), keep) {
			t.Errorf("redacted output lacks %q:\n%s", keep, masked.String())
		}
	}

	// Every key appears, in a stable order, with its source; a neutralised variable shows as "".
	user, project := f.path(ScopeUser), f.path(ScopeProject)
	wantLines := []string{
		"KEY VALUE SOURCE",
		`env.AWS_BEARER_TOKEN_BEDROCK [REDACTED] project ` + project,
		`env.AWS_PROFILE "" project ` + project,
		`env.AWS_REGION eu-west-1 user ` + user,
		`env.AWS_SECRET_ACCESS_KEY [REDACTED] user ` + user,
		`awsAuthRefresh refresh --token [REDACTED] project ` + project,
		`awsCredentialExport printf '{"SessionToken":"[REDACTED]"}' user ` + user,
		`model us.anthropic.claude-sonnet-4-5-20250929-v1:0 user ` + user,
		`modelOverrides.claude-opus-4-7 arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc user ` + user,
		`permissions.defaultMode acceptEdits user ` + user,
		`permissions.allow Bash(curl -H 'Authorization: Bearer [REDACTED]' x) user ` + user,
		`permissions.deny WebFetch project ` + project,
		`permissions.additionalDirectories ../lib user ` + user,
	}
	gotLines := strings.Split(strings.TrimRight(masked.String(), "\n"), "\n")
	if len(gotLines) != len(wantLines) {
		t.Fatalf("got %d lines, want %d:\n%s", len(gotLines), len(wantLines), masked.String())
	}
	for i, line := range gotLines {
		if got := strings.Join(strings.Fields(line), " "); got != wantLines[i] {
			t.Errorf("line %d = %q\nwant %q", i, got, wantLines[i])
		}
	}
	// Columns are aligned: every SOURCE starts at the same place.
	col := strings.Index(gotLines[0], "SOURCE")
	for _, line := range gotLines[1:] {
		if !strings.HasPrefix(line[col:], "user ") && !strings.HasPrefix(line[col:], "project ") {
			t.Errorf("misaligned: %q", line)
		}
	}
}

func TestEntryJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(Entry{Key: "model", Value: "m", Source: Source{Scope: ScopeUser, Path: "/h/.claude/settings.json"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"key":"model","value":"m","source":{"scope":"user","path":"/h/.claude/settings.json"}}`; string(b) != want {
		t.Errorf("json = %s\nwant %s", b, want)
	}
	b, _ = json.Marshal(Entry{Key: "env.X", Source: Source{Scope: ScopeEnvironment}})
	if want := `{"key":"env.X","value":"","source":{"scope":"environment"}}`; string(b) != want {
		t.Errorf("json = %s\nwant %s", b, want)
	}
}

func TestRenderQuotesAwkwardValues(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	if err := Render([]Entry{{Key: "env.A", Value: "two\nlines\tand tab", Source: Source{Scope: ScopeUser, Path: "/u"}}}, &b); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(b.String(), "\n"); lines != 2 || !strings.Contains(b.String(), `"two\nlines\tand tab"`) {
		t.Errorf("Render = %q", b.String())
	}
}
