package bedrock

import (
	"fmt"
	"strings"

	"ganban/internal/catalog"
)

// Aliases a user may give instead of a model ID, and the variables that pin them.
var aliasVars = map[string]string{
	"opus":   "ANTHROPIC_DEFAULT_OPUS_MODEL",
	"sonnet": "ANTHROPIC_DEFAULT_SONNET_MODEL",
	"haiku":  "ANTHROPIC_DEFAULT_HAIKU_MODEL",
	"fable":  "ANTHROPIC_DEFAULT_FABLE_MODEL",
}

const longContextSuffix = "[1m]"

// Choice is a model a session uses, and why.
type Choice struct {
	// ID is what is sent to Bedrock: the user's ID or ARN as given (only a [1m] suffix is
	// removed), or a discovered profile ID.
	ID          string
	LongContext bool
	// Source says where the choice came from, for `ganban doctor` and /status.
	Source string
	// Family is set when the model must be discovered: the newest invokable model of this
	// family in the region is wanted.
	Family string
	Ref    catalog.Ref
	Info   *catalog.Model
}

// NeedsDiscovery reports whether the choice is a family still to be resolved to a model.
func (c Choice) NeedsDiscovery() bool { return c.ID == "" && c.Family != "" }

// ModelFlags are the model choices that do not come from the environment.
type ModelFlags struct {
	Flag                   string // --model
	Setting, SettingSource string // "model" in a settings file
	Overrides              map[string]string
}

// ChoosePrimary picks the main model: --model, then ANTHROPIC_MODEL, then the settings
// "model", then the default (the newest Sonnet-class model, discovered per region).
func ChoosePrimary(cat *catalog.Catalog, getenv Getenv, f ModelFlags, region string) (Choice, error) {
	switch {
	case f.Flag != "":
		return choose(cat, getenv, f.Overrides, f.Flag, "--model", region)
	case getenv("ANTHROPIC_MODEL") != "":
		return choose(cat, getenv, f.Overrides, getenv("ANTHROPIC_MODEL"), "ANTHROPIC_MODEL", region)
	case f.Setting != "":
		return choose(cat, getenv, f.Overrides, f.Setting, "model in "+f.SettingSource, region)
	}
	return choose(cat, getenv, f.Overrides, "sonnet", "default", region)
}

// ChooseSmallFast picks the small/fast model: ANTHROPIC_DEFAULT_HAIKU_MODEL, then the
// deprecated ANTHROPIC_SMALL_FAST_MODEL, then the newest Haiku-class model, discovered in the
// small/fast region.
func ChooseSmallFast(cat *catalog.Catalog, getenv Getenv, overrides map[string]string, region string) (Choice, error) {
	for _, v := range []string{"ANTHROPIC_DEFAULT_HAIKU_MODEL", "ANTHROPIC_SMALL_FAST_MODEL"} {
		if id := getenv(v); id != "" {
			return choose(cat, getenv, overrides, id, v, region)
		}
	}
	return choose(cat, getenv, overrides, "haiku", "default", region)
}

// choose resolves one value: an alias (pinned by its variable, else discovered), an
// Anthropic model name (mapped by modelOverrides, else to the region's profile), or a Bedrock
// ID or ARN, which is used exactly as given.
func choose(cat *catalog.Catalog, getenv Getenv, overrides map[string]string, value, source, region string) (Choice, error) {
	long := strings.HasSuffix(value, longContextSuffix)
	value = strings.TrimSuffix(value, longContextSuffix)
	if v, ok := aliasVars[value]; ok {
		if pinned := getenv(v); pinned != "" {
			c, err := choose(cat, getenv, overrides, pinned, v+" (alias "+value+" from "+source+")", region)
			c.LongContext = c.LongContext || long
			return c, err
		}
		return Choice{Family: value, LongContext: long, Source: source}, nil
	}
	if o, ok := overrides[value]; ok && o != "" {
		c, err := choose(cat, getenv, nil, o, "modelOverrides["+value+"] ("+source+")", region)
		c.LongContext = c.LongContext || long
		return c, err
	}
	if m, ok := cat.Model(value); ok && m.ID == value {
		id, err := profileFor(cat, m, region)
		if err != nil {
			return Choice{}, fmt.Errorf("%s=%s: %w", source, value, err)
		}
		ref, _ := cat.Parse(id)
		return Choice{ID: id, LongContext: long, Source: source + " (" + value + " in " + region + ")", Ref: ref, Info: m}, nil
	}
	ref, err := cat.Parse(value)
	if err != nil {
		return Choice{}, fmt.Errorf("%s: %w", source, err)
	}
	return Choice{ID: value, LongContext: long, Source: source, Ref: ref, Info: ref.Model}, nil
}

// profileFor is the system profile of a model that a caller in region should use: the
// region's own geography first, then global.
func profileFor(cat *catalog.Catalog, m *catalog.Model, region string) (string, error) {
	for _, geo := range cat.PreferredGeographies(region) {
		if cat.ProfileOffered(m, geo, region) {
			return m.ProfileID(geo), nil
		}
	}
	if contains(m.OnDemandRegions, region) {
		return m.BedrockID, nil
	}
	return "", fmt.Errorf("%s has no inference profile callable from %s", m.Name, region)
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
