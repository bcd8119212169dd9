package sim_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
)

// A fallback answer of 400 bytes is 100 output tokens, which burn 500 quota tokens on
// Sonnet 4.5 (burndown 5).
const hundredTokenReply = `{"fallback_reply": {"content": [{"type": "text", "text": "` + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" + `"}]}}`

func TestQuotaRequestsPerMinute(t *testing.T) {
	s := simtest.Start(t, sim.Options{Quota: sim.Quota{RPM: 3}, Clock: frozenClock()})
	c := runtimeClient(s, goodCreds, "us-east-1")
	b := body(t, map[string]any{})
	for i := range 3 {
		if _, err := invoke(t, c, sonnet45, b); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	_, err := invoke(t, c, sonnet45, b)
	if apiCode(err) != "ThrottlingException" || apiMessage(err) != "Too many requests, please wait before trying again." {
		t.Fatalf("4th request: %v", err)
	}
	// Another model has its own quota.
	if _, err := invoke(t, c, "us.anthropic.claude-haiku-4-5-20251001-v1:0", b); err != nil {
		t.Errorf("other model: %v", err)
	}
	s.Advance(time.Minute)
	if _, err := invoke(t, c, sonnet45, b); err != nil {
		t.Errorf("next minute: %v", err)
	}
	if rep := s.Report(); rep.Throttled != 1 {
		t.Errorf("throttled = %d", rep.Throttled)
	}
}

func TestQuotaTokenBurndown(t *testing.T) {
	prompt := strings.Repeat("x", 8000) // 2000 tokens
	cases := []struct {
		name      string
		tpm       int64
		maxTokens int
		cached    bool
		admitted  int // requests admitted before the first "Too many tokens"
	}{
		// Each request reserves 2000 + max(100, 4096) = 6096 and settles at 2000 + 100 x 5 = 2500.
		// 8000: 1st 6096 ok -> 2500; 2nd 2500+6096 = 8596 > 8000.
		{"max_tokens floor of 4096", 8000, 100, false, 1},
		// 9000: 2nd 8596 ok -> 5000; 3rd 5000+6096 = 11096 > 9000.
		{"settlement replaces the reservation", 9000, 100, false, 2},
		// A max_tokens above the floor is reserved as is: 2000 + 6000 = 8000;
		// 9000: 1st ok -> 2500; 2nd 2500+8000 = 10500 > 9000.
		{"large max_tokens reserves more", 9000, 6000, false, 1},
		// Cached: the system prompt is the 2000 tokens; the user message "hello" is 2.
		// Reservation 2002 + 4096 = 6098. 1st settles at write 2000 + input 2 + 500 = 2502;
		// 2nd (2502+6098 = 8600 ok) reads 2000 from cache, released: settles at 2 + 500 = 502,
		// window 3004; 3rd 3004+6098 = 9102 <= 9200 ok -> 3506; 4th 3506+6098 = 9604 > 9200.
		{"cache reads are released", 9200, 100, true, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := simtest.Start(t, sim.Options{Quota: sim.Quota{TPM: tc.tpm}, Clock: frozenClock(), Scenario: scenario(t, hundredTokenReply, nil)})
			c := runtimeClient(s, goodCreds, "us-east-1")
			req := map[string]any{"max_tokens": tc.maxTokens, "messages": []any{map[string]any{"role": "user", "content": prompt}}}
			if tc.cached {
				req = map[string]any{"max_tokens": tc.maxTokens, "system": []any{cachedBlock(2000, "")}}
			}
			b := body(t, req)
			for i := range tc.admitted {
				resp, err := invoke(t, c, sonnet45, b)
				if err != nil {
					t.Fatalf("request %d: %v", i+1, err)
				}
				if resp.Usage.OutputTokens != 100 {
					t.Fatalf("output tokens = %d, want 100", resp.Usage.OutputTokens)
				}
			}
			_, err := invoke(t, c, sonnet45, b)
			if apiCode(err) != "ThrottlingException" || !strings.HasPrefix(apiMessage(err), "Too many tokens") {
				t.Fatalf("request %d: %v, want Too many tokens", tc.admitted+1, err)
			}
			s.Advance(time.Minute)
			if _, err := invoke(t, c, sonnet45, b); err != nil {
				t.Errorf("next minute: %v", err)
			}
		})
	}
}

// TestQuotaReservesWhileAnswering: a call holds its max_tokens reservation until its answer
// has been written, so calls in flight together are throttled where the same calls one after
// another are not. Each call reserves "hello" (2 tokens) + max_tokens 8000 = 8002 and, when it
// ends, settles at 2 + 100 output tokens x 5 = 502. A TPM of 20000 holds two reservations
// (16004), not three (24006).
func TestQuotaReservesWhileAnswering(t *testing.T) {
	cases := []struct {
		name    string
		overlap bool     // keep each call's stream open while the next one starts
		codes   []string // what each call gets, "" for an answer
	}{
		{"in flight together", true, []string{"", "", "ThrottlingException"}},
		{"one after another", false, []string{"", "", ""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// At one token a second the 100-token answer takes 100 s to stream: a call stays in
			// flight for as long as the test keeps its stream open.
			s := simtest.Start(t, sim.Options{Quota: sim.Quota{TPM: 20000}, Latency: sim.Latency{TPS: 1},
				Clock: frozenClock(), Scenario: scenario(t, hundredTokenReply, nil)})
			c := runtimeClient(s, goodCreds, "us-east-1")
			b := body(t, map[string]any{"max_tokens": 8000})
			var open []*bedrockruntime.InvokeModelWithResponseStreamOutput
			ended := int64(0)
			for i, want := range tc.codes {
				out, err := c.InvokeModelWithResponseStream(context.Background(), &bedrockruntime.InvokeModelWithResponseStreamInput{
					ModelId: aws.String(sonnet45), ContentType: aws.String("application/json"), Body: b})
				if apiCode(err) != want {
					t.Fatalf("call %d: %v, want %q", i+1, err, want)
				}
				if err != nil {
					ended++
					continue
				}
				if tc.overlap {
					open = append(open, out)
					continue
				}
				out.GetStream().Close()
				ended++
				waitForRequests(t, s, ended)
			}
			for _, out := range open {
				out.GetStream().Close()
				ended++
			}
			// Ended calls hold their usage (2 x 502 at most), not their reservations.
			waitForRequests(t, s, ended)
			out, err := c.InvokeModelWithResponseStream(context.Background(), &bedrockruntime.InvokeModelWithResponseStreamInput{
				ModelId: aws.String(sonnet45), ContentType: aws.String("application/json"), Body: b})
			if err != nil {
				t.Fatalf("after the calls ended: %v", err)
			}
			out.GetStream().Close()
		})
	}
}

// frozenClock stops the simulator's clock at the start of the current minute, so that a quota
// window cannot roll over during a test; SigV4's five-minute window still accepts the
// client's real clock.
func frozenClock() func() time.Time {
	at := time.Now().Truncate(time.Minute)
	return func() time.Time { return at }
}

// waitForRequests waits until the simulator has finished n requests: a stream the client
// closed ends on the server a moment later.
func waitForRequests(t *testing.T, s *simtest.Sim, n int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.Report().Requests < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d requests finished, want %d", s.Report().Requests, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestParseQuota(t *testing.T) {
	cases := []struct {
		in      string
		want    sim.Quota
		wantErr string
	}{
		{"", sim.Quota{}, ""},
		{"rpm=50", sim.Quota{RPM: 50}, ""},
		{"tpm=200000", sim.Quota{TPM: 200000}, ""},
		{"rpm=50,tpm=200000", sim.Quota{RPM: 50, TPM: 200000}, ""},
		{" tpm=7 , rpm=5 ", sim.Quota{RPM: 5, TPM: 7}, ""},
		{"rpm=0", sim.Quota{}, `"rpm=0" must be a positive integer`},
		{"rpm=-1", sim.Quota{}, "must be a positive integer"},
		{"rpm=1.5", sim.Quota{}, "must be a positive integer"},
		{"rpm", sim.Quota{}, "must be a positive integer"},
		{"rpm=50;tpm=1", sim.Quota{}, "must be a positive integer"},
		{"burst=5", sim.Quota{}, `unknown limit "burst" (rpm, tpm)`},
	}
	for _, tc := range cases {
		got, err := sim.ParseQuota(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseQuota(%q) = %+v, %v; want an error containing %q", tc.in, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseQuota(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}
