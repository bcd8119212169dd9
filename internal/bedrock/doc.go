// Package bedrock talks to Amazon Bedrock the way the setup guide describes (S10-S26): the
// Invoke API (InvokeModelWithResponseStream for turns, InvokeModel for side calls, never
// Converse) through aws-sdk-go-v2, the AWS_REGION rules, model and inference-profile
// resolution, output and thinking token settings, prompt-caching breakpoints, typed errors with
// the next step for the user, and retries that survive throttling, broken streams and expired
// credentials.
//
// It knows Messages requests and events, never tools: what a request asks for is the agent's
// business.
//
// Concurrency: a Client is safe for concurrent use; requests share its credential provider,
// whose refresh runs once for all waiting requests.
package bedrock
