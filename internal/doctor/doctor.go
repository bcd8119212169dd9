// Package doctor checks a user's setup against the Bedrock setup guide, step by step, and
// says for each problem what to change: settings files, provider and region, credentials and
// identity, the refresh and export commands, clock skew, inference-profile access, each
// configured model, prompt caching and the token settings.
package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"ganban/internal/bedrock"
	"ganban/internal/bootstrap"
	"ganban/internal/redact"
	"ganban/internal/settings"
)

// Status of a check.
type Status string

// Check statuses: a failure makes `ganban doctor` exit non-zero; a warning does not.
const (
	OK   Status = "ok"
	Info Status = "info"
	Warn Status = "warn"
	Fail Status = "fail"
)

// Check is one finding.
type Check struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

// maxSkew is the clock difference SigV4 tolerates.
const maxSkew = 5 * time.Minute

type run struct {
	checks []Check
}

func (r *run) add(name string, st Status, detail, fix string) {
	r.checks = append(r.checks, Check{Name: name, Status: st, Detail: redact.String(detail), Fix: fix})
}

// Run performs the checks. It never stops at the first failure while later checks can still
// tell the user something.
func Run(ctx context.Context, o bootstrap.Options) []Check {
	r := &run{}
	s, err := bootstrap.LoadSettings(o)
	if err != nil {
		r.add("Settings files", Fail, err.Error(), "Fix the JSON at the file, line and column shown; ganban never ignores a broken settings file.")
		return r.checks
	}
	r.settings(s)
	r.trust(o)
	rt, err := bootstrap.Load(ctx, o)
	r.provider(rt, err)
	if errors.Is(err, bedrock.ErrNoRegion) {
		r.credentialsWithoutRegion(ctx, o)
	}
	if rt == nil || rt.Client == nil {
		return r.checks
	}
	r.credentials(ctx, rt)
	r.controlPlane(ctx, rt)
	r.models(ctx, rt)
	r.tokens(rt)
	return r.checks
}

func (r *run) settings(s *settings.Settings) {
	var found []string
	for _, f := range s.Files() {
		if f.Exists {
			found = append(found, fmt.Sprintf("%s %s", f.Scope, f.Path))
		}
	}
	if len(found) == 0 {
		r.add("Settings files", Info, "none found (~/.claude/settings.json, .claude/settings.json, .claude/settings.local.json)", "")
	} else {
		r.add("Settings files", OK, "parsed: "+strings.Join(found, "; "), "")
	}
	for _, k := range s.NotActedOn() {
		r.add("Setting "+k.Key, Warn, fmt.Sprintf("%s is set in %s, but ganban does not act on it yet", k.Key, k.Source.Path),
			"Remove it if you rely on it: it has no effect in ganban.")
	}
}

// trust says when a folder's own settings are not used everywhere: left out of this session,
// or waiting for the interactive UI's question.
func (r *run) trust(o bootstrap.Options) {
	if o.SkipProjectSettings {
		r.add("Project settings", Info, "left out: this folder was not trusted when the session started", "")
		return
	}
	if q, err := bootstrap.AskTrust(o); err == nil && q != nil {
		r.add("Project settings", Info, fmt.Sprintf("%s is not trusted yet, and its settings ask for: %s. Print mode and these checks use them; the interactive UI asks first.",
			q.Folder, strings.Join(q.Acts, "; ")), "")
	}
}

func (r *run) provider(rt *bootstrap.Runtime, err error) {
	if rt != nil && rt.Getenv != nil {
		if v := rt.Getenv("CLAUDE_CODE_USE_BEDROCK"); v == "" || !settings.Truthy(v) {
			r.add("Provider", Info, "Amazon Bedrock (ganban always uses Bedrock; CLAUDE_CODE_USE_BEDROCK is not set)", "Set CLAUDE_CODE_USE_BEDROCK=1 if other tools that follow the setup guide share this environment (S10).")
		} else {
			r.add("Provider", OK, "Amazon Bedrock (CLAUDE_CODE_USE_BEDROCK="+v+"), Invoke API", "")
		}
	}
	if rt != nil && rt.Region != "" {
		r.add("Region", OK, fmt.Sprintf("%s (from %s)", rt.Region, rt.RegionSource), "")
		if rt.SmallFastRegion != "" && rt.SmallFastRegion != rt.Region {
			r.add("Small/fast model region", OK, fmt.Sprintf("%s (from %s)", rt.SmallFastRegion, rt.SmallFastRegionSource), "")
		}
	}
	if err != nil {
		fix := bedrock.Advice(err, rt.CatalogOrDefault())
		name := "Configuration"
		detail := err.Error()
		if errors.Is(err, bedrock.ErrNoRegion) {
			name, detail = "Region", "no AWS region is set; Bedrock needs one (setup guide S11)"
			fix = `Set AWS_REGION, e.g. export AWS_REGION=us-east-1, or put "AWS_REGION": "us-east-1" in the "env" block of ~/.claude/settings.json.`
		}
		r.add(name, Fail, detail, fix)
	}
	if rt != nil && rt.Config.BaseURL != "" {
		r.add("Endpoint", Info, "ANTHROPIC_BEDROCK_BASE_URL="+rt.Config.BaseURL, "")
	}
}

// credentialsWithoutRegion still says whether credentials are found when no region is set,
// so that someone starting out learns everything that is missing at once. The region given
// to the SDK here only lets it resolve them; nothing is sent to Bedrock.
func (r *run) credentialsWithoutRegion(ctx context.Context, o bootstrap.Options) {
	if o.Environ == nil {
		o.Environ = os.Environ()
	}
	o.Environ = append(slices.Clone(o.Environ), "AWS_REGION=us-east-1")
	rt, err := bootstrap.Load(ctx, o)
	if err != nil || rt.Client == nil {
		return
	}
	r.credentialSource(ctx, rt)
}

func (r *run) credentials(ctx context.Context, rt *bootstrap.Runtime) {
	if r.credentialSource(ctx, rt) && rt.Credentials.BearerToken() == "" && !rt.Credentials.SkipAuth() {
		r.identity(ctx, rt)
	}
}

// credentialSource reports the refresh and export commands and where the credentials come
// from; false when none resolve.
func (r *run) credentialSource(ctx context.Context, rt *bootstrap.Runtime) bool {
	refresh, rsrc := rt.Settings.AWSAuthRefresh()
	export, esrc := rt.Settings.AWSCredentialExport()
	if refresh != "" {
		r.add("awsAuthRefresh", OK, fmt.Sprintf("%q (from %s); runs when credentials expire or are rejected, output shown (S7-S8)", redact.String(refresh), rsrc), "")
	}
	if export != "" {
		r.add("awsCredentialExport", OK, fmt.Sprintf("%q (from %s); its credentials go to Bedrock only (S9)", redact.String(export), esrc), "")
	}
	st, err := rt.Credentials.Status(ctx)
	if err != nil {
		r.add("Credentials", Fail, err.Error(), bedrock.Advice(&bedrock.Error{Kind: bedrock.KindCredentials, Err: err, Message: err.Error()}, rt.Catalog))
		return false
	}
	detail := st.Source
	if st.AccessKeyID != "" {
		detail += ", key " + st.AccessKeyID
	}
	if st.CanExpire {
		left := time.Until(st.Expires).Round(time.Minute)
		detail += fmt.Sprintf(", expires %s (in %s)", st.Expires.Local().Format("2006-01-02 15:04"), left)
	}
	r.add("Credentials", OK, detail, "")
	return true
}

// identity asks STS who the credentials belong to. STS may be unreachable where Bedrock is
// (a VPC endpoint for Bedrock only), so a failure is a warning.
func (r *run) identity(ctx context.Context, rt *bootstrap.Runtime) {
	cfg, err := bedrock.LoadAWSConfig(ctx, rt.Region)
	if err != nil {
		r.add("Identity", Warn, err.Error(), "")
		return
	}
	cfg.Credentials = rt.Credentials.Credentials()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	switch kind := bedrock.KindOf(err); {
	case err != nil && (kind == bedrock.KindCredentials || kind == bedrock.KindClockSkew):
		// STS answered, and what it says of the credentials or the clock holds for Bedrock.
		fix := "Renew them (e.g. aws sso login --profile NAME) or set awsAuthRefresh so ganban does (S5-S8)."
		if kind == bedrock.KindClockSkew {
			fix = bedrock.ClockFix
		}
		r.add("Identity", Fail, "STS GetCallerIdentity refused the request: "+redact.String(err.Error()), fix)
		return
	case err != nil:
		r.add("Identity", Warn, "STS GetCallerIdentity failed: "+redact.String(err.Error()), "If Bedrock works this can be ignored (STS may be unreachable from this network).")
		return
	}
	r.add("Identity", OK, fmt.Sprintf("%s (account %s)", aws.ToString(out.Arn), aws.ToString(out.Account)), "")
}

func (r *run) controlPlane(ctx context.Context, rt *bootstrap.Runtime) {
	t, err := rt.Client.CheckControlPlane(ctx)
	var be *bedrock.Error
	switch {
	case errors.As(err, &be) && be.Kind == bedrock.KindClockSkew:
		r.add("ListInferenceProfiles", Fail, "not checked: the request's signature was refused for the clock", "")
		t = be.ServerTime
	case err != nil:
		r.add("ListInferenceProfiles", Fail, err.Error(), bedrock.Advice(err, rt.Catalog)+" The policy needs bedrock:ListInferenceProfiles (S22).")
		return
	default:
		r.add("ListInferenceProfiles", OK, "allowed in "+rt.Region, "")
	}
	if t.IsZero() {
		return
	}
	skew := time.Since(t).Round(time.Second)
	switch {
	case skew > maxSkew || skew < -maxSkew:
		r.add("Clock", Fail, fmt.Sprintf("this machine's clock is %s of Bedrock's", bedrock.ClockOffset(t)), "AWS refuses signatures more than 5 minutes off. "+bedrock.ClockFix)
	default:
		r.add("Clock", OK, fmt.Sprintf("within %s of Bedrock's", absDuration(skew)+time.Second), "")
	}
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func (r *run) models(ctx context.Context, rt *bootstrap.Runtime) {
	if err := rt.ResolveModels(ctx); err != nil {
		r.add("Primary model", Fail, err.Error(), bedrock.Advice(err, rt.Catalog))
		return
	}
	for _, m := range []struct {
		name   string
		choice bedrock.Choice
		region string // "" for the configured one, as the agent's calls have it
	}{{"Primary model", rt.Primary, ""}, {"Small/fast model", rt.SmallFast, rt.SmallFastCallRegion()}} {
		region := rt.Client.CallRegion(m.choice.ID, m.region)
		if m.choice.ID == "" {
			r.add(m.name, Warn, "none invokable in "+region, "Session titles need it; pin one with ANTHROPIC_DEFAULT_HAIKU_MODEL.")
			continue
		}
		if err := rt.Client.Probe(ctx, m.choice.ID, m.region); err != nil {
			r.add(m.name, Fail, err.Error(), bedrock.Advice(err, rt.Catalog))
			continue
		}
		r.add(m.name, OK, fmt.Sprintf("%s in %s, invokable (%s)", m.choice.ID, region, m.choice.Source), "")
	}
	if rt.Config.CachingDisabled("") {
		r.add("Prompt caching", Warn, "off (DISABLE_PROMPT_CACHING)", "Caching cuts the cost of long sessions several times; unset DISABLE_PROMPT_CACHING unless this region lacks it (S18).")
		return
	}
	region := ""
	if err := rt.Client.ProbeCaching(ctx, rt.Primary, region); err != nil {
		var be *bedrock.Error
		if errors.As(err, &be) && be.Kind == bedrock.KindCachingUnsupported {
			r.add("Prompt caching", Warn, "not accepted for "+rt.Primary.ID+" in "+rt.Region, "ganban retries without it automatically; set DISABLE_PROMPT_CACHING=1 to skip the first refusal (S18).")
			return
		}
		r.add("Prompt caching", Warn, err.Error(), "")
		return
	}
	r.add("Prompt caching", OK, "accepted", "")
}

func (r *run) tokens(rt *bootstrap.Runtime) {
	c := rt.Config
	switch {
	case c.MaxOutputTokens == 0:
		r.add("Output tokens", OK, "4096 (default; CLAUDE_CODE_MAX_OUTPUT_TOKENS unset, as S19 recommends)", "")
	case c.MaxOutputTokens < bedrock.DefaultMaxOutputTokens:
		r.add("Output tokens", Warn, fmt.Sprintf("CLAUDE_CODE_MAX_OUTPUT_TOKENS=%d", c.MaxOutputTokens),
			"Below 4096 saves nothing (Bedrock charges a 4096 floor against the quota) and cuts tool calls short; use 4096 (S20).")
	default:
		r.add("Output tokens", OK, fmt.Sprintf("CLAUDE_CODE_MAX_OUTPUT_TOKENS=%d (cut-off answers are retried with more room)", c.MaxOutputTokens), "")
	}
	if c.ThinkingTokens == 0 {
		r.add("Thinking tokens", Info, "extended thinking off (MAX_THINKING_TOKENS unset)", "S19 recommends MAX_THINKING_TOKENS=1024 for focused reasoning.")
	} else {
		r.add("Thinking tokens", OK, fmt.Sprintf("MAX_THINKING_TOKENS=%d", c.ThinkingTokens), "")
	}
}

// Failed reports whether any check failed.
func Failed(checks []Check) bool {
	for _, c := range checks {
		if c.Status == Fail {
			return true
		}
	}
	return false
}

var marks = map[Status]string{OK: "✓", Info: "·", Warn: "!", Fail: "✗"}

// Render writes the checks for people.
func Render(w io.Writer, checks []Check) {
	for _, c := range checks {
		fmt.Fprintf(w, "%s %s: %s\n", marks[c.Status], c.Name, c.Detail)
		if c.Fix != "" && c.Status != OK {
			fmt.Fprintf(w, "    fix: %s\n", c.Fix)
		}
	}
}

// RenderJSON writes the checks as JSON.
func RenderJSON(w io.Writer, checks []Check) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"ok": !Failed(checks), "checks": checks})
}
