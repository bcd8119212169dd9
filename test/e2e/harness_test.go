package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
	"ganban/internal/testenv"
)

// Documented fake credentials.
const (
	akid     = "AKIDEXAMPLE"
	secret   = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	token    = "FwoGZXIvYXdzEXAMPLESESSIONTOKENe2e"
	apiKey   = "ABSKEXAMPLEQmVkcm9ja0FQSUtleS1FWEFNUExFLWtleQ=="
	sonnet45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
	haiku45  = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
)

// world is one test's machine: a home, a repository, a simulator.
type world struct {
	t    *testing.T
	Home string
	Repo string
	Sim  *simtest.Sim
	Log  string
	env  map[string]string
}

type worldOpts struct {
	auth     string // auth file JSON, "" for permissive
	scenario string // scenario JSON, {{cwd}} is the repo
	tls      bool
	simOpts  func(*sim.Options)
}

func newWorld(t *testing.T, o worldOpts) *world {
	t.Helper()
	w := &world{t: t, Home: t.TempDir(), Repo: t.TempDir(), env: map[string]string{}}
	w.git("init", "-q")
	opts := sim.Options{}
	if o.auth != "" {
		opts.AuthFile = w.write(filepath.Join(t.TempDir(), "auth.json"), o.auth)
	}
	if o.scenario != "" {
		sc, err := sim.ParseScenario([]byte(o.scenario), map[string]string{"cwd": w.Repo})
		if err != nil {
			t.Fatal(err)
		}
		opts.Scenario = sc
	}
	w.Log = filepath.Join(t.TempDir(), "requests.jsonl")
	logFile, err := os.Create(w.Log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logFile.Close() })
	opts.Log = logFile
	if o.simOpts != nil {
		o.simOpts(&opts)
	}
	if o.tls {
		w.Sim = simtest.StartTLS(t, opts)
		w.env["AWS_CA_BUNDLE"] = w.Sim.CAFile
	} else {
		w.Sim = simtest.Start(t, opts)
	}
	w.env["AWS_REGION"] = "us-east-1"
	w.env["CLAUDE_CODE_USE_BEDROCK"] = "1"
	w.env["ANTHROPIC_BEDROCK_BASE_URL"] = w.Sim.URL
	w.env["AWS_ENDPOINT_URL_STS"] = w.Sim.URL
	w.env["AWS_ENDPOINT_URL_SSO"] = w.Sim.URL
	return w
}

func (w *world) write(path, content string) string {
	w.t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		w.t.Fatal(err)
	}
	return path
}

func (w *world) git(args ...string) {
	cmd := exec.Command("git", args...)
	cmd.Dir = w.Repo
	if out, err := cmd.CombinedOutput(); err != nil {
		w.t.Fatalf("git %v: %v %s", args, err, out)
	}
}

// keys sets the documented fake keys as environment credentials (S5-B).
func (w *world) keys() *world {
	w.env["AWS_ACCESS_KEY_ID"], w.env["AWS_SECRET_ACCESS_KEY"], w.env["AWS_SESSION_TOKEN"] = akid, secret, token
	return w
}

type run struct {
	Code           int
	Stdout, Stderr string
}

func (r run) JSON(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	lines := strings.Split(strings.TrimSpace(r.Stdout), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &v); err != nil {
		t.Fatalf("stdout is not JSON: %v\nstdout:\n%s\nstderr:\n%s", err, r.Stdout, r.Stderr)
	}
	return v
}

// ganban runs the binary in the repository with the world's environment.
func (w *world) ganban(args ...string) run {
	w.t.Helper()
	return w.ganbanIn(w.Repo, nil, args...)
}

func (w *world) ganbanIn(dir string, stdin []byte, args ...string) run {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, ganbanBin, args...)
	cmd.Dir = dir
	extra := []string{"AWS_CONFIG_FILE=" + filepath.Join(w.Home, ".aws", "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(w.Home, ".aws", "credentials")}
	for k, v := range w.env {
		extra = append(extra, k+"="+v)
	}
	cmd.Env = testenv.Env(w.Home, extra...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	r := run{Stdout: so.String(), Stderr: se.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.Code = ee.ExitCode()
	} else if err != nil {
		w.t.Fatalf("run ganban: %v", err)
	}
	return r
}

// logLines reads the simulator's request log.
func (w *world) logLines() []map[string]any {
	data, _ := os.ReadFile(w.Log)
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

func (w *world) dumpOnFailure(r run) {
	if w.t.Failed() {
		data, _ := os.ReadFile(w.Log)
		w.t.Logf("exit %d\nstdout:\n%s\nstderr:\n%s\nsim log:\n%s", r.Code, r.Stdout, r.Stderr, data)
	}
}

// strictAuth is an auth file with the standard credentials plus extra members.
func strictAuth(extra string) string {
	future := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	return fmt.Sprintf(`{"credentials": [{"access_key_id": %q, "secret_access_key": %q, "session_token": %q, "expires_at": %q}],
  "api_keys": [{"key": %q}]%s}`, akid, secret, token, future, apiKey, extra)
}

// readScenario reads main.go, replaces a word with Edit, answers.
const editScenario = `{"conversations": [{"match_first_user_text": "rename", "steps": [
  {"expect": {"tools_include": ["Read", "Edit", "Bash"]}, "reply": {"content": [{"type": "text", "text": "Reading main.go."},
    {"type": "tool_use", "name": "Read", "input": {"file_path": "{{cwd}}/main.go"}}]}},
  {"expect": {"last_tool_result_contains": "func old()"}, "reply": {"content": [
    {"type": "tool_use", "name": "Edit", "input": {"file_path": "{{cwd}}/main.go", "old_string": "func old()", "new_string": "func renamed()"}}]}},
  {"expect": {"last_tool_result_is_error": false}, "reply": {"content": [{"type": "text", "text": "Renamed old to renamed."}]}}]}],
 "fallback_reply": {"content": [{"type": "text", "text": "Rename a function"}]}}`

func (w *world) mainGo() string {
	return w.write(filepath.Join(w.Repo, "main.go"), "package main\n\nfunc old() {}\n")
}

func (w *world) checkRenamed(r run) {
	w.t.Helper()
	data, _ := os.ReadFile(filepath.Join(w.Repo, "main.go"))
	if !strings.Contains(string(data), "func renamed()") {
		w.t.Errorf("main.go was not edited:\n%s", data)
	}
	if rep := w.Sim.Report(); len(rep.ExpectationFailures) > 0 {
		w.t.Errorf("expectation failures: %+v", rep.ExpectationFailures)
	}
	if r.Code != 0 {
		w.t.Errorf("exit %d", r.Code)
	}
}

func jsonString(s string) (string, error) {
	b, err := json.Marshal(s)
	return string(b), err
}
