package bedrock

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	bedrockcp "github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/smithy-go/auth/bearer"
	"github.com/aws/smithy-go/middleware"

	"ganban/internal/awsauth"
	"ganban/internal/catalog"
	"ganban/internal/sdkhttp"
)

// Options configure a Client.
type Options struct {
	Config      Config
	Credentials *awsauth.Provider
	Catalog     *catalog.Catalog
	// Notify receives retry and refresh notices as they happen; nil drops them.
	Notify func(Notice)
	// Sleep waits between retries; nil sleeps for real. Tests make time pass instantly.
	Sleep func(ctx context.Context, d time.Duration) error
	// AWSConfig is the SDK configuration already loaded for the region (see LoadAWSConfig);
	// nil loads it.
	AWSConfig *aws.Config
	// CacheDir keeps what calls learn for the next process: a region's refusal of prompt
	// caching for a model, for a day. Empty keeps it in memory only.
	CacheDir string
}

// Client calls Bedrock in a region and, for the small/fast model, possibly another.
type Client struct {
	opts    Options
	cfg     Config
	awsCfg  aws.Config
	cat     *catalog.Catalog
	control *bedrockcp.Client

	mu      sync.Mutex
	runtime map[string]*bedrockruntime.Client
	// noCaching records, per region/model pair looked up, whether it refused cache_control.
	noCaching map[string]bool
	// chosen holds, per model ID that Discover picked, how to forget that choice on disk.
	chosen map[string]func()
}

// LoadAWSConfig loads the SDK configuration (shared files, CA bundle, proxy) without its own
// retries: the Client retries, visibly.
func LoadAWSConfig(ctx context.Context, region string) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(region),
		config.WithRetryer(func() aws.Retryer { return aws.NopRetryer{} }),
		config.WithCredentialsCacheOptions(func(o *aws.CredentialsCacheOptions) { o.ExpiryWindow = awsauth.ExpiryWindow }))
	if err != nil {
		return cfg, err
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = awshttp.NewBuildableClient()
	}
	cfg.HTTPClient = sdkhttp.DetachBodies(cfg.HTTPClient)
	return cfg, nil
}

// ChainLoader is the awsauth chain loader for a region: the SDK's default credential chain.
// The first load uses first (the configuration start-up loaded anyway) when it is set; later
// loads, after a refresh rewrote the shared files, read them again.
func ChainLoader(region string, first *aws.Config) func(ctx context.Context) (aws.CredentialsProvider, error) {
	var once sync.Once
	return func(ctx context.Context) (aws.CredentialsProvider, error) {
		c, fresh := aws.Config{}, true
		if first != nil {
			once.Do(func() { c, fresh = *first, false })
		}
		if fresh {
			var err error
			if c, err = LoadAWSConfig(ctx, region); err != nil {
				return nil, err
			}
		}
		if c.Credentials == nil {
			return nil, errors.New("no AWS credentials found: set AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or AWS_BEARER_TOKEN_BEDROCK")
		}
		return c.Credentials, nil
	}
}

// New creates a Client. It refuses to send a Bedrock API key over plain HTTP to anything but
// a loopback address.
func New(ctx context.Context, opts Options) (*Client, error) {
	cfg := opts.Config
	if cfg.Region == "" {
		return nil, ErrNoRegion
	}
	if opts.Catalog == nil {
		opts.Catalog = catalog.Default()
	}
	if opts.Sleep == nil {
		opts.Sleep = sleepCtx
	}
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, &ConfigError{"ANTHROPIC_BEDROCK_BASE_URL", cfg.BaseURL, "must be an http(s) URL such as https://bedrock-gateway.example.com"}
		}
		if opts.Credentials.BearerToken() != "" && u.Scheme == "http" && !isLoopback(u.Hostname()) {
			return nil, &ConfigError{"ANTHROPIC_BEDROCK_BASE_URL", cfg.BaseURL, "a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) is never sent over plain HTTP except to a loopback address; use https://"}
		}
	}
	var awsCfg aws.Config
	if opts.AWSConfig != nil {
		awsCfg = *opts.AWSConfig
	} else {
		var err error
		if awsCfg, err = LoadAWSConfig(ctx, cfg.Region); err != nil {
			return nil, fmt.Errorf("load AWS configuration: %w", err)
		}
	}
	c := &Client{opts: opts, cfg: cfg, awsCfg: awsCfg, cat: opts.Catalog,
		runtime: map[string]*bedrockruntime.Client{}, noCaching: map[string]bool{}, chosen: map[string]func(){}}
	c.control = bedrockcp.NewFromConfig(awsCfg, func(o *bedrockcp.Options) {
		o.Credentials = opts.Credentials.Credentials()
		if cfg.BaseURL != "" {
			o.BaseEndpoint = aws.String(cfg.BaseURL)
		}
		o.APIOptions = append(o.APIOptions, c.authOptions(&o.BearerAuthTokenProvider, &o.AuthSchemePreference)...)
		o.APIOptions = append(o.APIOptions, withHeaders(cfg.CustomHeaders))
	})
	return c, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// authOptions wires the auth scheme: SigV4 by default; a Bedrock API key through the SDK over
// HTTPS, or as a header ganban sets itself over loopback HTTP; nothing for unsigned requests.
// Unsigned requests must prefer the SDK's noAuth scheme explicitly: with anonymous
// credentials it would otherwise fall through to the bearer scheme and fail.
func (c *Client) authOptions(provider *bearer.TokenProvider, pref *[]string) []func(*middleware.Stack) error {
	token := c.opts.Credentials.BearerToken()
	switch {
	case token == "" && c.opts.Credentials.SkipAuth():
		*pref = []string{"noAuth"}
	case token == "":
	case strings.HasPrefix(c.cfg.BaseURL, "http://"):
		*pref = []string{"noAuth"}
		return []func(*middleware.Stack) error{withBearerHeader(token)}
	default:
		*provider = bearer.StaticTokenProvider{Token: bearer.Token{Value: token}}
		*pref = []string{"httpBearerAuth"}
	}
	return nil
}

// runtimeFor returns the bedrock-runtime client of a region ("" is the main region).
func (c *Client) runtimeFor(region string) *bedrockruntime.Client {
	if region == "" {
		region = c.cfg.Region
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if rc, ok := c.runtime[region]; ok {
		return rc
	}
	rc := bedrockruntime.NewFromConfig(c.awsCfg, func(o *bedrockruntime.Options) {
		o.Region = region
		o.Credentials = c.opts.Credentials.Credentials()
		if c.cfg.BaseURL != "" {
			o.BaseEndpoint = aws.String(c.cfg.BaseURL)
		}
		o.APIOptions = append(o.APIOptions, c.authOptions(&o.BearerAuthTokenProvider, &o.AuthSchemePreference)...)
		o.APIOptions = append(o.APIOptions, withHeaders(c.cfg.CustomHeaders))
	})
	c.runtime[region] = rc
	return rc
}

// Config returns the configuration in effect.
func (c *Client) Config() Config { return c.cfg }

// Catalog returns the model catalog.
func (c *Client) Catalog() *catalog.Catalog { return c.cat }

// Credentials returns the credential provider.
func (c *Client) Credentials() *awsauth.Provider { return c.opts.Credentials }

func (c *Client) notify(n Notice) {
	if c.opts.Notify != nil {
		c.opts.Notify(n)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
