package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestSlashCommandOutput runs the built-in commands in a real session and checks what each
// one says.
func TestSlashCommandOutput(t *testing.T) {
	lm := newLiveModel(t, liveConfig{scenario: `{"fallback_reply": {"content": [{"type": "text", "text": "I will write CLAUDE.md."}]}}`})
	tests := []struct {
		line string
		want []string
	}{
		{"/status", []string{"Provider", "Amazon Bedrock", "Region", "us-east-1 (from AWS_REGION)", "Credentials",
			"EnvConfigCredentials, key AKIDEXAMPLE, does not expire", "Permission mode    default", "Settings files:", "settings.local.json"}},
		// S13: there is no account to log in to; the answer says where credentials come from
		// and which are in use.
		{"/login", []string{"Login is disabled", "which authenticates with your AWS", "AWS_PROFILE", "awsAuthRefresh renews them",
			"In use now: EnvConfigCredentials"}},
		{"/logout", []string{"Login is disabled", "In use now: EnvConfigCredentials"}},
		{"/doctor", []string{"Region", "us-east-1", "Credentials"}},
		{"/permissions", []string{"Mode  default", "/permissions add allow RULE"}},
		{"/permissions add allow Bash(go test:*)", []string{"Added Bash(go test:*) to permissions.allow"}},
		{"/permissions", []string{"allow  Bash(go test:*)", ".claude/settings.local.json"}},
		{"/permissions remove allow Bash(go test:*)", []string{"Removed Bash(go test:*) from permissions.allow"}},
		{"/permissions frob", []string{"/permissions add allow RULE"}},
		{"/config", []string{"No settings files set anything"}},
		{"/cost", []string{"Input tokens", "Session total", "$0.0000"}},
		{"/context", []string{"of 200k tokens", "Tool definitions", "No answer yet"}},
		{"/init", []string{"> /init", "I will write CLAUDE.md."}},
	}
	for _, tt := range tests {
		lm.submit(tt.line, tt.want...)
		lm.idle()
		if tt.line == "/init" {
			if got := lm.sim.Report().Requests; got == 0 {
				t.Error("/init sent nothing to the model")
			}
		}
		checkFits(t, lm.screen(), lm.width, lm.height)
	}
	lm.submit("/exit")
	if !lm.quitting {
		t.Error("/exit did not end the program")
	}
}

// TestStatusShowsCredentialExpiry: /status says when credentials that expire run out.
func TestStatusShowsCredentialExpiry(t *testing.T) {
	exp := time.Now().Add(90 * time.Minute).UTC().Format(time.RFC3339)
	process := fmt.Sprintf(`echo '{"Version": 1, "AccessKeyId": "AKIDEXAMPLE", "SecretAccessKey": "%s", "SessionToken": "TOKENEXAMPLE", "Expiration": "%s"}'`, fakeSecret, exp)
	lm := newLiveModel(t, liveConfig{fileCreds: true, homeFiles: map[string]string{
		".aws/config": "[default]\ncredential_process = sh -c \"" + strings.ReplaceAll(process, `"`, `\"`) + "\"\n"}})
	s := lm.submit("/status", "Credentials", "expires")
	if !regexp.MustCompile(`expires \d{4}-\d\d-\d\d \d\d:\d\d \(in 1h\d+m\)`).MatchString(s) {
		t.Errorf("/status does not say when the credentials expire:\n%s", s)
	}
	if strings.Contains(s, fakeSecret) || strings.Contains(s, "TOKENEXAMPLE") {
		t.Error("/status shows a secret")
	}
}

func TestExpiresIn(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		85*time.Minute + 10*time.Second: "in 1h25m",
		45 * time.Minute:                "in 45m",
		2 * time.Hour:                   "in 2h0m",
		20 * time.Second:                "in less than a minute",
		-3 * time.Minute:                "expired",
	} {
		if got := expiresIn(d); got != want {
			t.Errorf("expiresIn(%s) = %q, want %q", d, got, want)
		}
	}
}

// TestModelPickerSwitches: /model lists the region's models with the ones that do not answer
// marked; choosing one reopens the session with it, and the conversation goes on.
func TestModelPickerSwitches(t *testing.T) {
	lm := newLiveModel(t, liveConfig{scenario: renameScenario})
	lm.rename()
	lm.typeText("/model")
	lm.run(lm.key(keyMsg("enter")))
	s := lm.waitFor("Model", "enter select")
	if lm.picker == nil || len(lm.picker.items) < 2 {
		t.Fatalf("/model shows no list to pick from:\n%s", s)
	}
	lm.typeText(simModel)
	if s := lm.screen(); !strings.Contains(s, simModel+"  Claude Sonnet 4.5 · current") {
		t.Errorf("the current model is not marked:\n%s", s)
	}
	lm.picker.filter = ""
	lm.typeText("us.anthropic.claude-haiku-4-5")
	items := lm.picker.visible()
	if len(items) == 0 || items[0].disabled {
		t.Fatalf("no invokable Haiku 4.5 to pick: %+v", items)
	}
	want := items[0].value
	lm.run(lm.key(keyMsg("enter")))
	lm.idle()
	s = lm.waitFor("Model: ")
	if lm.info.ModelID != want {
		t.Errorf("the session runs %s, want %s", lm.info.ModelID, want)
	}
	if !strings.Contains(lastLine(s), "Haiku 4.5") || !strings.Contains(s, "Renamed the function.") {
		t.Errorf("after the switch the status line or the conversation is wrong:\n%s", s)
	}
}

// TestCustomCommandsFromBothDirectories: commands in the project's .claude/commands and in
// ~/.claude/commands are listed by /help and send their text with $ARGUMENTS filled in.
func TestCustomCommandsFromBothDirectories(t *testing.T) {
	lm := newLiveModel(t, liveConfig{
		scenario: `{"conversations": [
  {"match_first_user_text": "Review the change to billing", "steps": [{"reply": {"content": [{"type": "text", "text": "Reviewed billing."}]}}]},
  {"match_first_user_text": "Explain cart.Total", "steps": [{"reply": {"content": [{"type": "text", "text": "Explained cart.Total."}]}}]}],
 "fallback_reply": {"content": [{"type": "text", "text": "unexpected request"}]}}`,
		dirFiles:  map[string]string{".claude/commands/review.md": "---\ndescription: Review a change\nargument-hint: AREA\n---\nReview the change to $ARGUMENTS carefully."},
		homeFiles: map[string]string{".claude/commands/tools/explain.md": "Explain $ARGUMENTS in two sentences."},
	})
	lm.submit("/help", "Commands")
	lm.keys("pgdown")
	lm.waitFor("Custom commands", "/review AREA", "Review a change (project)", "/tools:explain")
	lm.submit("/review billing", "Reviewed billing.")
	lm.idle()
	lm.run(lm.slash("/clear"))
	lm.idle()
	lm.submit("/tools:explain cart.Total", "Explained cart.Total.")
}
