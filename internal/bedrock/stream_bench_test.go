package bedrock_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"ganban/internal/awsauth"
	"ganban/internal/bedrock"
	"ganban/internal/sim/simtest"
)

// BenchmarkClientStream runs an answer of 64 KB of text and a 32 KB tool input through bedrock.Client.Stream from an HTTP
// server on loopback that replays the simulator's bytes: signing, the AWS SDK's event-stream
// reader, the client's JSON decoding and accumulator, and the loop the agent consumes. The
// same decoding without the network and the SDK is BenchmarkDecodeEventStream in
// internal/anthropic.
func BenchmarkClientStream(b *testing.B) {
	raw := simtest.RecordedStream(b, 64<<10, 32<<10)
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
