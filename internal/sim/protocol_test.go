package sim_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
)

func TestHTTP2CleartextAndTLS(t *testing.T) {
	plain := simtest.Start(t, sim.Options{})
	var h2c http.Protocols
	h2c.SetUnencryptedHTTP2(true)
	c := &http.Client{Transport: &http.Transport{Protocols: &h2c}}
	resp, err := c.Post(plain.URL+"/model/"+sonnet45+"/invoke-with-response-stream", "application/json", strings.NewReader(string(body(t, map[string]any{}))))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.ProtoMajor != 2 || resp.Header.Get("Content-Type") != "application/vnd.amazon.eventstream" {
		t.Errorf("h2c: %s %s", resp.Proto, resp.Header.Get("Content-Type"))
	}

	secure := simtest.StartTLS(t, sim.Options{})
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(secure.CAPEM)
	tc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}
	resp, err = tc.Get(secure.URL + "/_sim/report")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.ProtoMajor != 2 {
		t.Errorf("TLS negotiated %s, want HTTP/2 by ALPN", resp.Proto)
	}
}

func TestClockAndResetEndpoints(t *testing.T) {
	s := simtest.Start(t, sim.Options{})
	var before, after struct{ Now time.Time }
	getJSON(t, s.HTTPClient(), s.URL+"/_sim/clock", &before)
	resp, err := s.HTTPClient().Post(s.URL+"/_sim/clock", "application/json", strings.NewReader(`{"advance": "2h"}`))
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&after)
	resp.Body.Close()
	if d := after.Now.Sub(before.Now); d < 2*time.Hour || d > 2*time.Hour+time.Minute {
		t.Errorf("clock advanced %v", d)
	}
	invoke(t, runtimeClient(s, goodCreds, "us-east-1"), sonnet45, body(t, map[string]any{}))
	resp, _ = s.HTTPClient().Post(s.URL+"/_sim/reset", "application/json", nil)
	resp.Body.Close()
	var rep sim.Report
	getJSON(t, s.HTTPClient(), s.URL+"/_sim/report", &rep)
	if rep.Requests != 0 || rep.ExpectationFailures == nil {
		t.Errorf("after reset: %+v", rep)
	}
}

// TestCredentialsExpireWithTheClock: a session token valid now is expired once the
// simulator's clock passes its expiry, and SigV4 still verifies against the real clock.
func TestCredentialsExpireWithTheClock(t *testing.T) {
	exp := time.Now().Add(10 * time.Minute).UTC().Format(time.RFC3339)
	s := simtest.Start(t, sim.Options{AuthFile: simtest.WriteFile(t, "auth.json", `{"credentials": [{"access_key_id": "AKIDEXAMPLE", "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "session_token": "`+testToken+`", "expires_at": "`+exp+`"}]}`)})
	c := runtimeClient(s, goodCreds, "us-east-1")
	if _, err := invoke(t, c, sonnet45, body(t, map[string]any{})); err != nil {
		t.Fatal(err)
	}
	s.Advance(11 * time.Minute)
	if _, err := invoke(t, c, sonnet45, body(t, map[string]any{})); apiCode(err) != "ExpiredTokenException" {
		t.Errorf("after expiry: %v", err)
	}
}

// TestAuthFileReload: a refresh command rewrites the auth file while the simulator runs.
func TestAuthFileReload(t *testing.T) {
	path := simtest.WriteFile(t, "auth.json", `{"credentials": []}`)
	s := simtest.Start(t, sim.Options{AuthFile: path})
	c := runtimeClient(s, goodCreds, "us-east-1")
	if _, err := invoke(t, c, sonnet45, body(t, map[string]any{})); apiCode(err) != "UnrecognizedClientException" {
		t.Fatalf("before: %v", err)
	}
	next := `{"credentials": [{"access_key_id": "AKIDEXAMPLE", "secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "session_token": "` + testToken + `"}]}`
	if err := os.WriteFile(path, []byte(next), 0o600); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(time.Second)
	os.Chtimes(path, future, future) // a different mtime even on coarse-grained filesystems
	if _, err := invoke(t, c, sonnet45, body(t, map[string]any{})); err != nil {
		t.Errorf("after reload: %v", err)
	}
	// A half-written file keeps the previous version in force.
	os.WriteFile(path, []byte(`{"credentials": [`), 0o600)
	later := future.Add(time.Second)
	os.Chtimes(path, later, later)
	if _, err := invoke(t, c, sonnet45, body(t, map[string]any{})); err != nil {
		t.Errorf("after a broken write: %v", err)
	}
}

func TestRequestLog(t *testing.T) {
	logPath := simtest.WriteFile(t, "log.jsonl", "")
	f, _ := os.OpenFile(logPath, os.O_WRONLY|os.O_APPEND, 0)
	defer f.Close()
	s := simtest.Start(t, sim.Options{Log: f, AuthFile: authFile(t, "")})
	invoke(t, runtimeClient(s, goodCreds, "us-east-1"), sonnet45, body(t, map[string]any{"output_config": map[string]any{"effort": "low"}}))
	invoke(t, runtimeClient(s, staticCreds(testAKID, "wrongEXAMPLE", testToken), "us-east-1"), sonnet45, body(t, map[string]any{}))
	data, _ := os.ReadFile(logPath)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 2 {
		t.Fatalf("log lines = %d:\n%s", len(lines), data)
	}
	var first, second map[string]any
	json.Unmarshal([]byte(lines[0]), &first)
	json.Unmarshal([]byte(lines[1]), &second)
	if first["operation"] != "InvokeModel" || first["auth"] != "sigv4" || first["access_key_id"] != testAKID || first["status"].(float64) != 200 ||
		!strings.Contains(lines[0], "output_config") {
		t.Errorf("first line = %s", lines[0])
	}
	if second["status"].(float64) != 403 || !strings.Contains(second["error"].(string), "InvalidSignatureException") {
		t.Errorf("second line = %s", lines[1])
	}
	if strings.Contains(string(data), testSecret) || strings.Contains(string(data), testToken) {
		t.Error("the log contains a secret")
	}
}

// TestExpectationFailuresInTheLog: a request that fails its step's expectations is answered,
// and the failures are written to its line of the request log as well as to the report.
func TestExpectationFailuresInTheLog(t *testing.T) {
	logPath := simtest.WriteFile(t, "log.jsonl", "")
	f, _ := os.OpenFile(logPath, os.O_WRONLY|os.O_APPEND, 0)
	defer f.Close()
	s := simtest.Start(t, sim.Options{Log: f, Scenario: scenario(t, `{"conversations": [{"name": "edit", "match_first_user_text": "rename", "steps": [
	  {"expect": {"tools_include": ["Edit"], "last_user_text_contains": "main.go", "system_contains": "be brief", "system_excludes": "secret"},
	   "reply": {"content": [{"type": "text", "text": "ok"}]}}]}]}`, nil)})
	_, err := invoke(t, runtimeClient(s, goodCreds, "us-east-1"), sonnet45, body(t, map[string]any{"tools": []any{readTool}, "system": "be brief, keep the secret",
		"messages": []any{map[string]any{"role": "user", "content": "please rename foo"}}}))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`tools_include: tool "Edit" not offered (tools: Read)`, `last_user_text_contains: "main.go" not in the last user message`,
		`system_excludes: "secret" in the system prompt`}
	data, _ := os.ReadFile(logPath)
	var line struct {
		Conversation string   `json:"conversation"`
		Step         int      `json:"step"`
		Expectations []string `json:"expectation_failures"`
	}
	if err := json.Unmarshal(data, &line); err != nil {
		t.Fatalf("log %s: %v", data, err)
	}
	if line.Conversation != "edit" || line.Step != 0 || strings.Join(line.Expectations, "|") != strings.Join(want, "|") {
		t.Errorf("log line = %s, want the failures %q", data, want)
	}
	if rep := s.Report(); len(rep.ExpectationFailures) != 3 || rep.ExpectationFailures[1].Failure != want[1] {
		t.Errorf("report failures = %+v", rep.ExpectationFailures)
	}
}

// TestSimCommand runs the real binary: the first line names the URL, --port-file gets it
// too, and SIGINT and SIGTERM each stop it cleanly, with its report on stderr.
func TestSimCommand(t *testing.T) {
	bin := ganbanBin
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(bin, "sim", "--tls", "--ca-out", dir+"/ca.pem", "--port-file", dir+"/url")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			stdout, _ := cmd.StdoutPipe()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(stdout).ReadString('\n')
			if err != nil || !strings.HasPrefix(line, "listening on https://127.0.0.1:") {
				cmd.Process.Kill()
				t.Fatalf("first line %q (%v)", line, err)
			}
			url := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
			if b, _ := os.ReadFile(dir + "/url"); strings.TrimSpace(string(b)) != url {
				t.Errorf("port file = %q", b)
			}
			ca, _ := os.ReadFile(dir + "/ca.pem")
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(ca) {
				t.Fatal("ca-out is not a PEM certificate")
			}
			hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
			resp, err := hc.Get(url + "/_sim/report")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			cmd.Process.Signal(sig)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("exit: %v\n%s", err, stderr.String())
				}
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("sim did not stop on %v", sig)
			}
			if !strings.HasPrefix(stderr.String(), "ganban sim: stopped; 0 requests") {
				t.Errorf("stderr = %q, want the report's summary", stderr.String())
			}
			if _, err := net.DialTimeout("tcp", strings.TrimPrefix(url, "https://"), time.Second); err == nil {
				t.Error("still listening after shutdown")
			}
		})
	}
}

func TestClockSkew(t *testing.T) {
	s := simtest.Start(t, sim.Options{AuthFile: authFile(t, "")})
	for _, tc := range []struct {
		skew time.Duration
		want string
	}{
		{-10 * time.Minute, "Signature expired: "},
		{10 * time.Minute, "Signature not yet current: "},
		{-4 * time.Minute, ""},
	} {
		payload := body(t, map[string]any{})
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/model/"+url.PathEscape(sonnet45)+"/invoke", bytes.NewReader(payload))
		req.Header.Set("Content-Type", "application/json")
		sum := sha256.Sum256(payload)
		creds, _ := goodCreds.Retrieve(context.Background())
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "bedrock", "us-east-1", time.Now().Add(tc.skew)); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if tc.want == "" {
			if resp.StatusCode != 200 {
				t.Errorf("skew %v: %s", tc.skew, msg)
			}
			continue
		}
		if resp.StatusCode != 403 || resp.Header.Get("X-Amzn-ErrorType") != "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/" ||
			!strings.Contains(string(msg), tc.want) {
			t.Errorf("skew %v: %d %s %s", tc.skew, resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), msg)
		}
	}
}

func TestInvokeResponseHeaders(t *testing.T) {
	s := simtest.Start(t, sim.Options{})
	req := map[string]any{"system": []any{cachedBlock(2000, "")}}
	for i, want := range []map[string]string{
		{"X-Amzn-Bedrock-Input-Token-Count": "2", "X-Amzn-Bedrock-Cache-Write-Input-Token-Count": "2000", "X-Amzn-Bedrock-Cache-Read-Input-Token-Count": "0"},
		{"X-Amzn-Bedrock-Input-Token-Count": "2", "X-Amzn-Bedrock-Cache-Write-Input-Token-Count": "0", "X-Amzn-Bedrock-Cache-Read-Input-Token-Count": "2000"},
	} {
		resp, err := s.HTTPClient().Post(s.URL+"/model/"+sonnet45+"/invoke", "application/json", bytes.NewReader(body(t, req)))
		if err != nil {
			t.Fatal(err)
		}
		var msg struct {
			Usage struct {
				OutputTokens int64 `json:"output_tokens"`
			}
		}
		json.NewDecoder(resp.Body).Decode(&msg)
		resp.Body.Close()
		for k, v := range want {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("request %d: %s = %q, want %q", i+1, k, got, v)
			}
		}
		if resp.Header.Get("X-Amzn-Bedrock-Output-Token-Count") != fmt.Sprint(msg.Usage.OutputTokens) || resp.Header.Get("X-Amzn-RequestId") == "" ||
			resp.Header.Get("X-Amzn-Bedrock-Invocation-Latency") == "" {
			t.Errorf("headers = %v", resp.Header)
		}
	}
	resp, _ := s.HTTPClient().Post(s.URL+"/model/"+sonnet45+"/invoke-with-response-stream", "application/json", bytes.NewReader(body(t, map[string]any{})))
	resp.Body.Close()
	if resp.Header.Get("X-Amzn-Bedrock-Content-Type") != "application/json" || resp.Header.Get("Content-Type") != "application/vnd.amazon.eventstream" {
		t.Errorf("stream headers = %v", resp.Header)
	}
}

// TestLatencyModel: time to first token, then tokens per second.
func TestLatencyModel(t *testing.T) {
	lat, err := sim.ParseLatency("ttft=150ms,tps=400")
	if err != nil {
		t.Fatal(err)
	}
	s := simtest.Start(t, sim.Options{Latency: lat, Scenario: scenario(t, hundredTokenReply, nil)})
	start := time.Now()
	res, err := stream(t, runtimeClient(s, goodCreds, "us-east-1"), sonnet45, body(t, map[string]any{}))
	if err != nil || res.Err != nil {
		t.Fatal(err, res.Err)
	}
	// 150 ms, then 100 tokens at 400/s = 250 ms.
	if d := time.Since(start); d < 400*time.Millisecond || d > 3*time.Second {
		t.Errorf("stream took %v, want about 400ms", d)
	}
	for _, bad := range []string{"ttft=fast", "tps=0", "rpm=3"} {
		if _, err := sim.ParseLatency(bad); err == nil {
			t.Errorf("ParseLatency(%q) accepted", bad)
		}
	}
}
