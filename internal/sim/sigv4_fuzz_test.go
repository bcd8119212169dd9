package sim

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// The fuzzed requests' credentials: AWS's documented example keys.
const (
	fuzzAKID    = "AKIDEXAMPLE"
	fuzzSecret  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	fuzzToken   = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"
	fuzzHost    = "bedrock-runtime.us-east-1.amazonaws.com"
	fuzzSonnet  = "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke"
	fuzzAuthFmt = `{"credentials":[{"access_key_id":"AKIDEXAMPLE","secret_access_key":%q,"session_token":"FwoGZXIvYXdzEXAMPLESESSIONTOKEN"},
	  {"access_key_id":"AKIDEXAMPLENOTOKEN","secret_access_key":%q}]}`
)

// fuzzSignedAt is when the seeds are signed; the simulators' clocks stand still there, so a
// mutated request fails (or passes) the signature check itself instead of the five-minute
// window.
var fuzzSignedAt = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// sigV4Input is what the fuzzer varies of a signed request.
type sigV4Input struct {
	path, auth, date, token, contentSHA, contentType string
	body                                             []byte
}

// FuzzSigV4 fuzzes the verification of signed requests. The seeds are requests signed with
// aws-sdk-go-v2's signer as the clients sign them: Go's (host and content-length signed), the
// JavaScript SDK's over HTTP/2 (":authority" signed, x-amz-content-sha256 sent), an unsigned
// payload, a key without a session token, raw and escaped colons and an ARN in the path. The
// fuzzer mutates the path, the body and the headers. Properties: it never panics; a refusal is
// a 403 front-door error that never carries the secret or the session token; and a simulator
// holding another secret for the same key accepts nothing, so no request authenticates
// without the secret.
func FuzzSigV4(f *testing.F) {
	body := []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`)
	seeds := []sigV4Input{
		signSeed(f, fuzzSonnet, body, seedOpts{token: fuzzToken}),
		signSeed(f, "/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream", body, seedOpts{token: fuzzToken}),
		signSeed(f, "/model/"+url.PathEscape("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0")+"/invoke", body, seedOpts{token: fuzzToken}),
		signSeed(f, fuzzSonnet, body, seedOpts{token: fuzzToken, authority: true, contentSHA: true}),
		signSeed(f, fuzzSonnet, body, seedOpts{token: fuzzToken, unsignedPayload: true}),
		signSeed(f, fuzzSonnet, body, seedOpts{akid: "AKIDEXAMPLENOTOKEN"}),
		signSeed(f, fuzzSonnet, nil, seedOpts{token: fuzzToken}),
	}
	right := fuzzServer(f, fuzzSecret)
	wrong := fuzzServer(f, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYOTHERKEY")
	for i, in := range seeds {
		r, ok := in.request()
		if !ok {
			f.Fatalf("seed %d: not a request", i)
		}
		if p, err := right.authenticate(r, in.body, "bedrock"); err != nil || p.Kind != authSigV4 {
			f.Fatalf("seed %d is not correctly signed: %v", i, err)
		}
		f.Add(in.path, in.body, in.auth, in.date, in.token, in.contentSHA, in.contentType)
	}
	f.Add(fuzzSonnet, body, "AWS4-HMAC-SHA256 Credential=/a/b/c/d, SignedHeaders=;;, Signature=", "x", "", "", "")
	f.Add(fuzzSonnet, body, "Bearer ABSK", "", "", "", "")
	f.Fuzz(func(t *testing.T, path string, body []byte, auth, date, token, contentSHA, contentType string) {
		in := sigV4Input{path: path, body: body, auth: auth, date: date, token: token, contentSHA: contentSHA, contentType: contentType}
		r, ok := in.request()
		if !ok {
			return
		}
		_, err := right.authenticate(r, body, "bedrock")
		if err != nil {
			if err.Status != http.StatusForbidden {
				t.Fatalf("refused with %d %s", err.Status, err)
			}
			echoed := strings.Contains(path+string(body)+contentType+contentSHA+date, fuzzToken)
			if strings.Contains(err.Message, fuzzSecret) || (!echoed && strings.Contains(err.Message, fuzzToken)) {
				t.Fatalf("the refusal carries a secret: %s", err.Message)
			}
		}
		if p, err := wrong.authenticate(r, body, "bedrock"); err == nil && p.Kind == authSigV4 {
			t.Fatalf("authenticated without the secret: %q %q", path, auth)
		}
	})
}

func fuzzServer(f testing.TB, secret string) *Server {
	srv, err := New(Options{AuthFile: writeTemp(f, fmt.Sprintf(fuzzAuthFmt, secret, secret)),
		Clock: func() time.Time { return fuzzSignedAt }})
	if err != nil {
		f.Fatal(err)
	}
	return srv
}

// request builds the request the server would see, or false when the path is not one.
func (in sigV4Input) request() (*http.Request, bool) {
	u, err := url.ParseRequestURI(in.path)
	if err != nil {
		return nil, false
	}
	r := &http.Request{Method: http.MethodPost, URL: u, Host: fuzzHost, Proto: "HTTP/1.1", Header: http.Header{},
		ContentLength: int64(len(in.body))}
	for k, v := range map[string]string{"Authorization": in.auth, "X-Amz-Date": in.date, "X-Amz-Security-Token": in.token,
		"X-Amz-Content-Sha256": in.contentSHA, "Content-Type": in.contentType} {
		if v != "" {
			r.Header.Set(k, v)
		}
	}
	return r, true
}

type seedOpts struct {
	akid, token     string
	secret          string // default fuzzSecret
	authority       bool   // sign ":authority" as the JavaScript SDK does over HTTP/2
	contentSHA      bool   // send x-amz-content-sha256
	unsignedPayload bool
}

// signSeed signs a request with aws-sdk-go-v2's signer at fuzzSignedAt.
func signSeed(f testing.TB, path string, body []byte, o seedOpts) sigV4Input {
	req, err := http.NewRequest(http.MethodPost, "https://"+fuzzHost+path, bytes.NewReader(body))
	if err != nil {
		f.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	if o.unsignedPayload {
		hash = unsignedPayload
		req.Header.Set("X-Amz-Content-Sha256", hash)
	}
	if o.contentSHA {
		req.Header.Set("X-Amz-Content-Sha256", hash)
	}
	if o.authority {
		req.Header[":authority"] = []string{fuzzHost}
	}
	if o.akid == "" {
		o.akid = fuzzAKID
	}
	if o.secret == "" {
		o.secret = fuzzSecret
	}
	creds := aws.Credentials{AccessKeyID: o.akid, SecretAccessKey: o.secret, SessionToken: o.token}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hash, "bedrock", "us-east-1", fuzzSignedAt); err != nil {
		f.Fatal(err)
	}
	return sigV4Input{path: path, body: body, auth: req.Header.Get("Authorization"), date: req.Header.Get("X-Amz-Date"),
		token: req.Header.Get("X-Amz-Security-Token"), contentSHA: req.Header.Get("X-Amz-Content-Sha256"), contentType: "application/json"}
}
