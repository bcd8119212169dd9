package sim_test

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
	"ganban/internal/testenv"
)

func TestSTSGetCallerIdentity(t *testing.T) {
	s := simtest.Start(t, sim.Options{AuthFile: authFile(t, "")})
	c := sts.New(sts.Options{Region: "us-east-1", Credentials: goodCreds, BaseEndpoint: aws.String(s.URL), RetryMaxAttempts: 1})
	out, err := c.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Account) != "123456789012" || aws.ToString(out.Arn) != "arn:aws:iam::123456789012:user/sim" || aws.ToString(out.UserId) != testAKID {
		t.Errorf("identity = %s %s %s", aws.ToString(out.Account), aws.ToString(out.Arn), aws.ToString(out.UserId))
	}
	bad := sts.New(sts.Options{Region: "us-east-1", Credentials: staticCreds("AKIDEXAMPLEEXPIRED", testSecret, "EXPIREDEXAMPLE"), BaseEndpoint: aws.String(s.URL), RetryMaxAttempts: 1})
	if _, err := bad.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); apiCode(err) != "ExpiredToken" {
		t.Errorf("expired: %v", err)
	}
}

// TestSSOProfile runs the SDK's default chain with an SSO profile against the simulator as
// SSO portal, then calls Bedrock with the role credentials it returned.
func TestSSOProfile(t *testing.T) {
	home := t.TempDir()
	testenv.SetHome(t, home)
	s := simtest.Start(t, sim.Options{AuthFile: authFile(t, `, "sso": [{"access_token": "ssoEXAMPLEtoken", "account_id": "123456789012", "role_name": "dev", "credentials_ttl_seconds": 900}]`)})
	t.Setenv("AWS_ENDPOINT_URL_SSO", s.URL)
	startURL := "https://example.awsapps.com/start"
	writeFile(t, filepath.Join(home, ".aws", "config"), fmt.Sprintf(`[profile dev]
sso_start_url = %s
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = dev
region = us-east-1
`, startURL))
	sum := sha1.Sum([]byte(startURL))
	writeFile(t, filepath.Join(home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json"),
		fmt.Sprintf(`{"accessToken": "ssoEXAMPLEtoken", "expiresAt": %q, "region": "us-east-1", "startUrl": %q}`,
			time.Now().Add(time.Hour).UTC().Format(time.RFC3339), startURL))
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithSharedConfigProfile("dev"))
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatalf("SSO credentials: %v", err)
	}
	if !strings.HasPrefix(creds.AccessKeyID, "ASIASIM") || time.Until(creds.Expires) > 16*time.Minute {
		t.Errorf("role credentials = %s expiring %v", creds.AccessKeyID, creds.Expires)
	}
	if _, err := invoke(t, runtimeClient(s, cfg.Credentials, "us-east-1"), sonnet45, body(t, map[string]any{})); err != nil {
		t.Errorf("invoke with SSO role credentials: %v", err)
	}
	// A token the portal does not know is refused.
	writeFile(t, filepath.Join(home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json"),
		fmt.Sprintf(`{"accessToken": "otherEXAMPLE", "expiresAt": %q, "region": "us-east-1", "startUrl": %q}`,
			time.Now().Add(time.Hour).UTC().Format(time.RFC3339), startURL))
	cfg2, _ := config.LoadDefaultConfig(context.Background(), config.WithSharedConfigProfile("dev"))
	if _, err := cfg2.Credentials.Retrieve(context.Background()); err == nil || !strings.Contains(err.Error(), "UnauthorizedException") {
		t.Errorf("unknown SSO token: %v", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestAssumeRoleAndWebIdentityAndContainer(t *testing.T) {
	home := t.TempDir()
	testenv.SetHome(t, home)
	s := simtest.Start(t, sim.Options{AuthFile: authFile(t, `,
  "roles": [{"arn": "arn:aws:iam::123456789012:role/agent", "credentials_ttl_seconds": 1200}],
  "web_identity": [{"token": "webEXAMPLEtoken", "role_arn": "arn:aws:iam::123456789012:role/agent"}],
  "container": {"authorization_token": "containerEXAMPLE", "role_arn": "arn:aws:iam::123456789012:role/task"}`)})
	t.Setenv("AWS_ENDPOINT_URL_STS", s.URL)
	writeFile(t, filepath.Join(home, ".aws", "credentials"), fmt.Sprintf("[base]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n", testAKID, testSecret, testToken))
	writeFile(t, filepath.Join(home, ".aws", "config"), "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/agent\nsource_profile = base\nregion = us-east-1\n\n[profile denied]\nrole_arn = arn:aws:iam::123456789012:role/other\nsource_profile = base\nregion = us-east-1\n")
	tokenFile := simtest.WriteFile(t, "token", "webEXAMPLEtoken")

	cases := []struct {
		name    string
		env     map[string]string
		profile string
		wantErr string
	}{
		{name: "assume role", profile: "role"},
		{name: "assume role denied", profile: "denied", wantErr: "AccessDenied"},
		{name: "web identity", env: map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/agent", "AWS_REGION": "us-east-1"}},
		{name: "container", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": s.URL + "/_sim/container-credentials", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "containerEXAMPLE", "AWS_REGION": "us-east-1"}},
		{name: "container bad token", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": s.URL + "/_sim/container-credentials", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong", "AWS_REGION": "us-east-1"}, wantErr: "AccessDenied"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var opts []func(*config.LoadOptions) error
			if tc.profile != "" {
				opts = append(opts, config.WithSharedConfigProfile(tc.profile))
			}
			cfg, err := config.LoadDefaultConfig(context.Background(), opts...)
			if err != nil {
				t.Fatal(err)
			}
			creds, err := cfg.Credentials.Retrieve(context.Background())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %s", err, tc.wantErr)
				}
				return
			}
			if err != nil || !strings.HasPrefix(creds.AccessKeyID, "ASIASIM") {
				t.Fatalf("credentials: %v %s", err, creds.AccessKeyID)
			}
			if _, err := invoke(t, runtimeClient(s, cfg.Credentials, "us-east-1"), sonnet45, body(t, map[string]any{})); err != nil {
				t.Errorf("invoke: %v", err)
			}
		})
	}
}

func TestShortTermAPIKey(t *testing.T) {
	s := simtest.StartTLS(t, sim.Options{AuthFile: authFile(t, "")})
	key := func(akid, secret, token string, signedAt time.Time, expires int) string {
		req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("https://bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Expires=%d", expires), nil)
		signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret, SessionToken: token},
			req, "UNSIGNED-PAYLOAD", "bedrock", "us-east-1", signedAt)
		if err != nil {
			t.Fatal(err)
		}
		return "bedrock-api-key-" + base64.StdEncoding.EncodeToString([]byte(strings.TrimPrefix(signed, "https://")+"&Version=1"))
	}
	b := body(t, map[string]any{})
	if _, err := invoke(t, bearerClient(s, key(testAKID, testSecret, testToken, time.Now(), 43200)), sonnet45, b); err != nil {
		t.Errorf("valid short-term key: %v", err)
	}
	if _, err := invoke(t, bearerClient(s, key(testAKID, testSecret, testToken, time.Now().Add(-2*time.Hour), 3600)), sonnet45, b); apiCode(err) != "AccessDeniedException" {
		t.Errorf("expired short-term key: %v", err)
	}
	if _, err := invoke(t, bearerClient(s, key(testAKID, "wrongEXAMPLE", testToken, time.Now(), 3600)), sonnet45, b); apiCode(err) != "AccessDeniedException" {
		t.Errorf("forged short-term key: %v", err)
	}
}

func TestInferenceProfilesWithGoSDK(t *testing.T) {
	s := simtest.Start(t, sim.Options{AuthFile: authFile(t, "")})
	c := bedrock.New(bedrock.Options{Region: "us-east-1", Credentials: goodCreds, BaseEndpoint: aws.String(s.URL), RetryMaxAttempts: 1})
	var all []types.InferenceProfileSummary
	pages := bedrock.NewListInferenceProfilesPaginator(c, &bedrock.ListInferenceProfilesInput{TypeEquals: types.InferenceProfileTypeSystemDefined, MaxResults: aws.Int32(3)})
	n := 0
	for pages.HasMorePages() {
		out, err := pages.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		n++
		all = append(all, out.InferenceProfileSummaries...)
	}
	if n < 2 {
		t.Errorf("paging: %d pages", n)
	}
	byID := map[string]types.InferenceProfileSummary{}
	for _, p := range all {
		byID[aws.ToString(p.InferenceProfileId)] = p
		if p.Type != types.InferenceProfileTypeSystemDefined || p.Status != types.InferenceProfileStatusActive {
			t.Errorf("%s: type %s status %s", aws.ToString(p.InferenceProfileId), p.Type, p.Status)
		}
	}
	us, ok := byID[sonnet45]
	if !ok {
		t.Fatalf("us Sonnet 4.5 missing from us-east-1 list")
	}
	if aws.ToString(us.InferenceProfileArn) != "arn:aws:bedrock:us-east-1:123456789012:inference-profile/"+sonnet45 || len(us.Models) < 3 {
		t.Errorf("profile = %s with %d models", aws.ToString(us.InferenceProfileArn), len(us.Models))
	}
	if _, ok := byID["eu.anthropic.claude-sonnet-4-5-20250929-v1:0"]; ok {
		t.Error("an eu profile is not callable from us-east-1")
	}
	if _, ok := byID["global.anthropic.claude-sonnet-4-5-20250929-v1:0"]; !ok {
		t.Error("global profile missing")
	}
	apps, err := c.ListInferenceProfiles(context.Background(), &bedrock.ListInferenceProfilesInput{TypeEquals: types.InferenceProfileTypeApplication})
	if err != nil || len(apps.InferenceProfileSummaries) != 1 {
		t.Fatalf("application profiles: %v %+v", err, apps)
	}
	arn := "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123example"
	got, err := c.GetInferenceProfile(context.Background(), &bedrock.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if got.Type != types.InferenceProfileTypeApplication || !strings.Contains(aws.ToString(got.Models[0].ModelArn), "anthropic.claude-sonnet-4-5-20250929-v1:0") {
		t.Errorf("GetInferenceProfile = %+v", got)
	}
	if _, err := c.GetInferenceProfile(context.Background(), &bedrock.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String("us.anthropic.nope")}); apiCode(err) != "ResourceNotFoundException" {
		t.Errorf("missing profile: %v", err)
	}
}
