package anthropic

// Stream event types.
const (
	EventMessageStart      = "message_start"
	EventContentBlockStart = "content_block_start"
	EventContentBlockDelta = "content_block_delta"
	EventContentBlockStop  = "content_block_stop"
	EventMessageDelta      = "message_delta"
	EventMessageStop       = "message_stop"
	EventPing              = "ping"
	EventError             = "error"
)

// Delta types.
const (
	DeltaText      = "text_delta"
	DeltaInputJSON = "input_json_delta"
	DeltaThinking  = "thinking_delta"
	DeltaSignature = "signature_delta"
)

// Event is one streaming event, the JSON inside each Bedrock "chunk". Index is a pointer so
// that block events always carry it (index 0 included) and message events never do.
type Event struct {
	Type         string             `json:"type"`
	Message      *Response          `json:"message,omitempty"`
	Index        *int               `json:"index,omitempty"`
	ContentBlock *Block             `json:"content_block,omitempty"`
	Delta        *Delta             `json:"delta,omitempty"`
	Usage        *DeltaUsage        `json:"usage,omitempty"`
	Metrics      *InvocationMetrics `json:"amazon-bedrock-invocationMetrics,omitempty"`
	Error        *ErrorDetail       `json:"error,omitempty"`
}

// Delta is the change a content_block_delta or message_delta carries.
type Delta struct {
	Type         string  `json:"type,omitempty"`
	Text         string  `json:"text,omitempty"`
	PartialJSON  *string `json:"partial_json,omitempty"`
	Thinking     string  `json:"thinking,omitempty"`
	Signature    string  `json:"signature,omitempty"`
	StopReason   string  `json:"stop_reason,omitempty"`
	StopSequence *string `json:"stop_sequence,omitempty"`
}

// DeltaUsage is the usage of a message_delta: the final output count, and input counts only
// when a model repeats them. Absent fields stay absent, because clients overwrite the counts
// they got from message_start with any value present here.
type DeltaUsage struct {
	OutputTokens             int64  `json:"output_tokens"`
	InputTokens              *int64 `json:"input_tokens,omitempty"`
	CacheCreationInputTokens *int64 `json:"cache_creation_input_tokens,omitempty"`
	CacheReadInputTokens     *int64 `json:"cache_read_input_tokens,omitempty"`
}

// InvocationMetrics is what Bedrock appends to the final message_stop event.
type InvocationMetrics struct {
	InputTokenCount           int64 `json:"inputTokenCount"`
	OutputTokenCount          int64 `json:"outputTokenCount"`
	InvocationLatency         int64 `json:"invocationLatency"`
	FirstByteLatency          int64 `json:"firstByteLatency"`
	CacheReadInputTokenCount  int64 `json:"cacheReadInputTokenCount,omitempty"`
	CacheWriteInputTokenCount int64 `json:"cacheWriteInputTokenCount,omitempty"`
}

// ErrorDetail is an Anthropic-format error inside a stream.
type ErrorDetail struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}
