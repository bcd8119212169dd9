// Package anthropic holds the Anthropic Messages types that travel inside Bedrock's Invoke API
// bodies: requests, content blocks, responses, usage and stream events. The Bedrock provider,
// the agent and the simulator share them, so the three agree on the wire by construction.
//
// The types follow the JSON the service sends and accepts; fields a client does not know are
// kept in Extra maps where losing them would change a request.
package anthropic

// Version is the anthropic_version value Bedrock requires in every Claude request body.
const Version = "bedrock-2023-05-31"

// Roles of a message.
const (
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Stop reasons.
const (
	StopEndTurn      = "end_turn"
	StopToolUse      = "tool_use"
	StopMaxTokens    = "max_tokens"
	StopSequence     = "stop_sequence"
	StopPauseTurn    = "pause_turn"
	StopRefusal      = "refusal"
	StopContextLimit = "model_context_window_exceeded"
)
