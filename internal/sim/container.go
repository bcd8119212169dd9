package sim

import (
	"crypto/subtle"
	"net/http"
	"time"
)

// containerCredentialsPath is where the container-credentials endpoint listens; point
// AWS_CONTAINER_CREDENTIALS_FULL_URI at it (with AWS_CONTAINER_AUTHORIZATION_TOKEN).
const containerCredentialsPath = "/_sim/container-credentials"

// ContainerRole configures the container-credentials endpoint in the auth file.
type ContainerRole struct {
	AuthorizationToken    string `json:"authorization_token"`
	RoleARN               string `json:"role_arn,omitempty"`
	CredentialsTTLSeconds int    `json:"credentials_ttl_seconds,omitempty"`
}

// serveContainerCredentials answers as the ECS/EKS container credential endpoint does.
func (s *Server) serveContainerCredentials(w http.ResponseWriter, r *http.Request) {
	ev := s.startEntry(r, "ContainerCredentials")
	defer s.finishEntry(ev)
	cfg, _ := s.authConfig()
	role := ContainerRole{RoleARN: "arn:aws:iam::" + cfg.account() + ":role/sim-container"}
	if cfg != nil {
		if cfg.Container == nil || subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte(cfg.Container.AuthorizationToken)) != 1 {
			e := &apiError{Status: http.StatusForbidden, Code: "AccessDenied", Message: "the container credentials authorization token is not valid"}
			ev.fail(e)
			writeJSON(w, e.Status, map[string]string{"code": e.Code, "message": e.Message})
			return
		}
		role = *cfg.Container
	}
	c := s.issueCredentials(role.RoleARN, ttlSeconds(role.CredentialsTTLSeconds), nil)
	ev.Auth, ev.AccessKeyID = "container", c.AccessKeyID
	writeJSON(w, http.StatusOK, map[string]string{
		"AccessKeyId": c.AccessKeyID, "SecretAccessKey": c.SecretAccessKey, "Token": c.SessionToken,
		"Expiration": c.ExpiresAt.Format(time.RFC3339), "RoleArn": role.RoleARN,
	})
}
