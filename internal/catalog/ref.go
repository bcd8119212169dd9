package catalog

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// RefKind says what a model identifier names.
type RefKind int

// The kinds of identifier Bedrock accepts where a model ID goes.
const (
	FoundationModel    RefKind = iota + 1 // anthropic.claude-... or its foundation-model ARN
	SystemProfile                         // us.anthropic.claude-... or its inference-profile ARN
	ApplicationProfile                    // an application-inference-profile ARN
	ProvisionedModel                      // a provisioned-model ARN
	OtherResource                         // other ARNs Bedrock takes (imported, custom deployments, prompts)
)

func (k RefKind) String() string {
	switch k {
	case FoundationModel:
		return "foundation model"
	case SystemProfile:
		return "inference profile"
	case ApplicationProfile:
		return "application inference profile"
	case ProvisionedModel:
		return "provisioned model"
	case OtherResource:
		return "resource ARN"
	}
	return "unknown"
}

// Ref is a parsed model identifier. Parsing is syntactic; Model is set when the catalog knows
// the base model.
type Ref struct {
	Raw  string
	Kind RefKind
	// Geo is the profile prefix of a system profile ("us", "global", ...).
	Geo string
	// BaseID is the foundation-model ID a system profile or foundation reference names.
	BaseID string
	// ARN parts, when Raw is an ARN. Region is empty in region-less ARNs.
	IsARN    bool
	Region   string
	Account  string
	Resource string // the part after the resource type's slash
	Model    *Model
}

// ProfileID is the system inference profile ID this reference names, or "".
func (r Ref) ProfileID() string {
	if r.Kind != SystemProfile {
		return ""
	}
	return r.Geo + "." + r.BaseID
}

// arnResourceKinds maps an ARN's resource type to what it names.
var arnResourceKinds = map[string]RefKind{
	"foundation-model":              FoundationModel,
	"inference-profile":             SystemProfile,
	"application-inference-profile": ApplicationProfile,
	"provisioned-model":             ProvisionedModel,
	"custom-model-deployment":       OtherResource,
	"imported-model":                OtherResource,
	"prompt":                        OtherResource,
	"default-prompt-router":         OtherResource,
	"prompt-router":                 OtherResource,
}

// Parse reads a model identifier in any form Bedrock accepts: a foundation-model ID, a system
// inference profile ID, or an ARN. It never rewrites the identifier.
func (c *Catalog) Parse(id string) (Ref, error) {
	r := Ref{Raw: id}
	if id == "" || len(id) > 2048 || !printableASCII(id) {
		return r, fmt.Errorf("model identifier %q is not valid: it must be a model ID, an inference profile ID or an ARN", id)
	}
	if strings.HasPrefix(id, "arn:") {
		return c.parseARN(r)
	}
	return c.parseID(r, id)
}

// printableASCII reports whether s holds only printable ASCII other than the space: Bedrock
// identifiers never contain blanks, control characters or non-ASCII letters.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

func (c *Catalog) parseID(r Ref, id string) (Ref, error) {
	if prefix, rest, ok := strings.Cut(id, "."); ok {
		if _, isGeo := c.byGeo[prefix]; isGeo {
			if !isFoundationID(rest) {
				return r, fmt.Errorf("inference profile ID %q does not name a model after its %q prefix: profile IDs look like %s",
					id, prefix, "us.anthropic.claude-sonnet-4-5-20250929-v1:0")
			}
			r.Kind, r.Geo, r.BaseID = SystemProfile, prefix, rest
			r.Model = c.byID[rest]
			return r, nil
		}
	}
	if !isFoundationID(id) {
		return r, fmt.Errorf("model identifier %q is not a Bedrock ID: Bedrock IDs look like %s or %s", id,
			"anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")
	}
	r.Kind, r.BaseID = FoundationModel, id
	r.Model = c.byID[id]
	return r, nil
}

// isFoundationID reports whether id has the provider.model shape of a foundation-model ID.
func isFoundationID(id string) bool {
	provider, name, ok := strings.Cut(id, ".")
	return ok && provider != "" && name != "" && !strings.Contains(id, "/")
}

func (c *Catalog) parseARN(r Ref) (Ref, error) {
	a, err := arn.Parse(r.Raw)
	if err != nil || a.Service != "bedrock" {
		return r, fmt.Errorf("model ARN %q is not a Bedrock ARN (arn:aws:bedrock:REGION:ACCOUNT:TYPE/ID)", r.Raw)
	}
	typ, res, ok := strings.Cut(a.Resource, "/")
	kind, known := arnResourceKinds[typ]
	if !ok || !known || res == "" {
		return r, fmt.Errorf("model ARN %q names a %q resource; Bedrock invokes inference profiles, application inference profiles, foundation models and provisioned models", r.Raw, typ)
	}
	if a.Region == "" || (kind != FoundationModel && a.AccountID == "") {
		return r, fmt.Errorf("model ARN %q needs a region and, except for a foundation model, an account", r.Raw)
	}
	r.IsARN, r.Kind, r.Region, r.Account, r.Resource = true, kind, a.Region, a.AccountID, res
	switch kind {
	case FoundationModel:
		sub, err := c.parseID(Ref{Raw: res}, res)
		if err != nil || sub.Kind != FoundationModel {
			return Ref{Raw: r.Raw}, fmt.Errorf("foundation-model ARN %q does not end in a model ID such as anthropic.claude-...", r.Raw)
		}
		r.BaseID, r.Model = sub.BaseID, sub.Model
	case SystemProfile:
		sub, err := c.parseID(Ref{Raw: res}, res)
		if err != nil || sub.Kind != SystemProfile {
			return Ref{Raw: r.Raw}, fmt.Errorf("inference profile ARN %q does not end in a profile ID such as us.anthropic.claude-...", r.Raw)
		}
		r.Geo, r.BaseID, r.Model = sub.Geo, sub.BaseID, sub.Model
	}
	return r, nil
}
