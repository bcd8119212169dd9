package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"ganban/internal/awsauth"
	"ganban/internal/sim"
)

func TestNoRegionSaysWhatToSet(t *testing.T) {
	w := newWorld(t, worldOpts{})
	w.keys()
	delete(w.env, "AWS_REGION")
	r := w.ganban("-p", "hi")
	if r.Code != 1 || !strings.Contains(r.Stderr, "AWS_REGION") || !strings.Contains(r.Stderr, "S11") {
		t.Errorf("exit %d stderr %s", r.Code, r.Stderr)
	}
}

func TestSettingsEnvBlockOverridesTheShell(t *testing.T) {
	w := newWorld(t, worldOpts{})
	w.keys()
	w.env["AWS_REGION"] = "eu-west-1"
	w.env["ANTHROPIC_MODEL"] = "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"
	// The user file says us-east-1 and a us model; the project file overrides the model; an
	// empty value in the local file neutralises a shell export.
	w.write(filepath.Join(w.Home, ".claude", "settings.json"), `{"env": {"AWS_REGION": "us-east-1", "ANTHROPIC_MODEL": "us.anthropic.claude-haiku-4-5-20251001-v1:0"}}`)
	w.write(filepath.Join(w.Repo, ".claude", "settings.json"), `{"env": {"ANTHROPIC_MODEL": "`+sonnet45+`"}}`)
	w.env["ANTHROPIC_SMALL_FAST_MODEL"] = "bogus"
	w.write(filepath.Join(w.Repo, ".claude", "settings.local.json"), `{"env": {"ANTHROPIC_SMALL_FAST_MODEL": ""}}`)
	r := w.ganban("-p", "hi", "--output-format", "json")
	defer w.dumpOnFailure(r)
	if r.Code != 0 {
		t.Fatalf("exit %d", r.Code)
	}
	var sawMain bool
	for _, l := range w.logLines() {
		if l["operation"] == "InvokeModelWithResponseStream" {
			sawMain = true
			if l["region"] != "us-east-1" || l["model"] != sonnet45 {
				t.Errorf("main request went to %v %v", l["region"], l["model"])
			}
		}
	}
	if !sawMain {
		t.Error("no streamed request")
	}
	cfg := w.ganban("config", "--json")
	var entries []map[string]any
	json.Unmarshal([]byte(cfg.Stdout), &entries)
	found := false
	for _, e := range entries {
		if e["key"] == "env.ANTHROPIC_MODEL" && e["value"] == sonnet45 && strings.Contains(e["source"].(map[string]any)["path"].(string), ".claude/settings.json") {
			found = true
		}
	}
	if !found {
		t.Errorf("ganban config --json: %s", cfg.Stdout)
	}
}

func TestSmallFastModelUsesItsOwnRegion(t *testing.T) {
	w := newWorld(t, worldOpts{auth: strictAuth(""), scenario: editScenario})
	w.keys()
	w.mainGo()
	w.env["ANTHROPIC_MODEL"] = sonnet45
	w.env["ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION"] = "us-west-2"
	w.env["ANTHROPIC_DEFAULT_HAIKU_MODEL"] = haiku45
	r := printJSON(w)
	defer w.dumpOnFailure(r)
	w.checkRenamed(r)
	titled := false
	for _, l := range w.logLines() {
		if l["model"] == haiku45 && l["operation"] == "InvokeModel" {
			titled = true
			if l["region"] != "us-west-2" {
				t.Errorf("small/fast request signed for %v, want us-west-2", l["region"])
			}
		}
		if l["model"] == sonnet45 && l["region"] != "us-east-1" {
			t.Errorf("main request in %v", l["region"])
		}
	}
	if !titled {
		t.Error("no small/fast request (session title) was made")
	}
}

func TestOnDemandErrorNamesTheProfile(t *testing.T) {
	w := newWorld(t, worldOpts{})
	w.keys()
	w.env["ANTHROPIC_MODEL"] = "anthropic.claude-sonnet-4-5-20250929-v1:0"
	r := w.ganban("-p", "hi")
	if r.Code != 1 || !strings.Contains(r.Stderr, "on-demand throughput") || !strings.Contains(r.Stderr, "ANTHROPIC_MODEL="+sonnet45) || !strings.Contains(r.Stderr, "S26") {
		t.Errorf("exit %d stderr:\n%s", r.Code, r.Stderr)
	}
}

func TestThrottlingIsRetriedVisibly(t *testing.T) {
	w := newWorld(t, worldOpts{scenario: `{"conversations": [{"match_first_user_text": "go", "steps": [
	  {"faults": ["throttling", "stream_cut:3"], "reply": {"content": [{"type": "text", "text": "made it"}]}}]}]}`})
	w.keys()
	w.env["ANTHROPIC_MODEL"] = sonnet45
	r := w.ganban("-p", "go")
	defer w.dumpOnFailure(r)
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != "made it" {
		t.Fatalf("exit %d stdout %q", r.Code, r.Stdout)
	}
	if !strings.Contains(r.Stderr, "throttled, retrying in") || !strings.Contains(r.Stderr, "broken stream, retrying in") {
		t.Errorf("stderr:\n%s", r.Stderr)
	}
	// In stream-json the retries are also system events, between init and the answer, and
	// stdout holds nothing else.
	w.Sim.Reset()
	r = w.ganban("-p", "go", "--output-format", "stream-json")
	var retries []map[string]any
	var kinds []string
	for _, line := range strings.Split(strings.TrimSpace(r.Stdout), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("stdout line is not JSON: %s", line)
		}
		kinds = append(kinds, fmt.Sprint(ev["type"], "/", ev["subtype"]))
		if ev["subtype"] == "api_retry" {
			retries = append(retries, ev)
		}
	}
	if strings.Join(kinds, ",") != "system/init,system/api_retry,system/api_retry,assistant/<nil>,result/success" {
		t.Errorf("events: %v", kinds)
	}
	for i, want := range []string{"throttled, retrying in", "broken stream, retrying in"} {
		if i >= len(retries) {
			break
		}
		ev := retries[i]
		if msg, _ := ev["message"].(string); !strings.Contains(msg, want) || len(fmt.Sprint(ev["session_id"])) != 36 || len(fmt.Sprint(ev["uuid"])) != 36 || len(ev) != 5 {
			t.Errorf("retry event %d: %v", i, ev)
		}
	}
}

func TestNoSecretInAnyOutputLogOrTranscript(t *testing.T) {
	w := newWorld(t, worldOpts{auth: strictAuth(""), scenario: `{"conversations": [{"match_first_user_text": "env", "steps": [
	  {"reply": {"content": [{"type": "tool_use", "name": "Bash", "input": {"command": "env | grep AWS_", "description": "show env"}}]}},
	  {"reply": {"content": [{"type": "text", "text": "done"}]}}]}]}`})
	w.keys()
	w.env["ANTHROPIC_MODEL"] = sonnet45
	r := w.ganban("-p", "print env", "--output-format", "stream-json", "--verbose", "--allowedTools", "Bash")
	defer w.dumpOnFailure(r)
	if r.Code != 0 {
		t.Fatalf("exit %d", r.Code)
	}
	var transcripts []byte
	filepath.Walk(filepath.Join(w.Home, ".ganban"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".jsonl") {
			b, _ := os.ReadFile(p)
			transcripts = append(transcripts, b...)
		}
		return nil
	})
	if len(transcripts) == 0 {
		t.Fatal("no transcript written")
	}
	log, _ := os.ReadFile(w.Log)
	for name, text := range map[string]string{"stdout": r.Stdout, "stderr": r.Stderr, "transcript": string(transcripts), "sim log": string(log)} {
		for _, s := range []string{secret, token} {
			if strings.Contains(text, s) {
				t.Errorf("%s contains a secret", name)
			}
		}
	}
	if !strings.Contains(string(transcripts), "AWS_ACCESS_KEY_ID=AKIDEXAMPLE") {
		t.Error("the tool ran without the environment, or the transcript lost the key ID")
	}
}

func TestDoctorTellsClockSkewAndRefusedCredentialsApart(t *testing.T) {
	for _, tt := range []struct {
		name  string
		auth  string
		skew  time.Duration
		wants []string
	}{
		{"clock 10 minutes behind AWS", strictAuth(""), 10 * time.Minute, []string{"✗ Clock: this machine's clock is about 10m0s behind", "✗ Identity: STS GetCallerIdentity refused the request", "timedatectl"}},
		{"expired credentials", `{"credentials": [{"access_key_id": "AKIDEXAMPLE", "secret_access_key": "` + secret + `", "session_token": "` + token + `", "expires_at": "2020-01-01T00:00:00Z"}]}`, 0,
			[]string{"✗ Identity: STS GetCallerIdentity refused the request", "ExpiredToken", "aws sso login"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, worldOpts{auth: tt.auth, simOpts: func(o *sim.Options) {
				o.Clock = func() time.Time { return time.Now().Add(tt.skew) }
			}})
			w.keys()
			r := w.ganban("doctor")
			defer w.dumpOnFailure(r)
			for _, want := range tt.wants {
				if !strings.Contains(r.Stdout, want) {
					t.Errorf("doctor lacks %q", want)
				}
			}
			if r.Code == 0 {
				t.Error("doctor exit 0")
			}
		})
	}
}

func TestInlineExportCommandIsShownWithoutItsSecrets(t *testing.T) {
	inline := fmt.Sprintf(`echo '{\"Credentials\": {\"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"%s\", \"SessionToken\": \"%s\"}}'`, akid, secret, token)
	for _, tt := range []struct {
		name    string
		command string
		args    []string
	}{
		{"doctor names the command", inline, []string{"doctor"}},
		{"config shows the settings", inline, []string{"config"}},
		{"a failing command is named in the error", inline + "; exit 3", []string{"-p", "hi"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, worldOpts{auth: strictAuth("")})
			w.env["AWS_REGION"] = "us-east-1"
			w.env["ANTHROPIC_MODEL"] = sonnet45
			w.write(filepath.Join(w.Home, ".claude", "settings.json"), fmt.Sprintf(`{"awsCredentialExport": %q}`, tt.command))
			r := w.ganban(tt.args...)
			defer w.dumpOnFailure(r)
			out := r.Stdout + r.Stderr
			if !strings.Contains(out, "awsCredentialExport") {
				t.Errorf("the command is not named:\n%s", out)
			}
			for _, s := range []string{secret, token} {
				if strings.Contains(out, s) {
					t.Errorf("output shows a secret:\n%s", out)
				}
			}
		})
	}
}

func TestDoctorModelsAndIAMPolicy(t *testing.T) {
	policy := func() string {
		w := newWorld(t, worldOpts{})
		return w.ganban("iam-policy").Stdout
	}()
	auth := `{"credentials": [{"access_key_id": "AKIDEXAMPLE", "secret_access_key": "` + secret + `", "session_token": "` + token + `", "iam_policy": ` + policy + `}],
	  "model_access": ["*sonnet-4-5*", "*haiku-4-5*"]}`
	w := newWorld(t, worldOpts{auth: auth})
	w.keys()
	doc := w.ganban("doctor")
	defer w.dumpOnFailure(doc)
	for _, want := range []string{"✓ Region: us-east-1 (from AWS_REGION)", "✓ Credentials: EnvConfigCredentials, key AKIDEXAMPLE", "✓ Identity: arn:aws:iam::123456789012:user/sim",
		"✓ ListInferenceProfiles", "✓ Clock", "✓ Primary model: " + sonnet45, "✓ Small/fast model: " + haiku45, "✓ Prompt caching: accepted", "✓ Output tokens: 4096"} {
		if !strings.Contains(doc.Stdout, want) {
			t.Errorf("doctor lacks %q", want)
		}
	}
	if doc.Code != 0 {
		t.Errorf("doctor exit %d", doc.Code)
	}
	models := w.ganban("models", "--json")
	var m struct {
		Region   string
		Profiles []struct {
			ID, Configured string
			Invokable      bool
		}
	}
	json.Unmarshal([]byte(models.Stdout), &m)
	inv := map[string]bool{}
	for _, p := range m.Profiles {
		inv[p.ID] = p.Invokable
		if p.ID == sonnet45 && p.Configured != "primary" {
			t.Errorf("sonnet 4.5 not marked primary: %+v", p)
		}
	}
	if !inv[sonnet45] || inv["us.anthropic.claude-opus-4-5-20251101-v1:0"] || len(m.Profiles) < 10 {
		t.Errorf("models: %s", models.Stdout)
	}
	narrow := w.ganban("iam-policy", "--restrict")
	if narrow.Code != 0 || !strings.Contains(narrow.Stdout, "inference-profile/"+sonnet45) || strings.Contains(narrow.Stdout, "inference-profile/*\"") && strings.Contains(narrow.Stdout, "AllowModelAndInferenceProfileAccess") {
		t.Errorf("iam-policy --restrict:\n%s\n%s", narrow.Stdout, narrow.Stderr)
	}
	// The restricted policy, enforced by the simulator, still lets the session work.
	w2 := newWorld(t, worldOpts{auth: `{"credentials": [{"access_key_id": "AKIDEXAMPLE", "secret_access_key": "` + secret + `", "session_token": "` + token + `", "iam_policy": ` + narrow.Stdout + `}]}`})
	w2.keys()
	w2.env["ANTHROPIC_MODEL"], w2.env["ANTHROPIC_DEFAULT_HAIKU_MODEL"] = sonnet45, haiku45
	if r := w2.ganban("-p", "hi"); r.Code != 0 {
		t.Errorf("session under the restricted policy: %s", r.Stderr)
	}
}

func TestRestrictedPolicyCoversTheSmallFastModelInItsOwnRegion(t *testing.T) {
	setup := func(w *world) {
		w.keys()
		w.env["ANTHROPIC_MODEL"], w.env["ANTHROPIC_DEFAULT_HAIKU_MODEL"] = sonnet45, haiku45
		w.env["ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION"] = "us-west-2"
	}
	w := newWorld(t, worldOpts{})
	setup(w)
	narrow := w.ganban("iam-policy", "--restrict")
	defer w.dumpOnFailure(narrow)
	if narrow.Code != 0 || !strings.Contains(narrow.Stdout, "arn:aws:bedrock:us-west-2:") {
		t.Fatalf("iam-policy --restrict names nothing in us-west-2:\n%s", narrow.Stdout)
	}
	w2 := newWorld(t, worldOpts{auth: `{"credentials": [{"access_key_id": "AKIDEXAMPLE", "secret_access_key": "` + secret + `", "session_token": "` + token + `", "iam_policy": ` + narrow.Stdout + `}]}`})
	setup(w2)
	doc := w2.ganban("doctor")
	defer w2.dumpOnFailure(doc)
	for _, want := range []string{"✓ Primary model: " + sonnet45, "✓ Small/fast model: " + haiku45 + " in us-west-2"} {
		if !strings.Contains(doc.Stdout, want) {
			t.Errorf("under the restricted policy, doctor lacks %q", want)
		}
	}
}

// TestModelsAndPolicyTakeTheSessionFlags: models and iam-policy see the configuration a
// session started with the same --settings and --model would use.
func TestModelsAndPolicyTakeTheSessionFlags(t *testing.T) {
	w := newWorld(t, worldOpts{})
	w.keys()
	w.env["ANTHROPIC_DEFAULT_HAIKU_MODEL"] = haiku45
	extra := filepath.Join(t.TempDir(), "ci.json")
	if err := os.WriteFile(extra, []byte(`{"env": {"ANTHROPIC_MODEL": "`+sonnet45+`"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	narrow := w.ganban("iam-policy", "--restrict", "--settings", extra)
	if narrow.Code != 0 || !strings.Contains(narrow.Stdout, "inference-profile/"+sonnet45) {
		t.Errorf("iam-policy --restrict --settings:\n%s\n%s", narrow.Stdout, narrow.Stderr)
	}
	opus := "us.anthropic.claude-opus-4-5-20251101-v1:0"
	narrow = w.ganban("iam-policy", "--restrict", "--settings", extra, "--model", opus)
	if narrow.Code != 0 || !strings.Contains(narrow.Stdout, "inference-profile/"+opus) || strings.Contains(narrow.Stdout, "inference-profile/"+sonnet45) {
		t.Errorf("iam-policy --restrict --model:\n%s\n%s", narrow.Stdout, narrow.Stderr)
	}
	models := w.ganban("models", "--settings", extra)
	if models.Code != 0 || !regexp.MustCompile(`(?m)^\* *`+regexp.QuoteMeta(sonnet45)).MatchString(models.Stdout) {
		t.Errorf("models --settings does not mark %s:\n%s\n%s", sonnet45, models.Stdout, models.Stderr)
	}
}

func TestDoctorReportsWhatIsMissing(t *testing.T) {
	w := newWorld(t, worldOpts{auth: strictAuth("")})
	delete(w.env, "AWS_REGION")
	w.write(filepath.Join(w.Repo, ".claude", "settings.json"), `{"hooks": {"PreToolUse": []}, "permissions": {"allow": ["Bash(make:*)"]}}`)
	r := w.ganban("doctor", "--json")
	var out struct {
		OK     bool
		Checks []struct{ Name, Status, Detail, Fix string }
	}
	json.Unmarshal([]byte(r.Stdout), &out)
	if r.Code != 1 || out.OK {
		t.Fatalf("exit %d: %s", r.Code, r.Stdout)
	}
	// Someone starting out learns at once that both the region and credentials are missing,
	// in words that name where credentials come from, not the SDK's last lookup.
	var region, creds, hooks, trust bool
	for _, c := range out.Checks {
		trust = trust || (c.Name == "Project settings" && strings.Contains(c.Detail, "not trusted yet") && strings.Contains(c.Detail, "Bash(make:*)"))
		region = region || (c.Name == "Region" && c.Status == "fail" && strings.Contains(c.Fix, "AWS_REGION"))
		creds = creds || (c.Name == "Credentials" && c.Status == "fail" && strings.HasPrefix(c.Detail, "no AWS credentials found") &&
			!strings.Contains(c.Detail, "IMDS") && strings.Contains(c.Fix, "AWS_PROFILE") && strings.Contains(c.Fix, "ganban demo"))
		hooks = hooks || (strings.Contains(c.Name, "hooks") && c.Status == "warn")
	}
	if !region || !creds || !hooks || !trust {
		t.Errorf("checks: %+v", out.Checks)
	}
	w.env["AWS_REGION"] = "us-east-1"
	r = w.ganban("-p", "hi")
	if first, _, _ := strings.Cut(r.Stderr, "\n"); r.Code != 1 || first != "ganban: "+awsauth.ErrNoCredentials.Error() {
		t.Errorf("print mode without credentials: exit %d\n%s", r.Code, r.Stderr)
	}
	_ = sim.Options{}
}
