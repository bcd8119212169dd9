package sim

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// stsCodes maps front-door errors to the codes STS uses for the same failures.
var stsCodes = map[string]string{
	"UnrecognizedClientException": "InvalidClientTokenId",
	"ExpiredTokenException":       "ExpiredToken",
	"InvalidSignatureException":   "SignatureDoesNotMatch",
}

type stsCredentials struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

type stsAssumedRoleUser struct {
	Arn           string `xml:"Arn"`
	AssumedRoleID string `xml:"AssumedRoleId"`
}

// serveSTS answers the STS query API: GetCallerIdentity, AssumeRole and
// AssumeRoleWithWebIdentity, enough for a default credential chain to run offline.
func (s *Server) serveSTS(w http.ResponseWriter, r *http.Request) {
	body, aerr := readBody(r)
	if aerr != nil {
		writeSTSError(w, aerr)
		return
	}
	form, err := url.ParseQuery(string(body))
	action := form.Get("Action")
	ev := s.startEntry(r, "STS."+action)
	defer s.finishEntry(ev)
	if err != nil || action == "" {
		aerr = &apiError{Status: http.StatusBadRequest, Code: "MissingAction", Message: "Missing Action"}
	} else {
		aerr = s.sts(w, r, body, action, form, ev)
	}
	if aerr != nil {
		ev.fail(aerr)
		writeSTSError(w, aerr)
	}
}

func (s *Server) sts(w http.ResponseWriter, r *http.Request, body []byte, action string, form url.Values, ev *logEntry) *apiError {
	cfg, _ := s.authConfig()
	if action == "AssumeRoleWithWebIdentity" {
		return s.assumeRoleWithWebIdentity(w, cfg, form)
	}
	p, aerr := s.authenticate(r, body, "sts")
	ev.setPrincipal(p)
	if aerr != nil {
		return aerr
	}
	switch action {
	case "GetCallerIdentity":
		userID := p.AccessKeyID
		if userID == "" {
			userID = "AIDASIMULATOR"
		}
		writeSTS(w, action, struct {
			Arn     string `xml:"Arn"`
			UserID  string `xml:"UserId"`
			Account string `xml:"Account"`
		}{p.ARN, userID, p.Account})
		return nil
	case "AssumeRole":
		return s.assumeRole(w, cfg, p, form)
	}
	return &apiError{Status: http.StatusBadRequest, Code: "InvalidAction", Message: "Could not find operation " + action + " for version 2011-06-15"}
}

func (s *Server) assumeRole(w http.ResponseWriter, cfg *AuthConfig, p principal, form url.Values) *apiError {
	roleARN, session := form.Get("RoleArn"), form.Get("RoleSessionName")
	role, ok := findRole(cfg, roleARN)
	if !ok {
		return &apiError{Status: http.StatusForbidden, Code: "AccessDenied",
			Message: fmt.Sprintf("User: %s is not authorized to perform: sts:AssumeRole on resource: %s", p.ARN, roleARN)}
	}
	ttl := ttlSeconds(role.CredentialsTTLSeconds)
	if d, err := strconv.Atoi(form.Get("DurationSeconds")); err == nil && d > 0 {
		ttl = time.Duration(d) * time.Second
	}
	s.writeAssumed(w, "AssumeRole", roleARN, session, ttl, role)
	return nil
}

func (s *Server) assumeRoleWithWebIdentity(w http.ResponseWriter, cfg *AuthConfig, form url.Values) *apiError {
	roleARN, token := form.Get("RoleArn"), form.Get("WebIdentityToken")
	if cfg != nil {
		ok := false
		for _, wi := range cfg.WebIdentity {
			ok = ok || (wi.Token == token && wi.RoleARN == roleARN)
		}
		if !ok {
			return &apiError{Status: http.StatusBadRequest, Code: "InvalidIdentityToken", Message: "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request."}
		}
	}
	role, _ := findRole(cfg, roleARN)
	s.writeAssumed(w, "AssumeRoleWithWebIdentity", roleARN, form.Get("RoleSessionName"), ttlSeconds(role.CredentialsTTLSeconds), role)
	return nil
}

// findRole finds a role of the auth file; without one every role may be assumed.
func findRole(cfg *AuthConfig, arn string) (Role, bool) {
	if cfg == nil {
		return Role{ARN: arn}, arn != ""
	}
	for _, r := range cfg.Roles {
		if r.ARN == arn {
			return r, true
		}
	}
	return Role{}, false
}

func (s *Server) writeAssumed(w http.ResponseWriter, action, roleARN, session string, ttl time.Duration, role Role) {
	name := roleARN[strings.LastIndex(roleARN, "/")+1:]
	account := strings.Split(roleARN+"::::", ":")[4]
	assumed := "arn:aws:sts::" + account + ":assumed-role/" + name + "/" + session
	c := s.issueCredentials(assumed, ttl, role.IAMPolicy)
	writeSTS(w, action, struct {
		Credentials     stsCredentials     `xml:"Credentials"`
		AssumedRoleUser stsAssumedRoleUser `xml:"AssumedRoleUser"`
	}{
		stsCredentials{c.AccessKeyID, c.SecretAccessKey, c.SessionToken, c.ExpiresAt.Format(time.RFC3339)},
		stsAssumedRoleUser{assumed, "AROASIMULATOR:" + session},
	})
}

// writeSTS writes an STS query-API response: <ActionResponse><ActionResult>...</ActionResult>
// <ResponseMetadata>...</ResponseMetadata></ActionResponse>.
func writeSTS(w http.ResponseWriter, action string, result any) {
	var inner bytes.Buffer
	enc := xml.NewEncoder(&inner)
	_ = enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}})
	_ = enc.EncodeElement(struct {
		RequestID string `xml:"RequestId"`
	}{w.Header().Get("X-Amzn-RequestId")}, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}})
	out, _ := xml.Marshal(struct {
		XMLName xml.Name
		Xmlns   string `xml:"xmlns,attr"`
		Inner   []byte `xml:",innerxml"`
	}{xml.Name{Local: action + "Response"}, stsNamespace, inner.Bytes()})
	w.Header().Set("Content-Type", "text/xml")
	_, _ = w.Write(append([]byte(xml.Header), out...))
}

type stsErrorDetail struct {
	Type    string `xml:"Type"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

func writeSTSError(w http.ResponseWriter, e *apiError) {
	code := e.Code
	if c, ok := stsCodes[code]; ok {
		code = c
	}
	typ := "Sender"
	if e.Status >= 500 {
		typ = "Receiver"
	}
	body, _ := xml.Marshal(struct {
		XMLName   xml.Name       `xml:"ErrorResponse"`
		Xmlns     string         `xml:"xmlns,attr"`
		Error     stsErrorDetail `xml:"Error"`
		RequestID string         `xml:"RequestId"`
	}{Xmlns: stsNamespace, Error: stsErrorDetail{typ, code, e.Message}, RequestID: w.Header().Get("X-Amzn-RequestId")})
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}
