package sim_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"

	"ganban/internal/anthropic"
	"ganban/internal/sdkhttp"
	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
)

// Documented fake credentials (AWS's own examples).
const (
	testAKID   = "AKIDEXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	testToken  = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"
	testAPIKey = "ABSKEXAMPLEQmVkcm9ja0FQSUtleS1FWEFNUExFLWtleQ=="
	sonnet45   = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
)

// authFile writes an auth file with the standard test credentials plus extra JSON members.
func authFile(t *testing.T, extra string) string {
	t.Helper()
	future := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	body := fmt.Sprintf(`{
  "credentials": [
    {"access_key_id": %q, "secret_access_key": %q, "session_token": %q, "expires_at": %q},
    {"access_key_id": "AKIDEXAMPLEEXPIRED", "secret_access_key": %q, "session_token": "EXPIREDEXAMPLE", "expires_at": %q},
    {"access_key_id": "AKIDEXAMPLENOTOKEN", "secret_access_key": %q}
  ],
  "api_keys": [{"key": %q}, {"key": "ABSKRXhwaXJlZEV4YW1wbGVLZXk=", "expires_at": %q}],
  "application_inference_profiles": [{"arn": "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123example", "model": %q}]%s
}`, testAKID, testSecret, testToken, future, testSecret, past, testSecret, testAPIKey, past, sonnet45, extra)
	return simtest.WriteFile(t, "auth.json", body)
}

// runtimeClient is an aws-sdk-go-v2 bedrock-runtime client pointed at the simulator, with
// retries off so each call is one request. Its requests carry a body of their own, as
// ganban's provider gives them (internal/bedrock/body.go): a plain client closes the body it
// built when the response headers arrive, while net/http's writer may still read it once
// more; that read fails and net/http closes the connection under the response ("use of
// closed network connection"). Against the simulator, which answers at once, that broke
// streams at random, and a fault test whose first attempt lost its connection never met
// its fault.
func runtimeClient(s *simtest.Sim, creds aws.CredentialsProvider, region string) *bedrockruntime.Client {
	return bedrockruntime.New(bedrockruntime.Options{
		Region:           region,
		Credentials:      creds,
		BaseEndpoint:     aws.String(s.URL),
		HTTPClient:       sdkhttp.DetachBodies(s.HTTPClient()),
		RetryMaxAttempts: 1,
	})
}

func staticCreds(akid, secret, token string) aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(akid, secret, token)
}

var goodCreds = staticCreds(testAKID, testSecret, testToken)

// body builds a Messages request body.
func body(t testing.TB, req map[string]any) []byte {
	t.Helper()
	if _, ok := req["anthropic_version"]; !ok {
		req["anthropic_version"] = anthropic.Version
	}
	if _, ok := req["max_tokens"]; !ok {
		req["max_tokens"] = 1024
	}
	if _, ok := req["messages"]; !ok {
		req["messages"] = []any{map[string]any{"role": "user", "content": "hello"}}
	}
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var readTool = map[string]any{"name": "Read", "description": "Read a file", "input_schema": map[string]any{
	"type": "object", "properties": map[string]any{"file_path": map[string]any{"type": "string"}}, "required": []string{"file_path"}}}

func invoke(t *testing.T, c *bedrockruntime.Client, model string, b []byte) (*anthropic.Response, error) {
	t.Helper()
	out, err := c.InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{
		ModelId: aws.String(model), ContentType: aws.String("application/json"), Body: b})
	if err != nil {
		return nil, err
	}
	var resp anthropic.Response
	if err := json.Unmarshal(out.Body, &resp); err != nil {
		t.Fatalf("response body: %v\n%s", err, out.Body)
	}
	return &resp, nil
}

// streamed is what a stream delivered.
type streamed struct {
	Events []anthropic.Event
	Msg    anthropic.Response
	Err    error
}

// stream calls InvokeModelWithResponseStream and assembles the message from its events the
// way a client does.
func stream(t *testing.T, c *bedrockruntime.Client, model string, b []byte) (*streamed, error) {
	t.Helper()
	out, err := c.InvokeModelWithResponseStream(context.Background(), &bedrockruntime.InvokeModelWithResponseStreamInput{
		ModelId: aws.String(model), ContentType: aws.String("application/json"), Body: b})
	if err != nil {
		return nil, err
	}
	st := out.GetStream()
	defer st.Close()
	var res streamed
	inputs := map[int]*strings.Builder{}
	for ev := range st.Events() {
		chunk, ok := ev.(*types.ResponseStreamMemberChunk)
		if !ok {
			t.Fatalf("unexpected stream member %T", ev)
		}
		var e anthropic.Event
		if err := json.Unmarshal(chunk.Value.Bytes, &e); err != nil {
			t.Fatalf("chunk: %v: %s", err, chunk.Value.Bytes)
		}
		res.Events = append(res.Events, e)
		switch e.Type {
		case anthropic.EventMessageStart:
			res.Msg = *e.Message
		case anthropic.EventContentBlockStart:
			res.Msg.Content = append(res.Msg.Content, *e.ContentBlock)
			inputs[*e.Index] = &strings.Builder{}
		case anthropic.EventContentBlockDelta:
			blk := &res.Msg.Content[*e.Index]
			switch e.Delta.Type {
			case anthropic.DeltaText:
				blk.Text += e.Delta.Text
			case anthropic.DeltaThinking:
				blk.Thinking += e.Delta.Thinking
			case anthropic.DeltaSignature:
				blk.Signature = e.Delta.Signature
			case anthropic.DeltaInputJSON:
				inputs[*e.Index].WriteString(*e.Delta.PartialJSON)
			}
		case anthropic.EventContentBlockStop:
			if blk := &res.Msg.Content[*e.Index]; blk.Type == anthropic.BlockToolUse {
				blk.Input = json.RawMessage(inputs[*e.Index].String())
			}
		case anthropic.EventMessageDelta:
			res.Msg.Usage.OutputTokens = e.Usage.OutputTokens
			stop := e.Delta.StopReason
			res.Msg.StopReason = &stop
		}
	}
	res.Err = st.Err()
	return &res, nil
}

// apiCode extracts the AWS error code a client sees.
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func apiMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return ""
}

func getJSON(t *testing.T, c *http.Client, url string, v any) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func scenario(t *testing.T, js string, vars map[string]string) *sim.Scenario {
	t.Helper()
	sc, err := sim.ParseScenario([]byte(js), vars)
	if err != nil {
		t.Fatalf("scenario: %v", err)
	}
	return sc
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
