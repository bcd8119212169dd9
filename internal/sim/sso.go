package sim

import (
	"net/http"
	"time"
)

// serveSSO answers the SSO portal's GetRoleCredentials, which an SSO profile's credential
// provider calls with the access token from the SSO cache (AWS_ENDPOINT_URL_SSO points it
// here). The role credentials it returns are accepted by the simulator until they expire.
func (s *Server) serveSSO(w http.ResponseWriter, r *http.Request) {
	ev := s.startEntry(r, "SSO.GetRoleCredentials")
	defer s.finishEntry(ev)
	token := r.Header.Get("X-Amz-Sso_bearer_token")
	q := r.URL.Query()
	account, role := q.Get("account_id"), q.Get("role_name")
	unauthorized := &apiError{Status: http.StatusUnauthorized, Code: "UnauthorizedException", Message: "Session token not found or invalid", namespace: nsCoral}
	cfg, _ := s.authConfig()
	ttl := time.Hour
	var grantErr *apiError
	if token == "" || account == "" || role == "" {
		grantErr = unauthorized
	} else if cfg != nil {
		grantErr = unauthorized
		now := s.now()
		for _, g := range cfg.SSO {
			if g.AccessToken == token && g.RoleName == role && (g.AccountID == "" || g.AccountID == account) &&
				(g.ExpiresAt == nil || now.Before(*g.ExpiresAt)) {
				grantErr, ttl = nil, ttlSeconds(g.CredentialsTTLSeconds)
				break
			}
		}
	}
	if grantErr != nil {
		ev.fail(grantErr)
		writeError(w, grantErr)
		return
	}
	c := s.issueCredentials("arn:aws:sts::"+account+":assumed-role/AWSReservedSSO_"+role+"/sso-user", ttl, nil)
	ev.Auth, ev.AccessKeyID = "sso", c.AccessKeyID
	writeJSON(w, http.StatusOK, map[string]any{"roleCredentials": map[string]any{
		"accessKeyId": c.AccessKeyID, "secretAccessKey": c.SecretAccessKey, "sessionToken": c.SessionToken,
		"expiration": c.ExpiresAt.UnixMilli(),
	}})
}
