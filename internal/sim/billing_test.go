package sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
)

// TestAbandonedStreamBillsWhatWasSent: a client that leaves mid-answer pays for the output
// it was sent, as Bedrock stops generating when the caller goes away, and the quota burns
// only that; an answer read to its end is billed in full.
func TestAbandonedStreamBillsWhatWasSent(t *testing.T) {
	// 400 bytes of text are 100 output tokens: a second at 100 tokens a second.
	s := simtest.Start(t, sim.Options{Latency: sim.Latency{TPS: 100}, Scenario: scenario(t, hundredTokenReply, nil)})
	c := runtimeClient(s, goodCreds, "us-east-1")

	ctx, cancel := context.WithCancel(context.Background())
	out, err := c.InvokeModelWithResponseStream(ctx, &bedrockruntime.InvokeModelWithResponseStreamInput{
		ModelId: aws.String(sonnet45), ContentType: aws.String("application/json"), Body: body(t, map[string]any{})})
	if err != nil {
		t.Fatal(err)
	}
	events := 0
	for range out.GetStream().Events() {
		if events++; events == 5 { // message_start, content_block_start, three deltas of 4 tokens
			break
		}
	}
	cancel()
	out.GetStream().Close()

	var billed int64
	deadline := time.Now().Add(5 * time.Second)
	for {
		billed = s.Report().Usage.OutputTokens
		if billed < 100 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if billed < 12 || billed > 60 {
		t.Fatalf("abandoned after about 12 tokens, billed %d output tokens of 100", billed)
	}
	partial := s.Report().CostUSD

	if res, err := stream(t, c, sonnet45, body(t, map[string]any{})); err != nil || res.Err != nil {
		t.Fatal(err, res.Err)
	}
	rep := s.Report()
	if rep.Usage.OutputTokens != billed+100 || rep.CostUSD <= partial {
		t.Errorf("after a whole answer: %d output tokens, $%.6f (was %d, $%.6f)", rep.Usage.OutputTokens, rep.CostUSD, billed, partial)
	}
	if m := rep.ByModel["claude-sonnet-4-5-20250929"]; m == nil || m.Tokens.Output != rep.Usage.OutputTokens {
		t.Errorf("by model: %+v", rep.ByModel)
	}
}
