package bedrock_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ganban/internal/anthropic"
	"ganban/internal/awsauth"
	"ganban/internal/bedrock"
	"ganban/internal/catalog"
	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
)

func faultSteps(faults ...string) string {
	var quoted []string
	for _, f := range faults {
		quoted = append(quoted, `"`+f+`"`)
	}
	return `{"conversations": [{"match_first_user_text": "go", "steps": [{"faults": [` + strings.Join(quoted, ",") + `],
	  "reply": {"content": [{"type": "text", "text": "all done here"}, {"type": "tool_use", "name": "Write", "input": {"file_path": "/tmp/x", "content": "hello"}}]}}]}]}`
}

func TestStreamRetriesEveryFault(t *testing.T) {
	for _, fault := range []string{"throttling", "too_many_tokens", "internal_server", "service_unavailable", "model_not_ready", "model_timeout",
		"stream_cut:3", "stream_exception:3:throttlingException", "stream_exception:2:modelStreamErrorException", "stream_exception:2:internalServerException",
		"corrupt_frame:2"} {
		t.Run(fault, func(t *testing.T) {
			s := startSim(t, sim.Options{AuthFile: writeFile(t, "auth.json", authJSON("")), Scenario: scenario(t, faultSteps(fault))})
			rec := &recorder{}
			c := newClient(t, s, clientOpts{rec: rec})
			msg, parts, err := collect(t, c, bedrock.Call{Model: sonnet45, Request: userTurn("go", writeTool), Info: model(t, sonnet45)})
			if err != nil {
				t.Fatalf("stream: %v", err)
			}
			if anthropic.PlainText(msg.Content) != "all done here" || string(msg.Content[1].Input) != `{"content":"hello","file_path":"/tmp/x"}` {
				t.Errorf("message = %+v", msg.Content)
			}
			n := rec.all()
			if len(n) != 1 || n[0].Kind != bedrock.NoticeRetry || !strings.Contains(n[0].String(), "retrying in") || n[0].Attempt != 1 {
				t.Errorf("notices = %v", n)
			}
			restarted := false
			for _, p := range parts {
				restarted = restarted || p.Restart
			}
			if midStream := strings.Contains(fault, ":"); restarted != midStream {
				t.Errorf("restart signalled %v, want %v", restarted, midStream)
			}
		})
	}
}

func TestStreamGivesUpAfterMaxRetries(t *testing.T) {
	s := startSim(t, sim.Options{Scenario: scenario(t, faultSteps("throttling", "throttling", "throttling", "throttling"))})
	rec := &recorder{}
	c := newClient(t, s, clientOpts{rec: rec, cfg: bedrock.Config{MaxRetries: 3}})
	_, _, err := collect(t, c, bedrock.Call{Model: sonnet45, Request: userTurn("go", writeTool), Info: model(t, sonnet45)})
	var be *bedrock.Error
	if !errors.As(err, &be) || be.Kind != bedrock.KindThrottled || be.Code != "ThrottlingException" {
		t.Fatalf("err = %v", err)
	}
	if n := rec.all(); len(n) != 3 || !strings.Contains(n[2].String(), "(3/3)") {
		t.Errorf("notices = %v", rec.all())
	}
	if !strings.Contains(bedrock.Advice(err, catalog.Default()), "S20") {
		t.Errorf("advice = %q", bedrock.Advice(err, catalog.Default()))
	}
}

func TestExpiredCredentialsRefreshOnceAndRetry(t *testing.T) {
	counter := writeFile(t, "runs", "")
	s := startSim(t, sim.Options{AuthFile: writeFile(t, "auth.json", authJSON("")), Scenario: scenario(t, faultSteps("expired_token"))})
	rec := &recorder{}
	c := newClient(t, s, clientOpts{rec: rec, creds: awsauth.Config{Refresh: "echo run >> " + counter, LoadChain: staticChain(akid, secret, token)}})
	if _, _, err := collect(t, c, bedrock.Call{Model: sonnet45, Request: userTurn("go", writeTool)}); err != nil {
		t.Fatal(err)
	}
	if c.Credentials().Refreshes() != 1 || !hasNotice(rec.all(), bedrock.NoticeRefresh, "awsAuthRefresh") {
		t.Errorf("refreshes %d notices %v", c.Credentials().Refreshes(), rec.all())
	}
}

func TestSecondCredentialErrorAfterRefreshIsFinal(t *testing.T) {
	s := startSim(t, sim.Options{AuthFile: writeFile(t, "auth.json", authJSON("")), Scenario: scenario(t, faultSteps("expired_token", "expired_token", "expired_token"))})
	c := newClient(t, s, clientOpts{creds: awsauth.Config{Refresh: "true", LoadChain: staticChain(akid, secret, token)}})
	_, _, err := collect(t, c, bedrock.Call{Model: sonnet45, Request: userTurn("go", writeTool)})
	var be *bedrock.Error
	if !errors.As(err, &be) || be.Kind != bedrock.KindCredentials || !be.Refreshed || be.RefreshCommand != "true" {
		t.Fatalf("err = %#v", err)
	}
	if advice := bedrock.Advice(err, catalog.Default()); !strings.Contains(advice, "awsAuthRefresh") {
		t.Errorf("advice = %q", advice)
	}
	if c.Credentials().Refreshes() != 1 {
		t.Errorf("refreshes = %d, want exactly 1", c.Credentials().Refreshes())
	}
}

func TestCredentialErrorsSayWhatWasTried(t *testing.T) {
	for _, tt := range []struct {
		name        string
		creds       func(t *testing.T) (awsauth.Config, string) // and a file counting command runs
		faults      []string
		wantAdvice  string
		wantRuns    int
		wantNoMatch string
	}{
		{"no awsAuthRefresh: the credentials are re-read once, nothing claims a refresh ran", func(t *testing.T) (awsauth.Config, string) {
			return awsauth.Config{LoadChain: staticChain(akid, secret, token)}, ""
		}, []string{"expired_token", "expired_token"}, "set awsAuthRefresh", 0, "were refreshed"},
		{"a failing awsCredentialExport runs once and is named", func(t *testing.T) (awsauth.Config, string) {
			runs := writeFile(t, "runs", "")
			return awsauth.Config{Export: "echo run >> " + runs + "; echo denied >&2; exit 3"}, runs
		}, nil, "awsCredentialExport", 1, "were refreshed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := startSim(t, sim.Options{AuthFile: writeFile(t, "auth.json", authJSON("")), Scenario: scenario(t, faultSteps(tt.faults...))})
			cfg, runs := tt.creds(t)
			cfg.Environ = os.Environ()
			c := newClient(t, s, clientOpts{creds: cfg})
			_, _, err := collect(t, c, bedrock.Call{Model: sonnet45, Request: userTurn("go", writeTool)})
			var be *bedrock.Error
			if !errors.As(err, &be) || be.Kind != bedrock.KindCredentials || be.Refreshed {
				t.Fatalf("err = %#v", err)
			}
			advice := bedrock.Advice(err, catalog.Default())
			if !strings.Contains(advice, tt.wantAdvice) || strings.Contains(advice, tt.wantNoMatch) {
				t.Errorf("advice = %q", advice)
			}
			if runs != "" {
				data, _ := os.ReadFile(runs)
				if n := strings.Count(string(data), "run"); n != tt.wantRuns {
					t.Errorf("command ran %d times, want %d", n, tt.wantRuns)
				}
			}
		})
	}
}

func TestCredentialsExpiringAgainLaterInTheSameCallAreRenewedAgain(t *testing.T) {
	s := startSim(t, sim.Options{AuthFile: writeFile(t, "auth.json", authJSON("")), Scenario: scenario(t, faultSteps("expired_token", "throttling", "expired_token"))})
	rec := &recorder{}
	c := newClient(t, s, clientOpts{rec: rec, creds: awsauth.Config{Refresh: "true", LoadChain: staticChain(akid, secret, token)}})
	if _, _, err := collect(t, c, bedrock.Call{Model: sonnet45, Request: userTurn("go", writeTool)}); err != nil {
		t.Fatalf("a second expiry after accepted credentials ended the call: %v", err)
	}
	var got []string
	for _, n := range rec.all() {
		got = append(got, fmt.Sprintf("%d:%s", n.Kind, n.Command))
	}
	// Within a minute of the first refresh the second renewal only re-reads the credentials,
	// and says so instead of announcing a refresh that does not run.
	want := []string{fmt.Sprintf("%d:true", bedrock.NoticeRefresh), fmt.Sprintf("%d:", bedrock.NoticeRetry), fmt.Sprintf("%d:", bedrock.NoticeRefresh)}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("notices = %v, want %v", got, want)
	}
	if c.Credentials().Refreshes() != 1 {
		t.Errorf("awsAuthRefresh ran %d times, want 1", c.Credentials().Refreshes())
	}
}

func TestRefreshInTheNextCallRunsOnlyAfterAMinute(t *testing.T) {
	sc := `{"conversations": [
	  {"match_first_user_text": "one", "steps": [{"faults": ["expired_token"], "reply": {"content": [{"type": "text", "text": "first"}]}}]},
	  {"match_first_user_text": "two", "steps": [{"faults": ["expired_token"], "reply": {"content": [{"type": "text", "text": "second"}]}}]}]}`
	for _, tt := range []struct {
		between  time.Duration
		wantRuns int
	}{{10 * time.Second, 1}, {61 * time.Second, 2}} {
		t.Run(tt.between.String(), func(t *testing.T) {
			s := startSim(t, sim.Options{AuthFile: writeFile(t, "auth.json", authJSON("")), Scenario: scenario(t, sc)})
			var mu sync.Mutex
			now := time.Now()
			clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
			c := newClient(t, s, clientOpts{creds: awsauth.Config{Refresh: "true", LoadChain: staticChain(akid, secret, token), Now: clock}})
			for _, text := range []string{"one", "two"} {
				if _, _, err := collect(t, c, bedrock.Call{Model: sonnet45, Request: userTurn(text, writeTool)}); err != nil {
					t.Fatalf("call %q: %v", text, err)
				}
				mu.Lock()
				now = now.Add(tt.between)
				mu.Unlock()
			}
			if c.Credentials().Refreshes() != tt.wantRuns {
				t.Errorf("awsAuthRefresh ran %d times, want %d", c.Credentials().Refreshes(), tt.wantRuns)
			}
		})
	}
}

func TestRealExpiryWithRefreshCommandInstallingNewCredentials(t *testing.T) {
	exp := time.Now().Add(10 * time.Minute).UTC().Format(time.RFC3339)
	authPath := writeFile(t, "auth.json", fmt.Sprintf(`{"credentials": [{"access_key_id": "AKIDEXAMPLEOLD", "secret_access_key": %q, "session_token": "OLDEXAMPLE", "expires_at": %q}]}`, secret, exp))
	s := startSim(t, sim.Options{AuthFile: authPath})
	credsFile := writeFile(t, "creds", "AKIDEXAMPLEOLD OLDEXAMPLE")
	newAuth := writeFile(t, "new-auth.json", fmt.Sprintf(`{"credentials": [{"access_key_id": "AKIDEXAMPLENEW", "secret_access_key": %q, "session_token": "NEWEXAMPLE"}]}`, secret))
	// The refresh command plays `aws sso login`: it installs new credentials where the chain
	// reads them, and the simulator learns them through its auth file.
	refresh := fmt.Sprintf(`echo 'AKIDEXAMPLENEW NEWEXAMPLE' > %s && cp %s %s && touch -d '+2 seconds' %s`, credsFile, newAuth, authPath, authPath)
	chain := func(context.Context) (awsCreds, error) { return readCredsFile(credsFile) }
	c := newClient(t, s, clientOpts{creds: awsauth.Config{Refresh: refresh, LoadChain: chainFunc(chain)}})
	call := bedrock.Call{Model: sonnet45, Request: userTurn("hi")}
	if _, err := c.Invoke(context.Background(), call); err != nil {
		t.Fatal(err)
	}
	s.Advance(15 * time.Minute)
	if _, err := c.Invoke(context.Background(), call); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if c.Credentials().Refreshes() != 1 {
		t.Errorf("refreshes = %d", c.Credentials().Refreshes())
	}
}

// TestCachingRefusedIsRetriedWithoutAndRemembered: the first refusal costs one request,
// in this run and the next ones of the day; another region or model still asks for caching.
func TestCachingRefusedIsRetriedWithoutAndRemembered(t *testing.T) {
	s := startSim(t, sim.Options{CachingUnavailable: []string{"us-east-1"}})
	rec := &recorder{}
	dir := t.TempDir()
	call := bedrock.Call{Model: sonnet45, Request: userTurn("hi"), Info: model(t, sonnet45)}
	for run := range 2 {
		c := newClient(t, s, clientOpts{rec: rec, cacheDir: dir})
		for range 2 {
			if _, _, err := collect(t, c, call); err != nil {
				t.Fatalf("run %d: %v", run+1, err)
			}
		}
	}
	n := rec.all()
	if len(n) != 1 || n[0].Kind != bedrock.NoticeCachingOff {
		t.Errorf("notices = %v", n)
	}
	if rep := s.Report(); rep.Requests != 5 || rep.Errors["ValidationException"] != 1 {
		t.Errorf("report requests %d errors %v: want one refusal, then four uncached requests", rep.Requests, rep.Errors)
	}

	haiku := bedrock.Call{Model: "us.anthropic.claude-haiku-4-5-20251001-v1:0", Request: userTurn("hi"), Info: model(t, "us.anthropic.claude-haiku-4-5-20251001-v1:0")}
	if _, _, err := collect(t, newClient(t, s, clientOpts{rec: rec, cacheDir: dir}), haiku); err != nil {
		t.Fatal(err)
	}
	if rep := s.Report(); rep.Errors["ValidationException"] != 2 {
		t.Errorf("another model was not asked with caching: errors %v", rep.Errors)
	}
}

func TestIdleStreamIsCancelledAndRetried(t *testing.T) {
	s := startSim(t, sim.Options{Scenario: scenario(t, faultSteps("stall:3000:2"))})
	rec := &recorder{}
	c := newClient(t, s, clientOpts{rec: rec, cfg: bedrock.Config{IdleTimeout: 300 * time.Millisecond}})
	start := time.Now()
	if _, _, err := collect(t, c, bedrock.Call{Model: sonnet45, Request: userTurn("go", writeTool)}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2500*time.Millisecond {
		t.Errorf("took %v: the idle stream was not cancelled", d)
	}
	if !hasNotice(rec.all(), bedrock.NoticeRetry, "idle stream") {
		t.Errorf("notices = %v", rec.all())
	}
}

func TestNonEventStreamIsAnError(t *testing.T) {
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "event: message_start\ndata: {}\n\n")
	}))
	defer gw.Close()
	c := newClient(t, &simtest.Sim{URL: gw.URL}, clientOpts{})
	var err error
	for _, e := range c.Stream(context.Background(), bedrock.Call{Model: sonnet45, Request: userTurn("hi")}) {
		if e != nil {
			err = e
		}
	}
	var be *bedrock.Error
	if !errors.As(err, &be) || be.Kind != bedrock.KindNotEventStream || !strings.Contains(err.Error(), "text/event-stream") {
		t.Fatalf("err = %v", err)
	}
}

func TestGatewayStatusWithoutAnAWSErrorIsRetried(t *testing.T) {
	s := startSim(t, sim.Options{})
	target, _ := url.Parse(s.URL)
	for _, tt := range []struct {
		status int
		kind   string
	}{{502, "server error"}, {503, "server error"}, {504, "model timeout"}, {429, "throttled"}} {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			var failed atomic.Int32
			proxy := httputil.NewSingleHostReverseProxy(target)
			gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if failed.Add(1) <= 2 {
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(tt.status)
					fmt.Fprint(w, "<html><body>Bad Gateway</body></html>")
					return
				}
				proxy.ServeHTTP(w, r)
			}))
			defer gw.Close()
			rec := &recorder{}
			c := newClient(t, &simtest.Sim{URL: gw.URL}, clientOpts{rec: rec})
			if _, _, err := collect(t, c, bedrock.Call{Model: sonnet45, Request: userTurn("hi")}); err != nil {
				t.Fatalf("stream: %v", err)
			}
			if n := rec.all(); len(n) != 2 || !strings.HasPrefix(n[0].String(), tt.kind) {
				t.Errorf("notices = %v, want two retries of %q", n, tt.kind)
			}
		})
	}
}

func TestClockSkewIsNotTakenForExpiredCredentials(t *testing.T) {
	for _, tt := range []struct {
		serverAhead time.Duration
		want        string
	}{{10 * time.Minute, "10m0s behind"}, {-10 * time.Minute, "10m0s ahead"}} {
		t.Run(tt.want, func(t *testing.T) {
			s := startSim(t, sim.Options{AuthFile: writeFile(t, "auth.json", authJSON("")), Clock: func() time.Time { return time.Now().Add(tt.serverAhead) }})
			c := newClient(t, s, clientOpts{creds: awsauth.Config{Refresh: "true", LoadChain: staticChain(akid, secret, token)}})
			_, err := c.Invoke(context.Background(), bedrock.Call{Model: sonnet45, Request: userTurn("hi")})
			var be *bedrock.Error
			if !errors.As(err, &be) || be.Kind != bedrock.KindClockSkew {
				t.Fatalf("err = %v", err)
			}
			if c.Credentials().Refreshes() != 0 {
				t.Errorf("awsAuthRefresh ran for a clock problem")
			}
			if advice := bedrock.Advice(err, catalog.Default()); !strings.Contains(advice, tt.want) || !strings.Contains(advice, "timedatectl") {
				t.Errorf("advice = %q", advice)
			}
		})
	}
}

func TestOnDemandAdviceNamesTheProfile(t *testing.T) {
	s := startSim(t, sim.Options{})
	c := newClient(t, s, clientOpts{cfg: bedrock.Config{Region: "eu-west-1"}})
	_, err := c.Invoke(context.Background(), bedrock.Call{Model: "anthropic.claude-sonnet-4-5-20250929-v1:0", Request: userTurn("hi")})
	var be *bedrock.Error
	if !errors.As(err, &be) || be.Kind != bedrock.KindOnDemand {
		t.Fatalf("err = %v", err)
	}
	advice := bedrock.Advice(err, catalog.Default())
	if !strings.Contains(advice, "ANTHROPIC_MODEL=eu.anthropic.claude-sonnet-4-5-20250929-v1:0") || !strings.Contains(advice, "S26") {
		t.Errorf("advice = %q", advice)
	}
	_, err = c.Invoke(context.Background(), bedrock.Call{Model: sonnet45, Request: userTurn("hi")})
	if advice := bedrock.Advice(err, catalog.Default()); !strings.Contains(advice, "eu.anthropic.claude-sonnet-4-5-20250929-v1:0") {
		t.Errorf("a us profile from eu-west-1: advice = %q (err %v)", advice, err)
	}
}

func TestBearerKeyOverTLSAndLoopbackHTTP(t *testing.T) {
	key := "ABSKEXAMPLEQmVkcm9ja0FQSUtleS1FWEFNUExFLWtleQ=="
	for _, useTLS := range []bool{true, false} {
		var s *simtest.Sim
		if useTLS {
			s = simtest.StartTLS(t, sim.Options{AuthFile: writeFile(t, "auth.json", authJSON(""))})
		} else {
			s = simtest.Start(t, sim.Options{AuthFile: writeFile(t, "auth.json", authJSON(""))})
		}
		c := newClient(t, s, clientOpts{creds: awsauth.Config{BearerToken: key}})
		if _, err := c.Invoke(context.Background(), bedrock.Call{Model: sonnet45, Request: userTurn("hi")}); err != nil {
			t.Errorf("tls=%v: %v", useTLS, err)
		}
		if got := s.Report().Auth["bearer"]; got != 1 {
			t.Errorf("tls=%v: bearer requests = %d", useTLS, got)
		}
	}
	_, err := bedrock.New(context.Background(), bedrock.Options{Config: bedrock.Config{Region: "us-east-1", BaseURL: "http://gateway.example.com"},
		Credentials: awsauth.New(awsauth.Config{BearerToken: key})})
	if err == nil || !strings.Contains(err.Error(), "plain HTTP") {
		t.Errorf("bearer over remote http: %v", err)
	}
}

// TestRequestIDs: streamed events and whole answers carry Bedrock's request ID
// (X-Amzn-RequestId), which is not the message id.
func TestRequestIDs(t *testing.T) {
	s := startSim(t, sim.Options{Scenario: scenario(t, faultSteps())})
	c := newClient(t, s, clientOpts{})
	call := bedrock.Call{Model: sonnet45, Request: userTurn("go", writeTool), Info: model(t, sonnet45)}
	_, parts, err := collect(t, c, call)
	if err != nil || len(parts) == 0 {
		t.Fatalf("stream: %v", err)
	}
	id := parts[0].RequestID
	for _, p := range parts {
		if p.RequestID != id || len(id) != 36 {
			t.Fatalf("request IDs %q and %q", id, p.RequestID)
		}
	}
	resp, err := c.Invoke(context.Background(), call)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.RequestID) != 36 || resp.RequestID == id || strings.HasPrefix(resp.RequestID, "msg_") {
		t.Errorf("invoke request ID %q (stream's %q)", resp.RequestID, id)
	}
}

// TestRefreshHeldBackByTheMinuteRuleIsSaidSo: credentials rejected twice in a call less than
// a minute after awsAuthRefresh ran end the call (no loop), and the advice says the command
// was held back, not that the user should set the command they have set. The fault soak
// showed the second.
func TestRefreshHeldBackByTheMinuteRuleIsSaidSo(t *testing.T) {
	sc := `{"conversations": [
	  {"match_first_user_text": "one", "steps": [{"faults": ["expired_token"], "reply": {"content": [{"type": "text", "text": "first"}]}}]},
	  {"match_first_user_text": "two", "steps": [{"faults": ["expired_token", "expired_token"], "reply": {"content": [{"type": "text", "text": "second"}]}}]}]}`
	s := startSim(t, sim.Options{AuthFile: writeFile(t, "auth.json", authJSON("")), Scenario: scenario(t, sc)})
	c := newClient(t, s, clientOpts{creds: awsauth.Config{Refresh: "true dev-login", LoadChain: staticChain(akid, secret, token)}})
	if _, _, err := collect(t, c, bedrock.Call{Model: sonnet45, Request: userTurn("one", writeTool)}); err != nil {
		t.Fatalf("first call: %v", err)
	}
	_, _, err := collect(t, c, bedrock.Call{Model: sonnet45, Request: userTurn("two", writeTool)})
	var be *bedrock.Error
	if !errors.As(err, &be) || be.Kind != bedrock.KindCredentials || !be.RefreshHeldBack || be.Refreshed {
		t.Fatalf("second call: %v (%+v)", err, be)
	}
	advice := bedrock.Advice(err, nil)
	if !strings.Contains(advice, "was not run again") || !strings.Contains(advice, "true dev-login") || strings.Contains(advice, "set awsAuthRefresh") {
		t.Errorf("advice = %q", advice)
	}
	if c.Credentials().Refreshes() != 1 {
		t.Errorf("awsAuthRefresh ran %d times, want 1", c.Credentials().Refreshes())
	}
}
