package tui

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"ganban/internal/bedrock"
	"ganban/internal/sim"
)

// TestRefreshOutputStreamsIntoAPanel: expired credentials make ganban run awsAuthRefresh;
// what the command prints (an SSO address and code to enter) is on the screen while it still
// waits for the person, the status line says a refresh is under way, and once the command has
// renewed the credentials the answer comes and the output stays readable in the conversation
// (S8).
func TestRefreshOutputStreamsIntoAPanel(t *testing.T) {
	exp := time.Now().Add(30 * time.Minute).UTC().Format(time.RFC3339)
	keys := t.TempDir()
	authPath := filepath.Join(keys, "auth.json")
	write := func(path, content string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(authPath, fmt.Sprintf(`{"credentials": [{"access_key_id": "AKIDEXAMPLEOLD", "secret_access_key": %q, "session_token": "OLDEXAMPLE", "expires_at": %q}]}`, fakeSecret, exp))
	newAuth := filepath.Join(keys, "new-auth.json")
	write(newAuth, fmt.Sprintf(`{"credentials": [{"access_key_id": "AKIDEXAMPLENEW", "secret_access_key": %q, "session_token": "NEWEXAMPLE"}]}`, fakeSecret))
	approved := filepath.Join(keys, "approved")
	// The command prints what a person must do, then waits for them as an SSO login does.
	refresh := fmt.Sprintf(`printf 'Attempting to open your browser.\r\nOpen https://device.sso.us-east-1.amazonaws.com/\nand enter the code QWER-ASDF\n'; `+
		`while [ ! -e %s ]; do sleep 0.02; done; `+
		`printf '[default]\naws_access_key_id = AKIDEXAMPLENEW\naws_secret_access_key = %s\naws_session_token = NEWEXAMPLE\n' > {{home}}/.aws/credentials; `+
		`cp %s %s; touch -d '+3 seconds' %s; echo Successfully logged in.`,
		approved, fakeSecret, newAuth, authPath, authPath)
	lm := newLiveModel(t, liveConfig{
		fileCreds: true,
		simOpts:   func(o *sim.Options) { o.AuthFile = authPath },
		scenario:  `{"fallback_reply": {"content": [{"type": "text", "text": "Answered with the new credentials."}]}}`,
		homeFiles: map[string]string{
			".aws/credentials":      fmt.Sprintf("[default]\naws_access_key_id = AKIDEXAMPLEOLD\naws_secret_access_key = %s\naws_session_token = OLDEXAMPLE\n", fakeSecret),
			".claude/settings.json": fmt.Sprintf(`{"awsAuthRefresh": %q}`, refresh),
		},
	})
	resp, err := http.Post(lm.sim.URL+"/_sim/clock", "application/json", strings.NewReader(`{"advance": "2h"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	s := lm.submit("hello", "awsAuthRefresh output:", "and enter the code QWER-ASDF")
	if !strings.Contains(s, "  Open https://device.sso.us-east-1.amazonaws.com/") || strings.Contains(s, "\r") {
		t.Errorf("the panel does not show the command's lines:\n%s", s)
	}
	if !strings.Contains(lastLine(s), "refreshing AWS credentials (awsAuthRefresh)") {
		t.Errorf("the status line does not say a refresh is under way: %q", lastLine(s))
	}
	if strings.Contains(s, "Answered with the new credentials.") {
		t.Fatal("answered before the refresh was done")
	}
	write(approved, "")
	lm.waitFor("Answered with the new credentials.")
	lm.idle()
	s = lm.screen()
	if strings.Contains(s, "awsAuthRefresh output:") || strings.Contains(lastLine(s), "refreshing") {
		t.Errorf("the refresh panel stays after the answer:\n%s", s)
	}
	for _, want := range []string{"awsAuthRefresh output", "and enter the code QWER-ASDF", "Successfully logged in."} {
		if !strings.Contains(s, want) {
			t.Errorf("the conversation lacks the refresh output %q:\n%s", want, s)
		}
	}
	checkFits(t, s, lm.width, lm.height)
}

// TestRefreshPanelKeepsTheAddressWhole: an SSO address wider than the screen is wrapped in
// the panel, never cut, and blank lines do not take the panel's rows.
func TestRefreshPanelKeepsTheAddressWhole(t *testing.T) {
	tm := newTestModel(t, 80, 24)
	url := "https://device.sso.us-east-1.amazonaws.com/?user_code=QWER-ASDF&session=" + strings.Repeat("0123456789", 6)
	tm.send(noticeMsg{n: bedrock.Notice{Kind: bedrock.NoticeRefresh, Command: "aws sso login"}},
		refreshOutputMsg{text: "Open this address:\n\n\n\n\n\n\n" + url + "\n"})
	tm.running = true
	s := tm.screen()
	if !strings.Contains(s, "Open this address:") {
		t.Errorf("blank lines pushed the text out of the panel:\n%s", s)
	}
	if joined := strings.ReplaceAll(s, "\n  ", ""); !strings.Contains(joined, url) {
		t.Errorf("the address is not shown whole:\n%s", s)
	}
	checkFits(t, s, 80, 24)
}

// TestThrottlingShowsInTheStatusLine: while Bedrock throttles and the client waits to retry,
// the status line counts down; the answer clears it.
func TestThrottlingShowsInTheStatusLine(t *testing.T) {
	lm := newLiveModel(t, liveConfig{scenario: `{"conversations": [{"match_first_user_text": "hello", "steps": [
  {"faults": ["throttling"], "reply": {"content": [{"type": "text", "text": "Answered after the retry."}]}}]}]}`})
	lm.typeText("hello")
	lm.run(lm.key(keyMsg("enter")))
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(lastLine(lm.screen()), "retrying") {
		if strings.Contains(lm.screen(), "Answered after the retry.") || time.Now().After(deadline) {
			t.Fatalf("the status line never said it was retrying:\n%s", lm.screen())
		}
		lm.drain(5 * time.Millisecond)
	}
	if got := lastLine(lm.screen()); !regexp.MustCompile(`^throttled, retrying (in \d+s )?\(1/\d+\) · Claude Sonnet 4.5`).MatchString(got) {
		t.Errorf("status line while throttled = %q", got)
	}
	lm.waitFor("Answered after the retry.")
	lm.idle()
	if got := lastLine(lm.screen()); strings.Contains(got, "retrying") {
		t.Errorf("the retry stays on the status line after the answer: %q", got)
	}
}
