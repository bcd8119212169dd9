package bedrock

import (
	"context"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	bedrockcp "github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrock/types"

	"ganban/internal/catalog"
)

// Profile is an inference profile the account can see in the region.
type Profile struct {
	ID, ARN, Name string
	Application   bool
	// FoundationARNs are the foundation models it routes to, one per destination region.
	FoundationARNs []string
	// Info is the catalog's model behind it, nil for models the catalog does not know.
	Info *catalog.Model
}

// ListProfiles lists the Claude inference profiles (system and application) of the main
// region, as `aws bedrock list-inference-profiles` would (S25), without the AWS CLI.
func (c *Client) ListProfiles(ctx context.Context) ([]Profile, error) {
	var out []Profile
	for _, typ := range []types.InferenceProfileType{types.InferenceProfileTypeSystemDefined, types.InferenceProfileTypeApplication} {
		pages := bedrockcp.NewListInferenceProfilesPaginator(c.control, &bedrockcp.ListInferenceProfilesInput{TypeEquals: typ, MaxResults: aws.Int32(1000)})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				return nil, classify(err, "ListInferenceProfiles", "", c.cfg.Region)
			}
			for _, s := range page.InferenceProfileSummaries {
				p := c.profileOf(aws.ToString(s.InferenceProfileId), aws.ToString(s.InferenceProfileArn), aws.ToString(s.InferenceProfileName), s.Type, s.Models)
				if p.Info != nil || strings.Contains(p.ID+strings.Join(p.FoundationARNs, " "), "anthropic.") {
					out = append(out, p)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// GetProfile looks up one inference profile by ID or ARN, in region ("" for where calls for
// it go: the region an ARN names, else the configured one).
func (c *Client) GetProfile(ctx context.Context, id, region string) (Profile, error) {
	region = c.CallRegion(id, region)
	out, err := c.control.GetInferenceProfile(ctx, &bedrockcp.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String(id)},
		func(o *bedrockcp.Options) { o.Region = region })
	if err != nil {
		return Profile{}, classify(err, "GetInferenceProfile", id, region)
	}
	return c.profileOf(aws.ToString(out.InferenceProfileId), aws.ToString(out.InferenceProfileArn), aws.ToString(out.InferenceProfileName), out.Type, out.Models), nil
}

func (c *Client) profileOf(id, arn, name string, typ types.InferenceProfileType, models []types.InferenceProfileModel) Profile {
	p := Profile{ID: id, ARN: arn, Name: name, Application: typ == types.InferenceProfileTypeApplication}
	for _, m := range models {
		a := aws.ToString(m.ModelArn)
		p.FoundationARNs = append(p.FoundationARNs, a)
		if p.Info == nil {
			if ref, err := c.cat.Parse(a); err == nil {
				p.Info = ref.Model
			}
		}
	}
	if p.Info == nil {
		if ref, err := c.cat.Parse(id); err == nil {
			p.Info = ref.Model
		}
	}
	return p
}

// Describe fills in what the catalog knows of a choice. An application inference profile ARN
// names no model, so it is looked up with GetInferenceProfile to learn its context window,
// thinking support and price.
func (c *Client) Describe(ctx context.Context, ch Choice) (Choice, error) {
	if ch.Info != nil || ch.Ref.Kind != catalog.ApplicationProfile {
		return ch, nil
	}
	p, err := c.GetProfile(ctx, ch.ID, "")
	if err != nil {
		return ch, err
	}
	ch.Info = p.Info
	return ch, nil
}

// PolicyProfile is what a restricted IAM policy (S23) must name for a model called in region
// ("" for the configured one): a profile and the foundation models it routes to, as
// GetInferenceProfile lists them in that region, or a model's own ARN where there is no
// profile (a foundation-model ID, a provisioned model).
func (c *Client) PolicyProfile(ctx context.Context, ch Choice, region string) (Profile, error) {
	region = c.CallRegion(ch.ID, region)
	switch {
	case ch.Ref.Kind == catalog.SystemProfile || ch.Ref.Kind == catalog.ApplicationProfile:
		return c.GetProfile(ctx, ch.ID, region)
	case ch.Ref.IsARN:
		return Profile{ID: ch.ID, ARN: ch.ID}, nil
	default:
		return Profile{ID: ch.ID, ARN: "arn:aws:bedrock:" + region + "::foundation-model/" + ch.ID}, nil
	}
}
