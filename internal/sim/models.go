package sim

import (
	"net/http"
	"strings"
	"time"

	"ganban/internal/catalog"
)

// target is what a request's model identifier resolved to.
type target struct {
	Ref   catalog.Ref
	Model *catalog.Model
	// Geo is the profile geography billed ("" for foundation models).
	Geo string
	// InvokedARN is the resource IAM authorizes for the call.
	InvokedARN string
	// FoundationARNs are the foundation models the call may be routed to, which IAM also
	// authorizes when the call goes through a profile: one per destination region of a
	// cross-region profile, wherever the call lands, plus the region-less ARN of a global one.
	FoundationARNs []string
	// ProfileID is the system profile behind the call, when there is one.
	ProfileID string
}

func foundationARN(region, modelID string) string {
	return "arn:aws:bedrock:" + region + "::foundation-model/" + modelID
}

// routedModels lists the foundation-model ARNs a system profile routes to: the model in each
// destination region and, for a global profile, the region-less
// arn:aws:bedrock:::foundation-model/ID, which IAM requires as well.
func (s *Server) routedModels(m *catalog.Model, geo string) []string {
	var out []string
	if geo == "global" {
		out = append(out, foundationARN("", m.BedrockID))
	}
	for _, d := range s.cat.ProfileRegions(m, geo) {
		out = append(out, foundationARN(d, m.BedrockID))
	}
	return out
}

func profileARN(region, account, profileID string) string {
	return "arn:aws:bedrock:" + region + ":" + account + ":inference-profile/" + profileID
}

// resolveModel resolves a model identifier the way Bedrock does for a caller in p.Region.
func (s *Server) resolveModel(cfg *AuthConfig, id string, p principal) (target, *apiError) {
	ref, err := s.cat.Parse(id)
	if err != nil {
		return target{}, errValidation(msgInvalidModelID)
	}
	if ref.Kind == catalog.ApplicationProfile {
		return s.resolveAppProfile(cfg, ref, p)
	}
	return s.resolveBase(cfg, ref, p, true)
}

func (s *Server) resolveBase(cfg *AuthConfig, ref catalog.Ref, p principal, onDemandOnly bool) (target, *apiError) {
	t := target{Ref: ref, Model: ref.Model}
	if ref.Model == nil || (ref.IsARN && ref.Region != "" && ref.Region != p.Region) {
		return t, errValidation(msgInvalidModelID)
	}
	if eol := ref.Model.EOL; eol != "" && s.now().UTC().Format(time.DateOnly) >= eol {
		return t, errNotFound(msgEndOfLife)
	}
	switch ref.Kind {
	case catalog.FoundationModel:
		t.InvokedARN = foundationARN(p.Region, ref.BaseID)
		t.FoundationARNs = []string{t.InvokedARN}
		if onDemandOnly && !contains(ref.Model.OnDemandRegions, p.Region) {
			return t, errOnDemand(ref.BaseID)
		}
	case catalog.SystemProfile:
		if !s.cat.ProfileOffered(ref.Model, ref.Geo, p.Region) {
			return t, errValidation(msgInvalidModelID)
		}
		if ref.IsARN && cfg != nil && ref.Account != p.Account {
			return t, errValidation(msgInvalidModelID)
		}
		t.Geo, t.ProfileID = ref.Geo, ref.ProfileID()
		t.InvokedARN = profileARN(p.Region, p.Account, t.ProfileID)
		t.FoundationARNs = s.routedModels(ref.Model, ref.Geo)
	default:
		return t, errValidation(msgInvalidModelID)
	}
	return t, nil
}

// resolveAppProfile finds an application inference profile declared in the auth file and
// resolves the model or system profile it wraps.
func (s *Server) resolveAppProfile(cfg *AuthConfig, ref catalog.Ref, p principal) (target, *apiError) {
	ap, ok := findAppProfile(cfg, ref.Raw)
	if !ok || ref.Region != p.Region {
		return target{Ref: ref}, errValidation(msgInvalidModelID)
	}
	inner, err := s.cat.Parse(ap.Model)
	if err != nil || inner.Kind == catalog.ApplicationProfile {
		return target{Ref: ref}, bedrockError(http.StatusInternalServerError, "InternalServerException",
			"simulator auth file: application profile "+ap.ARN+" wraps an invalid model "+ap.Model)
	}
	t, aerr := s.resolveBase(cfg, inner, p, false)
	t.Ref, t.InvokedARN = ref, ref.Raw
	return t, aerr
}

func findAppProfile(cfg *AuthConfig, arn string) (AppProfile, bool) {
	if cfg == nil {
		return AppProfile{}, false
	}
	for _, ap := range cfg.AppProfiles {
		if ap.ARN == arn {
			return ap, true
		}
	}
	return AppProfile{}, false
}

// checkAccess applies the account's model access list and the caller's IAM policy.
func (s *Server) checkAccess(cfg *AuthConfig, p principal, t target, action string) *apiError {
	if cfg != nil && cfg.ModelAccess != nil && !modelAccessible(cfg.ModelAccess, t) {
		return errAccessDenied(msgNoModelAccess)
	}
	if p.Policy == nil {
		return nil
	}
	for _, res := range append([]string{t.InvokedARN}, t.FoundationARNs...) {
		if !p.Policy.allows(action, res, p.context()) {
			return errAccessDenied(iamDenied(p, action, res))
		}
	}
	return nil
}

func iamDenied(p principal, action, resource string) string {
	return "User: " + p.ARN + " is not authorized to perform: " + action + " on resource: " + resource +
		" because no identity-based policy allows the " + action + " action"
}

// modelAccessible matches the access globs against every name the call goes by.
func modelAccessible(globs []string, t target) bool {
	names := []string{t.Ref.Raw, t.ProfileID}
	if t.Model != nil {
		names = append(names, t.Model.BedrockID, t.Model.ID)
	}
	for _, g := range globs {
		for _, n := range names {
			if n != "" && iamGlob(g, n) {
				return true
			}
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if strings.EqualFold(e, s) {
			return true
		}
	}
	return false
}
