package bedrock_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"ganban/internal/anthropic"
	"ganban/internal/awsauth"
	"ganban/internal/bedrock"
	"ganban/internal/catalog"
	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
)

const (
	akid     = "AKIDEXAMPLE"
	secret   = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	token    = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"
	sonnet45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
)

func authJSON(extra string) string {
	future := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	return fmt.Sprintf(`{"credentials": [{"access_key_id": %q, "secret_access_key": %q, "session_token": %q, "expires_at": %q}],
  "api_keys": [{"key": "ABSKEXAMPLEQmVkcm9ja0FQSUtleS1FWEFNUExFLWtleQ=="}]%s}`, akid, secret, token, future, extra)
}

func staticChain(akid, secret, token string) func(context.Context) (aws.CredentialsProvider, error) {
	return func(context.Context) (aws.CredentialsProvider, error) {
		return credentials.NewStaticCredentialsProvider(akid, secret, token), nil
	}
}

// recorder collects notices.
type recorder struct {
	mu      sync.Mutex
	notices []bedrock.Notice
}

func (r *recorder) add(n bedrock.Notice) {
	r.mu.Lock()
	r.notices = append(r.notices, n)
	r.mu.Unlock()
}
func (r *recorder) all() []bedrock.Notice {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bedrock.Notice(nil), r.notices...)
}

type clientOpts struct {
	cfg   bedrock.Config
	creds awsauth.Config
	rec   *recorder
	// cacheDir is Options.CacheDir: a shared one makes two clients two runs of ganban.
	cacheDir string
}

// newClient builds a client against the simulator with instant retries.
func newClient(t *testing.T, s *simtest.Sim, o clientOpts) *bedrock.Client {
	t.Helper()
	cfg := o.cfg
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	cfg.BaseURL = s.URL
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = 10 * time.Second
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 4
	}
	if s.CAFile != "" {
		t.Setenv("AWS_CA_BUNDLE", s.CAFile)
	}
	if o.creds.LoadChain == nil && o.creds.Export == "" {
		o.creds.LoadChain = staticChain(akid, secret, token)
	}
	if o.creds.Environ == nil {
		o.creds.Environ = os.Environ()
	}
	creds := awsauth.New(o.creds)
	notify := func(bedrock.Notice) {}
	if o.rec != nil {
		notify = o.rec.add
	}
	c, err := bedrock.New(context.Background(), bedrock.Options{Config: cfg, Credentials: creds, Notify: notify,
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }, CacheDir: o.cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func userTurn(text string, tools ...anthropic.Tool) *anthropic.Request {
	return &anthropic.Request{Tools: tools, Messages: []anthropic.Message{{Role: "user", Content: []anthropic.Block{anthropic.Text(text)}}}}
}

var writeTool = anthropic.Tool{Name: "Write", InputSchema: []byte(`{"type":"object"}`)}

// collect runs a stream to the end, keeping only the events after the last restart.
func collect(t *testing.T, c *bedrock.Client, call bedrock.Call) (anthropic.Response, []bedrock.Part, error) {
	t.Helper()
	var acc anthropic.Accumulator
	var parts []bedrock.Part
	for p, err := range c.Stream(context.Background(), call) {
		if err != nil {
			return acc.Message(), parts, err
		}
		parts = append(parts, p)
		switch {
		case p.Restart:
			acc = anthropic.Accumulator{}
		case p.Event != nil:
			if err := acc.Add(*p.Event); err != nil {
				t.Fatalf("accumulate: %v", err)
			}
		}
	}
	if !acc.Complete() {
		t.Fatal("stream ended without message_stop and without an error")
	}
	return acc.Message(), parts, nil
}

func model(t *testing.T, id string) *catalog.Model {
	ref, err := catalog.Default().Parse(id)
	if err != nil || ref.Model == nil {
		t.Fatalf("model %s: %v", id, err)
	}
	return ref.Model
}

func startSim(t *testing.T, opts sim.Options) *simtest.Sim { return simtest.Start(t, opts) }

func scenario(t *testing.T, js string) *sim.Scenario {
	t.Helper()
	sc, err := sim.ParseScenario([]byte(js), nil)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func hasNotice(ns []bedrock.Notice, kind bedrock.NoticeKind, substr string) bool {
	for _, n := range ns {
		if n.Kind == kind && strings.Contains(n.String(), substr) {
			return true
		}
	}
	return false
}

type awsCreds = aws.CredentialsProvider

func chainFunc(f func(context.Context) (awsCreds, error)) func(context.Context) (aws.CredentialsProvider, error) {
	return f
}

// readCredsFile reads "AKID TOKEN" written by a test's refresh command.
func readCredsFile(path string) (awsCreds, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f := strings.Fields(string(data))
	if len(f) != 2 {
		return nil, fmt.Errorf("bad creds file %q", data)
	}
	return credentials.NewStaticCredentialsProvider(f[0], secret, f[1]), nil
}
