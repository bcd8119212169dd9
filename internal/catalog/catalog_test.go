package catalog

import (
	"math"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestDefaultParses checks that the embedded table loads and that Default returns it.
func TestDefaultParses(t *testing.T) {
	t.Parallel()
	c, err := Parse(modelsJSON)
	if err != nil {
		t.Fatalf("Parse(models.json): %v", err)
	}
	if len(c.Models) == 0 || len(c.Geographies) == 0 {
		t.Fatalf("catalog has %d models and %d geographies", len(c.Models), len(c.Geographies))
	}
	if d := Default(); d == nil || len(d.Models) != len(c.Models) {
		t.Fatalf("Default() does not hold the embedded table")
	}
}

// TestModelsInvocable checks that every model can be called somehow: through a system
// profile of a known geography or on demand in at least one region.
func TestModelsInvocable(t *testing.T) {
	t.Parallel()
	c := Default()
	for i := range c.Models {
		m := &c.Models[i]
		t.Run(m.ID, func(t *testing.T) {
			t.Parallel()
			if len(m.Profiles) == 0 && len(m.OnDemandRegions) == 0 {
				t.Fatalf("%s has neither a profile nor an on-demand region", m.ID)
			}
			for _, g := range m.Profiles {
				if len(c.ProfileRegions(m, g)) == 0 {
					t.Errorf("%s: profile %q routes nowhere", m.ID, g)
				}
			}
		})
	}
}

// TestIDsUnique checks that no identifier names two models, in either naming scheme.
func TestIDsUnique(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	for _, m := range Default().Models {
		for _, id := range []string{m.ID, m.BedrockID} {
			if other, dup := seen[id]; dup && other != m.ID {
				t.Errorf("%q names both %s and %s", id, other, m.ID)
			}
			seen[id] = m.ID
		}
	}
}

// TestModelData checks invariants of every row that the data itself must keep.
func TestModelData(t *testing.T) {
	t.Parallel()
	c := Default()
	for i := range c.Models {
		m := &c.Models[i]
		t.Run(m.ID, func(t *testing.T) {
			t.Parallel()
			if !strings.HasPrefix(m.BedrockID, "anthropic.claude-") {
				t.Errorf("bedrock_id %q is not an anthropic.claude- ID", m.BedrockID)
			}
			if !strings.Contains(m.ID, m.Family) || !strings.Contains(m.BedrockID, m.Family) {
				t.Errorf("family %q does not appear in %q and %q", m.Family, m.ID, m.BedrockID)
			}
			if len(m.Sources) == 0 {
				t.Errorf("no sources")
			}
			for _, s := range m.Sources {
				if u, err := url.Parse(s); err != nil || u.Scheme != "https" || u.Host == "" {
					t.Errorf("source %q is not an https URL", s)
				}
			}
			if m.LongContextWindow != 0 && m.LongContextWindow < m.ContextWindow {
				t.Errorf("long context window %d is below the context window %d", m.LongContextWindow, m.ContextWindow)
			}
			if m.MaxOutput > m.ContextWindow {
				t.Errorf("max output %d exceeds the context window %d", m.MaxOutput, m.ContextWindow)
			}
			p := m.Price
			// Cache writes are priced at 1.25x (5 minutes) and 2x (1 hour) the input rate; a cache
			// read never costs more than an uncached input token.
			if !near(p.CacheWrite5m, 1.25*p.Input) || !near(p.CacheWrite1h, 2*p.Input) {
				t.Errorf("cache writes %v / %v are not 1.25x / 2x input %v", p.CacheWrite5m, p.CacheWrite1h, p.Input)
			}
			if p.CacheRead <= 0 || p.CacheRead > p.Input {
				t.Errorf("cache read %v is not in (0, input %v]", p.CacheRead, p.Input)
			}
			if p.Output <= p.Input {
				t.Errorf("output %v is not above input %v", p.Output, p.Input)
			}
			for g, regions := range m.ProfileRegions {
				geo, _ := c.Geography(g)
				for _, r := range regions {
					if !slices.Contains(geo.Regions, r) {
						t.Errorf("profile_regions[%s] names %s, outside the %s geography", g, r, g)
					}
				}
			}
			if m.Status == StatusEOL && m.EOL == "" {
				t.Errorf("end-of-life model without an EOL date")
			}
		})
	}
}

// TestModelFacts pins facts the rest of the program leans on, so that an edit of the table
// that changes them is deliberate.
func TestModelFacts(t *testing.T) {
	t.Parallel()
	c := Default()
	tests := []struct {
		id        string
		bedrockID string
		family    string
		thinking  []string
		burndown  int
		premium   float64
		window    int
	}{
		{"claude-3-5-haiku-20241022", "anthropic.claude-3-5-haiku-20241022-v1:0", "haiku", []string{}, 1, 0, 200000},
		{"claude-3-7-sonnet-20250219", "anthropic.claude-3-7-sonnet-20250219-v1:0", "sonnet", []string{ThinkingEnabled}, 5, 0, 200000},
		{"claude-opus-4-1-20250805", "anthropic.claude-opus-4-1-20250805-v1:0", "opus", []string{ThinkingEnabled}, 5, 0, 200000},
		{"claude-sonnet-4-5-20250929", "anthropic.claude-sonnet-4-5-20250929-v1:0", "sonnet", []string{ThinkingEnabled}, 5, 0.1, 200000},
		{"claude-opus-4-6", "anthropic.claude-opus-4-6-v1", "opus", []string{ThinkingEnabled, ThinkingAdaptive}, 5, 0.1, 1000000},
		{"claude-sonnet-4-6", "anthropic.claude-sonnet-4-6", "sonnet", []string{ThinkingEnabled, ThinkingAdaptive}, 5, 0.1, 1000000},
		{"claude-opus-4-7", "anthropic.claude-opus-4-7", "opus", []string{ThinkingAdaptive}, 5, 0.1, 1000000},
		{"claude-opus-5", "anthropic.claude-opus-5", "opus", []string{ThinkingAdaptive}, 5, 0.1, 1000000},
		{"claude-fable-5-1", "anthropic.claude-fable-5-1", "fable", []string{ThinkingAdaptive}, 5, 0.1, 1000000},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			m, ok := c.Model(tt.id)
			if !ok {
				t.Fatalf("Model(%q) not found", tt.id)
			}
			if byBedrock, _ := c.Model(tt.bedrockID); byBedrock != m {
				t.Errorf("Model(%q) does not find the same model", tt.bedrockID)
			}
			if m.BedrockID != tt.bedrockID || m.Family != tt.family || m.Burndown != tt.burndown ||
				m.RegionalPremium != tt.premium || m.ContextWindow != tt.window {
				t.Errorf("got bedrock_id %s family %s burndown %d premium %v window %d",
					m.BedrockID, m.Family, m.Burndown, m.RegionalPremium, m.ContextWindow)
			}
			if !slices.Equal(m.Thinking, tt.thinking) {
				t.Errorf("thinking = %v, want %v", m.Thinking, tt.thinking)
			}
			for _, mode := range []string{ThinkingEnabled, ThinkingAdaptive} {
				if got, want := m.Supports(mode), slices.Contains(tt.thinking, mode); got != want {
					t.Errorf("Supports(%q) = %v, want %v", mode, got, want)
				}
			}
		})
	}
}

func TestParseRef(t *testing.T) {
	t.Parallel()
	c := Default()
	tests := []struct {
		id       string
		kind     RefKind
		geo      string
		baseID   string
		isARN    bool
		region   string
		account  string
		resource string
		model    string // Anthropic ID of the model the catalog resolves, "" for none
	}{
		{
			id: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", kind: SystemProfile, geo: "us",
			baseID: "anthropic.claude-sonnet-4-5-20250929-v1:0", model: "claude-sonnet-4-5-20250929",
		},
		{
			id: "anthropic.claude-3-7-sonnet-20250219-v1:0", kind: FoundationModel,
			baseID: "anthropic.claude-3-7-sonnet-20250219-v1:0", model: "claude-3-7-sonnet-20250219",
		},
		{
			id: "global.anthropic.claude-sonnet-4-6", kind: SystemProfile, geo: "global",
			baseID: "anthropic.claude-sonnet-4-6", model: "claude-sonnet-4-6",
		},
		{
			id: "jp.anthropic.claude-opus-5-5", kind: SystemProfile, geo: "jp",
			baseID: "anthropic.claude-opus-5-5", model: "claude-opus-5-5",
		},
		{
			// A profile of a model the table doesn't know still parses; only Model is unset.
			id: "us-gov.anthropic.claude-unknown-9", kind: SystemProfile, geo: "us-gov",
			baseID: "anthropic.claude-unknown-9",
		},
		{id: "amazon.nova-pro-v1:0", kind: FoundationModel, baseID: "amazon.nova-pro-v1:0"},
		{
			id:   "arn:aws:bedrock:us-east-2:123456789012:application-inference-profile/abc123",
			kind: ApplicationProfile, isARN: true, region: "us-east-2", account: "123456789012", resource: "abc123",
		},
		{
			id:   "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0",
			kind: FoundationModel, baseID: "anthropic.claude-3-5-haiku-20241022-v1:0", isARN: true, region: "us-east-1",
			resource: "anthropic.claude-3-5-haiku-20241022-v1:0", model: "claude-3-5-haiku-20241022",
		},
		{
			id:   "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0",
			kind: SystemProfile, geo: "us", baseID: "anthropic.claude-sonnet-4-20250514-v1:0", isARN: true,
			region: "us-east-1", account: "123456789012", resource: "us.anthropic.claude-sonnet-4-20250514-v1:0",
			model: "claude-sonnet-4-20250514",
		},
		{
			id:   "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0",
			kind: SystemProfile, geo: "us-gov", baseID: "anthropic.claude-sonnet-4-5-20250929-v1:0", isARN: true,
			region: "us-gov-west-1", account: "123456789012", resource: "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0",
			model: "claude-sonnet-4-5-20250929",
		},
		{
			id:   "arn:aws:bedrock:us-west-2:123456789012:provisioned-model/a1b2c3d4e5f6",
			kind: ProvisionedModel, isARN: true, region: "us-west-2", account: "123456789012", resource: "a1b2c3d4e5f6",
		},
		{
			id:   "arn:aws:bedrock:eu-west-1:123456789012:imported-model/xyz",
			kind: OtherResource, isARN: true, region: "eu-west-1", account: "123456789012", resource: "xyz",
		},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			r, err := c.Parse(tt.id)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.id, err)
			}
			if r.Raw != tt.id || r.Kind != tt.kind || r.Geo != tt.geo || r.BaseID != tt.baseID || r.IsARN != tt.isARN ||
				r.Region != tt.region || r.Account != tt.account || r.Resource != tt.resource {
				t.Errorf("Parse(%q) = %+v", tt.id, r)
			}
			var got string
			if r.Model != nil {
				got = r.Model.ID
			}
			if got != tt.model {
				t.Errorf("Parse(%q).Model = %q, want %q", tt.id, got, tt.model)
			}
			wantProfile := ""
			if tt.kind == SystemProfile {
				wantProfile = tt.geo + "." + tt.baseID
			}
			if r.ProfileID() != wantProfile {
				t.Errorf("ProfileID() = %q, want %q", r.ProfileID(), wantProfile)
			}
		})
	}
}

func TestParseRefInvalid(t *testing.T) {
	t.Parallel()
	c := Default()
	for _, id := range []string{
		"",
		"claude-sonnet",
		"arn:aws:s3:::bucket",
		"arn:aws:bedrock:us-east-1:1:guardrail/x",
		"us.anthropic.claude sonnet-4-5",
		"anthropic.claude-sonnet-4-5\t",
		"anthropic.claude-sonnet-4-5\u00a0",
		"us.",
		"us.anthropic",
		".claude",
		"anthropic.",
		"arn:aws:bedrock:us-east-1:123456789012:inference-profile/anthropic.claude-sonnet-4-6",
		"arn:aws:bedrock:us-east-1:123456789012:inference-profile/",
		"arn:aws:bedrock:us-east-1::foundation-model/us.anthropic.claude-sonnet-4-6",
		"arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-6",
		"arn:aws:bedrock:us-east-1::application-inference-profile/abc",
		"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile",
		"arn:aws:bedrock",
		strings.Repeat("a", 2049) + ".b",
	} {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			r, err := c.Parse(id)
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want an error", id, r)
			}
			if r.Raw != id || r.Kind != 0 || r.Model != nil {
				t.Errorf("Parse(%q) failed but returned %+v", id, r)
			}
		})
	}
}

func TestRefKindString(t *testing.T) {
	t.Parallel()
	for kind, want := range map[RefKind]string{
		0: "unknown", FoundationModel: "foundation model", SystemProfile: "inference profile",
		ApplicationProfile: "application inference profile", ProvisionedModel: "provisioned model",
		OtherResource: "resource ARN",
	} {
		if got := kind.String(); got != want {
			t.Errorf("RefKind(%d).String() = %q, want %q", kind, got, want)
		}
	}
}

func TestPreferredGeographies(t *testing.T) {
	t.Parallel()
	c := Default()
	tests := []struct {
		region string
		want   []string
	}{
		{"us-east-1", []string{"us", "global"}},
		{"us-west-1", []string{"us", "global"}},
		{"us-gov-west-1", []string{"us-gov"}},
		{"us-gov-east-1", []string{"us-gov"}},
		{"eu-west-1", []string{"eu", "global"}},
		{"ap-northeast-1", []string{"jp", "apac", "global"}},
		{"ap-southeast-2", []string{"au", "apac", "global"}},
		{"ap-south-1", []string{"apac", "global"}},
		{"ca-central-1", []string{"us", "global"}},
		{"sa-east-1", []string{"global"}},
		{"xx-nowhere-1", []string{"global"}},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			t.Parallel()
			if got := c.PreferredGeographies(tt.region); !slices.Equal(got, tt.want) {
				t.Errorf("PreferredGeographies(%q) = %v, want %v", tt.region, got, tt.want)
			}
		})
	}
}

func TestProfileOffered(t *testing.T) {
	t.Parallel()
	c := Default()
	tests := []struct {
		model, geo, region string
		want               bool
	}{
		{"claude-sonnet-4-5-20250929", "us", "us-east-1", true},
		{"claude-sonnet-4-5-20250929", "us", "eu-west-1", false},
		{"claude-sonnet-4-5-20250929", "us-gov", "us-gov-west-1", true},
		{"claude-sonnet-4-5-20250929", "global", "us-gov-west-1", false},
		{"claude-sonnet-4-5-20250929", "apac", "ap-south-1", false},   // no APAC profile
		{"claude-opus-4-5-20251101", "jp", "ap-northeast-1", false},   // no JP profile
		{"claude-opus-5-5", "jp", "ap-northeast-3", true},             // geography default
		{"claude-3-7-sonnet-20250219", "us", "us-west-1", false},      // profile_regions override
		{"claude-3-7-sonnet-20250219", "us", "us-east-2", true},       // profile_regions override
		{"claude-fable-5-1", "us", "us-east-1", true},                 // US regional in us-east-1 only
		{"claude-fable-5-1", "us", "us-west-2", false},                // US regional in us-east-1 only
		{"claude-haiku-4-5-20251001", "global", "ca-central-1", true}, // global source region
		{"claude-haiku-4-5-20251001", "mars", "us-east-1", false},     // unknown geography
	}
	for _, tt := range tests {
		t.Run(tt.model+"/"+tt.geo+"/"+tt.region, func(t *testing.T) {
			t.Parallel()
			m, ok := c.Model(tt.model)
			if !ok {
				t.Fatalf("Model(%q) not found", tt.model)
			}
			if got := c.ProfileOffered(m, tt.geo, tt.region); got != tt.want {
				t.Errorf("ProfileOffered(%s, %s, %s) = %v, want %v", tt.model, tt.geo, tt.region, got, tt.want)
			}
		})
	}
}

func TestProfileRegionsIsACopy(t *testing.T) {
	t.Parallel()
	c := Default()
	m, _ := c.Model("claude-opus-4-8")
	regions := c.ProfileRegions(m, "us")
	if len(regions) == 0 {
		t.Fatal("no US regions for Claude Opus 4.8")
	}
	regions[0] = "mutated"
	if got := c.ProfileRegions(m, "us"); got[0] == "mutated" {
		t.Fatal("ProfileRegions returned the catalog's own slice")
	}
	if got := c.ProfileRegions(m, "us-gov"); got != nil {
		t.Errorf("ProfileRegions(us-gov) = %v, want nil for a model without that profile", got)
	}
}

func TestProfileID(t *testing.T) {
	t.Parallel()
	c := Default()
	for _, tt := range []struct{ model, geo, want string }{
		{"claude-sonnet-4-5-20250929", "us", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"claude-opus-4-6", "global", "global.anthropic.claude-opus-4-6-v1"},
		{"claude-opus-5-5", "jp", "jp.anthropic.claude-opus-5-5"},
	} {
		m, ok := c.Model(tt.model)
		if !ok {
			t.Fatalf("Model(%q) not found", tt.model)
		}
		if got := m.ProfileID(tt.geo); got != tt.want {
			t.Errorf("%s.ProfileID(%q) = %q, want %q", tt.model, tt.geo, got, tt.want)
		}
		// A profile ID built from the table parses back to the same model.
		if r, err := c.Parse(m.ProfileID(tt.geo)); err != nil || r.Model != m || r.Geo != tt.geo {
			t.Errorf("Parse(%q) = %+v, %v", m.ProfileID(tt.geo), r, err)
		}
	}
}

func TestNewest(t *testing.T) {
	t.Parallel()
	c := Default()
	var got []string
	for _, m := range c.Newest("sonnet") {
		got = append(got, m.ID)
	}
	want := []string{
		"claude-sonnet-5-5",
		"claude-sonnet-5",
		"claude-sonnet-4-6",
		"claude-sonnet-4-5-20250929",
		"claude-sonnet-4-20250514",
		"claude-3-7-sonnet-20250219",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Newest(sonnet) = %v, want %v", got, want)
	}
	for _, family := range []string{"haiku", "opus", "fable"} {
		ms := c.Newest(family)
		if len(ms) == 0 {
			t.Errorf("Newest(%q) is empty", family)
		}
		for i := 1; i < len(ms); i++ {
			if ms[i-1].Released < ms[i].Released {
				t.Errorf("Newest(%q): %s before %s", family, ms[i-1].ID, ms[i].ID)
			}
		}
	}
	if ms := c.Newest("poem"); len(ms) != 0 {
		t.Errorf("Newest(poem) = %d models, want none", len(ms))
	}
}

func TestCost(t *testing.T) {
	t.Parallel()
	c := Default()
	tests := []struct {
		name  string
		model string
		geo   string
		tok   Tokens
		want  float64
	}{
		{"sonnet 4.5 input global", "claude-sonnet-4-5-20250929", "global", Tokens{Input: 1_000_000}, 3.00},
		{"sonnet 4.5 input us", "claude-sonnet-4-5-20250929", "us", Tokens{Input: 1_000_000}, 3.30},
		{"sonnet 4.5 input foundation", "claude-sonnet-4-5-20250929", "", Tokens{Input: 1_000_000}, 3.00},
		{"sonnet 4.5 output eu", "claude-sonnet-4-5-20250929", "eu", Tokens{Output: 1_000_000}, 16.50},
		// Claude Opus 4.1 predates the regional premium: its US profile costs the base rate.
		{"opus 4.1 input us", "claude-opus-4-1-20250805", "us", Tokens{Input: 1_000_000}, 15.00},
		{
			// Claude Opus 5.5 through the EU profile, by hand, in USD per million tokens:
			//   input          200,000 x $4.00 = $0.80
			//   output          50,000 x $20.00 = $1.00
			//   5m cache write 100,000 x $5.00 = $0.50
			//   1h cache write  10,000 x $8.00 = $0.08
			//   cache read   1,000,000 x $0.20 = $0.20
			//   sum $2.58, plus the 10% regional premium = $2.838
			"opus 5.5 mixed eu", "claude-opus-5-5", "eu",
			Tokens{Input: 200_000, Output: 50_000, CacheWrite5m: 100_000, CacheWrite1h: 10_000, CacheRead: 1_000_000},
			2.838,
		},
		{
			// The same tokens through the global profile carry no premium: $2.58.
			"opus 5.5 mixed global", "claude-opus-5-5", "global",
			Tokens{Input: 200_000, Output: 50_000, CacheWrite5m: 100_000, CacheWrite1h: 10_000, CacheRead: 1_000_000},
			2.58,
		},
		{
			// Claude 3.5 Haiku: 10,000 x $0.80 + 2,000 x $4.00 + 30,000 x $0.08 per million
			//   = $0.008 + $0.008 + $0.0024 = $0.0184.
			"haiku 3.5 small", "claude-3-5-haiku-20241022", "us",
			Tokens{Input: 10_000, Output: 2_000, CacheRead: 30_000},
			0.0184,
		},
		{"nothing", "claude-opus-4-8", "us", Tokens{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, ok := c.Model(tt.model)
			if !ok {
				t.Fatalf("Model(%q) not found", tt.model)
			}
			if got := m.Cost(tt.tok, tt.geo); !near(got, tt.want) {
				t.Errorf("Cost(%+v, %q) = %.10f, want %.10f", tt.tok, tt.geo, got, tt.want)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	a := Tokens{Input: 1, Output: 2, CacheWrite5m: 3, CacheWrite1h: 4, CacheRead: 5}
	b := Tokens{Input: 10, Output: 20, CacheWrite5m: 30, CacheWrite1h: 40, CacheRead: 50}
	if got, want := a.Add(b), (Tokens{Input: 11, Output: 22, CacheWrite5m: 33, CacheWrite1h: 44, CacheRead: 55}); got != want {
		t.Errorf("Add = %+v, want %+v", got, want)
	}
	if got := a.CacheWrite(); got != 7 {
		t.Errorf("CacheWrite = %d, want 7", got)
	}
}

// TestParseRejects checks Parse's consistency checks on small hand-made tables.
func TestParseRejects(t *testing.T) {
	t.Parallel()
	const entry = `{"id": "claude-x-1", "name": "X", "family": "sonnet", "version": "1", "released": "2026-01-01",
		"bedrock_id": "anthropic.claude-x-1", "on_demand_regions": [], "profiles": ["us"],
		"context_window": 200000, "max_output": 64000, "thinking": [], "min_cache_tokens": 1024,
		"cache_ttl_1h": false, "burndown": 5, "price": {"input": 3, "output": 15}, "status": "active",
		"sources": ["https://example.com"]}`
	table := func(entries ...string) string {
		return `{"geographies": [{"prefix": "us", "name": "US", "regions": ["us-east-1"]}], "models": [` +
			strings.Join(entries, ", ") + `]}`
	}
	// with returns the entry with one field's text replaced, or with extra fields added.
	with := func(old, new string) string {
		if old == "" {
			return strings.TrimSuffix(entry, "}") + ", " + new + "}"
		}
		if !strings.Contains(entry, old) {
			t.Fatalf("the test entry has no %q", old)
		}
		return strings.Replace(entry, old, new, 1)
	}
	if _, err := Parse([]byte(table(entry))); err != nil {
		t.Fatalf("the valid base table fails: %v", err)
	}
	tests := map[string]string{
		"not json":           `{"models": [`,
		"trailing data":      table(entry) + `{}`,
		"unknown field":      table(with("", `"contex_window": 1`)),
		"duplicate model":    table(entry, entry),
		"unknown geography":  table(with(`"profiles": ["us"]`, `"profiles": ["mars"]`)),
		"repeated profile":   table(with(`"profiles": ["us"]`, `"profiles": ["us", "us"]`)),
		"no way to invoke":   table(with(`"profiles": ["us"]`, `"profiles": []`)),
		"stray region list":  table(with("", `"profile_regions": {"eu": ["eu-west-1"]}`)),
		"unknown thinking":   table(with(`"thinking": []`, `"thinking": ["deep"]`)),
		"unknown status":     table(with(`"status": "active"`, `"status": "retired"`)),
		"eol without date":   table(with(`"status": "active"`, `"status": "eol"`)),
		"bad release date":   table(with(`"2026-01-01"`, `"Jan 2026"`)),
		"upper-case family":  table(with(`"family": "sonnet"`, `"family": "Sonnet"`)),
		"no sources":         table(with(`["https://example.com"]`, `[]`)),
		"no price":           table(with(`"input": 3`, `"input": 0`)),
		"no output limit":    table(with(`"max_output": 64000`, `"max_output": 0`)),
		"duplicate geo":      `{"geographies": [{"prefix": "us", "regions": ["a"]}, {"prefix": "us", "regions": ["b"]}], "models": []}`,
		"geo without region": `{"geographies": [{"prefix": "us", "regions": []}], "models": []}`,
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := Parse([]byte(data)); err == nil {
				t.Errorf("Parse accepted a table with %s", name)
			}
		})
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
