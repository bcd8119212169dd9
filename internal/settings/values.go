package settings

import "sort"

// Each scalar accessor returns the value of the highest-precedence file that has the key, and
// that file as the Source. The value is "" when the key is absent everywhere (zero Source) or
// when the winning file sets it to "" (that file's Source: it deliberately unset it).

// AWSAuthRefresh is the command that refreshes the credentials in ~/.aws (S6-S8), such as
// "aws sso login --profile p".
func (s *Settings) AWSAuthRefresh() (string, Source) {
	return s.scalar(func(c *Content) *string { return c.AWSAuthRefresh })
}

// AWSCredentialExport is the command that prints credentials as JSON (S9).
func (s *Settings) AWSCredentialExport() (string, Source) {
	return s.scalar(func(c *Content) *string { return c.AWSCredentialExport })
}

// Model is the "model" setting. ANTHROPIC_MODEL and --model outrank it; resolving that is
// the caller's business.
func (s *Settings) Model() (string, Source) {
	return s.scalar(func(c *Content) *string { return c.Model })
}

func (s *Settings) scalar(get func(*Content) *string) (string, Source) {
	for _, f := range s.loaded() {
		if p := get(f.Content); p != nil {
			return *p, f.Source()
		}
	}
	return "", Source{}
}

// ModelOverrides maps Anthropic model IDs to provider IDs or ARNs. Files merge per model ID;
// the highest-precedence file wins for each.
func (s *Settings) ModelOverrides() map[string]Sourced {
	out := make(map[string]Sourced)
	files := s.loaded()
	for i := len(files) - 1; i >= 0; i-- {
		for id, v := range files[i].Content.ModelOverrides {
			out[id] = Sourced{Value: v, Source: files[i].Source()}
		}
	}
	return out
}

// Rule lists, as Claude Code names them.
const (
	ListAllow = "allow"
	ListAsk   = "ask"
	ListDeny  = "deny"
)

// Rule is one permission rule, such as "Bash(npm run test:*)", and the file it came from.
type Rule struct {
	List   string `json:"list"` // ListAllow, ListAsk or ListDeny
	Rule   string `json:"rule"`
	Source Source `json:"source"`
}

// Permissions is the merged "permissions" object of all files.
type Permissions struct {
	// Allow, Ask and Deny are the union of every file's rules, highest precedence first
	// and in file order within a file. A rule given by several files appears once, with the
	// highest-precedence file as its Source.
	Allow, Ask, Deny []Rule
	// DefaultMode is the highest-precedence defaultMode ("" when no file sets one).
	DefaultMode Sourced
	// AdditionalDirectories is the union of every file's list, as written (relative paths
	// and "~" are not resolved here).
	AdditionalDirectories []Sourced
}

// Permissions merges the permissions blocks of all files.
func (s *Settings) Permissions() Permissions {
	var p Permissions
	seen := make(map[[2]string]bool)
	add := func(dst *[]Rule, list string, rules []string, src Source) {
		for _, r := range rules {
			if k := [2]string{list, r}; !seen[k] {
				seen[k] = true
				*dst = append(*dst, Rule{List: list, Rule: r, Source: src})
			}
		}
	}
	for _, f := range s.loaded() {
		pb, src := f.Content.Permissions, f.Source()
		add(&p.Allow, ListAllow, pb.Allow, src)
		add(&p.Ask, ListAsk, pb.Ask, src)
		add(&p.Deny, ListDeny, pb.Deny, src)
		for _, d := range pb.AdditionalDirectories {
			if k := [2]string{"dir", d}; !seen[k] {
				seen[k] = true
				p.AdditionalDirectories = append(p.AdditionalDirectories, Sourced{Value: d, Source: src})
			}
		}
		if pb.DefaultMode != nil && p.DefaultMode.Source.IsZero() {
			p.DefaultMode = Sourced{Value: *pb.DefaultMode, Source: src}
		}
	}
	return p
}

// NotActedOnKeys are settings keys Claude Code understands and ganban reads but does not act
// on yet. Each one found in a file is reported by NotActedOn so that `ganban doctor` can say
// so instead of letting a user believe, say, their hooks run. Nested keys are written with a
// dot. Remove a key from this list in the change that implements it.
var NotActedOnKeys = []string{
	"hooks",
	"mcpServers",
	"enabledMcpjsonServers",
	"disabledMcpjsonServers",
	"enableAllProjectMcpServers",
	"allowedMcpServers",
	"deniedMcpServers",
	"statusLine",
	"apiKeyHelper", // not a Bedrock mechanism: ganban authenticates with AWS credentials
	"outputStyle",
	"enabledPlugins",
	"extraKnownMarketplaces",
	"sandbox",
	"availableModels", // a managed allowlist ganban does not enforce yet
	"enforceAvailableModels",
	"otelHeadersHelper",
	"permissions.disableBypassPermissionsMode", // a managed policy ganban does not enforce yet
}

// IgnoredKey is a key from NotActedOnKeys found in a file.
type IgnoredKey struct {
	Key    string `json:"key"`
	Source Source `json:"source"`
}

// NotActedOn lists every key of NotActedOnKeys set in a file, highest precedence first and
// in file order within a file.
func (s *Settings) NotActedOn() []IgnoredKey {
	want := make(map[string]bool, len(NotActedOnKeys))
	for _, k := range NotActedOnKeys {
		want[k] = true
	}
	var out []IgnoredKey
	for _, f := range s.loaded() {
		seen := make(map[string]bool)
		report := func(key string) {
			if want[key] && !seen[key] {
				seen[key] = true
				out = append(out, IgnoredKey{Key: key, Source: f.Source()})
			}
		}
		for _, k := range f.Content.Keys {
			if k == "permissions" {
				for _, pk := range f.Content.Permissions.Keys {
					report("permissions." + pk)
				}
			}
			report(k)
		}
	}
	return out
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
