// Package sim is a local Amazon Bedrock: bedrock-runtime (InvokeModel, the response stream,
// CountTokens), the control plane's inference-profile listing, and the STS and SSO calls an AWS
// credential chain makes, on one loopback listener and faithful on the wire, so that unmodified
// AWS and Anthropic clients accept it. A scenario file scripts the model's answers.
//
// The package depends on the shared Messages types and the model catalog only; it knows
// nothing of the agent that is tested against it.
//
// Concurrency: a Server is an http.Handler safe for concurrent requests. Its mutable state
// (report, issued credentials, clock offset, cache, quota windows, fault counters) is guarded
// by one mutex held only for bookkeeping, never while a response is being written, so a slow
// or stalled stream never blocks other requests.
package sim
