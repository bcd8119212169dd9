package sim

import (
	"crypto/rand"
	"encoding/json"
	"time"
)

const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

func randomString(alphabet string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// issueCredentials mints temporary credentials (SSO role credentials, assumed roles,
// container credentials) and remembers them so that requests signed with them pass. The key
// IDs start "ASIASIM" so nobody mistakes them for real ones.
func (s *Server) issueCredentials(arn string, ttl time.Duration, pol json.RawMessage) Credential {
	exp := s.now().Add(ttl).UTC().Truncate(time.Second)
	c := Credential{
		AccessKeyID:     "ASIASIM" + randomString(upperAlnum, 13),
		SecretAccessKey: randomString(idAlphabet, 40),
		SessionToken:    "SIMSESSION" + randomString(idAlphabet, 100),
		ExpiresAt:       &exp,
		ARN:             arn,
		IAMPolicy:       pol,
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issued[c.AccessKeyID] = c
	return c
}

func ttlSeconds(n int) time.Duration {
	if n <= 0 {
		return time.Hour
	}
	return time.Duration(n) * time.Second
}
