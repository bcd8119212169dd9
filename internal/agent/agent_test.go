package agent_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"ganban/internal/agent"
	"ganban/internal/anthropic"
	"ganban/internal/awsauth"
	"ganban/internal/bedrock"
	"ganban/internal/catalog"
	"ganban/internal/permission"
	"ganban/internal/session"
	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
	"ganban/internal/testenv"
	"ganban/internal/tools"
)

func TestMain(m *testing.M) { testenv.Main(m) }

const sonnet45 = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"

func client(t *testing.T, scenario string) *bedrock.Client {
	t.Helper()
	c, _ := simClient(t, scenario)
	return c
}

// simClient is client with the simulator, for tests that read its report.
func simClient(t *testing.T, scenario string) (*bedrock.Client, *simtest.Sim) {
	t.Helper()
	sc, err := sim.ParseScenario([]byte(scenario), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := simtest.Start(t, sim.Options{Scenario: sc})
	creds := awsauth.New(awsauth.Config{LoadChain: func(context.Context) (aws.CredentialsProvider, error) {
		return credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""), nil
	}})
	c, err := bedrock.New(context.Background(), bedrock.Options{Config: bedrock.Config{Region: "us-east-1", BaseURL: s.URL, Timeout: 30 * time.Second,
		IdleTimeout: 30 * time.Second, MaxRetries: 2}, Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}

func choice(t *testing.T) bedrock.Choice {
	ch, err := bedrock.ChoosePrimary(catalog.Default(), func(string) string { return "" }, bedrock.ModelFlags{Flag: sonnet45}, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

// probeTool is read-only and sleeps, recording how many run at once.
func probeTool(running, peak *atomic.Int32) tools.Tool {
	type in struct {
		Name string `json:"name" description:"a name"`
	}
	return tools.New("Probe", "waits a little", true, func(in, *tools.Env) (tools.Target, error) {
		return tools.Target{Kind: tools.TargetNone, Summary: "probe"}, nil
	}, func(ctx context.Context, _ *tools.Env, i in) tools.Result {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(150 * time.Millisecond)
		running.Add(-1)
		return tools.Result{Content: []anthropic.Block{anthropic.Text("probed " + i.Name)}}
	})
}

func panicTool() tools.Tool {
	type in struct{}
	return tools.New("Boom", "panics", false, func(in, *tools.Env) (tools.Target, error) { return tools.Target{}, nil },
		func(context.Context, *tools.Env, in) tools.Result { panic("broken tool") })
}

func TestReadOnlyCallsRunInParallel(t *testing.T) {
	c := client(t, `{"conversations": [{"match_first_user_text": "probe", "steps": [
	  {"reply": {"content": [{"type": "tool_use", "name": "Probe", "input": {"name": "a"}}, {"type": "tool_use", "name": "Probe", "input": {"name": "b"}},
	                         {"type": "tool_use", "name": "Probe", "input": {"name": "c"}}]}},
	  {"expect": {"last_tool_result_contains": "probed c"}, "reply": {"content": [{"type": "text", "text": "ok"}]}}]}]}`)
	var running, peak atomic.Int32
	a := agent.New(agent.Config{Provider: c, Model: choice(t), Tools: []tools.Tool{probeTool(&running, &peak)}, ToolEnv: tools.NewEnv(t.TempDir(), os.Environ())})
	start := time.Now()
	r := a.Run(context.Background(), []anthropic.Block{anthropic.Text("probe three times")})
	if r.Subtype != agent.Success || r.Text != "ok" {
		t.Fatalf("result %+v", r)
	}
	if peak.Load() != 3 || time.Since(start) > 400*time.Millisecond {
		t.Errorf("peak concurrency %d in %v", peak.Load(), time.Since(start))
	}
}

type refuse struct{}

func (refuse) Check(permission.Request) permission.Decision {
	return permission.Decision{Behavior: permission.Ask, Reason: "needs approval"}
}
func (refuse) AllowForSession(permission.Rule)              {}
func (refuse) Suggest(r permission.Request) permission.Rule { return permission.Suggest(r) }
func (refuse) DeniesTool(string) bool                       { return false }

func TestRefusalStopsTheRestOfTheAnswerAndPanicsAreContained(t *testing.T) {
	c := client(t, `{"conversations": [{"match_first_user_text": "do", "steps": [
	  {"reply": {"content": [{"type": "tool_use", "name": "Boom", "input": {}}, {"type": "tool_use", "name": "Boom", "input": {}}]}},
	  {"reply": {"content": [{"type": "text", "text": "noted"}]}}]}]}`)
	var results *anthropic.Message
	asked := 0
	a := agent.New(agent.Config{Provider: c, Model: choice(t), Tools: []tools.Tool{panicTool()}, ToolEnv: tools.NewEnv(t.TempDir(), os.Environ()),
		Permissions: refuse{}, Ask: func(ctx context.Context, q agent.Question) agent.Answer {
			asked++
			return agent.Answer{Allow: false, Reason: "not now"}
		},
		Emit: func(e agent.Event) {
			if e.Kind == agent.EventToolResults {
				results = e.Results
			}
		}})
	r := a.Run(context.Background(), []anthropic.Block{anthropic.Text("do it")})
	if r.Subtype != agent.Success || asked != 1 || results == nil || len(results.Content) != 2 {
		t.Fatalf("result %+v asked %d results %+v", r, asked, results)
	}
	first, second := anthropic.PlainText(results.Content[0].Content), anthropic.PlainText(results.Content[1].Content)
	if !strings.Contains(first, "not now") || !strings.Contains(second, "refused an earlier tool call") {
		t.Errorf("results: %q / %q", first, second)
	}

	c2 := client(t, `{"conversations": [{"match_first_user_text": "do", "steps": [
	  {"reply": {"content": [{"type": "tool_use", "name": "Boom", "input": {}}]}},
	  {"expect": {"last_tool_result_is_error": true, "last_tool_result_contains": "failed unexpectedly"}, "reply": {"content": [{"type": "text", "text": "survived"}]}}]}]}`)
	a2 := agent.New(agent.Config{Provider: c2, Model: choice(t), Tools: []tools.Tool{panicTool()}, ToolEnv: tools.NewEnv(t.TempDir(), os.Environ())})
	if r := a2.Run(context.Background(), []anthropic.Block{anthropic.Text("do it")}); r.Text != "survived" {
		t.Errorf("after a panicking tool: %+v", r)
	}
}

func TestUnknownToolIsAnErrorResult(t *testing.T) {
	c := client(t, `{"conversations": [{"match_first_user_text": "x", "steps": [
	  {"reply": {"content": [{"type": "tool_use", "name": "Teleport", "input": {}}]}},
	  {"expect": {"last_tool_result_contains": "No tool named"}, "reply": {"content": [{"type": "text", "text": "fine"}]}}]}]}`)
	a := agent.New(agent.Config{Provider: c, Model: choice(t), Tools: tools.Default(), ToolEnv: tools.NewEnv(t.TempDir(), os.Environ())})
	if r := a.Run(context.Background(), []anthropic.Block{anthropic.Text("x")}); r.Text != "fine" {
		t.Errorf("%+v", r)
	}
}

func TestRewindTakesBackThePromptAndSurvivesResume(t *testing.T) {
	c := client(t, `{"fallback_reply": {"content": [{"type": "text", "text": "ok"}]}}`)
	dir := t.TempDir()
	w, err := session.Create(dir, "rw", session.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	a := agent.New(agent.Config{Provider: c, Model: choice(t), Transcript: w, ToolEnv: tools.NewEnv(t.TempDir(), os.Environ())})
	a.Run(context.Background(), []anthropic.Block{anthropic.Text("first")})
	a.Run(context.Background(), []anthropic.Block{anthropic.Text("second, badly put")})
	text, err := a.Rewind()
	if err != nil || text != "second, badly put" || len(a.Messages()) != 2 {
		t.Fatalf("rewind = %q %v, %d messages", text, err, len(a.Messages()))
	}
	w.Close()
	tr, _ := session.Read(w.Path)
	if len(tr.Messages) != 2 || anthropic.PlainText(tr.Messages[0].Content) != "first" {
		t.Errorf("resumed messages = %+v", tr.Messages)
	}
	b := agent.New(agent.Config{Provider: c, Model: choice(t)})
	if _, err := b.Rewind(); err != agent.ErrNothingToRewind {
		t.Errorf("empty rewind: %v", err)
	}
}

// TestMalformedToolInput: a tool call whose input is not JSON is not run; the model gets an
// error quoting the input, the transcript keeps {} in its place, and the session goes on.
func TestMalformedToolInput(t *testing.T) {
	c, s := simClient(t, `{"conversations": [{"match_first_user_text": "read", "steps": [
	  {"reply": {"content": [{"type": "text", "text": "Reading."}, {"type": "tool_use", "name": "Read", "input": "{\"file_path\": \"/x/a.go"}]}},
	  {"expect": {"last_tool_result_is_error": true, "last_tool_result_contains": "{\"file_path\": \"/x/a.go"},
	   "reply": {"content": [{"type": "text", "text": "corrected"}]}}]}]}`)
	dir := t.TempDir()
	w, err := session.Create(dir, "bad-input", session.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	a := agent.New(agent.Config{Provider: c, Model: choice(t), Tools: tools.Default(), ToolEnv: tools.NewEnv(t.TempDir(), os.Environ()), Transcript: w})
	r := a.Run(context.Background(), []anthropic.Block{anthropic.Text("read a.go")})
	w.Close()
	if r.Subtype != agent.Success || r.Text != "corrected" {
		t.Fatalf("result %+v", r)
	}
	tr, err := session.Read(w.Path)
	if err != nil || tr.Skipped != 0 || len(tr.Messages) != 4 {
		t.Fatalf("transcript: %v, %d skipped, %d messages", err, tr.Skipped, len(tr.Messages))
	}
	if in := string(tr.Messages[1].Content[1].Input); in != "{}" {
		t.Errorf("stored input %s, want {}", in)
	}
	if got := anthropic.PlainText(tr.Messages[2].Content[0].Content); !strings.Contains(got, "Read was not run") {
		t.Errorf("tool result %q", got)
	}
	if f := s.Report().ExpectationFailures; len(f) > 0 {
		t.Errorf("the model was not shown its input: %+v", f)
	}
}

// TestTranscriptAccountsForEveryRequest: the transcript's cost is the session's, whatever
// the requests were for: a cut-off tool call asked again, a continued text, a compaction; and
// each record carries Bedrock's request ID.
func TestTranscriptAccountsForEveryRequest(t *testing.T) {
	content := strings.Repeat("line of generated content number 0123456789\n", 600) // about 6,600 tokens
	long := strings.Repeat("All work and no play. ", 1000)                          // about 5,500 tokens
	input, _ := json.Marshal(map[string]string{"file_path": "FILE", "content": content})
	dir := t.TempDir()
	c := client(t, `{"conversations": [{"match_first_user_text": "generate", "steps": [
	  {"reply": {"content": [{"type": "text", "text": "Writing it."}, {"type": "tool_use", "name": "Write", "input": `+strings.Replace(string(input), "FILE", filepath.Join(dir, "big.txt"), 1)+`}]}},
	  {"reply": {"content": [{"type": "text", "text": "`+long+`"}]}}]},
	  {"match_first_user_text": "This session continues", "steps": [{"reply": {"content": [{"type": "text", "text": "after"}]}}]}],
	 "fallback_reply": {"content": [{"type": "text", "text": "SUMMARY"}]}}`)
	w, err := session.Create(t.TempDir(), "cost", session.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	a := agent.New(agent.Config{Provider: c, Model: choice(t), Tools: tools.Default(), ToolEnv: tools.NewEnv(dir, os.Environ()), Transcript: w,
		AutoCompact: true, CompactAt: 15000}) // reached in the second run
	if r := a.Run(context.Background(), []anthropic.Block{anthropic.Text("generate big.txt")}); r.Subtype != agent.Success {
		t.Fatalf("first run: %+v", r)
	}
	r := a.Run(context.Background(), []anthropic.Block{anthropic.Text("and now?")})
	if r.Subtype != agent.Success || r.Text != "after" {
		t.Fatalf("second run: %+v", r)
	}
	w.Close()
	tr, err := session.Read(w.Path)
	if err != nil {
		t.Fatal(err)
	}
	if _, cost := a.Totals(); math.Abs(tr.CostUSD-cost) > 1e-9 || cost != r.CostUSD {
		t.Errorf("transcript cost %.6f, session %.6f, result %.6f", tr.CostUSD, cost, r.CostUSD)
	}
	purposes := map[string]int{}
	for _, e := range tr.Entries {
		if e.Subtype == session.SubtypeRequest {
			purposes[e.Content]++
		}
		if (e.Type == session.TypeAssistant || e.Subtype == session.SubtypeRequest) && (len(e.RequestID) != 36 || e.RequestID == e.Message.ID) {
			t.Errorf("requestId %q of %s %s", e.RequestID, e.Type, e.Content)
		}
	}
	if purposes[session.PurposeDiscarded] != 1 || purposes[session.PurposeContinuation] != 1 || purposes[session.PurposeCompact] != 1 {
		t.Errorf("request records: %v", purposes)
	}
}

// hungTitles answers turns but never answers a side call until it is cancelled.
type hungTitles struct {
	*bedrock.Client
	cancelled chan struct{}
}

func (p hungTitles) Invoke(ctx context.Context, _ bedrock.Call) (*anthropic.Response, error) {
	<-ctx.Done()
	close(p.cancelled)
	return nil, ctx.Err()
}

// TestCloseDoesNotWaitLongForTheTitle: a title that is slow to come is cancelled soon after
// Close; one that comes is in the totals and the transcript when Close returns.
func TestCloseDoesNotWaitLongForTheTitle(t *testing.T) {
	haiku, err := bedrock.ChoosePrimary(catalog.Default(), func(string) string { return "" }, bedrock.ModelFlags{Flag: "us.anthropic.claude-haiku-4-5-20251001-v1:0"}, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	const sc = `{"fallback_reply": {"content": [{"type": "text", "text": "A title"}]}}`
	cases := []struct {
		name   string
		hung   bool
		titled bool
	}{{"hung", true, false}, {"answered", false, true}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var p agent.Provider = client(t, sc)
			cancelled := make(chan struct{})
			if tc.hung {
				p = hungTitles{Client: p.(*bedrock.Client), cancelled: cancelled}
			}
			w, _ := session.Create(t.TempDir(), "title", session.Meta{})
			a := agent.New(agent.Config{Provider: p, Model: choice(t), SmallFast: haiku, NeedsTitle: true, Transcript: w, ToolEnv: tools.NewEnv(t.TempDir(), os.Environ())})
			a.Run(context.Background(), []anthropic.Block{anthropic.Text("hello")})
			start := time.Now()
			a.Close()
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("Close took %v", d)
			}
			if tc.hung {
				select {
				case <-cancelled:
				default:
					t.Error("the title request was not cancelled")
				}
			}
			w.Close()
			tr, _ := session.Read(w.Path)
			if _, cost := a.Totals(); (tr.Title != "") != tc.titled || math.Abs(tr.CostUSD-cost) > 1e-9 {
				t.Errorf("title %q, transcript cost %.6f, session %.6f", tr.Title, tr.CostUSD, cost)
			}
		})
	}
}

// TestTruncationRetriesAreNotTurns: asking a cut-off answer again is the same turn, so it
// does not use up --max-turns.
func TestTruncationRetriesAreNotTurns(t *testing.T) {
	content := strings.Repeat("line of generated content number 0123456789\n", 600) // about 6,600 tokens: cut at 4096
	dir := t.TempDir()
	input, _ := json.Marshal(map[string]string{"file_path": filepath.Join(dir, "big.txt"), "content": content})
	c := client(t, `{"conversations": [{"match_first_user_text": "generate", "steps": [
	  {"reply": {"content": [{"type": "tool_use", "name": "Write", "input": `+string(input)+`}]}},
	  {"reply": {"content": [{"type": "text", "text": "written"}]}}]}]}`)
	a := agent.New(agent.Config{Provider: c, Model: choice(t), Tools: tools.Default(), ToolEnv: tools.NewEnv(dir, os.Environ()), MaxTurns: 2})
	r := a.Run(context.Background(), []anthropic.Block{anthropic.Text("generate big.txt")})
	if r.Subtype != agent.Success || r.Turns != 2 || r.Text != "written" {
		t.Errorf("result %s after %d turns: %q %v", r.Subtype, r.Turns, r.Text, r.Err)
	}
}

// TestLargeToolResultsAreCompactedBeforeTheyOverflow: four parallel Reads of 250 KB files
// would send a prompt past the 200k window. The agent compacts before sending them (by
// estimate) or, when the estimate let them through, after the service refuses the prompt;
// without auto-compaction the error says what happened.
func TestLargeToolResultsAreCompactedBeforeTheyOverflow(t *testing.T) {
	dir := t.TempDir()
	line := strings.Repeat("x", 115) + "\n"
	var reads []string
	for i := range 4 {
		p := filepath.Join(dir, fmt.Sprintf("big%d.txt", i))
		if err := os.WriteFile(p, []byte(strings.Repeat(line, 2000)), 0o600); err != nil {
			t.Fatal(err)
		}
		reads = append(reads, `{"type": "tool_use", "name": "Read", "input": {"file_path": "`+p+`"}}`)
	}
	scenario := `{"conversations": [{"match_first_user_text": "survey", "steps": [
	    {"reply": {"content": [` + strings.Join(reads, ",") + `]}},
	    {"reply": {"content": [{"type": "text", "text": "too late"}]}}]},
	  {"match_first_user_text": "This session continues", "steps": [{"reply": {"content": [{"type": "text", "text": "after compaction"}]}}]}],
	 "fallback_reply": {"content": [{"type": "text", "text": "Read four files."}]}}`
	cases := []struct {
		name        string
		autoCompact bool
		compactAt   int64
		want        string
		wantErr     string
	}{
		{"by estimate", true, 0, "after compaction", ""},
		{"after the refusal", true, 1_000_000, "after compaction", ""},
		{"auto-compaction off", false, 0, "", "prompt is too long"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, s := simClient(t, scenario)
			var notices []string
			a := agent.New(agent.Config{Provider: c, Model: choice(t), Tools: tools.Default(), ToolEnv: tools.NewEnv(dir, os.Environ()),
				AutoCompact: tc.autoCompact, CompactAt: tc.compactAt, Emit: func(e agent.Event) {
					if e.Kind == agent.EventNotice {
						notices = append(notices, e.Text)
					}
				}})
			r := a.Run(context.Background(), []anthropic.Block{anthropic.Text("survey the big files")})
			if r.Text != tc.want || (r.Err == nil) != (tc.wantErr == "") || r.Err != nil && !strings.Contains(r.Err.Error(), tc.wantErr) {
				t.Fatalf("result %q, error %v; notices %q", r.Text, r.Err, notices)
			}
			if tc.want == "" {
				return
			}
			refused := s.Report().Errors["ValidationException"]
			if byEstimate := tc.compactAt == 0; byEstimate != (refused == 0) {
				t.Errorf("%d prompts refused as too long; notices %q", refused, notices)
			}
		})
	}
}

// denyTool denies every call of one tool and allows the rest.
type denyTool string

func (d denyTool) Check(r permission.Request) permission.Decision {
	if r.Tool == string(d) {
		return permission.Decision{Behavior: permission.Deny, Reason: "denied by rule " + string(d)}
	}
	return permission.Decision{Behavior: permission.Allow}
}
func (denyTool) AllowForSession(permission.Rule)              {}
func (denyTool) Suggest(r permission.Request) permission.Rule { return permission.Suggest(r) }
func (d denyTool) DeniesTool(name string) bool                { return name == string(d) }

// TestToolsDeniedOutrightAreNotOffered: the model is not offered a tool every call of which
// would be denied; a call to it anyway is refused by the rule.
func TestToolsDeniedOutrightAreNotOffered(t *testing.T) {
	c, s := simClient(t, `{"conversations": [{"match_first_user_text": "fetch", "steps": [
	  {"expect": {"tools_exclude": ["WebFetch"], "tools_include": ["Read"]},
	   "reply": {"content": [{"type": "tool_use", "name": "WebFetch", "input": {"url": "https://example.com/", "prompt": "x"}}]}},
	  {"expect": {"last_tool_result_contains": "denied by rule WebFetch"}, "reply": {"content": [{"type": "text", "text": "ok"}]}}]}]}`)
	a := agent.New(agent.Config{Provider: c, Model: choice(t), Tools: tools.Default(), ToolEnv: tools.NewEnv(t.TempDir(), os.Environ()), Permissions: denyTool("WebFetch")})
	if names := strings.Join(a.ToolNames(), ","); strings.Contains(names, "WebFetch") || !strings.Contains(names, "Read") {
		t.Errorf("offered %s", names)
	}
	if r := a.Run(context.Background(), []anthropic.Block{anthropic.Text("fetch it")}); r.Text != "ok" {
		t.Errorf("result %+v", r)
	}
	if f := s.Report().ExpectationFailures; len(f) > 0 {
		t.Errorf("expectations: %+v", f)
	}
}

// TestTruncationBudgetStopsAtTheModelsMaximum: a tool call cut at max_tokens is asked again
// with twice the budget but never more than the model's maximum output, and one that does not
// fit even there ends the turn with an error saying so; the cut-off call never runs.
func TestTruncationBudgetStopsAtTheModelsMaximum(t *testing.T) {
	line := "line of generated content number 0123456789\n" // about 11 tokens
	cases := []struct {
		name      string
		lines     int
		maxOutput int
		notice    string // the one notice about asking again
		wantErr   string
	}{
		{"doubled", 600, 64000, "asking again with 8192", ""},
		{"capped at the maximum", 500, 6000, "asking again with 6000", ""},
		{"too large for the maximum", 700, 6000, "asking again with 6000", "did not fit in 6000 output tokens, the model's maximum"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			input, _ := json.Marshal(map[string]string{"file_path": filepath.Join(dir, "big.txt"), "content": strings.Repeat(line, tc.lines)})
			c := client(t, `{"conversations": [{"match_first_user_text": "generate", "steps": [
			  {"reply": {"content": [{"type": "tool_use", "name": "Write", "input": `+string(input)+`}]}},
			  {"reply": {"content": [{"type": "text", "text": "written"}]}}]}]}`)
			model := choice(t)
			info := *model.Info
			info.MaxOutput = tc.maxOutput
			model.Info = &info
			var notices []string
			a := agent.New(agent.Config{Provider: c, Model: model, Tools: tools.Default(), ToolEnv: tools.NewEnv(dir, os.Environ()),
				Emit: func(e agent.Event) {
					if e.Kind == agent.EventNotice {
						notices = append(notices, e.Text)
					}
				}})
			r := a.Run(context.Background(), []anthropic.Block{anthropic.Text("generate big.txt")})
			if len(notices) != 1 || !strings.Contains(notices[0], tc.notice) {
				t.Errorf("notices %q, want one saying %q", notices, tc.notice)
			}
			_, statErr := os.Stat(filepath.Join(dir, "big.txt"))
			if tc.wantErr != "" {
				if r.Err == nil || !strings.Contains(r.Err.Error(), tc.wantErr) || statErr == nil {
					t.Errorf("result %s %q, error %v, file written: %v", r.Subtype, r.Text, r.Err, statErr == nil)
				}
				return
			}
			if r.Subtype != agent.Success || r.Text != "written" || statErr != nil {
				t.Errorf("result %s %q, error %v, file: %v", r.Subtype, r.Text, r.Err, statErr)
			}
		})
	}
}

// TestTitleIsShortAndClean: the small/fast model's answer becomes a title of one line, without
// quotes, at most 80 bytes cut between characters; an empty answer leaves the session
// untitled.
func TestTitleIsShortAndClean(t *testing.T) {
	haiku, err := bedrock.ChoosePrimary(catalog.Default(), func(string) string { return "" }, bedrock.ModelFlags{Flag: "us.anthropic.claude-haiku-4-5-20251001-v1:0"}, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("é", 50) // 100 bytes
	for _, tc := range []struct{ answer, want string }{
		{`Fix the greeting`, "Fix the greeting"},
		{`"Fix the greeting"`, "Fix the greeting"},
		{"  Fix the greeting\nBecause it was misspelled.", "Fix the greeting"},
		{long, strings.Repeat("é", 40)},
		{"Überprüfung" + long, "Überprüfung" + strings.Repeat("é", 33)},
		{"  ", ""},
	} {
		t.Run(tc.answer, func(t *testing.T) {
			text, _ := json.Marshal(tc.answer)
			w, _ := session.Create(t.TempDir(), "title", session.Meta{})
			a := agent.New(agent.Config{Provider: client(t, `{"fallback_reply": {"content": [{"type": "text", "text": `+string(text)+`}]}}`),
				Model: choice(t), SmallFast: haiku, NeedsTitle: true, Transcript: w, ToolEnv: tools.NewEnv(t.TempDir(), os.Environ())})
			a.Run(context.Background(), []anthropic.Block{anthropic.Text("hello")})
			a.Close()
			w.Close()
			tr, err := session.Read(w.Path)
			if err != nil || tr.Title != tc.want {
				t.Errorf("title %q (%v), want %q", tr.Title, err, tc.want)
			}
		})
	}
}

// TestToolOutputIsRedactedEverywhere: a command that prints the session's secret shows it
// neither to the model nor on the screen (the tool-end event) nor in the transcript.
func TestToolOutputIsRedactedEverywhere(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	c := client(t, `{"conversations": [{"match_first_user_text": "env", "steps": [
	  {"reply": {"content": [{"type": "tool_use", "name": "Bash", "input": {"command": "echo key=$SECRET_FOR_TEST", "description": "print"}}]}},
	  {"expect": {"last_tool_result_contains": "[REDACTED]"}, "reply": {"content": [{"type": "text", "text": "done"}]}}]}]}`)
	var shown []string
	dir := t.TempDir()
	w, err := session.Create(dir, "s", session.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	a := agent.New(agent.Config{Provider: c, Model: choice(t), Tools: tools.Default(), Secrets: []string{secret}, Transcript: w,
		ToolEnv: tools.NewEnv(dir, append(os.Environ(), "SECRET_FOR_TEST="+secret)),
		Emit: func(e agent.Event) {
			if e.Kind == agent.EventToolEnd && e.Tool.Result != nil {
				shown = append(shown, e.Tool.Result.Text())
			}
		}})
	if r := a.Run(context.Background(), []anthropic.Block{anthropic.Text("env")}); r.Text != "done" {
		t.Fatalf("%+v", r)
	}
	a.Close()
	w.Close()
	if len(shown) != 1 || strings.Contains(shown[0], secret) || !strings.Contains(shown[0], "[REDACTED]") {
		t.Errorf("the screen was shown %q", shown)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "s.jsonl")); strings.Contains(string(data), secret) {
		t.Error("the transcript holds the secret")
	}
}
