package sim

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/encoding/httpbinding"
	"github.com/aws/smithy-go/logging"
)

const (
	sigV4Algorithm  = "AWS4-HMAC-SHA256"
	amzDateFormat   = "20060102T150405Z"
	maxClockSkew    = 5 * time.Minute
	unsignedPayload = "UNSIGNED-PAYLOAD"
)

// sigV4Header is a parsed "Authorization: AWS4-HMAC-SHA256 ..." header.
type sigV4Header struct {
	AccessKeyID   string
	Date          string // YYYYMMDD of the credential scope
	Region        string
	Service       string
	SignedHeaders []string
	Signature     string
}

// parseSigV4 reads the Authorization header; a malformed one is an
// IncompleteSignatureException naming what is missing, as AWS's front door answers.
func parseSigV4(h string) (sigV4Header, *apiError) {
	var s sigV4Header
	rest, ok := strings.CutPrefix(h, sigV4Algorithm+" ")
	if !ok {
		return s, frontDoorError("IncompleteSignatureException", "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization="+redactAuthorization(h))
	}
	var missing []string
	fields := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		fields[k] = v
	}
	for _, k := range []string{"Credential", "Signature", "SignedHeaders"} {
		if fields[k] == "" {
			missing = append(missing, fmt.Sprintf("Authorization header requires '%s' parameter.", k))
		}
	}
	if len(missing) > 0 {
		return s, frontDoorError("IncompleteSignatureException", strings.Join(missing, " "))
	}
	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 5 || scope[4] != "aws4_request" || scope[0] == "" {
		return s, frontDoorError("IncompleteSignatureException", "Credential should be of the form ACCESS_KEY/DATE/REGION/SERVICE/aws4_request.")
	}
	s.AccessKeyID, s.Date, s.Region, s.Service = scope[0], scope[1], scope[2], scope[3]
	s.SignedHeaders = strings.Split(fields["SignedHeaders"], ";")
	s.Signature = fields["Signature"]
	return s, nil
}

// redactAuthorization keeps the scheme of an Authorization value and drops the rest, since it
// may be a secret the client sent by mistake.
func redactAuthorization(h string) string {
	scheme, _, _ := strings.Cut(h, " ")
	return scheme + " [redacted]"
}

// checkSigV4Time rejects a request signed more than five minutes away from now, with the
// front door's "Signature expired" / "not yet current" text.
func checkSigV4Time(r *http.Request, now time.Time) (time.Time, *apiError) {
	raw := r.Header.Get("X-Amz-Date")
	t, err := time.Parse(amzDateFormat, raw)
	if err != nil {
		return t, frontDoorError("IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	now = now.UTC()
	switch {
	case t.Before(now.Add(-maxClockSkew)):
		return t, frontDoorError("InvalidSignatureException", fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 5 min.)",
			raw, now.Add(-maxClockSkew).Format(amzDateFormat), now.Format(amzDateFormat)))
	case t.After(now.Add(maxClockSkew)):
		return t, frontDoorError("InvalidSignatureException", fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 5 min.)",
			raw, now.Add(maxClockSkew).Format(amzDateFormat), now.Format(amzDateFormat)))
	}
	return t, nil
}

// verifySigV4 recomputes the signature with aws-sdk-go-v2's signer over exactly the headers
// the client signed, and compares it in constant time.
func verifySigV4(r *http.Request, body []byte, h sigV4Header, secret string, signedAt time.Time) *apiError {
	sum := sha256.Sum256(body)
	payloadHash := hex.EncodeToString(sum[:])
	if claimed := r.Header.Get("X-Amz-Content-Sha256"); claimed != "" && claimed != payloadHash {
		if claimed != unsignedPayload {
			return frontDoorError("InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match what was computed.")
		}
		payloadHash = unsignedPayload
	}
	if needsCanonicalFallback(h.SignedHeaders) {
		return verifyCanonical(r, h, secret, signedAt, payloadHash)
	}
	req := &http.Request{
		Method: r.Method,
		Host:   r.Host,
		URL: &url.URL{Scheme: "https", Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath,
			RawQuery: r.URL.RawQuery},
		Header: http.Header{},
	}
	signsLength := false
	for _, name := range h.SignedHeaders {
		switch name {
		case "host":
		case "content-length":
			signsLength = true
		default:
			key := http.CanonicalHeaderKey(name)
			req.Header[key] = r.Header.Values(key)
		}
	}
	if signsLength {
		req.ContentLength = int64(len(body))
	}
	creds := aws.Credentials{AccessKeyID: h.AccessKeyID, SecretAccessKey: secret,
		SessionToken: r.Header.Get("X-Amz-Security-Token")}
	var trace signingTrace
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.Logger, o.LogSigning = &trace, true })
	err := signer.SignHTTP(context.Background(), creds, req, payloadHash, h.Service, h.Region, signedAt)
	if err != nil {
		return frontDoorError("InvalidSignatureException", "The request signature could not be computed: "+err.Error())
	}
	want, _ := parseSigV4(req.Header.Get("Authorization"))
	if !hmac.Equal([]byte(want.Signature), []byte(h.Signature)) {
		return errSignatureMismatch(trace.canonical, trace.toSign)
	}
	return nil
}

// signingTrace receives what aws-sdk-go-v2's signer logs when LogSigning is on: the canonical
// request and the string to sign, its first two arguments.
type signingTrace struct{ canonical, toSign string }

func (t *signingTrace) Logf(_ logging.Classification, _ string, v ...any) {
	if len(v) >= 2 {
		t.canonical, _ = v[0].(string)
		t.toSign, _ = v[1].(string)
	}
}

// errSignatureMismatch is Bedrock's answer to a wrong signature. Like the service it shows
// what the request should have signed, so a client author can find the difference, with one
// exception: the session token's value is left out of the canonical string, since the message
// reaches logs (the string-to-sign's hash is still over the real one). Nothing derived from
// the secret, such as the expected signature, is shown.
func errSignatureMismatch(canonical, toSign string) *apiError {
	return frontDoorError("InvalidSignatureException", msgSignatureMismatch+
		"\n\nThe Canonical String for this request should have been\n'"+redactSessionToken(canonical)+
		"'\n\nThe String-to-Sign should have been\n'"+toSign+"'\n")
}

// redactSessionToken replaces the value of the x-amz-security-token line of a canonical
// request.
func redactSessionToken(canonical string) string {
	lines := strings.Split(canonical, "\n")
	for i, l := range lines {
		// The signed-headers list may spell the name in any case, and the canonical request
		// uses it as given.
		if name, _, ok := strings.Cut(l, ":"); ok && strings.EqualFold(name, "x-amz-security-token") {
			lines[i] = name + ":[redacted]"
		}
	}
	return strings.Join(lines, "\n")
}

// needsCanonicalFallback reports a signed-header list aws-sdk-go-v2's signer cannot
// reproduce: it always signs "host", while the AWS SDK for JavaScript over HTTP/2 signs the
// ":authority" pseudo-header instead.
func needsCanonicalFallback(signed []string) bool {
	host := false
	for _, n := range signed {
		if strings.HasPrefix(n, ":") {
			return true
		}
		host = host || n == "host"
	}
	return !host
}

// verifyCanonical verifies SigV4 from the canonical request built over exactly the client's
// signed headers. Pseudo-headers and host take the request's authority; the path is
// escaped a second time per segment, as every AWS signer does for non-S3 services.
func verifyCanonical(r *http.Request, h sigV4Header, secret string, signedAt time.Time, payloadHash string) *apiError {
	var canon strings.Builder
	for _, name := range h.SignedHeaders {
		var value string
		switch name {
		case "host", ":authority":
			value = r.Host
		case "content-length":
			value = r.Header.Get("Content-Length")
			if value == "" && r.ContentLength >= 0 {
				value = fmt.Sprint(r.ContentLength)
			}
		default:
			vals := r.Header.Values(name)
			for i, v := range vals {
				vals[i] = strings.Join(strings.Fields(v), " ")
			}
			value = strings.Join(vals, ",")
		}
		canon.WriteString(name + ":" + value + "\n")
	}
	query := strings.ReplaceAll(r.URL.Query().Encode(), "+", "%20")
	creq := strings.Join([]string{r.Method, httpbinding.EscapePath(r.URL.EscapedPath(), false), query,
		canon.String(), strings.Join(h.SignedHeaders, ";"), payloadHash}, "\n")
	sum := sha256.Sum256([]byte(creq))
	scope := strings.Join([]string{h.Date, h.Region, h.Service, "aws4_request"}, "/")
	toSign := strings.Join([]string{sigV4Algorithm, signedAt.UTC().Format(amzDateFormat), scope, hex.EncodeToString(sum[:])}, "\n")
	key := []byte("AWS4" + secret)
	for _, part := range []string{h.Date, h.Region, h.Service, "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	want := hex.EncodeToString(hmacSHA256(key, toSign))
	if !hmac.Equal([]byte(want), []byte(h.Signature)) {
		return errSignatureMismatch(creq, toSign)
	}
	return nil
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}
