package sim

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// How a request authenticated.
const (
	authSigV4    = "sigv4"
	authBearer   = "bearer"
	authUnsigned = "unsigned"
)

// principal is who made a request, as far as the simulator could tell.
type principal struct {
	Kind        string
	AccessKeyID string
	Account     string
	ARN         string
	// Region is the SigV4 credential scope's region; for bearer and unsigned requests, the
	// simulator's own.
	Region string
	Policy *policy
}

// Bedrock API key prefixes: long-term keys are "ABSK" + base64, short-term ones
// "bedrock-api-key-" + base64 of a presigned CallWithBearerToken URL.
const (
	longTermKeyPrefix  = "ABSK"
	shortTermKeyPrefix = "bedrock-api-key-"
)

// authenticate checks a request's credentials the way the AWS front door does. service is
// the signing name the path belongs to ("bedrock", "sts").
func (s *Server) authenticate(r *http.Request, body []byte, service string) (principal, *apiError) {
	cfg, err := s.authConfig()
	if err != nil {
		return principal{}, bedrockError(http.StatusInternalServerError, "InternalServerException", "simulator auth file: "+err.Error())
	}
	h := r.Header.Get("Authorization")
	switch {
	case strings.HasPrefix(h, "Bearer "):
		return s.authBearer(cfg, strings.TrimPrefix(h, "Bearer "))
	case h != "":
		return s.authSigV4(cfg, r, body, h, service)
	case cfg == nil:
		return principal{Kind: authUnsigned, Account: DefaultAccountID, Region: s.opts.Region,
			ARN: "arn:aws:iam::" + DefaultAccountID + ":user/unsigned"}, nil
	}
	return principal{}, frontDoorError("MissingAuthenticationTokenException", "Missing Authentication Token")
}

func (s *Server) authSigV4(cfg *AuthConfig, r *http.Request, body []byte, h, service string) (principal, *apiError) {
	sig, aerr := parseSigV4(h)
	if aerr != nil {
		return principal{}, aerr
	}
	p := principal{Kind: authSigV4, AccessKeyID: sig.AccessKeyID, Region: sig.Region, Account: cfg.account()}
	p.ARN = "arn:aws:iam::" + p.Account + ":user/sim"
	if sig.Service != service {
		return p, frontDoorError("InvalidSignatureException", "Credential should be scoped to correct service: '"+service+"'. ")
	}
	signedAt, aerr := checkSigV4Time(r, s.wallClock())
	if aerr != nil {
		return p, aerr
	}
	if cfg == nil {
		return p, nil
	}
	cred, ok := s.credential(cfg, sig.AccessKeyID)
	if !ok || cred.SessionToken != r.Header.Get("X-Amz-Security-Token") {
		return p, frontDoorError("UnrecognizedClientException", msgTokenInvalid)
	}
	if cred.ExpiresAt != nil && !s.now().Before(*cred.ExpiresAt) {
		return p, frontDoorError("ExpiredTokenException", msgTokenExpired)
	}
	if aerr := verifySigV4(r, body, sig, cred.SecretAccessKey, signedAt); aerr != nil {
		return p, aerr
	}
	if cred.ARN != "" {
		p.ARN = cred.ARN
	}
	if len(cred.IAMPolicy) > 0 {
		pol, err := parsePolicy(cred.IAMPolicy)
		if err != nil {
			return p, bedrockError(http.StatusInternalServerError, "InternalServerException", "simulator auth file: iam_policy: "+err.Error())
		}
		p.Policy = pol
	}
	return p, nil
}

func (s *Server) authBearer(cfg *AuthConfig, key string) (principal, *apiError) {
	p := principal{Kind: authBearer, Region: s.opts.Region, Account: cfg.account()}
	p.ARN = "arn:aws:iam::" + p.Account + ":user/BedrockAPIKey"
	badFormat := &apiError{Status: http.StatusForbidden, Code: "AccessDeniedException", Message: msgBearerFormat, namespace: nsCoral, capitalKey: true}
	invalid := &apiError{Status: http.StatusForbidden, Code: "AccessDeniedException", Message: msgBearerInvalid, namespace: nsCoral, capitalKey: true}
	if !strings.HasPrefix(key, longTermKeyPrefix) && !strings.HasPrefix(key, shortTermKeyPrefix) {
		return p, badFormat
	}
	if cfg == nil {
		return p, nil
	}
	now := s.now()
	for _, k := range cfg.APIKeys {
		if subtle.ConstantTimeCompare([]byte(k.Key), []byte(key)) == 1 {
			if k.ExpiresAt != nil && !now.Before(*k.ExpiresAt) {
				return p, invalid
			}
			return p, nil
		}
	}
	if strings.HasPrefix(key, shortTermKeyPrefix) {
		if region, ok := s.verifyShortTermKey(cfg, key, now); ok {
			p.Region = region
			return p, nil
		}
	}
	return p, invalid
}

// verifyShortTermKey checks a short-term API key: a presigned CallWithBearerToken URL signed
// with credentials the simulator knows, not yet past its X-Amz-Expires. The key is bound to
// the region it was signed for.
func (s *Server) verifyShortTermKey(cfg *AuthConfig, key string, now time.Time) (string, bool) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(key, shortTermKeyPrefix))
	if err != nil {
		return "", false
	}
	u, err := url.Parse("https://" + string(raw))
	if err != nil {
		return "", false
	}
	q := u.Query()
	scope := strings.Split(q.Get("X-Amz-Credential"), "/")
	signedAt, err := time.Parse(amzDateFormat, q.Get("X-Amz-Date"))
	expires, err2 := strconv.Atoi(q.Get("X-Amz-Expires"))
	if len(scope) != 5 || err != nil || err2 != nil || expires > 43200 || !now.Before(signedAt.Add(time.Duration(expires)*time.Second)) {
		return "", false
	}
	cred, ok := s.credential(cfg, scope[0])
	if !ok || cred.SessionToken != q.Get("X-Amz-Security-Token") {
		return "", false
	}
	req, _ := http.NewRequest(http.MethodPost, "https://"+u.Host+"/?Action=CallWithBearerToken&X-Amz-Expires="+q.Get("X-Amz-Expires"), nil)
	creds := aws.Credentials{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey, SessionToken: cred.SessionToken}
	emptyHash := sha256.Sum256(nil)
	for _, payload := range []string{unsignedPayload, hexString(emptyHash[:])} {
		signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, payload, "bedrock", scope[2], signedAt)
		if err != nil {
			continue
		}
		su, _ := url.Parse(signed)
		if su != nil && subtle.ConstantTimeCompare([]byte(su.Query().Get("X-Amz-Signature")), []byte(q.Get("X-Amz-Signature"))) == 1 {
			return scope[2], true
		}
	}
	return "", false
}

// credential finds an access key in the auth file or among those the simulator issued
// (SSO role credentials, assumed roles).
func (s *Server) credential(cfg *AuthConfig, akid string) (Credential, bool) {
	for _, c := range cfg.Credentials {
		if c.AccessKeyID == akid {
			return c, true
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.issued[akid]
	return c, ok
}

// context is what IAM conditions see of a request.
func (p principal) context() requestContext {
	return requestContext{"aws:RequestedRegion": p.Region, "aws:PrincipalAccount": p.Account, "aws:PrincipalArn": p.ARN}
}
