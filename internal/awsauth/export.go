package awsauth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"ganban/internal/redact"
)

// exportTTL is how long exported credentials without an Expiration are trusted.
const exportTTL = time.Hour

// exportedCredentials is what awsCredentialExport prints: {"Credentials": {...}} as the setup
// guide shows (S9), or the flat shape of `aws configure export-credentials --format process`.
type exportedCredentials struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	SessionToken    string `json:"SessionToken"`
	Expiration      string `json:"Expiration"`
}

// ParseExport reads the output of awsCredentialExport. now sets the expiry of credentials
// that carry none.
func ParseExport(out []byte, now time.Time) (aws.Credentials, error) {
	var doc struct {
		Credentials *exportedCredentials `json:"Credentials"`
		exportedCredentials
	}
	if err := json.Unmarshal(bytes.TrimSpace(out), &doc); err != nil {
		return aws.Credentials{}, fmt.Errorf("output is not JSON (%v); it must print {\"Credentials\": {\"AccessKeyId\": ..., \"SecretAccessKey\": ..., \"SessionToken\": ...}}", err)
	}
	c := doc.exportedCredentials
	if doc.Credentials != nil {
		c = *doc.Credentials
	}
	var missing []string
	if c.AccessKeyID == "" {
		missing = append(missing, "AccessKeyId")
	}
	if c.SecretAccessKey == "" {
		missing = append(missing, "SecretAccessKey")
	}
	if len(missing) > 0 {
		return aws.Credentials{}, fmt.Errorf("output lacks %v; it must print {\"Credentials\": {\"AccessKeyId\": ..., \"SecretAccessKey\": ..., \"SessionToken\": ...}}", missing)
	}
	creds := aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey,
		SessionToken: c.SessionToken, Source: SourceExport, CanExpire: true, Expires: now.Add(exportTTL)}
	if c.Expiration != "" {
		exp, err := time.Parse(time.RFC3339, c.Expiration)
		if err != nil {
			return aws.Credentials{}, fmt.Errorf("Expiration %q is not an ISO 8601 time such as 2026-01-01T00:00:00Z", c.Expiration)
		}
		creds.Expires = exp
	}
	return creds, nil
}

// exportProvider runs awsCredentialExport; an aws.CredentialsCache in front of it decides
// when to run it again.
type exportProvider struct {
	command string
	environ []string
	now     func() time.Time
	timeout time.Duration
}

func (p *exportProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	var out bytes.Buffer
	if err := runShell(ctx, "awsCredentialExport", p.command, p.environ, p.timeout, &out, io.Discard); err != nil {
		return aws.Credentials{}, err
	}
	creds, err := ParseExport(out.Bytes(), p.now())
	if err != nil {
		return aws.Credentials{}, &commandError{Setting: "awsCredentialExport", Command: p.command,
			Err: fmt.Errorf("%s", redact.String(err.Error()))}
	}
	return creds, nil
}
