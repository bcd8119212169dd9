package bedrock

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"
)

// Defaults from the setup guide (S19-S21) and the behaviour its users rely on.
const (
	DefaultMaxOutputTokens = 4096
	minThinkingBudget      = 1024
	DefaultTimeout         = 10 * time.Minute
	DefaultIdleTimeout     = 5 * time.Minute
	DefaultMaxRetries      = 8
)

// Config is the Bedrock configuration read from the environment (after the settings env
// block is applied). Every field records a choice the user can see in `ganban doctor`.
type Config struct {
	Region, RegionSource                   string
	SmallFastRegion, SmallFastRegionSource string
	// BaseURL replaces the runtime and control-plane endpoints (ANTHROPIC_BEDROCK_BASE_URL).
	BaseURL string
	// BearerToken is AWS_BEARER_TOKEN_BEDROCK.
	BearerToken string
	// SkipAuth sends requests unsigned (CLAUDE_CODE_SKIP_BEDROCK_AUTH).
	SkipAuth bool

	// MaxOutputTokens is CLAUDE_CODE_MAX_OUTPUT_TOKENS (0: the default, 4096).
	MaxOutputTokens int
	// ThinkingTokens is MAX_THINKING_TOKENS (0: no extended thinking).
	ThinkingTokens int
	// DisableCaching maps a model family ("" for all) to whether caching is off.
	DisableCaching map[string]bool
	// CacheTTL1h asks for one-hour cache breakpoints (ENABLE_PROMPT_CACHING_1H).
	CacheTTL1h bool

	CustomHeaders http.Header
	ServiceTier   string
	Timeout       time.Duration
	IdleTimeout   time.Duration
	MaxRetries    int
}

// Getenv looks up an effective environment variable; an empty value is unset.
type Getenv func(string) string

// ConfigError is a bad value in a variable, with the fix.
type ConfigError struct {
	Variable, Value, Problem string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("%s=%q: %s", e.Variable, e.Value, e.Problem)
}

// LoadConfig reads the Bedrock configuration. Region problems are reported by the region
// itself (see ResolveRegion); this only rejects malformed values.
func LoadConfig(getenv Getenv) (Config, error) {
	c := Config{
		BaseURL:        strings.TrimRight(getenv("ANTHROPIC_BEDROCK_BASE_URL"), "/"),
		BearerToken:    getenv("AWS_BEARER_TOKEN_BEDROCK"),
		SkipAuth:       truthy(getenv("CLAUDE_CODE_SKIP_BEDROCK_AUTH")),
		CacheTTL1h:     truthy(getenv("ENABLE_PROMPT_CACHING_1H")) || truthy(getenv("ENABLE_PROMPT_CACHING_1H_BEDROCK")),
		DisableCaching: map[string]bool{},
		ServiceTier:    getenv("ANTHROPIC_BEDROCK_SERVICE_TIER"),
		Timeout:        DefaultTimeout,
		IdleTimeout:    DefaultIdleTimeout,
		MaxRetries:     DefaultMaxRetries,
	}
	var err error
	if c.MaxOutputTokens, err = intVar(getenv, "CLAUDE_CODE_MAX_OUTPUT_TOKENS", 1, "a positive number of tokens, such as 4096 (the setup guide's recommendation on Bedrock)"); err != nil {
		return c, err
	}
	if c.ThinkingTokens, err = intVar(getenv, "MAX_THINKING_TOKENS", 0, "0 (no extended thinking) or a budget of at least 1024 tokens, such as 1024 (the setup guide's recommendation)"); err != nil {
		return c, err
	}
	if c.ThinkingTokens > 0 && c.ThinkingTokens < minThinkingBudget {
		return c, &ConfigError{"MAX_THINKING_TOKENS", getenv("MAX_THINKING_TOKENS"), "extended thinking needs a budget of at least 1024 tokens; use 1024, or 0 to turn thinking off"}
	}
	if ms, err := intVar(getenv, "API_TIMEOUT_MS", 1, "a timeout in milliseconds, such as 600000"); err != nil {
		return c, err
	} else if ms > 0 {
		c.Timeout = time.Duration(ms) * time.Millisecond
	}
	if ms, err := intVar(getenv, "CLAUDE_STREAM_IDLE_TIMEOUT_MS", 1, "a timeout in milliseconds, such as 300000"); err != nil {
		return c, err
	} else if ms > 0 {
		c.IdleTimeout = time.Duration(ms) * time.Millisecond
	}
	if n, err := intVar(getenv, "CLAUDE_CODE_MAX_RETRIES", 0, "a number of retries, such as 8"); err != nil {
		return c, err
	} else if getenv("CLAUDE_CODE_MAX_RETRIES") != "" {
		c.MaxRetries = n
	}
	for family, v := range map[string]string{"": "DISABLE_PROMPT_CACHING", "haiku": "DISABLE_PROMPT_CACHING_HAIKU",
		"sonnet": "DISABLE_PROMPT_CACHING_SONNET", "opus": "DISABLE_PROMPT_CACHING_OPUS", "fable": "DISABLE_PROMPT_CACHING_FABLE"} {
		c.DisableCaching[family] = truthy(getenv(v))
	}
	if c.CustomHeaders, err = parseHeaders(getenv("ANTHROPIC_CUSTOM_HEADERS")); err != nil {
		return c, err
	}
	switch c.ServiceTier {
	case "", "default", "flex", "priority", "reserved":
	default:
		return c, &ConfigError{"ANTHROPIC_BEDROCK_SERVICE_TIER", c.ServiceTier, "must be default, flex, priority or reserved"}
	}
	return c, nil
}

// CachingDisabled reports whether prompt caching is off for a model family.
func (c Config) CachingDisabled(family string) bool {
	return c.DisableCaching[""] || c.DisableCaching[family]
}

// truthy is how the agent the guide is about reads switches: 1, true, yes, on.
func truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// intVar reads a non-negative integer variable, accepting 64_000 and 2e3 as the agent the
// guide is about does. Values below min (other than unset) are an error.
func intVar(getenv Getenv, name string, min int, want string) (int, error) {
	raw := getenv(name)
	if raw == "" {
		return 0, nil
	}
	s := strings.ReplaceAll(strings.TrimSpace(raw), "_", "")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int64(f)) || f < float64(min) || f > 1e9 {
		return 0, &ConfigError{name, raw, "must be " + want}
	}
	return int(f), nil
}

// parseHeaders reads ANTHROPIC_CUSTOM_HEADERS: "Name: Value" lines.
func parseHeaders(raw string) (http.Header, error) {
	h := http.Header{}
	for _, line := range strings.Split(raw, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		// net/http refuses to send what these reject, which would fail every request.
		if !ok || !httpguts.ValidHeaderFieldName(name) || !httpguts.ValidHeaderFieldValue(value) {
			return nil, &ConfigError{"ANTHROPIC_CUSTOM_HEADERS", line, `each line must be "Name: Value" with a name of letters, digits and -, and a value without control characters, e.g. "X-Amzn-Bedrock-GuardrailIdentifier: abc123"`}
		}
		h.Add(name, value)
	}
	return h, nil
}
