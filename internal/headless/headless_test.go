package headless

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"ganban/internal/agent"
	"ganban/internal/anthropic"
	"ganban/internal/bedrock"
	"ganban/internal/bootstrap"
	"ganban/internal/catalog"
	"ganban/internal/permission"
	"ganban/internal/testenv"
	"ganban/internal/tools"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func TestCheckOptions(t *testing.T) {
	cases := []struct {
		name string
		o    Options
		err  string
	}{
		{"defaults", Options{Prompt: "hi"}, ""},
		{"piped prompt", Options{Stdin: strings.NewReader("hi")}, ""},
		{"stream-json input", Options{InputFormat: FormatStreamJSON}, ""},
		{"no prompt", Options{Prompt: "  "}, "needs a prompt"},
		{"unknown output", Options{Prompt: "hi", OutputFormat: "yaml"}, `--output-format "yaml"`},
		{"unknown input", Options{Prompt: "hi", InputFormat: "xml"}, `--input-format "xml"`},
		{"continue and resume", Options{Prompt: "hi", Continue: true, Resume: "x"}, "either -c/--continue or -r/--resume"},
	}
	for _, tc := range cases {
		err := tc.o.check()
		if (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: check() = %v, want %q", tc.name, err, tc.err)
		}
		if err == nil && (tc.o.OutputFormat == "" || tc.o.InputFormat == "") {
			t.Errorf("%s: formats left empty: %+v", tc.name, tc.o)
		}
	}
}

// TestReadPrompts: the argument with piped stdin added, or one prompt per stream-json line.
func TestReadPrompts(t *testing.T) {
	cases := []struct {
		name   string
		o      Options
		want   []string
		err    string
		errEnd string // an error met while reading, after the prompts before it
	}{
		{"argument", Options{InputFormat: FormatText, Prompt: "fix it"}, []string{"fix it"}, "", ""},
		{"argument and stdin", Options{InputFormat: FormatText, Prompt: "review", Stdin: strings.NewReader("diff --git\n\n")}, []string{"review\n\ndiff --git"}, "", ""},
		{"stdin alone", Options{InputFormat: FormatText, Stdin: strings.NewReader("piped\n")}, []string{"piped"}, "", ""},
		{"nothing", Options{InputFormat: FormatText, Stdin: strings.NewReader("\n")}, nil, "needs a prompt", ""},
		{"stream-json", Options{InputFormat: FormatStreamJSON, Stdin: strings.NewReader(
			`{"type":"user","message":{"role":"user","content":"one"}}` + "\n\n" + `{"type":"user","message":{"role":"user","content":[{"type":"text","text":"two"}]}}` + "\n")},
			[]string{"one", "two"}, "", ""},
		{"stream-json, a bad line", Options{InputFormat: FormatStreamJSON, Stdin: strings.NewReader(
			`{"type":"user","message":{"role":"user","content":"one"}}` + "\n" + `{"type":"assistant"}` + "\n")},
			[]string{"one"}, "", "not a user message"},
		{"stream-json without stdin", Options{InputFormat: FormatStreamJSON}, nil, "stdin is a terminal", ""},
	}
	for _, tc := range cases {
		ps, err := readPrompts(tc.o)
		if (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: readPrompts = %v, want %q", tc.name, err, tc.err)
			continue
		}
		if err != nil {
			continue
		}
		var got []string
		for p := range ps.seq {
			got = append(got, anthropic.PlainText(p))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: prompts %q, want %q", tc.name, got, tc.want)
		}
		if e := ps.Err(); (e == nil) != (tc.errEnd == "") || e != nil && !strings.Contains(e.Error(), tc.errEnd) {
			t.Errorf("%s: Err() = %v, want %q", tc.name, e, tc.errEnd)
		}
	}
}

func testWriter(format string) (*writer, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	w := newWriter(Options{OutputFormat: format, Stdout: &out, Stderr: &errOut})
	w.sessionID = "1507326d-93f1-4c8a-a4b7-6f5b1c2d3e4f"
	return w, &out, &errOut
}

func lines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if l == "" {
			continue
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("not JSON: %s", l)
		}
		out = append(out, v)
	}
	return out
}

// TestProgressGoesToStderr: notices and refresh output go to stderr in every format, and in
// stream-json also to stdout as system events; stdout holds nothing else.
func TestProgressGoesToStderr(t *testing.T) {
	for _, format := range []string{FormatText, FormatJSON, FormatStreamJSON} {
		w, out, errOut := testWriter(format)
		w.notice("api_retry", "throttled, retrying in 4s (1/8)")
		fmt.Fprint(w.refreshOutput(), "refreshing AKIDEXAMPLE aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
		w.event(agent.Event{Kind: agent.EventNotice, Text: "The answer hit max_tokens; continuing it.", NoticeFor: "max_tokens"})
		for _, want := range []string{"ganban: throttled, retrying in 4s", "refreshing AKIDEXAMPLE", "ganban: The answer hit max_tokens"} {
			if !strings.Contains(errOut.String(), want) {
				t.Errorf("%s: stderr lacks %q:\n%s", format, want, errOut)
			}
		}
		if strings.Contains(errOut.String()+out.String(), "wJalrXUtnFEMI") {
			t.Errorf("%s: a secret was shown", format)
		}
		if format != FormatStreamJSON {
			if out.Len() > 0 {
				t.Errorf("%s: stdout holds %q", format, out)
			}
			continue
		}
		var subtypes []string
		for _, ev := range lines(t, out.String()) {
			if ev["type"] != "system" || ev["session_id"] != w.sessionID || len(fmt.Sprint(ev["uuid"])) != 36 || ev["message"] == "" {
				t.Errorf("event %v", ev)
			}
			subtypes = append(subtypes, fmt.Sprint(ev["subtype"]))
		}
		if strings.Join(subtypes, ",") != "api_retry,auth_refresh_output,notice" {
			t.Errorf("system events %v", subtypes)
		}
	}
}

func TestNoticeKinds(t *testing.T) {
	for kind, want := range map[bedrock.NoticeKind]string{
		bedrock.NoticeRetry: "api_retry", bedrock.NoticeRefresh: "credential_refresh", bedrock.NoticeCachingOff: "caching",
	} {
		if got := noticeKind(bedrock.Notice{Kind: kind}); got != want {
			t.Errorf("noticeKind(%v) = %s, want %s", kind, got, want)
		}
	}
}

// TestResults: the answer, the JSON result and the exit code for each way a run ends.
func TestResults(t *testing.T) {
	stop := "end_turn"
	final := &anthropic.Response{Content: []anthropic.Block{anthropic.Text("done")}, StopReason: &stop}
	cases := []struct {
		name          string
		r             agent.Result
		code          int
		stdout        string // text format
		stderr        string
		subtype       string
		isError       bool
		resultContain string
	}{
		{"success", agent.Result{Subtype: agent.Success, Final: final, Text: "done", Turns: 2, CostUSD: 0.5}, ExitOK, "done\n", "", "success", false, "done"},
		{"max turns", agent.Result{Subtype: agent.ErrMaxTurns, Final: final, Text: "done", Turns: 3}, ExitError, "done\n", "", "error_max_turns", true, "done"},
		{"interrupted", agent.Result{Subtype: agent.ErrInterrupted, Err: context.Canceled}, ExitInterrupted, "", "context canceled", "error_interrupted", true, "context canceled"},
		{"error with advice", agent.Result{Subtype: agent.ErrDuringRun, Err: &bedrock.Error{Kind: bedrock.KindPromptTooLong, Message: "prompt is too long"}},
			ExitError, "", "next step: ", "error_during_execution", true, "Run /compact"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, out, errOut := testWriter(FormatText)
			if code := w.result(tc.r, nil, time.Now()); code != tc.code {
				t.Errorf("text: exit %d, want %d", code, tc.code)
			}
			if out.String() != tc.stdout || !strings.Contains(errOut.String(), tc.stderr) {
				t.Errorf("text: stdout %q stderr %q", out, errOut)
			}
			w, out, _ = testWriter(FormatJSON)
			w.event(agent.Event{Kind: agent.EventToolEnd, Tool: &agent.ToolCall{ID: "toolu_1", Name: "Bash", Input: []byte(`{"command":"rm -rf x"}`),
				Denied: true, Result: &tools.Result{Summary: "denied"}}})
			if code := w.result(tc.r, nil, time.Now().Add(-time.Second)); code != tc.code {
				t.Errorf("json: exit %d, want %d", code, tc.code)
			}
			res := lines(t, out.String())
			if len(res) != 1 {
				t.Fatalf("json: %d lines", len(res))
			}
			v := res[0]
			if v["type"] != "result" || v["subtype"] != tc.subtype || v["is_error"] != tc.isError || !strings.Contains(fmt.Sprint(v["result"]), tc.resultContain) ||
				v["session_id"] != w.sessionID || v["num_turns"] != float64(tc.r.Turns) || v["total_cost_usd"] != tc.r.CostUSD || v["duration_ms"].(float64) < 1000 {
				t.Errorf("json result %v", v)
			}
			d := v["permission_denials"].([]any)
			if len(d) != 1 || fmt.Sprint(d[0]) != "map[tool_input:map[command:rm -rf x] tool_name:Bash tool_use_id:toolu_1]" {
				t.Errorf("permission_denials %v", d)
			}
		})
	}
}

// TestStreamJSONEvents: init, the assistant's messages, tool results and compaction
// boundaries each become one line.
func TestStreamJSONEvents(t *testing.T) {
	checker, err := permission.New(permission.Config{WorkDir: "/src", Mode: permission.AcceptEdits})
	if err != nil {
		t.Fatal(err)
	}
	rt := &bootstrap.Runtime{WorkDir: "/src", Region: "us-east-1", Permissions: checker, Catalog: catalog.Default(),
		Primary: bedrock.Choice{ID: "us.anthropic.claude-sonnet-4-5-20250929-v1:0"}}
	w, out, _ := testWriter(FormatStreamJSON)
	w.o.Version = "test"
	w.init(rt, w.sessionID, []string{"Read", "Bash"})
	w.event(agent.Event{Kind: agent.EventText, Text: "partial text is not an event"})
	w.event(agent.Event{Kind: agent.EventAssistant, Message: &anthropic.Response{ID: "msg_1", Role: "assistant", Content: []anthropic.Block{anthropic.Text("hi")}}})
	w.event(agent.Event{Kind: agent.EventToolResults, Results: &anthropic.Message{Role: "user", Content: []anthropic.Block{anthropic.ToolResult("toolu_1", "ok", false)}}})
	w.event(agent.Event{Kind: agent.EventCompacted, Text: "summary"})
	evs := lines(t, out.String())
	var kinds []string
	for _, ev := range evs {
		kinds = append(kinds, fmt.Sprint(ev["type"], "/", ev["subtype"]))
		if ev["session_id"] != w.sessionID || len(fmt.Sprint(ev["uuid"])) != 36 {
			t.Errorf("event %v", ev)
		}
	}
	if strings.Join(kinds, ",") != "system/init,assistant/<nil>,user/<nil>,system/compact_boundary" {
		t.Fatalf("events %v", kinds)
	}
	init := evs[0]
	if init["cwd"] != "/src" || fmt.Sprint(init["tools"]) != "[Read Bash]" || init["permissionMode"] != "acceptEdits" || init["model"] != rt.Primary.ID || init["ganban_version"] != "test" {
		t.Errorf("init %v", init)
	}
	if m := evs[1]["message"].(map[string]any); m["id"] != "msg_1" || evs[1]["parent_tool_use_id"] != nil {
		t.Errorf("assistant %v", evs[1])
	}
	if c := evs[2]["message"].(map[string]any)["content"].([]any)[0].(map[string]any); c["tool_use_id"] != "toolu_1" {
		t.Errorf("user %v", evs[2])
	}
}

// TestFailBeforeTheLoop: an error before the session starts is a result like any other;
// a cancelled start is an interruption.
func TestFailBeforeTheLoop(t *testing.T) {
	w, out, _ := testWriter(FormatJSON)
	if code := w.fail(errors.New("no region"), nil, time.Now()); code != ExitError || !strings.Contains(out.String(), `"subtype":"error_during_execution"`) {
		t.Errorf("exit %d: %s", code, out)
	}
	w, out, _ = testWriter(FormatJSON)
	if code := w.fail(fmt.Errorf("load: %w", context.Canceled), nil, time.Now()); code != ExitInterrupted || !strings.Contains(out.String(), `"subtype":"error_interrupted"`) {
		t.Errorf("exit %d: %s", code, out)
	}
}
