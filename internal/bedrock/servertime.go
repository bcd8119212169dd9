package bedrock

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	bedrockcp "github.com/aws/aws-sdk-go-v2/service/bedrock"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// CheckControlPlane makes one small ListInferenceProfiles call and returns the service's
// clock (its Date header), for the doctor's access and clock-skew checks: SigV4 fails when
// the local clock is more than five minutes off.
func (c *Client) CheckControlPlane(ctx context.Context) (serverTime time.Time, err error) {
	out, err := c.control.ListInferenceProfiles(ctx, &bedrockcp.ListInferenceProfilesInput{MaxResults: aws.Int32(1)})
	if err != nil {
		return time.Time{}, classify(err, "ListInferenceProfiles", "", c.cfg.Region)
	}
	if raw, ok := awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response); ok {
		if t, perr := http.ParseTime(raw.Header.Get("Date")); perr == nil {
			return t, nil
		}
	}
	return time.Time{}, nil
}

// ProbeCaching checks that the region accepts prompt-caching breakpoints for a model.
func (c *Client) ProbeCaching(ctx context.Context, ch Choice, region string) error {
	call := Call{Model: ch.ID, Region: region, Info: ch.Info, MaxTokens: 1, NoThinking: true, Request: userProbe()}
	_, err := c.invokeOnce(ctx, call, c.shape(call, true))
	if err != nil {
		return classify(err, opInvoke, ch.ID, c.regionOf(call))
	}
	return nil
}
