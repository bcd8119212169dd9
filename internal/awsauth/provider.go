package awsauth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"ganban/internal/redact"
)

// Credential sources besides the SDK's own (aws.Credentials.Source names those).
const (
	SourceBearer = "Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)"
	SourceExport = "awsCredentialExport"
	SourceSkip   = "none: requests are sent unsigned (CLAUDE_CODE_SKIP_BEDROCK_AUTH)"
)

// Timing of the credential cache: credentials are re-resolved this long before they expire,
// and a refresh runs at most once in minRefreshInterval unless forced.
const (
	ExpiryWindow       = 5 * time.Minute
	minRefreshInterval = time.Minute
)

// Config says where credentials come from.
type Config struct {
	// BearerToken is AWS_BEARER_TOKEN_BEDROCK; it wins over everything else.
	BearerToken string
	// SkipAuth sends requests unsigned (a gateway adds credentials).
	SkipAuth bool
	// Export is the awsCredentialExport command, Refresh the awsAuthRefresh command.
	Export, Refresh string
	// Environ is the environment the commands run with.
	Environ []string
	// RefreshOutput receives awsAuthRefresh's output, which the user must see (S8).
	RefreshOutput io.Writer
	// LoadChain loads the AWS SDK's default credential chain. It is called again after a
	// refresh, because awsAuthRefresh rewrites the files the chain read.
	LoadChain func(ctx context.Context) (aws.CredentialsProvider, error)
	Now       func() time.Time
	// RefreshTimeout and ExportTimeout bound the commands (defaults RefreshTimeout and
	// ExportTimeout).
	RefreshTimeout, ExportTimeout time.Duration
}

// Provider resolves and renews credentials. Clients use it through Credentials(), the one
// cache in front of it, so that invalidating it takes effect everywhere.
type Provider struct {
	cfg   Config
	cache *aws.CredentialsCache

	mu          sync.Mutex
	source      aws.CredentialsProvider // nil until first use, and after a refresh
	lastRefresh time.Time
	refreshes   int
	current     string      // access key ID of the credentials last resolved
	refreshing  *refreshRun // the awsAuthRefresh run in progress, if any
}

// New returns a Provider; nothing is resolved until credentials are first needed.
func New(cfg Config) *Provider {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RefreshOutput == nil {
		cfg.RefreshOutput = io.Discard
	}
	if cfg.RefreshTimeout == 0 {
		cfg.RefreshTimeout = RefreshTimeout
	}
	if cfg.ExportTimeout == 0 {
		cfg.ExportTimeout = ExportTimeout
	}
	p := &Provider{cfg: cfg}
	p.cache = aws.NewCredentialsCache(aws.CredentialsProviderFunc(p.resolve), func(o *aws.CredentialsCacheOptions) {
		o.ExpiryWindow = ExpiryWindow
	})
	return p
}

// Credentials is what AWS clients sign with: cached in memory, re-resolved five minutes before
// expiry. With a bearer key or unsigned requests it yields anonymous credentials, which the
// SDK does not sign with.
func (p *Provider) Credentials() aws.CredentialsProvider {
	if p.cfg.BearerToken != "" || p.cfg.SkipAuth {
		return aws.AnonymousCredentials{}
	}
	return p.cache
}

// BearerToken is the Bedrock API key in use, or "".
func (p *Provider) BearerToken() string { return p.cfg.BearerToken }

// SkipAuth reports whether requests go unsigned.
func (p *Provider) SkipAuth() bool { return p.cfg.SkipAuth && p.cfg.BearerToken == "" }

// RefreshCommand is the awsAuthRefresh command as shown to people, secrets redacted, or "".
func (p *Provider) RefreshCommand() string { return redact.String(p.cfg.Refresh) }

// ExportCommand is the awsCredentialExport command as shown to people, secrets redacted, or
// "". An inline export command may hold the very credentials it prints.
func (p *Provider) ExportCommand() string { return redact.String(p.cfg.Export) }

// Refreshes counts the refreshes that ran.
func (p *Provider) Refreshes() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refreshes
}

// currentSource returns where credentials come from, building it on first use: the export
// command when one is set (its credentials go to Bedrock only, never into the environment of
// commands ganban runs), else the SDK's default chain.
func (p *Provider) currentSource(ctx context.Context) (aws.CredentialsProvider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.source != nil {
		return p.source, nil
	}
	if p.cfg.Export != "" {
		p.source = &exportProvider{command: p.cfg.Export, environ: p.cfg.Environ, now: p.cfg.Now, timeout: p.cfg.ExportTimeout}
		return p.source, nil
	}
	if p.cfg.LoadChain == nil {
		return nil, errors.New("no AWS credential chain configured")
	}
	chain, err := p.cfg.LoadChain(ctx)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	p.source = chain
	return chain, nil
}

func (p *Provider) retrieveOnce(ctx context.Context) (aws.Credentials, error) {
	src, err := p.currentSource(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	c, err := src.Retrieve(ctx)
	if err != nil && nothingFound(err) {
		err = ErrNoCredentials
	}
	return c, err
}

// resolve obtains credentials for the cache. When they cannot be resolved (an expired SSO
// session, missing files) and awsAuthRefresh is set, it runs the refresh once and tries again
// (S7).
func (p *Provider) resolve(ctx context.Context) (aws.Credentials, error) {
	c, err := p.resolveOrRefresh(ctx)
	if err == nil {
		p.mu.Lock()
		p.current = c.AccessKeyID
		p.mu.Unlock()
	}
	return c, err
}

func (p *Provider) resolveOrRefresh(ctx context.Context) (aws.Credentials, error) {
	c, err := p.retrieveOnce(ctx)
	if err == nil {
		return c, nil
	}
	if p.cfg.Refresh == "" {
		return aws.Credentials{}, &CredentialsError{Err: err}
	}
	ran, rerr := p.Refresh(ctx, false)
	if rerr != nil {
		return aws.Credentials{}, &CredentialsError{Err: rerr, Refreshed: ran, Command: p.cfg.Refresh}
	}
	if c, err = p.retrieveOnce(ctx); err != nil {
		return aws.Credentials{}, &CredentialsError{Err: err, Refreshed: ran, Command: p.cfg.Refresh}
	}
	return c, nil
}

// Invalidate drops cached credentials, and the loaded chain with them, so the next request
// resolves them again from the files, the environment or the export command.
func (p *Provider) Invalidate() {
	p.cache.Invalidate()
	p.mu.Lock()
	p.source = nil
	p.mu.Unlock()
}

// WillRefresh reports whether Rejected(keyID) would run awsAuthRefresh now, so that callers
// announce only a refresh that happens.
func (p *Provider) WillRefresh(keyID string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	renewed := keyID != "" && p.current != "" && keyID != p.current
	return p.cfg.Refresh != "" && !renewed && !p.guarded(p.cfg.Now())
}

// guarded reports whether the once-a-minute guard holds back a refresh at now; p.mu is held.
func (p *Provider) guarded(now time.Time) bool {
	return !p.lastRefresh.IsZero() && now.Sub(p.lastRefresh) < minRefreshInterval
}

// Rejected renews credentials after a service rejected, as expired or invalid, the ones with
// access key ID keyID. When credentials were renewed since that request was signed (another
// call refreshed them meanwhile) it only lets the caller retry with those; otherwise it is
// Refresh, once-a-minute guard included.
func (p *Provider) Rejected(ctx context.Context, keyID string) (ran bool, err error) {
	p.mu.Lock()
	renewed := keyID != "" && p.current != "" && keyID != p.current
	p.mu.Unlock()
	if renewed {
		return false, nil
	}
	return p.Refresh(ctx, false)
}

// Refresh renews credentials after they expired or were rejected: it runs awsAuthRefresh (if
// set), then drops the cache so that the chain is reloaded and awsCredentialExport runs again.
// Concurrent callers share one run, which is stopped (its process group killed) when all of
// them have given up, so Esc or Ctrl-C cancels a login. Within a minute of the last refresh
// it does not run the
// command again unless force is set, and reports ran=false; it still drops the cache, so the
// caller's retry reads what that refresh (or another process) left in the shared files.
func (p *Provider) Refresh(ctx context.Context, force bool) (ran bool, err error) {
	if p.cfg.Refresh == "" {
		p.Invalidate()
		return false, nil
	}
	p.mu.Lock()
	run := p.refreshing
	if run == nil {
		now := p.cfg.Now()
		if !force && p.guarded(now) {
			p.mu.Unlock()
			p.Invalidate()
			return false, nil
		}
		p.lastRefresh = now
		p.refreshes++
		run = p.startRefresh()
	}
	run.waiters++
	p.mu.Unlock()
	select {
	case <-run.done:
		p.leave(run)
		return true, run.err
	case <-ctx.Done():
		p.leave(run)
		return false, ctx.Err()
	}
}

// refreshRun is one run of awsAuthRefresh, shared by every caller that waits for it. It runs
// while any of them still waits: a browser login is not cut short because the request that
// noticed the expiry went away, but it stops when everyone has (Esc, Ctrl-C).
type refreshRun struct {
	done    chan struct{}
	err     error
	cancel  context.CancelFunc
	waiters int // guarded by Provider.mu
}

// startRefresh runs the command in the background; p.mu is held.
func (p *Provider) startRefresh() *refreshRun {
	ctx, cancel := context.WithCancel(context.Background())
	run := &refreshRun{done: make(chan struct{}), cancel: cancel}
	p.refreshing = run
	go func() {
		defer cancel()
		run.err = runShell(ctx, "awsAuthRefresh", p.cfg.Refresh, p.cfg.Environ, p.cfg.RefreshTimeout, p.cfg.RefreshOutput, p.cfg.RefreshOutput)
		if run.err == nil {
			p.Invalidate()
		}
		p.mu.Lock()
		p.refreshing = nil
		p.mu.Unlock()
		close(run.done)
	}()
	return run
}

// leave stops waiting for run, and stops the run when nobody waits any more.
func (p *Provider) leave(run *refreshRun) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if run.waiters--; run.waiters == 0 {
		run.cancel()
	}
}

// Status describes the credentials in use, for `ganban doctor` and the status line.
type Status struct {
	Source      string
	AccessKeyID string
	CanExpire   bool
	Expires     time.Time
}

// Status resolves the credentials (running commands if it must) and describes them.
func (p *Provider) Status(ctx context.Context) (Status, error) {
	switch {
	case p.cfg.BearerToken != "":
		return Status{Source: SourceBearer}, nil
	case p.SkipAuth():
		return Status{Source: SourceSkip}, nil
	}
	c, err := p.cache.Retrieve(ctx)
	var ce *CredentialsError
	if errors.As(err, &ce) {
		return Status{}, ce // without the cache's "failed to refresh cached credentials"
	}
	if err != nil {
		return Status{}, err
	}
	expires := c.Expires
	if c.CanExpire {
		// The cache moves expiry earlier by its window so that it renews in time; people
		// want the credentials' own time.
		expires = expires.Add(ExpiryWindow)
	}
	return Status{Source: c.Source, AccessKeyID: c.AccessKeyID, CanExpire: c.CanExpire, Expires: expires}, nil
}

// ErrNoCredentials is the default chain finding nothing at all: the usual state of someone
// starting the setup guide, who needs to be told where credentials may come from rather than
// the chain's last error (the instance-metadata lookup).
var ErrNoCredentials = errors.New(`no AWS credentials found: none in the environment (AWS_ACCESS_KEY_ID), none for the active profile in ~/.aws (AWS_PROFILE, else "default"), and no SSO, web identity, container or instance role`)

// nothingFound tells the chain's exhausted error: instance metadata, its last source, found
// no role (or was disabled or unreachable).
func nothingFound(err error) bool { return strings.Contains(err.Error(), "no EC2 IMDS role found") }

// CredentialsError is a failure to obtain credentials, with what was tried.
type CredentialsError struct {
	Err       error
	Refreshed bool   // awsAuthRefresh ran
	Command   string // the awsAuthRefresh command, when set
}

func (e *CredentialsError) Error() string {
	msg := "AWS credentials could not be resolved: " + e.Err.Error()
	if errors.Is(e.Err, ErrNoCredentials) {
		msg = e.Err.Error()
	}
	if e.Refreshed {
		msg += fmt.Sprintf(" (after running awsAuthRefresh %q)", redact.String(e.Command))
	}
	return msg
}

func (e *CredentialsError) Unwrap() error { return e.Err }
