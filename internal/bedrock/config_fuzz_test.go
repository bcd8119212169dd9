package bedrock_test

import (
	"strings"
	"testing"

	"golang.org/x/net/http/httpguts"

	"ganban/internal/bedrock"
	"ganban/internal/catalog"
)

// FuzzLoadConfig reads the Bedrock variables from any values without panicking; what it
// accepts can be used: custom headers are ones net/http will send (anything else failed
// every request of the session, as a network error), and the model choices never panic on
// the region and IDs given.
func FuzzLoadConfig(f *testing.F) {
	f.Add("X-Amzn-Bedrock-GuardrailIdentifier: abc123\nX-Amzn-Bedrock-GuardrailVersion: 1", "1024", "3", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1")
	f.Add("Bad Header: x", "512", "-1", "sonnet[1m]", "eu-west-1")
	f.Add("X-Ok: caf\u00e9\nX-\u00e9: 1", "x", "", "arn:aws:bedrock:us-east-2:111122223333:application-inference-profile/a", "")
	f.Fuzz(func(t *testing.T, headers, thinking, retries, model, region string) {
		env := map[string]string{"ANTHROPIC_CUSTOM_HEADERS": headers, "MAX_THINKING_TOKENS": thinking,
			"CLAUDE_CODE_MAX_RETRIES": retries, "ANTHROPIC_MODEL": model}
		getenv := func(k string) string { return env[k] }
		c, err := bedrock.LoadConfig(getenv)
		if err != nil {
			return
		}
		for name, values := range c.CustomHeaders {
			if !httpguts.ValidHeaderFieldName(name) {
				t.Errorf("accepted header name %q", name)
			}
			for _, v := range values {
				if !httpguts.ValidHeaderFieldValue(v) || strings.ContainsAny(v, "\r\n") {
					t.Errorf("accepted header value %q", v)
				}
			}
		}
		_, _ = bedrock.ChoosePrimary(catalog.Default(), getenv, bedrock.ModelFlags{}, region)
		_, _ = bedrock.ChooseSmallFast(catalog.Default(), getenv, nil, region)
	})
}
