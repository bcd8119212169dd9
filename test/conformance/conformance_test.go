// Package conformance runs real npm clients against ganban sim: the AWS SDK for JavaScript
// (BedrockRuntimeClient), the Anthropic Bedrock SDK (AnthropicBedrock) and the Claude Code CLI,
// all at the exact versions pinned in package.json. Each client is a small Node script in this
// directory (aws-sdk.mjs, bedrock-sdk.mjs) or the CLI binary itself, configured only through
// its environment and arguments, so what reaches the simulator is what that client sends to
// Amazon Bedrock.
//
// The tests need `npm ci` in this directory. Without node_modules they skip, unless
// GANBAN_REQUIRE_NPM is set (the suite sets it), in which case they fail.
package conformance

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
	"ganban/internal/testenv"
)

// requireNPM is read before testenv.Main, which clears every GANBAN_* variable.
var requireNPM bool

func TestMain(m *testing.M) {
	requireNPM = os.Getenv("GANBAN_REQUIRE_NPM") != ""
	testenv.Main(m)
}

const (
	region  = "us-east-1"
	modelID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
	haikuID = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	// modelName is what Bedrock puts in a message's "model" for modelID.
	modelName = "claude-sonnet-4-5-20250929"

	// AWS's documented example keys. The first pair is valid in the auth file; the second is
	// listed with an expiry in the past.
	accessKeyID     = "AKIDEXAMPLE"
	secretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	sessionToken    = "FwoGZXIvYXdzEXAMPLESESSIONTOKENconformance"

	expiredAccessKeyID     = "AKIAIOSFODNN7EXAMPLE"
	expiredSecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	expiredSessionToken    = "FwoGZXIvYXdzEXAMPLEEXPIREDTOKENconformance"

	// apiKey is a fake Bedrock API key in the long-term key shape, marked EXAMPLE.
	apiKey = "ABSKEXAMPLEQmVkcm9ja0FQSUtleS1FWEFNUExFLWtleQ=="
)

// Fake API keys of the same shape: one listed as expired, one the auth file does not know.
var (
	expiredAPIKey = "ABSK" + base64.StdEncoding.EncodeToString([]byte("BedrockAPIKey-test-key-expired-000000"))
	unknownAPIKey = "ABSK" + base64.StdEncoding.EncodeToString([]byte("BedrockAPIKey-test-key-unknown-000000"))
)

// The Bedrock front door's words for each authentication failure.
const (
	msgBadSignature = "The request signature we calculated does not match the signature you provided."
	msgExpiredToken = "The security token included in the request is expired"
	msgBadAPIKey    = "Authentication failed: Please make sure your API Key is valid."
)

// The SDK scenario: one step answering the weather question with text and a tool call.
const (
	weatherPrompt = "What is the weather in Paris?"
	weatherText   = "Let me look up the current weather in Paris for you."
)

var weatherInput = map[string]any{"city": "Paris", "units": "celsius"}

const sdkScenario = `{
  "conversations": [{
    "name": "weather",
    "match_first_user_text": "What is the weather in Paris?",
    "steps": [{
      "expect": {"tools_include": ["get_weather"], "last_user_text_contains": "Paris",
                 "system_contains": "terse assistant", "max_tokens_at_least": 256},
      "reply": {"content": [
        {"type": "text", "text": "Let me look up the current weather in Paris for you."},
        {"type": "tool_use", "name": "get_weather", "input": {"city": "Paris", "units": "celsius"}}
      ], "stop_reason": "tool_use"}
    }]
  }],
  "fallback_reply": {"content": [{"type": "text", "text": "fallback answer"}]}
}`

// The CLI scenario: write a file, cat it, finish.
const (
	cliPrompt  = "write hello to hello.txt then cat it"
	cliContent = "hello from the sim\n"
)

const cliScenario = `{
  "conversations": [{
    "name": "hello-file",
    "match_first_user_text": "write hello to hello.txt then cat it",
    "steps": [
      {"expect": {"tools_include": ["Write", "Bash"]},
       "reply": {"content": [
         {"type": "text", "text": "I'll write the file, then show it."},
         {"type": "tool_use", "name": "Write", "input": {"file_path": "{{dir}}/hello.txt", "content": "hello from the sim\n"}}
       ], "stop_reason": "tool_use"}},
      {"expect": {"last_tool_result_contains": "{{dir}}/hello.txt", "last_tool_result_is_error": false},
       "reply": {"content": [
         {"type": "tool_use", "name": "Bash", "input": {"command": "cat {{dir}}/hello.txt", "description": "Show the file"}}
       ], "stop_reason": "tool_use"}},
      {"expect": {"last_tool_result_contains": "hello from the sim", "last_tool_result_is_error": false},
       "reply": {"content": [{"type": "text", "text": "Done."}], "stop_reason": "end_turn"}}
    ]
  }],
  "fallback_reply": {"content": [{"type": "text", "text": "OK."}]}
}`

// confDir is this directory, where package.json and the scripts are.
func confDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// needNPM skips (or, with GANBAN_REQUIRE_NPM, fails) when node or the installed packages
// are missing.
func needNPM(t *testing.T) {
	t.Helper()
	dir := confDir(t)
	var missing []string
	if _, err := exec.LookPath("node"); err != nil {
		missing = append(missing, "node on PATH")
	}
	for _, p := range []string{
		"node_modules/@aws-sdk/client-bedrock-runtime/package.json",
		"node_modules/@anthropic-ai/bedrock-sdk/package.json",
		"node_modules/@anthropic-ai/claude-code/package.json",
		"node_modules/.bin/claude",
	} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("npm clients not installed (missing %s); run `npm ci` in test/conformance", strings.Join(missing, ", "))
	if requireNPM {
		t.Fatal(msg + " (GANBAN_REQUIRE_NPM is set, so this is a failure)")
	}
	t.Skip(msg + " (set GANBAN_REQUIRE_NPM=1 to make this a failure)")
}

// authFile writes the strict-mode auth file and returns its path.
func authFile(t *testing.T) string {
	t.Helper()
	future := time.Now().Add(24 * time.Hour).UTC()
	past := time.Now().Add(-24 * time.Hour).UTC()
	cfg := map[string]any{
		"credentials": []map[string]any{
			{"access_key_id": accessKeyID, "secret_access_key": secretAccessKey, "session_token": sessionToken, "expires_at": future},
			{"access_key_id": expiredAccessKeyID, "secret_access_key": expiredSecretAccessKey, "session_token": expiredSessionToken, "expires_at": past},
		},
		"api_keys": []map[string]any{
			{"key": apiKey},
			{"key": expiredAPIKey, "expires_at": past},
		},
		"model_access": []string{"*"},
	}
	data, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return simtest.WriteFile(t, "auth.json", string(data))
}

// startSim runs a strict-auth simulator with the scenario (after {{var}} substitution) and a
// request log; the log is printed if the test fails.
func startSim(t *testing.T, scenario string, vars map[string]string) (*simtest.Sim, string) {
	t.Helper()
	sc, err := sim.LoadScenario(simtest.WriteFile(t, "scenario.json", scenario), vars)
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(t.TempDir(), "requests.jsonl")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	s := simtest.Start(t, sim.Options{Region: region, AuthFile: authFile(t), Scenario: sc, Log: logFile})
	t.Cleanup(func() {
		if t.Failed() {
			data, _ := os.ReadFile(logPath)
			t.Logf("simulator request log:\n%s", data)
		}
		logFile.Close()
	})
	return s, logPath
}

// report reads GET /_sim/report.
func report(t *testing.T, s *simtest.Sim) sim.Report {
	t.Helper()
	resp, err := s.HTTPClient().Get(s.URL + "/_sim/report")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r sim.Report
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("decode report: %v", err)
	}
	return r
}

// logLine is the part of a simulator log entry the tests look at.
type logLine struct {
	Path         string   `json:"path"`
	Operation    string   `json:"operation"`
	Proto        string   `json:"proto"`
	Auth         string   `json:"auth"`
	Model        string   `json:"model"`
	Status       int      `json:"status"`
	Error        string   `json:"error"`
	Step         int      `json:"step"`
	Expectations []string `json:"expectation_failures"`
	Notes        []string `json:"notes"`
}

func readLog(t *testing.T, path string) []logLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []logLine
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var l logLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		out = append(out, l)
	}
	return out
}

// creds are the AWS_* variables of one way to authenticate.
type creds struct {
	name string
	env  []string
}

var (
	sigv4Creds = creds{"sigv4", []string{
		"AWS_ACCESS_KEY_ID=" + accessKeyID, "AWS_SECRET_ACCESS_KEY=" + secretAccessKey, "AWS_SESSION_TOKEN=" + sessionToken}}
	bearerCreds       = creds{"bearer", []string{"AWS_BEARER_TOKEN_BEDROCK=" + apiKey}}
	wrongSecretCreds  = creds{"wrong-secret", []string{"AWS_ACCESS_KEY_ID=" + accessKeyID, "AWS_SECRET_ACCESS_KEY=" + strings.ToLower(secretAccessKey), "AWS_SESSION_TOKEN=" + sessionToken}}
	expiredTokenCreds = creds{"expired-session-token", []string{
		"AWS_ACCESS_KEY_ID=" + expiredAccessKeyID, "AWS_SECRET_ACCESS_KEY=" + expiredSecretAccessKey, "AWS_SESSION_TOKEN=" + expiredSessionToken}}
	unknownKeyCreds = creds{"unknown-api-key", []string{"AWS_BEARER_TOKEN_BEDROCK=" + unknownAPIKey}}
	expiredKeyCreds = creds{"expired-api-key", []string{"AWS_BEARER_TOKEN_BEDROCK=" + expiredAPIKey}}
)

// runNode runs one of the client scripts with a hermetic environment and decodes the JSON it
// prints. It returns the exit code; stderr is logged when the result is not what was wanted.
func runNode(t *testing.T, s *simtest.Sim, c creds, script string, args ...string) (map[string]any, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", append([]string{script}, args...)...)
	cmd.Dir = confDir(t)
	env := append([]string{"SIM_URL=" + s.URL, "AWS_REGION=" + region, "NODE_NO_WARNINGS=1"}, c.env...)
	cmd.Env = testenv.Env(t.TempDir(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("node %s: %v\nstderr:\n%s", script, err, stderr.String())
		}
		code = ee.ExitCode()
	}
	var out map[string]any
	if jerr := json.Unmarshal(stdout.Bytes(), &out); jerr != nil {
		t.Fatalf("node %s %v (exit %d) printed no JSON: %v\nstdout:\n%s\nstderr:\n%s", script, args, code, jerr, stdout.String(), stderr.String())
	}
	if stderr.Len() > 0 {
		t.Logf("node %s stderr:\n%s", script, stderr.String())
	}
	return out, code
}

// mustOK fails the test unless the client reported success.
func mustOK(t *testing.T, what string, out map[string]any, code int) bool {
	t.Helper()
	if code == 0 && out["ok"] == true {
		return true
	}
	pretty, _ := json.MarshalIndent(out, "", "  ")
	t.Errorf("%s failed (exit %d):\n%s", what, code, pretty)
	return false
}

// path digs into decoded JSON: path(v, "message", "content", 1, "input").
func path(v any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// num reads a JSON number (or a numeric header string) as an int64; -1 when absent.
func num(v any) int64 {
	switch n := v.(type) {
	case float64:
		return int64(n)
	case string:
		i, err := strconv.ParseInt(n, 10, 64)
		if err == nil {
			return i
		}
	}
	return -1
}

// checkWeatherMessage checks a Bedrock message answering the weather step, field by field.
func checkWeatherMessage(t *testing.T, what string, msg any) {
	t.Helper()
	if id := str(path(msg, "id")); !strings.HasPrefix(id, "msg_bdrk_") {
		t.Errorf("%s: id = %q, want msg_bdrk_...", what, id)
	}
	if got := str(path(msg, "role")); got != "assistant" {
		t.Errorf("%s: role = %q, want assistant", what, got)
	}
	if got := str(path(msg, "model")); got != modelName {
		t.Errorf("%s: model = %q, want %q", what, got, modelName)
	}
	content, _ := path(msg, "content").([]any)
	if len(content) != 2 {
		t.Fatalf("%s: %d content blocks, want 2 (text, tool_use): %v", what, len(content), content)
	}
	if typ, text := str(path(content, 0, "type")), str(path(content, 0, "text")); typ != "text" || text != weatherText {
		t.Errorf("%s: block 0 = %s %q, want text %q", what, typ, text, weatherText)
	}
	if typ := str(path(content, 1, "type")); typ != "tool_use" {
		t.Errorf("%s: block 1 type = %q, want tool_use", what, typ)
	}
	if id := str(path(content, 1, "id")); !strings.HasPrefix(id, "toolu_bdrk_") {
		t.Errorf("%s: tool_use id = %q, want toolu_bdrk_...", what, id)
	}
	if name := str(path(content, 1, "name")); name != "get_weather" {
		t.Errorf("%s: tool_use name = %q, want get_weather", what, name)
	}
	if in := path(content, 1, "input"); !reflect.DeepEqual(in, weatherInput) {
		t.Errorf("%s: tool_use input = %v, want %v", what, in, weatherInput)
	}
	if got := str(path(msg, "stop_reason")); got != "tool_use" {
		t.Errorf("%s: stop_reason = %q, want tool_use", what, got)
	}
	if sq := path(msg, "stop_sequence"); sq != nil {
		t.Errorf("%s: stop_sequence = %v, want null", what, sq)
	}
	in, out := num(path(msg, "usage", "input_tokens")), num(path(msg, "usage", "output_tokens"))
	if in <= 0 || out <= 0 {
		t.Errorf("%s: usage input_tokens=%d output_tokens=%d, want both > 0", what, in, out)
	}
	for _, k := range []string{"cache_creation_input_tokens", "cache_read_input_tokens"} {
		if n := num(path(msg, "usage", k)); n != 0 {
			t.Errorf("%s: usage.%s = %d, want 0 (no cache_control in the request)", what, k, n)
		}
	}
}

// checkStreamShape checks the event sequence and the metrics of a streamed weather answer.
func checkStreamShape(t *testing.T, what string, out map[string]any) {
	t.Helper()
	counts := path(out, "event_counts")
	for ev, want := range map[string]int64{"message_start": 1, "content_block_start": 2, "content_block_stop": 2, "message_delta": 1, "message_stop": 1} {
		if got := num(path(counts, ev)); got != want {
			t.Errorf("%s: %d %s events, want %d (counts %v)", what, got, ev, want, counts)
		}
	}
	if got := num(path(counts, "content_block_delta")); got < 4 {
		t.Errorf("%s: %d content_block_delta events, want the text and the tool input in several pieces", what, got)
	}
	m := path(out, "invocation_metrics")
	if m == nil {
		t.Errorf("%s: message_stop carries no amazon-bedrock-invocationMetrics", what)
		return
	}
	if a, b := num(path(m, "inputTokenCount")), num(path(out, "message", "usage", "input_tokens")); a != b {
		t.Errorf("%s: invocationMetrics.inputTokenCount = %d, usage.input_tokens = %d", what, a, b)
	}
	if a, b := num(path(m, "outputTokenCount")), num(path(out, "message", "usage", "output_tokens")); a != b {
		t.Errorf("%s: invocationMetrics.outputTokenCount = %d, usage.output_tokens = %d", what, a, b)
	}
}

// TestAWSSDKForJavaScript drives BedrockRuntimeClient (InvokeModel and
// InvokeModelWithResponseStream, over HTTP/2 cleartext) with SigV4 session credentials and with
// a Bedrock API key.
func TestAWSSDKForJavaScript(t *testing.T) {
	needNPM(t)
	t.Parallel()
	s, logPath := startSim(t, sdkScenario, nil)
	var served int64
	var usage [2]int64 // input, output summed over the successful calls
	for _, c := range []creds{sigv4Creds, bearerCreds} {
		t.Run(c.name, func(t *testing.T) {
			inv, code := runNode(t, s, c, "aws-sdk.mjs", "--op", "invoke", "--model", modelID, "--prompt", weatherPrompt)
			if mustOK(t, "InvokeModel", inv, code) {
				served++
				checkWeatherMessage(t, "InvokeModel", inv["message"])
				if got := num(inv["http_status"]); got != 200 {
					t.Errorf("InvokeModel: HTTP status %d", got)
				}
				if got := str(inv["content_type"]); got != "application/json" {
					t.Errorf("InvokeModel: contentType = %q, want application/json", got)
				}
				if rid := str(inv["request_id"]); rid == "" || rid != str(path(inv, "headers", "x-amzn-requestid")) {
					t.Errorf("InvokeModel: $metadata.requestId %q, X-Amzn-RequestId %q", rid, path(inv, "headers", "x-amzn-requestid"))
				}
				for h, k := range map[string]string{"x-amzn-bedrock-input-token-count": "input_tokens", "x-amzn-bedrock-output-token-count": "output_tokens"} {
					if a, b := num(path(inv, "headers", h)), num(path(inv, "message", "usage", k)); a != b {
						t.Errorf("InvokeModel: header %s = %d, usage.%s = %d", h, a, k, b)
					}
				}
				if got := str(path(inv, "message", "type")); got != "message" {
					t.Errorf("InvokeModel: type = %q, want message", got)
				}
				usage[0] += num(path(inv, "message", "usage", "input_tokens"))
				usage[1] += num(path(inv, "message", "usage", "output_tokens"))
			}

			st, code := runNode(t, s, c, "aws-sdk.mjs", "--op", "stream", "--model", modelID, "--prompt", weatherPrompt)
			if mustOK(t, "InvokeModelWithResponseStream", st, code) {
				served++
				checkWeatherMessage(t, "InvokeModelWithResponseStream", st["message"])
				checkStreamShape(t, "InvokeModelWithResponseStream", st)
				if got := str(st["content_type"]); got != "application/json" {
					t.Errorf("InvokeModelWithResponseStream: contentType = %q, want application/json (X-Amzn-Bedrock-Content-Type)", got)
				}
				if got := num(path(st, "message", "content", 1, "partial_json_count")); got < 2 {
					t.Errorf("InvokeModelWithResponseStream: tool input arrived in %d input_json_delta fragments, want several", got)
				}
				if got := path(st, "message", "content", 1, "start_input"); !reflect.DeepEqual(got, map[string]any{}) {
					t.Errorf("InvokeModelWithResponseStream: content_block_start tool_use input = %v, want {}", got)
				}
				if others, _ := st["non_chunk_events"].([]any); len(others) > 0 {
					t.Errorf("InvokeModelWithResponseStream: events other than chunk: %v", others)
				}
				if inv != nil && inv["ok"] == true {
					for _, k := range []string{"input_tokens", "output_tokens"} {
						if a, b := num(path(inv, "message", "usage", k)), num(path(st, "message", "usage", k)); a != b {
							t.Errorf("usage.%s: InvokeModel %d, stream %d for the same body", k, a, b)
						}
					}
				}
				usage[0] += num(path(st, "message", "usage", "input_tokens"))
				usage[1] += num(path(st, "message", "usage", "output_tokens"))
			}
		})
	}

	r := report(t, s)
	if len(r.ExpectationFailures) > 0 {
		t.Errorf("expectation failures: %+v", r.ExpectationFailures)
	}
	if r.StepsServed != served {
		t.Errorf("report: steps_served = %d, want %d (one per successful call)", r.StepsServed, served)
	}
	if r.Usage.InputTokens != usage[0] || r.Usage.OutputTokens != usage[1] {
		t.Errorf("report usage in/out = %d/%d, clients saw %d/%d", r.Usage.InputTokens, r.Usage.OutputTokens, usage[0], usage[1])
	}
	if len(r.Notes) > 0 {
		t.Logf("simulator notes: %v", r.Notes)
	}
	for _, l := range readLog(t, logPath) {
		if l.Proto != "HTTP/2.0" {
			t.Errorf("%s %s came over %s; the JS SDK speaks HTTP/2 to bedrock-runtime", l.Operation, l.Path, l.Proto)
		}
	}
}

// TestAnthropicBedrockSDK streams a tool-using message with AnthropicBedrock's
// client.messages.stream, signed with SigV4 and with a Bedrock API key.
func TestAnthropicBedrockSDK(t *testing.T) {
	needNPM(t)
	t.Parallel()
	s, _ := startSim(t, sdkScenario, nil)
	var served int64
	for _, c := range []creds{sigv4Creds, bearerCreds} {
		t.Run(c.name, func(t *testing.T) {
			out, code := runNode(t, s, c, "bedrock-sdk.mjs", "--model", modelID, "--prompt", weatherPrompt)
			if !mustOK(t, "messages.stream", out, code) {
				return
			}
			served++
			checkWeatherMessage(t, "messages.stream", out["message"])
			checkStreamShape(t, "messages.stream", out)
			if got := str(path(out, "message", "type")); got != "message" {
				t.Errorf("final message type = %q, want message", got)
			}
			if got := num(out["input_json_fragments"]); got < 2 {
				t.Errorf("tool input arrived in %d inputJson events, want several", got)
			}
			if got := num(out["text_deltas"]); got < 2 {
				t.Errorf("text arrived in %d text events, want several", got)
			}
		})
	}
	r := report(t, s)
	if len(r.ExpectationFailures) > 0 {
		t.Errorf("expectation failures: %+v", r.ExpectationFailures)
	}
	if r.StepsServed != served {
		t.Errorf("report: steps_served = %d, want %d", r.StepsServed, served)
	}
	if len(r.Errors) > 0 {
		t.Errorf("report: the simulator answered errors %v", r.Errors)
	}
	if len(r.Notes) > 0 {
		t.Logf("simulator notes: %v", r.Notes)
	}
}

// TestAuthFailures checks that each client surfaces the front door's authentication errors as
// that client does against Bedrock: the AWS SDK as a typed exception named by the error code,
// the Anthropic SDK as a PermissionDeniedError (403) carrying the code in X-Amzn-ErrorType.
func TestAuthFailures(t *testing.T) {
	needNPM(t)
	t.Parallel()
	s, _ := startSim(t, sdkScenario, nil)
	cases := []struct {
		creds   creds
		code    string
		message string // prefix
	}{
		{wrongSecretCreds, "InvalidSignatureException", msgBadSignature},
		{expiredTokenCreds, "ExpiredTokenException", msgExpiredToken},
		{unknownKeyCreds, "AccessDeniedException", msgBadAPIKey},
		{expiredKeyCreds, "AccessDeniedException", msgBadAPIKey},
	}
	clients := []struct {
		name   string
		script string
		args   []string
	}{
		{"aws-sdk-invoke", "aws-sdk.mjs", []string{"--op", "invoke"}},
		{"aws-sdk-stream", "aws-sdk.mjs", []string{"--op", "stream"}},
		{"bedrock-sdk-stream", "bedrock-sdk.mjs", nil},
	}
	wantErrors := map[string]int64{}
	for _, tc := range cases {
		for _, cl := range clients {
			wantErrors[tc.code]++
			t.Run(tc.creds.name+"/"+cl.name, func(t *testing.T) {
				t.Parallel()
				args := append([]string{"--model", modelID, "--prompt", weatherPrompt}, cl.args...)
				out, code := runNode(t, s, tc.creds, cl.script, args...)
				if code == 0 || out["ok"] != false {
					t.Fatalf("want a failure, got exit %d: %v", code, out)
				}
				e, _ := out["error"].(map[string]any)
				if cl.script == "aws-sdk.mjs" {
					if got := str(e["name"]); got != tc.code {
						t.Errorf("error name = %q, want %q", got, tc.code)
					}
					if got := num(e["http_status"]); got != 403 {
						t.Errorf("$metadata.httpStatusCode = %d, want 403", got)
					}
					if got := str(e["fault"]); got != "client" {
						t.Errorf("$fault = %q, want client", got)
					}
					if got := str(e["message"]); !strings.HasPrefix(got, tc.message) {
						t.Errorf("message = %q, want %q...", got, tc.message)
					}
					return
				}
				if got := str(e["name"]); got != "PermissionDeniedError" {
					t.Errorf("error class = %q, want PermissionDeniedError", got)
				}
				if got := num(e["status"]); got != 403 {
					t.Errorf("status = %d, want 403", got)
				}
				if got := str(e["error_type"]); got != tc.code {
					t.Errorf("X-Amzn-ErrorType code = %q, want %q", got, tc.code)
				}
				body, _ := e["body"].(map[string]any)
				msg := str(body["message"]) + str(body["Message"])
				if !strings.HasPrefix(msg, tc.message) {
					t.Errorf("error body %v, want message %q...", body, tc.message)
				}
				if got := str(e["message"]); !strings.Contains(got, "403") || !strings.Contains(got, tc.message) {
					t.Errorf("error message = %q, want 403 and %q", got, tc.message)
				}
			})
		}
	}
	t.Cleanup(func() {
		r := report(t, s)
		if r.StepsServed != 0 {
			t.Errorf("report: steps_served = %d, want 0: every request should have been refused", r.StepsServed)
		}
		if !reflect.DeepEqual(r.Errors, wantErrors) {
			t.Errorf("report errors = %v, want %v", r.Errors, wantErrors)
		}
		if len(r.ExpectationFailures) > 0 {
			t.Errorf("expectation failures: %+v", r.ExpectationFailures)
		}
	})
}

// cliResult is the part of `claude -p --output-format json` the test reads.
type cliResult struct {
	Type              string `json:"type"`
	Subtype           string `json:"subtype"`
	IsError           bool   `json:"is_error"`
	Result            string `json:"result"`
	NumTurns          int    `json:"num_turns"`
	PermissionDenials []any  `json:"permission_denials"`
}

// TestClaudeCodeCLI runs the pinned Claude Code CLI in print mode against the simulator,
// configured as the setup guide says, and lets it write and show a file.
func TestClaudeCodeCLI(t *testing.T) {
	needNPM(t)
	t.Parallel()
	work, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s, logPath := startSim(t, cliScenario, map[string]string{"dir": work})
	home := t.TempDir()

	ctx, cancel := context.WithTimeout(context.Background(), 75*time.Second)
	defer cancel()
	claude := filepath.Join(confDir(t), "node_modules", ".bin", "claude")
	cmd := exec.CommandContext(ctx, claude, "-p", "--output-format", "json", "--allowedTools", "Write", "Bash", "--", cliPrompt)
	cmd.Dir = work
	cmd.Env = testenv.Env(home,
		"CLAUDE_CODE_USE_BEDROCK=1",
		"AWS_REGION="+region,
		"AWS_ACCESS_KEY_ID="+accessKeyID,
		"AWS_SECRET_ACCESS_KEY="+secretAccessKey,
		"AWS_SESSION_TOKEN="+sessionToken,
		"ANTHROPIC_BEDROCK_BASE_URL="+s.URL,
		"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
		"ANTHROPIC_MODEL="+modelID,
		"ANTHROPIC_DEFAULT_HAIKU_MODEL="+haikuID,
		"ANTHROPIC_SMALL_FAST_MODEL="+haikuID,
	)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	runErr := cmd.Run()
	t.Logf("claude -p took %v", time.Since(start).Round(time.Millisecond))
	if runErr != nil {
		t.Fatalf("claude -p: %v (context: %v)\nstdout:\n%s\nstderr:\n%s", runErr, ctx.Err(), stdout.String(), stderr.String())
	}

	var res cliResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("claude -p --output-format json printed no JSON result: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if res.Type != "result" || res.Subtype != "success" || res.IsError {
		t.Errorf("result type=%q subtype=%q is_error=%v, want result/success/false\n%s", res.Type, res.Subtype, res.IsError, stdout.String())
	}
	if strings.TrimSpace(res.Result) != "Done." {
		t.Errorf("result = %q, want the scenario's final text %q", res.Result, "Done.")
	}
	if len(res.PermissionDenials) > 0 {
		t.Errorf("permission denials: %v", res.PermissionDenials)
	}
	got, err := os.ReadFile(filepath.Join(work, "hello.txt"))
	if err != nil {
		t.Errorf("hello.txt was not written: %v", err)
	} else if string(got) != cliContent {
		t.Errorf("hello.txt = %q, want %q", got, cliContent)
	}

	r := report(t, s)
	if r.StepsServed < 3 {
		t.Errorf("report: steps_served = %d, want at least 3", r.StepsServed)
	}
	if len(r.ExpectationFailures) > 0 {
		t.Errorf("expectation failures: %+v", r.ExpectationFailures)
	}
	if len(r.Errors) > 0 {
		t.Errorf("report: the simulator refused requests the CLI sent: %v", r.Errors)
	}
	if len(r.Notes) > 0 {
		t.Logf("simulator notes: %v", r.Notes)
	}
	steps := map[int]bool{}
	for _, l := range readLog(t, logPath) {
		t.Logf("CLI request: %s %s %s status=%d step=%d %s", l.Operation, l.Path, l.Proto, l.Status, l.Step, l.Error)
		if l.Step >= 0 {
			steps[l.Step] = true
			if l.Model != modelID {
				t.Errorf("step %d was asked of %q, want ANTHROPIC_MODEL %q", l.Step, l.Model, modelID)
			}
			if l.Auth != "sigv4" {
				t.Errorf("step %d authenticated with %q, want sigv4", l.Step, l.Auth)
			}
		}
	}
	for i := 0; i < 3; i++ {
		if !steps[i] {
			t.Errorf("scenario step %d was never requested", i)
		}
	}
}
