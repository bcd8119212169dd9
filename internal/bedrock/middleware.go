package bedrock

import (
	"context"
	"fmt"
	"mime"
	"net/http"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

const eventStreamType = "application/vnd.amazon.eventstream"

// withHeaders adds headers to every request before it is signed, so they are covered by the
// signature (ANTHROPIC_CUSTOM_HEADERS: guardrails and the like).
func withHeaders(h http.Header) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Build.Add(middleware.BuildMiddlewareFunc("ganbanCustomHeaders",
			func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
				if req, ok := in.Request.(*smithyhttp.Request); ok {
					for k, vs := range h {
						req.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
					}
				}
				return next.HandleBuild(ctx, in)
			}), middleware.After)
	}
}

// withBearerHeader sets the Bedrock API key itself. aws-sdk-go-v2 refuses to send a bearer
// token over plain HTTP; ganban allows it only to a loopback gateway (checked in New).
func withBearerHeader(token string) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("ganbanBearerOverLoopback",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				if req, ok := in.Request.(*smithyhttp.Request); ok {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				return next.HandleFinalize(ctx, in)
			}), middleware.After)
	}
}

// errNotEventStream is what the content-type guard returns.
type errNotEventStream struct{ contentType string }

func (e errNotEventStream) Error() string {
	return fmt.Sprintf("the streaming response has Content-Type %q, not %s", e.contentType, eventStreamType)
}

// withEventStreamGuard rejects a successful streaming response that is not an AWS event
// stream, typically a gateway re-emitting server-sent events: decoding it would fail in
// confusing ways, and silently falling back to a non-streaming call would bill twice.
func withEventStreamGuard(stack *middleware.Stack) error {
	return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("ganbanEventStreamGuard",
		func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
			out, md, err := next.HandleDeserialize(ctx, in)
			if err != nil {
				return out, md, err
			}
			resp, ok := out.RawResponse.(*smithyhttp.Response)
			if !ok || resp.StatusCode < 200 || resp.StatusCode > 299 {
				return out, md, err
			}
			ct := resp.Header.Get("Content-Type")
			if mt, _, perr := mime.ParseMediaType(ct); perr != nil || mt != eventStreamType {
				resp.Body.Close()
				return out, md, errNotEventStream{ct}
			}
			return out, md, err
		}), middleware.After)
}
