// Package bootstrap assembles what a session needs from the settings files, the environment
// and the command line, in the order the setup guide implies: settings (and their env block)
// first, then the region, the credentials, the Bedrock client, the models and the permission
// rules. The command-line entry points (print mode, the UI, doctor) all start here, so they
// agree on every choice and on where it came from.
package bootstrap

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"

	"ganban/internal/awsauth"
	"ganban/internal/bedrock"
	"ganban/internal/catalog"
	"ganban/internal/gitinfo"
	"ganban/internal/permission"
	"ganban/internal/session"
	"ganban/internal/settings"
)

// Options are what the command line says.
type Options struct {
	WorkDir, Home   string
	Environ         []string
	SettingsFiles   []string
	Model           string
	FallbackModel   string
	PermissionMode  string
	AllowedTools    []string
	DisallowedTools []string
	AddDirs         []string
	// SkipProjectSettings leaves out the project's settings files: the person did not trust
	// the folder (see AskTrust).
	SkipProjectSettings bool
	// RefreshOutput shows awsAuthRefresh's output (S8); Notify receives retry notices.
	RefreshOutput io.Writer
	Notify        func(bedrock.Notice)
}

// Runtime is an assembled session environment.
type Runtime struct {
	Settings              *settings.Settings
	Getenv                bedrock.Getenv
	Region, RegionSource  string
	SmallFastRegion       string
	SmallFastRegionSource string
	Config                bedrock.Config
	Credentials           *awsauth.Provider
	Client                *bedrock.Client
	Catalog               *catalog.Catalog
	Primary, SmallFast    bedrock.Choice
	Fallback              bedrock.Choice
	Permissions           *permission.Checker
	PermissionConfig      permission.Config
	// Home is ~/.ganban (GANBAN_HOME); ProjectDir holds this working directory's sessions.
	Home, ProjectDir string
	WorkDir          string
	// Git is the repository state, read in the background from the start of Load.
	Git *gitinfo.Info
	// environ is the process environment Load was given, for the trust store's place;
	// skipProject records that the project's settings were left out (not trusted).
	environ     []string
	skipProject bool
}

// LoadSettings reads the settings files and applies their env block to this process, so that
// the AWS SDK, proxies and commands see what the user configured (S14).
func LoadSettings(o Options) (*settings.Settings, error) {
	s, err := settings.Load(settings.Options{WorkDir: o.WorkDir, Home: o.Home, SettingsFiles: o.SettingsFiles, Environ: o.Environ,
		SkipProject: o.SkipProjectSettings})
	if err != nil {
		return nil, err
	}
	if err := s.Apply(); err != nil {
		return nil, fmt.Errorf("apply the settings env block: %w", err)
	}
	return s, nil
}

// Load assembles the runtime without touching the network: models that need discovery are
// resolved by ResolveModels.
func Load(ctx context.Context, o Options) (*Runtime, error) {
	git := gitinfo.Start(o.WorkDir)
	s, err := LoadSettings(o)
	if err != nil {
		return nil, err
	}
	r := &Runtime{Settings: s, Getenv: s.Getenv, Catalog: catalog.Default(), WorkDir: o.WorkDir, Git: git, environ: o.Environ,
		skipProject: o.SkipProjectSettings}
	r.Home = session.Home(s.Getenv)
	r.ProjectDir = session.ProjectDir(r.Home, o.WorkDir)
	if r.Permissions, r.PermissionConfig, err = permissions(s, o); err != nil {
		return nil, err
	}
	if r.Region, r.RegionSource, err = bedrock.ResolveRegion(ctx, s.Getenv); err != nil {
		return r, err
	}
	if r.SmallFastRegion, r.SmallFastRegionSource, err = bedrock.ResolveSmallFastRegion(s.Getenv, r.Region, r.RegionSource); err != nil {
		return r, err
	}
	if r.Config, err = bedrock.LoadConfig(s.Getenv); err != nil {
		return r, err
	}
	r.Config.Region, r.Config.RegionSource = r.Region, r.RegionSource
	r.Config.SmallFastRegion, r.Config.SmallFastRegionSource = r.SmallFastRegion, r.SmallFastRegionSource
	refresh, _ := s.AWSAuthRefresh()
	export, _ := s.AWSCredentialExport()
	awsCfg, err := bedrock.LoadAWSConfig(ctx, r.Region)
	if err != nil {
		return r, fmt.Errorf("load AWS configuration: %w", err)
	}
	r.Credentials = awsauth.New(awsauth.Config{
		BearerToken: r.Config.BearerToken, SkipAuth: r.Config.SkipAuth, Export: export, Refresh: refresh,
		Environ: s.Environ(), RefreshOutput: o.RefreshOutput, LoadChain: bedrock.ChainLoader(r.Region, &awsCfg),
	})
	if r.Client, err = bedrock.New(ctx, bedrock.Options{Config: r.Config, Credentials: r.Credentials, Catalog: r.Catalog,
		Notify: o.Notify, AWSConfig: &awsCfg, CacheDir: filepath.Join(r.Home, "cache")}); err != nil {
		return r, err
	}
	model, modelSrc := s.Model()
	flags := bedrock.ModelFlags{Flag: o.Model, Setting: model, SettingSource: modelSrc.String(), Overrides: overrides(s)}
	if r.Primary, err = bedrock.ChoosePrimary(r.Catalog, s.Getenv, flags, r.Region); err != nil {
		return r, err
	}
	if r.SmallFast, err = bedrock.ChooseSmallFast(r.Catalog, s.Getenv, flags.Overrides, r.SmallFastRegion); err != nil {
		return r, err
	}
	if o.FallbackModel != "" {
		if r.Fallback, err = bedrock.ChoosePrimary(r.Catalog, s.Getenv, bedrock.ModelFlags{Flag: o.FallbackModel, Overrides: flags.Overrides}, r.Region); err != nil {
			return r, fmt.Errorf("--fallback-model: %w", err)
		}
		r.Fallback.Source = "--fallback-model"
	}
	return r, nil
}

func overrides(s *settings.Settings) map[string]string {
	out := map[string]string{}
	for k, v := range s.ModelOverrides() {
		out[k] = v.Value
	}
	return out
}

// ResolveModels discovers models given as a family (the defaults, unpinned aliases) and looks
// up application inference profiles, so that limits and prices are known.
func (r *Runtime) ResolveModels(ctx context.Context) error {
	cache := bedrock.DiscoveryCache{Dir: filepath.Join(r.Home, "cache"), Key: r.credentialKey()}
	var err error
	if r.Primary, err = r.Client.Discover(ctx, r.Primary, r.Region, cache); err != nil {
		return err
	}
	if r.Primary, err = r.Client.Describe(ctx, r.Primary); err != nil {
		return err
	}
	if r.Fallback.ID != "" || r.Fallback.NeedsDiscovery() {
		if r.Fallback, err = r.Client.Discover(ctx, r.Fallback, r.Region, cache); err == nil {
			r.Fallback, err = r.Client.Describe(ctx, r.Fallback)
		}
		if err != nil {
			return fmt.Errorf("--fallback-model: %w", err)
		}
	}
	if sf, err := r.Client.Discover(ctx, r.SmallFast, r.SmallFastRegion, cache); err == nil {
		r.SmallFast = sf
	} else {
		// Without a small/fast model the session still works; only titles need it.
		r.SmallFast = bedrock.Choice{}
	}
	return nil
}

// SmallFastCallRegion is the region small/fast calls name: "" when it is the main region.
func (r *Runtime) SmallFastCallRegion() string {
	if r.SmallFastRegion == r.Region {
		return ""
	}
	return r.SmallFastRegion
}

// credentialKey tells credential sources apart for the model cache without storing a secret.
func (r *Runtime) credentialKey() string {
	g := r.Getenv
	var k string
	switch {
	case r.Config.BearerToken != "":
		sum := sha256.Sum256([]byte(r.Config.BearerToken))
		k = "bearer:" + hex.EncodeToString(sum[:8])
	case r.Credentials.ExportCommand() != "":
		k = "export:" + r.Credentials.ExportCommand()
	default:
		k = "chain:" + g("AWS_PROFILE") + "/" + g("AWS_ACCESS_KEY_ID")
	}
	return k + "@" + r.Config.BaseURL
}

// permissions builds the checker from the settings rules, the command line's
// --allowedTools/--disallowedTools/--add-dir and the mode (flag over defaultMode).
func permissions(s *settings.Settings, o Options) (*permission.Checker, permission.Config, error) {
	p := s.Permissions()
	var rules permission.Rules
	for _, set := range []struct {
		from []settings.Rule
		to   *[]permission.Rule
	}{{p.Allow, &rules.Allow}, {p.Ask, &rules.Ask}, {p.Deny, &rules.Deny}} {
		for _, sr := range set.from {
			r, err := permission.ParseRule(sr.Rule)
			if err != nil {
				return nil, permission.Config{}, fmt.Errorf("%s: permission rule %q: %w", sr.Source.Path, sr.Rule, err)
			}
			r.Source = sr.Source.Path
			*set.to = append(*set.to, r)
		}
	}
	allow, err := permission.ParseRules(SplitToolList(o.AllowedTools), "--allowedTools")
	if err != nil {
		return nil, permission.Config{}, err
	}
	deny, err := permission.ParseRules(SplitToolList(o.DisallowedTools), "--disallowedTools")
	if err != nil {
		return nil, permission.Config{}, err
	}
	rules.Allow, rules.Deny = append(rules.Allow, allow...), append(rules.Deny, deny...)
	mode := o.PermissionMode
	if mode == "" {
		mode = p.DefaultMode.Value
	}
	m, err := permission.ParseMode(mode)
	if err != nil {
		return nil, permission.Config{}, err
	}
	dirs := append([]string(nil), o.AddDirs...)
	for _, d := range p.AdditionalDirectories {
		dirs = append(dirs, d.Value)
	}
	cfg := permission.Config{Mode: m, Rules: rules, WorkDir: o.WorkDir, AdditionalDirs: dirs, Home: o.Home}
	c, err := permission.New(cfg)
	return c, cfg, err
}

// CatalogOrDefault is the runtime's catalog, usable even on a runtime that failed to load.
func (r *Runtime) CatalogOrDefault() *catalog.Catalog {
	if r == nil || r.Catalog == nil {
		return catalog.Default()
	}
	return r.Catalog
}
