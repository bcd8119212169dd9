package sim

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"ganban/internal/catalog"
)

// inferenceProfile is an InferenceProfileSummary (and the GetInferenceProfile body).
type inferenceProfile struct {
	InferenceProfileName string         `json:"inferenceProfileName"`
	Description          string         `json:"description,omitempty"`
	CreatedAt            string         `json:"createdAt,omitempty"`
	UpdatedAt            string         `json:"updatedAt,omitempty"`
	InferenceProfileArn  string         `json:"inferenceProfileArn"`
	Models               []profileModel `json:"models"`
	InferenceProfileID   string         `json:"inferenceProfileId"`
	Status               string         `json:"status"`
	Type                 string         `json:"type"`
}

type profileModel struct {
	ModelArn string `json:"modelArn"`
}

// serveControlPlane answers ListInferenceProfiles and GetInferenceProfile.
func (s *Server) serveControlPlane(w http.ResponseWriter, r *http.Request, segs []string) {
	op := "ListInferenceProfiles"
	if len(segs) == 2 {
		op = "GetInferenceProfile"
	}
	ev := s.startEntry(r, op)
	defer s.finishEntry(ev)
	p, aerr := s.authenticate(r, nil, "bedrock")
	ev.setPrincipal(p)
	if aerr == nil {
		cfg, _ := s.authConfig()
		if op == "GetInferenceProfile" {
			aerr = s.getProfile(w, cfg, p, segs[1])
		} else {
			aerr = s.listProfiles(w, r, cfg, p)
		}
	}
	if aerr != nil {
		ev.fail(aerr)
		writeError(w, aerr)
	}
}

func (s *Server) listProfiles(w http.ResponseWriter, r *http.Request, cfg *AuthConfig, p principal) *apiError {
	if p.Policy != nil {
		res := "arn:aws:bedrock:" + p.Region + ":" + p.Account + ":inference-profile/*"
		if !p.Policy.allows("bedrock:ListInferenceProfiles", res, p.context()) {
			return errAccessDenied(iamDenied(p, "bedrock:ListInferenceProfiles", res))
		}
	}
	q := r.URL.Query()
	typ := q.Get("type")
	if typ != "" && typ != "SYSTEM_DEFINED" && typ != "APPLICATION" {
		return errValidation("1 validation error detected: Value '%s' at 'typeEquals' failed to satisfy constraint: Member must satisfy enum value set: [SYSTEM_DEFINED, APPLICATION]", typ)
	}
	limit := 1000
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return errValidation("1 validation error detected: Value '%s' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 1000", v)
		}
		limit = n
	}
	var all []inferenceProfile
	if typ != "APPLICATION" {
		all = append(all, s.systemProfiles(p.Region, p.Account)...)
	}
	if typ != "SYSTEM_DEFINED" {
		all = append(all, s.appProfiles(cfg, p.Region)...)
	}
	from := 0
	if tok := q.Get("nextToken"); tok != "" {
		n, err := decodePageToken(tok)
		if err != nil || n > len(all) {
			return errValidation("The provided pagination token is invalid.")
		}
		from = n
	}
	to := min(from+limit, len(all))
	out := map[string]any{"inferenceProfileSummaries": all[from:to]}
	if to < len(all) {
		out["nextToken"] = encodePageToken(to)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func encodePageToken(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(n)))
}

func decodePageToken(tok string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(raw), "offset:"))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad token")
	}
	return n, nil
}

func (s *Server) getProfile(w http.ResponseWriter, cfg *AuthConfig, p principal, rawID string) *apiError {
	id, err := url.PathUnescape(rawID)
	if err != nil {
		return errValidation("The provided inference profile identifier is invalid.")
	}
	candidates := append(s.systemProfiles(p.Region, p.Account), s.appProfiles(cfg, p.Region)...)
	for _, ip := range candidates {
		if ip.InferenceProfileID == id || ip.InferenceProfileArn == id {
			if p.Policy != nil && !p.Policy.allows("bedrock:GetInferenceProfile", ip.InferenceProfileArn, p.context()) {
				return errAccessDenied(iamDenied(p, "bedrock:GetInferenceProfile", ip.InferenceProfileArn))
			}
			writeJSON(w, http.StatusOK, ip)
			return nil
		}
	}
	return errNotFound(fmt.Sprintf("Inference profile %s not found.", id))
}

// systemProfiles lists the system-defined profiles callable from region, newest catalog
// order preserved.
func (s *Server) systemProfiles(region, account string) []inferenceProfile {
	var out []inferenceProfile
	for i := range s.cat.Models {
		m := &s.cat.Models[i]
		for _, geo := range m.Profiles {
			if !s.cat.ProfileOffered(m, geo, region) {
				continue
			}
			g, _ := s.cat.Geography(geo)
			dests := s.cat.ProfileRegions(m, geo)
			var models []profileModel
			for _, arn := range s.routedModels(m, geo) {
				models = append(models, profileModel{arn})
			}
			date := m.Released + "T00:00:00Z"
			out = append(out, inferenceProfile{
				InferenceProfileName: g.Name + " " + m.Name,
				Description:          fmt.Sprintf("Routes requests to %s in %s.", m.Name, joinRegions(dests)),
				CreatedAt:            date, UpdatedAt: date,
				InferenceProfileArn: profileARN(region, account, m.ProfileID(geo)),
				Models:              models,
				InferenceProfileID:  m.ProfileID(geo),
				Status:              "ACTIVE", Type: "SYSTEM_DEFINED",
			})
		}
	}
	return out
}

func joinRegions(rs []string) string {
	if len(rs) <= 1 {
		return strings.Join(rs, "")
	}
	return strings.Join(rs[:len(rs)-1], ", ") + " and " + rs[len(rs)-1]
}

// appProfiles lists the auth file's application profiles in region.
func (s *Server) appProfiles(cfg *AuthConfig, region string) []inferenceProfile {
	if cfg == nil {
		return nil
	}
	var out []inferenceProfile
	for _, ap := range cfg.AppProfiles {
		ref, err := s.cat.Parse(ap.ARN)
		if err != nil || ref.Region != region {
			continue
		}
		name := ap.Name
		if name == "" {
			name = ref.Resource
		}
		out = append(out, inferenceProfile{
			InferenceProfileName: name, InferenceProfileArn: ap.ARN, InferenceProfileID: ref.Resource,
			Models: s.backingModels(ap.Model, region), Status: "ACTIVE", Type: "APPLICATION",
		})
	}
	return out
}

// backingModels lists the foundation-model ARNs an application profile routes to.
func (s *Server) backingModels(model, region string) []profileModel {
	ref, err := s.cat.Parse(model)
	if err != nil || ref.Model == nil {
		return []profileModel{{foundationARN(region, model)}}
	}
	if ref.Kind != catalog.SystemProfile {
		return []profileModel{{foundationARN(region, ref.BaseID)}}
	}
	var out []profileModel
	for _, arn := range s.routedModels(ref.Model, ref.Geo) {
		out = append(out, profileModel{arn})
	}
	return out
}
