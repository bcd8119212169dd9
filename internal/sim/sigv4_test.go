package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// TestInvalidSignatureShowsWhatToSign: a wrong signature is answered, as Bedrock answers it,
// with the canonical request and the string to sign the simulator computed, written out by
// hand below, whichever verification path the request took, and without a secret: no secret
// key, no session token, no valid signature.
func TestInvalidSignatureShowsWhatToSign(t *testing.T) {
	body := []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`)
	sum := sha256.Sum256(body)
	payload := hex.EncodeToString(sum[:])
	cases := []struct {
		name      string
		opts      seedOpts
		canonical string // with TOKEN for the session token
	}{
		{"signed as aws-sdk-go-v2 signs", seedOpts{token: fuzzToken}, "POST\n" +
			"/model/us.anthropic.claude-sonnet-4-5-20250929-v1%253A0/invoke\n\n" +
			"content-length:102\ncontent-type:application/json\nhost:" + fuzzHost + "\nx-amz-date:20261128T120000Z\nx-amz-security-token:TOKEN\n\n" +
			"content-length;content-type;host;x-amz-date;x-amz-security-token\n" + payload},
		{"signed as the JavaScript SDK signs over HTTP/2", seedOpts{token: fuzzToken, authority: true, contentSHA: true}, "POST\n" +
			"/model/us.anthropic.claude-sonnet-4-5-20250929-v1%253A0/invoke\n\n" +
			":authority:" + fuzzHost + "\ncontent-length:102\ncontent-type:application/json\nhost:" + fuzzHost + "\nx-amz-content-sha256:" + payload +
			"\nx-amz-date:20261128T120000Z\nx-amz-security-token:TOKEN\n\n" +
			":authority;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token\n" + payload},
	}
	srv := fuzzServer(t, fuzzSecret)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			valid := signSeed(t, fuzzSonnet, body, tc.opts)
			wrong := tc.opts
			wrong.secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY"
			in := signSeed(t, fuzzSonnet, body, wrong)
			r, _ := in.request()
			_, aerr := srv.authenticate(r, body, "bedrock")
			if aerr == nil || aerr.Code != "InvalidSignatureException" || aerr.Status != 403 {
				t.Fatalf("err = %v, want a 403 InvalidSignatureException", aerr)
			}
			creq := strings.ReplaceAll(tc.canonical, "TOKEN", fuzzToken)
			creqSum := sha256.Sum256([]byte(creq))
			want := msgSignatureMismatch + "\n\nThe Canonical String for this request should have been\n'" +
				strings.ReplaceAll(tc.canonical, "TOKEN", "[redacted]") + "'\n\nThe String-to-Sign should have been\n'" +
				"AWS4-HMAC-SHA256\n20261128T120000Z\n20261128/us-east-1/bedrock/aws4_request\n" + hex.EncodeToString(creqSum[:]) + "'\n"
			if aerr.Message != want {
				t.Errorf("message:\n%s\nwant:\n%s", aerr.Message, want)
			}
			validSig := valid.auth[strings.Index(valid.auth, "Signature=")+len("Signature="):]
			for name, secret := range map[string]string{"secret key": fuzzSecret, "session token": fuzzToken, "valid signature": validSig} {
				if strings.Contains(aerr.Message, secret) {
					t.Errorf("the message carries the %s", name)
				}
			}
		})
	}
}
