package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"
)

// DefaultAccountID is the account the simulator answers for when the auth file names none.
const DefaultAccountID = "123456789012"

// AuthConfig is the --auth file: who may call the simulator and what they may invoke.
// Without one the simulator is permissive (see README).
type AuthConfig struct {
	AccountID   string         `json:"account_id,omitempty"`
	Credentials []Credential   `json:"credentials"`
	APIKeys     []APIKey       `json:"api_keys"`
	SSO         []SSOGrant     `json:"sso"`
	AppProfiles []AppProfile   `json:"application_inference_profiles"`
	ModelAccess []string       `json:"model_access"`
	WebIdentity []WebIdentity  `json:"web_identity,omitempty"`
	Roles       []Role         `json:"roles,omitempty"`
	Container   *ContainerRole `json:"container,omitempty"`
}

// Credential is an access key the simulator accepts for SigV4.
type Credential struct {
	AccessKeyID     string     `json:"access_key_id"`
	SecretAccessKey string     `json:"secret_access_key"`
	SessionToken    string     `json:"session_token,omitempty"`
	ExpiresAt       *time.Time `json:"expires_at,omitempty"`
	// ARN is the identity GetCallerIdentity reports; by default a user "sim" in the account.
	ARN string `json:"arn,omitempty"`
	// IAMPolicy, when set, is enforced on every Bedrock call signed with this key.
	IAMPolicy json.RawMessage `json:"iam_policy,omitempty"`
}

// APIKey is a Bedrock API key accepted as "Authorization: Bearer".
type APIKey struct {
	Key       string     `json:"key"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// SSOGrant is an SSO portal access token and the role credentials it yields.
type SSOGrant struct {
	AccessToken           string     `json:"access_token"`
	AccountID             string     `json:"account_id"`
	RoleName              string     `json:"role_name"`
	CredentialsTTLSeconds int        `json:"credentials_ttl_seconds,omitempty"`
	ExpiresAt             *time.Time `json:"expires_at,omitempty"`
}

// AppProfile is an application inference profile and the model or profile it wraps.
type AppProfile struct {
	ARN   string `json:"arn"`
	Model string `json:"model"`
	Name  string `json:"name,omitempty"`
}

// Role is a role STS AssumeRole may hand out.
type Role struct {
	ARN                   string          `json:"arn"`
	CredentialsTTLSeconds int             `json:"credentials_ttl_seconds,omitempty"`
	IAMPolicy             json.RawMessage `json:"iam_policy,omitempty"`
}

// WebIdentity is a web identity token STS AssumeRoleWithWebIdentity accepts.
type WebIdentity struct {
	Token   string `json:"token"`
	RoleARN string `json:"role_arn"`
}

func (c *AuthConfig) account() string {
	if c == nil || c.AccountID == "" {
		return DefaultAccountID
	}
	return c.AccountID
}

// ParseAuthConfig reads an auth file. Unknown keys are an error: a typo in a key would
// otherwise silently turn a strict test permissive.
func ParseAuthConfig(data []byte) (*AuthConfig, error) {
	var c AuthConfig
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("auth file: %w", err)
	}
	for i, cr := range c.Credentials {
		if cr.AccessKeyID == "" || cr.SecretAccessKey == "" {
			return nil, fmt.Errorf("auth file: credentials[%d] needs access_key_id and secret_access_key", i)
		}
		if len(cr.IAMPolicy) > 0 {
			if _, err := parsePolicy(cr.IAMPolicy); err != nil {
				return nil, fmt.Errorf("auth file: credentials[%d].iam_policy: %w", i, err)
			}
		}
	}
	for i, k := range c.APIKeys {
		if k.Key == "" {
			return nil, fmt.Errorf("auth file: api_keys[%d] needs key", i)
		}
	}
	for i, s := range c.SSO {
		if s.AccessToken == "" || s.RoleName == "" {
			return nil, fmt.Errorf("auth file: sso[%d] needs access_token and role_name", i)
		}
	}
	for i, p := range c.AppProfiles {
		if p.ARN == "" || p.Model == "" {
			return nil, fmt.Errorf("auth file: application_inference_profiles[%d] needs arn and model", i)
		}
	}
	return &c, nil
}

// authSource holds the auth file and re-reads it when it changes on disk, so that a test's
// refresh command can install new credentials while the simulator runs. A file caught
// half-written fails to parse; the previous version stays in force until the next change.
type authSource struct {
	path string

	mu      sync.Mutex
	cfg     *AuthConfig
	modTime time.Time
	size    int64
	lastErr error
}

func newAuthSource(path string) (*authSource, error) {
	s := &authSource{path: path}
	if _, err := s.load(); err != nil {
		return nil, err
	}
	return s, nil
}

// load returns the current config, reloading it if the file changed.
func (s *authSource) load() (*AuthConfig, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fi, err := os.Stat(s.path)
	if err != nil {
		if s.cfg != nil {
			return s.cfg, nil
		}
		return nil, fmt.Errorf("auth file: %w", err)
	}
	if s.cfg != nil && fi.ModTime().Equal(s.modTime) && fi.Size() == s.size {
		return s.cfg, nil
	}
	data, err := os.ReadFile(s.path)
	if err != nil {
		return s.cfg, nil
	}
	cfg, err := ParseAuthConfig(data)
	if err != nil {
		s.lastErr = err
		if s.cfg == nil {
			return nil, err
		}
		return s.cfg, nil
	}
	s.cfg, s.modTime, s.size, s.lastErr = cfg, fi.ModTime(), fi.Size(), nil
	return cfg, nil
}
