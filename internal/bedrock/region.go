package bedrock

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
)

// regionShape is what a region name looks like.
var regionShape = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// regionProblem is what is said of a value that is not a region name.
const regionProblem = "is not an AWS region name such as us-east-1 (lowercase, no spaces); fix or unset it"

// ErrNoRegion is returned when no region is configured. The guide makes AWS_REGION required
// (S11); ganban also honours AWS_DEFAULT_REGION and the active profile's region, but never
// picks a region the user did not choose.
var ErrNoRegion = errors.New(`no AWS region is set. Bedrock needs one (setup guide S11): set AWS_REGION, e.g. export AWS_REGION=us-east-1, or put "AWS_REGION": "us-east-1" in the "env" block of ~/.claude/settings.json`)

// ResolveRegion finds the region and says where it came from: AWS_REGION, then
// AWS_DEFAULT_REGION, then the region of the active profile (AWS_PROFILE, else "default") in
// the shared config and credentials files. A value that is not a region name is an error, not
// skipped as the agent the guide is about skips it: skipping would send requests to a region
// further down the list that the user did not choose for this.
func ResolveRegion(ctx context.Context, getenv Getenv) (region, source string, err error) {
	for _, v := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		switch r := strings.TrimSpace(getenv(v)); {
		case r == "":
			continue
		case !regionShape.MatchString(r):
			return "", "", &ConfigError{v, getenv(v), regionProblem}
		default:
			return r, v, nil
		}
	}
	profile := getenv("AWS_PROFILE")
	if profile == "" {
		profile = "default"
	}
	configFile, credsFile := sharedFiles(getenv)
	sc, err := config.LoadSharedConfigProfile(ctx, profile, func(o *config.LoadSharedConfigOptions) {
		o.ConfigFiles = []string{configFile}
		o.CredentialsFiles = []string{credsFile}
	})
	switch {
	case err != nil || sc.Region == "":
		return "", "", ErrNoRegion
	case !regionShape.MatchString(sc.Region):
		return "", "", &ConfigError{"region of profile " + profile + " in " + configFile, sc.Region, regionProblem}
	}
	return sc.Region, "profile " + profile + " in " + configFile, nil
}

// sharedFiles are the AWS shared config and credentials files in effect.
func sharedFiles(getenv Getenv) (configFile, credsFile string) {
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	configFile, credsFile = getenv("AWS_CONFIG_FILE"), getenv("AWS_SHARED_CREDENTIALS_FILE")
	if configFile == "" {
		configFile = filepath.Join(home, ".aws", "config")
	}
	if credsFile == "" {
		credsFile = filepath.Join(home, ".aws", "credentials")
	}
	return configFile, credsFile
}

// ResolveSmallFastRegion is the region of small/fast-model requests:
// ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION (S12), else the main region.
func ResolveSmallFastRegion(getenv Getenv, region, source string) (string, string, error) {
	r := strings.TrimSpace(getenv("ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION"))
	if r == "" {
		return region, source, nil
	}
	if !regionShape.MatchString(r) {
		return "", "", &ConfigError{"ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION", r, "must be a region such as us-west-2"}
	}
	return r, "ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION", nil
}
