// Package sdkhttp holds what aws-sdk-go-v2 clients need around net/http to keep their
// connections: used by ganban's Bedrock client and by the simulator's SDK tests alike.
package sdkhttp

import (
	"bytes"
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// DetachBodies wraps an SDK HTTP client so that net/http gets a request body of its own. The AWS SDK closes the body
// it built as soon as the response headers arrive, while net/http's writer may still read it
// once more to check for trailing bytes; that read then fails, and net/http closes the
// connection under the response being streamed ("use of closed network connection"). A
// fast answer (a local gateway, the simulator, a short stream) made this frequent. The
// bodies are small (the service caps them at 25 MB), so a copy costs little
// (aws/aws-sdk-go-v2#2737).
func DetachBodies(inner aws.HTTPClient) aws.HTTPClient { return detachedBodyClient{inner: inner} }

type detachedBodyClient struct {
	inner aws.HTTPClient
}

func (c detachedBodyClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		data, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(data))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		req.ContentLength = int64(len(data))
	}
	return c.inner.Do(req)
}

// CloseIdleConnections passes through to the wrapped client.
func (c detachedBodyClient) CloseIdleConnections() {
	if ci, ok := c.inner.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}
