// Package catalog is the table of Claude models that Amazon Bedrock serves, kept as data
// (models.json, with the public source of every fact): model and inference-profile IDs, the
// geographies and regions each profile routes to, context windows, output limits, thinking
// support, cache minimums, quota burndown rates and prices.
//
// The simulator serves from it, the Bedrock layer picks defaults and limits from it, and cost
// is computed from it, so that a price or a region is written down exactly once.
package catalog

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

//go:embed models.json
var modelsJSON []byte

// Thinking modes a model accepts in the request's "thinking" field.
const (
	ThinkingEnabled  = "enabled"  // {"type":"enabled","budget_tokens":N}
	ThinkingAdaptive = "adaptive" // {"type":"adaptive"}
)

// Lifecycle states of a model on Bedrock (the modelLifecycle of GetFoundationModel).
const (
	StatusActive = "active"
	StatusLegacy = "legacy"
	// StatusEOL marks a model past its Bedrock end-of-life date: Bedrock answers requests for it
	// with ResourceNotFoundException. It stays in the table so that old identifiers still parse.
	StatusEOL = "eol"
)

// Model is one Anthropic foundation model on Bedrock.
type Model struct {
	// ID is the Anthropic model name, as Bedrock returns it in a response's "model" field.
	ID      string `json:"id"`
	Name    string `json:"name"`
	Family  string `json:"family"` // haiku, sonnet, opus, ...
	Version string `json:"version"`
	// Released orders models of a family; the newest is the default candidate.
	Released string `json:"released"`
	// BedrockID is the foundation-model ID (anthropic.claude-...).
	BedrockID string `json:"bedrock_id"`
	// OnDemandRegions lists the regions where the bare BedrockID is invokable; everywhere else
	// Bedrock answers that on-demand throughput isn't supported.
	OnDemandRegions []string `json:"on_demand_regions"`
	// Profiles lists the geography prefixes (us, eu, global, ...) of its system inference profiles.
	Profiles []string `json:"profiles"`
	// ProfileRegions overrides a geography's region list for this model's profile.
	ProfileRegions map[string][]string `json:"profile_regions,omitempty"`
	// ContextWindow is the window a request gets without any beta header.
	ContextWindow int `json:"context_window"`
	// LongContextWindow is the 1M-token window where offered (by default or behind a beta
	// header), else 0.
	LongContextWindow int      `json:"long_context_window,omitempty"`
	MaxOutput         int      `json:"max_output"`
	Thinking          []string `json:"thinking"`
	MinCacheTokens    int      `json:"min_cache_tokens"`
	CacheTTL1h        bool     `json:"cache_ttl_1h"`
	// Burndown is how many tokens of the tokens-per-minute quota one output token consumes.
	Burndown int   `json:"burndown"`
	Price    Price `json:"price"`
	// RegionalPremium is the fraction added to Price for geography (non-global) profiles.
	RegionalPremium float64 `json:"regional_premium,omitempty"`
	Status          string  `json:"status"` // active, legacy, eol
	// EOL is the Bedrock end-of-life date (YYYY-MM-DD) once one is announced, else "".
	EOL     string   `json:"eol,omitempty"`
	Sources []string `json:"sources"`
}

// Price is in US dollars per million tokens.
type Price struct {
	Input        float64 `json:"input"`
	Output       float64 `json:"output"`
	CacheWrite5m float64 `json:"cache_write_5m"`
	CacheWrite1h float64 `json:"cache_write_1h"`
	CacheRead    float64 `json:"cache_read"`
}

// Geography is a cross-region inference profile prefix and the regions it serves: a profile is
// callable from, and routes to, these regions.
type Geography struct {
	Prefix  string   `json:"prefix"`
	Name    string   `json:"name"`
	Regions []string `json:"regions"`
	Sources []string `json:"sources,omitempty"`
}

// Catalog is the parsed table. It is immutable after Parse and safe for concurrent use.
type Catalog struct {
	Geographies []Geography `json:"geographies"`
	Models      []Model     `json:"models"`

	byID  map[string]*Model
	byGeo map[string]*Geography
}

var loadDefault = sync.OnceValues(func() (*Catalog, error) { return Parse(modelsJSON) })

// Default returns the embedded catalog. The data is checked by tests, so a failure to parse
// it is a build defect and panics rather than burdening every caller with an error.
func Default() *Catalog {
	c, err := loadDefault()
	if err != nil {
		panic(fmt.Sprintf("catalog: embedded models.json: %v", err))
	}
	return c
}

// Parse reads a catalog in the models.json format and checks its consistency. Unknown fields
// are errors, so that a misspelt field cannot silently drop a fact.
func Parse(data []byte) (*Catalog, error) {
	var c Catalog
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("parse catalog: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("parse catalog: data after the catalog object")
	}
	c.byID = make(map[string]*Model, 2*len(c.Models))
	c.byGeo = make(map[string]*Geography, len(c.Geographies))
	for i := range c.Geographies {
		g := &c.Geographies[i]
		if g.Prefix == "" || len(g.Regions) == 0 {
			return nil, fmt.Errorf("catalog: geography %d needs a prefix and regions", i)
		}
		if c.byGeo[g.Prefix] != nil {
			return nil, fmt.Errorf("catalog: geography %q listed twice", g.Prefix)
		}
		if strings.Contains(g.Prefix, ".") {
			return nil, fmt.Errorf("catalog: geography prefix %q contains a dot", g.Prefix)
		}
		c.byGeo[g.Prefix] = g
	}
	for i := range c.Models {
		m := &c.Models[i]
		if err := c.check(m); err != nil {
			return nil, err
		}
		c.byID[m.ID] = m
		c.byID[m.BedrockID] = m
	}
	return &c, nil
}

func (c *Catalog) check(m *Model) error {
	switch {
	case m.ID == "" || m.BedrockID == "" || m.Family == "":
		return fmt.Errorf("catalog: model %q needs id, bedrock_id and family", m.Name)
	case c.byID[m.ID] != nil || c.byID[m.BedrockID] != nil:
		return fmt.Errorf("catalog: model %s listed twice", m.ID)
	case m.ContextWindow <= 0 || m.MaxOutput <= 0 || m.MinCacheTokens <= 0 || m.Burndown <= 0:
		return fmt.Errorf("catalog: model %s needs positive limits", m.ID)
	case m.Price.Input <= 0 || m.Price.Output <= 0:
		return fmt.Errorf("catalog: model %s needs prices", m.ID)
	case len(m.Sources) == 0:
		return fmt.Errorf("catalog: model %s cites no source", m.ID)
	}
	if !isWord(m.Family) {
		return fmt.Errorf("catalog: model %s: family %q is not a lower-case word", m.ID, m.Family)
	}
	if !isDate(m.Released) {
		return fmt.Errorf("catalog: model %s: released %q is not a YYYY-MM-DD date", m.ID, m.Released)
	}
	switch m.Status {
	case StatusActive, StatusLegacy, StatusEOL:
	default:
		return fmt.Errorf("catalog: model %s: unknown status %q", m.ID, m.Status)
	}
	if (m.Status == StatusEOL && m.EOL == "") || (m.EOL != "" && !isDate(m.EOL)) {
		return fmt.Errorf("catalog: model %s: status %s needs an EOL date, got %q", m.ID, m.Status, m.EOL)
	}
	if len(m.Profiles) == 0 && len(m.OnDemandRegions) == 0 {
		return fmt.Errorf("catalog: model %s has neither a profile nor an on-demand region", m.ID)
	}
	if p := m.Price; p.CacheWrite5m < 0 || p.CacheWrite1h < 0 || p.CacheRead < 0 || m.RegionalPremium < 0 {
		return fmt.Errorf("catalog: model %s has a negative price", m.ID)
	}
	for i, g := range m.Profiles {
		if c.byGeo[g] == nil {
			return fmt.Errorf("catalog: model %s names unknown geography %q", m.ID, g)
		}
		if slices.Contains(m.Profiles[:i], g) {
			return fmt.Errorf("catalog: model %s lists geography %q twice", m.ID, g)
		}
	}
	for g, regions := range m.ProfileRegions {
		if !slices.Contains(m.Profiles, g) || len(regions) == 0 {
			return fmt.Errorf("catalog: model %s: profile_regions[%q] needs a listed profile and regions", m.ID, g)
		}
	}
	for _, t := range m.Thinking {
		if t != ThinkingEnabled && t != ThinkingAdaptive {
			return fmt.Errorf("catalog: model %s: unknown thinking mode %q", m.ID, t)
		}
	}
	return nil
}

// isWord reports whether s is a non-empty run of lower-case ASCII letters.
func isWord(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return s != ""
}

// isDate reports whether s is a calendar date in YYYY-MM-DD form.
func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// Model finds a model by its Anthropic ID or its Bedrock foundation-model ID.
func (c *Catalog) Model(id string) (*Model, bool) {
	m, ok := c.byID[id]
	return m, ok
}

// Geography returns the geography with this prefix.
func (c *Catalog) Geography(prefix string) (*Geography, bool) {
	g, ok := c.byGeo[prefix]
	return g, ok
}

// ProfileRegions lists the regions a model's profile in geography geo is callable from and
// routes to; nil when the model has no such profile. The slice is the caller's to keep.
func (c *Catalog) ProfileRegions(m *Model, geo string) []string {
	return slices.Clone(c.profileRegions(m, geo))
}

func (c *Catalog) profileRegions(m *Model, geo string) []string {
	if m == nil || !slices.Contains(m.Profiles, geo) {
		return nil
	}
	if r, ok := m.ProfileRegions[geo]; ok {
		return r
	}
	if g := c.byGeo[geo]; g != nil {
		return g.Regions
	}
	return nil
}

// ProfileOffered reports whether a model's profile in geography geo can be called from region.
func (c *Catalog) ProfileOffered(m *Model, geo, region string) bool {
	return slices.Contains(c.profileRegions(m, geo), region)
}

// PreferredGeographies lists the profile prefixes to try for a region, best first: the
// geographies whose region lists hold the region, the narrowest first (so Tokyo gets jp before
// apac, and Canada (Central) gets us), then global where the region is a global source. A region
// the table doesn't know gets global alone; GovCloud never leaves its partition, so it never
// gets global.
func (c *Catalog) PreferredGeographies(region string) []string {
	var geos []*Geography
	for i := range c.Geographies {
		g := &c.Geographies[i]
		if g.Prefix != "global" && slices.Contains(g.Regions, region) {
			geos = append(geos, g)
		}
	}
	sort.SliceStable(geos, func(i, j int) bool { return len(geos[i].Regions) < len(geos[j].Regions) })
	out := make([]string, 0, len(geos)+1)
	for _, g := range geos {
		out = append(out, g.Prefix)
	}
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		if len(out) == 0 {
			out = append(out, "us-gov")
		}
	case len(out) == 0:
		out = append(out, "global")
	default:
		if g := c.byGeo["global"]; g != nil && slices.Contains(g.Regions, region) {
			out = append(out, "global")
		}
	}
	return out
}

// Newest returns the models of a family, newest first.
func (c *Catalog) Newest(family string) []*Model {
	var out []*Model
	for i := range c.Models {
		if c.Models[i].Family == family {
			out = append(out, &c.Models[i])
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Released > out[j].Released })
	return out
}

// ProfileID is the system inference profile ID of a model in a geography.
func (m *Model) ProfileID(geo string) string { return geo + "." + m.BedrockID }

// Supports reports whether the model accepts a thinking mode.
func (m *Model) Supports(thinking string) bool { return slices.Contains(m.Thinking, thinking) }
