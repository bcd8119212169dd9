package bedrock

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"ganban/internal/awsauth"
	"ganban/internal/catalog"
)

// Advice is the next step for a person who got err: which variable, which command, which
// statement of the setup guide. It is empty when there is nothing better to say than the
// error itself.
func Advice(err error, cat *catalog.Catalog) string {
	var e *Error
	if !errors.As(err, &e) {
		var ce *ConfigError
		if errors.As(err, &ce) {
			return fmt.Sprintf("Fix %s in your environment or in the \"env\" block of ~/.claude/settings.json.", ce.Variable)
		}
		if errors.Is(err, ErrNoRegion) {
			return "Set AWS_REGION (setup guide S11), e.g. export AWS_REGION=us-east-1."
		}
		return ""
	}
	advice := kindAdvice(e, cat)
	if e.ChoiceDropped {
		advice = fmt.Sprintf("ganban picked %s as the default itself and has now forgotten that choice: the next start looks for the newest model this account can invoke in %s (or pin one with ANTHROPIC_MODEL). %s", e.Model, e.Region, advice)
	}
	return advice
}

// kindAdvice is the next step for each kind of Bedrock error.
func kindAdvice(e *Error, cat *catalog.Catalog) string {
	switch e.Kind {
	case KindOnDemand:
		return onDemandAdvice(e, cat)
	case KindInvalidModel:
		return invalidModelAdvice(e, cat)
	case KindModelRetired:
		return fmt.Sprintf("%s has reached end of life on Bedrock. Pick a current model: `ganban models` lists them; then set ANTHROPIC_MODEL.", e.Model)
	case KindAccessDenied:
		if strings.Contains(e.Message, "not authorized to perform") {
			return "Your IAM policy does not allow this call (setup guide S22). `ganban iam-policy` prints a policy that works; `ganban iam-policy --restrict` narrows it to your models (S23)."
		}
		return fmt.Sprintf("This account has no access to %s in %s. Request it in the Bedrock console under Model access (setup guide S1-S2), or choose another model (`ganban models`).", e.Model, e.Region)
	case KindCredentials:
		return credentialsAdvice(e)
	case KindClockSkew:
		return clockAdvice(e)
	case KindThrottled:
		return "Bedrock throttled the requests: the account's requests or tokens per minute for this model are used up. Wait a minute, run fewer sessions at once, or request a quota increase. max_tokens counts against the quota up front with a floor of 4096 (setup guide S20), so CLAUDE_CODE_MAX_OUTPUT_TOKENS=4096 is the economical setting."
	case KindQuotaExceeded:
		return "A daily Bedrock quota is used up. Request an increase in Service Quotas, or use another region (AWS_REGION) or a cross-region inference profile."
	case KindNotEventStream:
		return "Something between ganban and Bedrock (ANTHROPIC_BEDROCK_BASE_URL, a proxy or gateway) changed the streaming response. Configure it to pass Bedrock's event stream (application/vnd.amazon.eventstream) through unchanged."
	case KindNetwork:
		return "Bedrock could not be reached. Check the network, HTTPS_PROXY/NO_PROXY, AWS_CA_BUNDLE for a corporate TLS proxy, and ANTHROPIC_BEDROCK_BASE_URL if you use a gateway."
	case KindPromptTooLong:
		return "The conversation no longer fits the model's context window. Run /compact, or start a new session."
	case KindServer, KindModelNotReady, KindModelTimeout, KindStreamBroken, KindStreamIdle:
		return "Bedrock kept failing after retries. Try again in a moment; if it persists, check the AWS Health Dashboard for Bedrock in this region."
	}
	return ""
}

// onDemandAdvice names the profile to use instead of a bare model ID (S26).
func onDemandAdvice(e *Error, cat *catalog.Catalog) string {
	const why = "Bedrock serves this model only through inference profiles, and ganban uses the Invoke API, which needs the profile ID (setup guide S26)."
	ref, err := cat.Parse(e.Model)
	if err != nil || ref.Model == nil {
		return why + " Run `ganban models` to see the profiles in " + e.Region + "."
	}
	id, perr := profileFor(cat, ref.Model, e.Region)
	if perr != nil {
		return why + " " + perr.Error() + "; run `ganban models`."
	}
	return fmt.Sprintf("%s Use its inference profile for %s instead: export ANTHROPIC_MODEL=%s", why, e.Region, id)
}

// invalidModelAdvice explains an ID the region does not offer: a profile of another
// geography, a model not offered here, or a typo.
func invalidModelAdvice(e *Error, cat *catalog.Catalog) string {
	ref, err := cat.Parse(e.Model)
	if err != nil || ref.Model == nil {
		return fmt.Sprintf("%q is not a model ID Bedrock knows in %s. Run `ganban models` for the IDs you can use (setup guide S25).", e.Model, e.Region)
	}
	if id, perr := profileFor(cat, ref.Model, e.Region); perr == nil && id != e.Model {
		return fmt.Sprintf("%s is not offered in %s. In %s use %s (export ANTHROPIC_MODEL=%s); a profile's prefix must match the region's geography (setup guide S25).", e.Model, e.Region, e.Region, id, id)
	}
	var where []string
	for _, geo := range ref.Model.Profiles {
		if r := cat.ProfileRegions(ref.Model, geo); len(r) > 0 {
			where = append(where, fmt.Sprintf("%s (%s)", ref.Model.ProfileID(geo), r[0]))
		}
	}
	return fmt.Sprintf("%s is not offered in %s. It is offered as %s: switch AWS_REGION, or choose another model with `ganban models` (setup guide S25).", ref.Model.Name, e.Region, strings.Join(where, ", "))
}

func credentialsAdvice(e *Error) string {
	if e.RefreshHeldBack {
		return fmt.Sprintf("Bedrock rejected the credentials again, and awsAuthRefresh (%s) was not run again for it: ganban runs it at most once a minute, so that a command that does not help cannot loop (setup guide S7). Run it yourself, check that it renews the credentials AWS_PROFILE points at, then continue with ganban -c.", e.RefreshCommand)
	}
	if e.Refreshed {
		return fmt.Sprintf("Credentials were refreshed with awsAuthRefresh (%s) and Bedrock still rejected them. Run that command yourself to see what it does, check AWS_PROFILE, and `ganban doctor`.", e.RefreshCommand)
	}
	if errors.Is(e, awsauth.ErrNoCredentials) {
		return "Set up credentials as the guide's S5 says: AWS_PROFILE naming a profile in ~/.aws/config (`aws configure sso` or `aws configure`), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a Bedrock API key in AWS_BEARER_TOKEN_BEDROCK; then run `ganban doctor`. `ganban demo` shows ganban at work without any."
	}
	if e.Status == 0 {
		return "ganban could not obtain AWS credentials; the message says from where. Fix that source: awsCredentialExport in settings (run the command yourself to see its error), `aws sso login` for an SSO profile, AWS_PROFILE and ~/.aws for shared files (setup guide S5-S9); then run `ganban doctor`."
	}
	if strings.Contains(e.Message, "API Key") {
		return "The Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) was rejected: it may have expired or belong to another region. Create a new key in the Bedrock console."
	}
	return "Your AWS credentials expired or are invalid (setup guide S5). Renew them (e.g. aws sso login --profile NAME), or set awsAuthRefresh in ~/.claude/settings.json so ganban renews them itself (S6-S8)."
}

// clockAdvice says how far off the clock is, when the service's Date header tells, and how
// to set it: SigV4 signatures are refused more than 5 minutes off, whatever the credentials.
func clockAdvice(e *Error) string {
	off := ""
	if !e.ServerTime.IsZero() {
		off = " (" + ClockOffset(e.ServerTime) + ")"
	}
	return "This machine's clock is more than 5 minutes off AWS's" + off + ", so AWS refuses the request's signature; new credentials will not help. " + ClockFix
}

// ClockFix is how to set the clock right.
const ClockFix = "Synchronise the clock: `sudo sntp -sS time.apple.com` on macOS, `sudo timedatectl set-ntp true` on Linux."

// ClockOffset says how far this machine's clock is from a server's ("about 10m0s ahead"), to
// the minute: a Date header has whole seconds, and minutes are what matter to SigV4.
func ClockOffset(server time.Time) string {
	switch d := time.Since(server).Round(time.Minute); {
	case d > 0:
		return fmt.Sprintf("about %s ahead", d)
	case d < 0:
		return fmt.Sprintf("about %s behind", -d)
	}
	return "within a minute"
}
