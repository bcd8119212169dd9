package e2e

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ganban/internal/sim"
)

const editArgs = "rename old to renamed in main.go"

func printJSON(w *world, extra ...string) run {
	return w.ganban(append([]string{"-p", editArgs, "--output-format", "json", "--allowedTools", "Edit"}, extra...)...)
}

// TestCredentialPaths runs one edit session per credential source of the setup guide (S5)
// against the simulator in strict mode.
func TestCredentialPaths(t *testing.T) {
	cases := []struct {
		name  string
		tls   bool
		auth  string
		setup func(w *world)
		auth2 string
	}{
		{name: "environment keys (S5-B)", auth: strictAuth(""), setup: func(w *world) { w.keys() }},
		{name: "shared credentials with AWS_PROFILE (S5-A)", auth: strictAuth(""), setup: func(w *world) {
			w.write(filepath.Join(w.Home, ".aws", "credentials"), fmt.Sprintf("[work]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n", akid, secret, token))
			w.env["AWS_PROFILE"] = "work"
		}},
		{name: "SSO profile (S5-C)", auth: strictAuth(`, "sso": [{"access_token": "ssoEXAMPLEtoken", "account_id": "123456789012", "role_name": "dev", "credentials_ttl_seconds": 3600}]`), setup: func(w *world) {
			start := "https://example.awsapps.com/start"
			w.write(filepath.Join(w.Home, ".aws", "config"), fmt.Sprintf("[profile dev]\nsso_start_url = %s\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = dev\nregion = us-east-1\n", start))
			sum := sha1.Sum([]byte(start))
			w.write(filepath.Join(w.Home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json"),
				fmt.Sprintf(`{"accessToken": "ssoEXAMPLEtoken", "expiresAt": %q, "region": "us-east-1", "startUrl": %q}`, time.Now().Add(time.Hour).UTC().Format(time.RFC3339), start))
			w.env["AWS_PROFILE"] = "dev"
		}},
		{name: "Bedrock API key over TLS (S5-D)", tls: true, auth: strictAuth(""), setup: func(w *world) { w.env["AWS_BEARER_TOKEN_BEDROCK"] = apiKey }},
		{name: "Bedrock API key to a loopback gateway", auth: strictAuth(""), setup: func(w *world) { w.env["AWS_BEARER_TOKEN_BEDROCK"] = apiKey }},
		{name: "awsCredentialExport, guide shape (S9)", auth: strictAuth(""), setup: func(w *world) {
			w.write(filepath.Join(w.Home, ".claude", "settings.json"), fmt.Sprintf(`{"awsCredentialExport": "echo '{\"Credentials\": {\"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\", \"SessionToken\": \"%s\"}}'"}`, akid, secret, token))
		}},
		{name: "awsCredentialExport, export-credentials shape", auth: strictAuth(""), setup: func(w *world) {
			w.write(filepath.Join(w.Home, ".claude", "settings.json"), fmt.Sprintf(`{"awsCredentialExport": "echo '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\", \"SessionToken\": \"%s\", \"Expiration\": \"%s\"}'"}`,
				akid, secret, token, time.Now().Add(time.Hour).UTC().Format(time.RFC3339)))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, worldOpts{auth: tc.auth, scenario: editScenario, tls: tc.tls})
			w.mainGo()
			tc.setup(w)
			r := printJSON(w)
			defer w.dumpOnFailure(r)
			w.checkRenamed(r)
			res := r.JSON(t)
			if res["subtype"] != "success" || res["result"] != "Renamed old to renamed." {
				t.Errorf("result = %v", res)
			}
			for _, secretish := range []string{secret, token, apiKey} {
				if strings.Contains(r.Stdout+r.Stderr, secretish) {
					t.Errorf("output shows a secret")
				}
			}
		})
	}
}

// TestRefreshRecoversExpiredCredentials: credentials expire between two requests of one run
// (a tool call advances the simulator's clock); ganban runs awsAuthRefresh once, which
// installs new credentials, and the run completes without losing the turn (S6-S8).
func TestRefreshRecoversExpiredCredentials(t *testing.T) {
	exp := time.Now().Add(30 * time.Minute).UTC().Format(time.RFC3339)
	auth := fmt.Sprintf(`{"credentials": [{"access_key_id": "AKIDEXAMPLEOLD", "secret_access_key": %q, "session_token": "OLDEXAMPLE", "expires_at": %q}]}`, secret, exp)
	scenario := `{"conversations": [{"match_first_user_text": "advance", "steps": [
	  {"reply": {"content": [{"type": "tool_use", "name": "Bash", "input": {"command": "curl -s -X POST $ANTHROPIC_BEDROCK_BASE_URL/_sim/clock -d '{\"advance\": \"2h\"}' > /dev/null && echo advanced", "description": "Advance the clock"}}]}},
	  {"expect": {"last_tool_result_contains": "advanced"}, "reply": {"content": [{"type": "text", "text": "Still here."}]}}]}],
	 "fallback_reply": {"content": [{"type": "text", "text": "Title"}]}}`
	authPath := filepath.Join(t.TempDir(), "auth.json")
	if err := os.WriteFile(authPath, []byte(auth), 0o644); err != nil {
		t.Fatal(err)
	}
	w := newWorld(t, worldOpts{scenario: scenario, simOpts: func(o *sim.Options) { o.AuthFile = authPath }})
	w.write(filepath.Join(w.Home, ".aws", "credentials"), fmt.Sprintf("[default]\naws_access_key_id = AKIDEXAMPLEOLD\naws_secret_access_key = %s\naws_session_token = OLDEXAMPLE\n", secret))
	counter := filepath.Join(t.TempDir(), "refreshes")
	newAuth := w.write(filepath.Join(t.TempDir(), "new-auth.json"), fmt.Sprintf(`{"credentials": [{"access_key_id": "AKIDEXAMPLENEW", "secret_access_key": %q, "session_token": "NEWEXAMPLE"}]}`, secret))
	refresh := fmt.Sprintf(`echo refreshing credentials; echo run >> %s; printf '[default]\naws_access_key_id = AKIDEXAMPLENEW\naws_secret_access_key = %s\naws_session_token = NEWEXAMPLE\n' > %s; cp %s %s; touch -d '+3 seconds' %s`,
		counter, secret, filepath.Join(w.Home, ".aws", "credentials"), newAuth, authPath, authPath)
	settings, _ := jsonString(refresh)
	w.write(filepath.Join(w.Home, ".claude", "settings.json"), `{"awsAuthRefresh": `+settings+`}`)
	r := w.ganban("-p", "advance the clock", "--output-format", "stream-json", "--allowedTools", "Bash")
	defer w.dumpOnFailure(r)
	res := r.JSON(t)
	if r.Code != 0 || res["result"] != "Still here." {
		t.Fatalf("result = %v", res)
	}
	// stream-json also carries the refresh as system events: the notice, then the command's
	// output.
	var events []string
	for _, line := range strings.Split(strings.TrimSpace(r.Stdout), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("stdout line is not JSON: %s", line)
		}
		if st := fmt.Sprint(ev["subtype"]); ev["type"] == "system" && st != "init" {
			events = append(events, st+": "+fmt.Sprint(ev["message"]))
			if ev["session_id"] != res["session_id"] || len(fmt.Sprint(ev["uuid"])) != 36 {
				t.Errorf("event %v", ev)
			}
		}
	}
	if len(events) < 2 || !strings.HasPrefix(events[0], "credential_refresh: ") || !strings.Contains(events[0], "awsAuthRefresh") ||
		!strings.HasPrefix(events[1], "auth_refresh_output: refreshing credentials") {
		t.Errorf("system events: %q", events)
	}
	runs, _ := os.ReadFile(counter)
	if n := strings.Count(string(runs), "run"); n != 1 {
		t.Errorf("awsAuthRefresh ran %d times, want exactly 1", n)
	}
	if !strings.Contains(r.Stderr, "refreshing credentials") || !strings.Contains(r.Stderr, "awsAuthRefresh") {
		t.Errorf("refresh output not shown (S8):\n%s", r.Stderr)
	}
	if rep := w.Sim.Report(); rep.StepsServed < 2 || rep.Errors["ExpiredTokenException"] != 1 {
		t.Errorf("report: steps %d errors %v", rep.StepsServed, rep.Errors)
	}
}
