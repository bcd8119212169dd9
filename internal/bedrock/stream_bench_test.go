package bedrock_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"ganban/internal/anthropic"
	"ganban/internal/awsauth"
	"ganban/internal/bedrock"
	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
)

// simStream asks the simulator for one streamed answer of text (textBytes long) and a tool
// call whose input holds inputBytes of content, and returns the raw
// application/vnd.amazon.eventstream body: frames exactly as the simulator's encoder writes
// them, 16-byte text deltas and 24-byte partial_json deltas, as Bedrock sends them.
func simStream(tb testing.TB, textBytes, inputBytes int) []byte {
	tb.Helper()
	text := strings.Repeat("The quick brown fox jumps over the lazy dog; ", textBytes/45+1)[:textBytes]
	input, _ := json.Marshal(map[string]string{"file_path": "/tmp/big.go", "content": strings.Repeat("x := compute(y) // step\n", inputBytes/24+1)[:inputBytes]})
	sc, err := sim.ParseScenario([]byte(fmt.Sprintf(`{"conversations": [{"match_first_user_text": "go", "steps": [{"reply": {"content": [
	  {"type": "text", "text": %q}, {"type": "tool_use", "name": "Write", "input": %s}]}}]}]}`, text, input)), nil)
	if err != nil {
		tb.Fatal(err)
	}
	s := simtest.Start(tb, sim.Options{Scenario: sc})
	body, _ := json.Marshal(anthropic.Request{AnthropicVersion: "bedrock-2023-05-31", MaxTokens: 64000,
		Tools:    []anthropic.Tool{{Name: "Write", InputSchema: []byte(`{"type":"object"}`)}},
		Messages: []anthropic.Message{{Role: anthropic.RoleUser, Content: []anthropic.Block{anthropic.Text("go")}}}})
	resp, err := http.Post(s.URL+"/model/"+sonnet45+"/invoke-with-response-stream", "application/json", bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		tb.Fatalf("stream: %v %s %.300s", err, resp.Status, raw)
	}
	return raw
}

// BenchmarkClientStream runs an answer of 64 KB of text and a 32 KB tool input through bedrock.Client.Stream from an HTTP
// server on loopback that replays the simulator's bytes: signing, the AWS SDK's event-stream
// reader, the client's JSON decoding and accumulator, and the loop the agent consumes. The
// same decoding without the network and the SDK is BenchmarkDecodeEventStream in
// internal/anthropic.
func BenchmarkClientStream(b *testing.B) {
	raw := simStream(b, 64<<10, 32<<10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
		w.Header().Set("X-Amzn-Bedrock-Content-Type", "application/json")
		_, _ = w.Write(raw)
	}))
	b.Cleanup(srv.Close)
	creds := awsauth.New(awsauth.Config{Environ: os.Environ(), LoadChain: func(context.Context) (aws.CredentialsProvider, error) {
		return credentials.NewStaticCredentialsProvider(akid, secret, token), nil
	}})
	c, err := bedrock.New(context.Background(), bedrock.Options{Config: bedrock.Config{Region: "us-east-1", BaseURL: srv.URL,
		Timeout: time.Minute, IdleTimeout: time.Minute, MaxRetries: 4}, Credentials: creds,
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }})
	if err != nil {
		b.Fatal(err)
	}
	call := bedrock.Call{Model: sonnet45, Request: userTurn("go", writeTool)}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		events := 0
		for p, err := range c.Stream(context.Background(), call) {
			if err != nil {
				b.Fatal(err)
			}
			if p.Restart {
				events = 0
			} else {
				events++
			}
		}
		if events < 1000 {
			b.Fatalf("%d events", events)
		}
	}
}
