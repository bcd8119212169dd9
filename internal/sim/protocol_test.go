package sim_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

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

// TestSimCommand runs the real binary: the first line names the URL, --port-file gets it
// too, and SIGTERM stops it cleanly.
func TestSimCommand(t *testing.T) {
	bin := buildGanban(t)
	dir := t.TempDir()
	cmd := execCommand(bin, "sim", "--tls", "--ca-out", dir+"/ca.pem", "--port-file", dir+"/url")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "listening on https://127.0.0.1:") {
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
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit: %v", err)
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("sim did not stop on SIGINT")
	}
	if _, err := net.DialTimeout("tcp", strings.TrimPrefix(url, "https://"), time.Second); err == nil {
		t.Error("still listening after shutdown")
	}
	_ = context.Background()
}
