package anthropic_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"

	"ganban/internal/anthropic"
	"ganban/internal/sim/simtest"
)

// decodeStream is the Bedrock client's decoding path (internal/bedrock streamOnce, with the
// AWS SDK's event-stream reader) without the network: event-stream frames, the chunk's JSON
// envelope (its base64 "bytes"), the Anthropic event, the accumulator.
func decodeStream(r io.Reader) (anthropic.Response, error) {
	dec := eventstream.NewDecoder()
	var acc anthropic.Accumulator
	var payload []byte
	for {
		msg, err := dec.Decode(r, payload[:0])
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return acc.Message(), err
		}
		payload = msg.Payload
		if h := msg.Headers.Get(":message-type"); h == nil || h.String() != "event" {
			return acc.Message(), fmt.Errorf("not an event: %v", msg.Headers)
		}
		var chunk struct {
			Bytes []byte `json:"bytes"` // base64 in the JSON, decoded by encoding/json
		}
		if err := json.Unmarshal(msg.Payload, &chunk); err != nil {
			return acc.Message(), err
		}
		var e anthropic.Event
		if err := json.Unmarshal(chunk.Bytes, &e); err != nil {
			return acc.Message(), err
		}
		if err := acc.Add(e); err != nil {
			return acc.Message(), err
		}
	}
	if !acc.Complete() {
		return acc.Message(), errors.New("no message_stop")
	}
	return acc.Message(), nil
}

// BenchmarkDecodeEventStream decodes answers of growing length (text of 16, 64 and 192 KB,
// about 4,000 to 48,000 tokens, and a 32 KB tool input) from memory: what the client spends
// per byte once the network has delivered them. The throughput should not depend on the
// length of the answer.
func BenchmarkDecodeEventStream(b *testing.B) {
	for _, kb := range []int{16, 64, 192} {
		b.Run(fmt.Sprintf("text=%dKB", kb), func(b *testing.B) {
			raw := simtest.RecordedStream(b, kb<<10, 32<<10)
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				msg, err := decodeStream(bytes.NewReader(raw))
				if err != nil || len(msg.Content) != 2 {
					b.Fatalf("%v %d blocks", err, len(msg.Content))
				}
			}
		})
	}
}

// FuzzDecodeEventStream feeds the decoding path arbitrary bytes, starting from a
// well-formed answer: whatever a gateway or a broken connection delivers must end in an
// error, never a panic or a hang. The seed is encoded here rather than fetched from the
// simulator, so fuzzing workers start without a server.
func FuzzDecodeEventStream(f *testing.F) {
	idx := 0
	stop := "tool_use"
	partial := `{"file_path":"/tmp/a","content":"hi"}`
	raw := encodeEvents(f,
		anthropic.Event{Type: anthropic.EventMessageStart, Message: &anthropic.Response{ID: "msg_bdrk_1", Type: "message", Role: anthropic.RoleAssistant, Model: "claude"}},
		anthropic.Event{Type: anthropic.EventContentBlockStart, Index: &idx, ContentBlock: &anthropic.Block{Type: anthropic.BlockToolUse, ID: "toolu_bdrk_1", Name: "Write", Input: []byte("{}")}},
		anthropic.Event{Type: anthropic.EventContentBlockDelta, Index: &idx, Delta: &anthropic.Delta{Type: anthropic.DeltaInputJSON, PartialJSON: &partial}},
		anthropic.Event{Type: anthropic.EventContentBlockStop, Index: &idx},
		anthropic.Event{Type: anthropic.EventMessageDelta, Delta: &anthropic.Delta{StopReason: stop}},
		anthropic.Event{Type: anthropic.EventMessageStop})
	if _, err := decodeStream(bytes.NewReader(raw)); err != nil {
		f.Fatalf("seed does not decode: %v", err)
	}
	f.Add(raw)
	f.Add(raw[:len(raw)/2])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = decodeStream(bytes.NewReader(data))
	})
}

// encodeEvents frames events as Bedrock does: each a "chunk" event whose JSON payload
// carries the event base64-encoded in "bytes".
func encodeEvents(tb testing.TB, events ...anthropic.Event) []byte {
	tb.Helper()
	var out bytes.Buffer
	enc := eventstream.NewEncoder()
	for _, e := range events {
		raw, err := json.Marshal(e)
		if err != nil {
			tb.Fatal(err)
		}
		payload, _ := json.Marshal(map[string][]byte{"bytes": raw})
		if err := enc.Encode(&out, eventstream.Message{Headers: eventstream.Headers{
			{Name: ":event-type", Value: eventstream.StringValue("chunk")},
			{Name: ":content-type", Value: eventstream.StringValue("application/json")},
			{Name: ":message-type", Value: eventstream.StringValue("event")},
		}, Payload: payload}); err != nil {
			tb.Fatal(err)
		}
	}
	return out.Bytes()
}
