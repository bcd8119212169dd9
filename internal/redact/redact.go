// Package redact removes secrets (AWS secret keys, session tokens, Bedrock API keys) from text
// before it is printed, logged, stored in a transcript or put in an error. Access key IDs are
// kept: AWS does not treat them as secret and they are what a user needs to tell credentials
// apart.
package redact

import (
	"regexp"
	"strings"
)

// Mask replaces a secret.
const Mask = "[REDACTED]"

// secretEnv are variables whose values are always secret.
var secretEnv = map[string]bool{
	"AWS_SECRET_ACCESS_KEY":             true,
	"AWS_SESSION_TOKEN":                 true,
	"AWS_SECURITY_TOKEN":                true,
	"AWS_BEARER_TOKEN_BEDROCK":          true,
	"ANTHROPIC_API_KEY":                 true,
	"ANTHROPIC_AUTH_TOKEN":              true,
	"AWS_CONTAINER_AUTHORIZATION_TOKEN": true,
}

// IsSecretEnv reports whether an environment variable holds a secret.
func IsSecretEnv(name string) bool {
	if secretEnv[name] {
		return true
	}
	up := strings.ToUpper(name)
	for _, w := range []string{"SECRET", "TOKEN", "PASSWORD", "API_KEY", "APIKEY"} {
		if strings.Contains(up, w) {
			return true
		}
	}
	return false
}

// Env returns value, or Mask when the variable is secret and set.
func Env(name, value string) string {
	if value != "" && IsSecretEnv(name) {
		return Mask
	}
	return value
}

var patterns = []*regexp.Regexp{
	// Bedrock API keys: long-term ABSK..., short-term bedrock-api-key-...
	regexp.MustCompile(`ABSK[A-Za-z0-9+/=]{16,}`),
	regexp.MustCompile(`bedrock-api-key-[A-Za-z0-9+/=]{16,}`),
	// key = value pairs in config files, JSON and environment dumps, also inside a quoted
	// string (%q of a command that prints JSON escapes its quotes)
	regexp.MustCompile(`(?i)((?:aws_)?secret_?access_?key|session_?token|security_?token|bearer_token_bedrock|"?SecretAccessKey"?|"?SessionToken"?|"?secretAccessKey"?|"?sessionToken"?|"?Token"?)(\\*["']?\s*[:=]\s*\\*["']?)([A-Za-z0-9+/=_\-]{8,})`),
	// Authorization: Bearer ...
	regexp.MustCompile(`(?i)(bearer\s+)([A-Za-z0-9+/=._\-]{8,})`),
	// SigV4 signatures and presigned URL parts
	regexp.MustCompile(`(?i)(Signature=|X-Amz-Signature=|X-Amz-Security-Token=)([A-Za-z0-9%+/=]{8,})`),
}

// String removes every secret the patterns recognise, plus the literal secrets given (values
// known to be secret, such as the current session token, which may not match any pattern).
func String(s string, known ...string) string {
	for _, k := range known {
		if len(k) >= 8 {
			s = strings.ReplaceAll(s, k, Mask)
		}
	}
	s = patterns[0].ReplaceAllString(s, Mask)
	s = patterns[1].ReplaceAllString(s, Mask)
	s = patterns[2].ReplaceAllString(s, "${1}${2}"+Mask)
	s = patterns[3].ReplaceAllString(s, "${1}"+Mask)
	s = patterns[4].ReplaceAllString(s, "${1}"+Mask)
	return s
}
