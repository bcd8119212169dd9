package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const twoStep = `{"conversations": [{"match_first_user_text": "list", "steps": [
  {"reply": {"content": [{"type": "text", "text": "Listing."}, {"type": "tool_use", "name": "LS", "input": {"path": "{{cwd}}"}}]}},
  {"reply": {"content": [{"type": "text", "text": "There is one file."}]}}]}],
 "fallback_reply": {"content": [{"type": "text", "text": "Files listing"}]}}`

func printWorld(t *testing.T, scenario string) *world {
	w := newWorld(t, worldOpts{scenario: scenario})
	w.keys()
	w.env["ANTHROPIC_MODEL"] = sonnet45
	w.write(w.Repo+"/only.txt", "x")
	return w
}

func TestOutputFormats(t *testing.T) {
	t.Run("text", func(t *testing.T) {
		w := printWorld(t, twoStep)
		r := w.ganban("-p", "list the files")
		if r.Code != 0 || r.Stdout != "There is one file.\n" || strings.Contains(r.Stderr, "ganban: ") {
			t.Errorf("stdout %q stderr %q", r.Stdout, r.Stderr)
		}
	})
	// --verbose shows the session, the model and each tool call on stderr; stdout is the same.
	t.Run("text --verbose", func(t *testing.T) {
		w := printWorld(t, twoStep)
		r := w.ganban("-p", "list the files", "--verbose")
		if r.Code != 0 || r.Stdout != "There is one file.\n" {
			t.Errorf("stdout %q stderr %q", r.Stdout, r.Stderr)
		}
		id := regexp.MustCompile(`ganban: session ([0-9a-f-]{36}), model ` + regexp.QuoteMeta(sonnet45) + ` \(ANTHROPIC_MODEL\) in us-east-1\n`).FindStringSubmatch(r.Stderr)
		if id == nil || !strings.Contains(r.Stderr, "ganban: List .\n") {
			t.Fatalf("stderr %q", r.Stderr)
		}
		if list := w.ganban("sessions").Stdout; !strings.Contains(list, id[1]) {
			t.Errorf("the session named on stderr is not listed:\n%s", list)
		}
	})
	t.Run("json", func(t *testing.T) {
		w := printWorld(t, twoStep)
		r := w.ganban("-p", "list the files", "--output-format", "json")
		checkResult(t, r.JSON(t), "There is one file.")
		if strings.Count(strings.TrimSpace(r.Stdout), "\n") != 0 {
			t.Errorf("json output is more than one line:\n%s", r.Stdout)
		}
	})
	t.Run("stream-json", func(t *testing.T) {
		w := printWorld(t, twoStep)
		r := w.ganban("-p", "list the files", "--output-format", "stream-json")
		var kinds []string
		var sid string
		for _, line := range strings.Split(strings.TrimSpace(r.Stdout), "\n") {
			var ev map[string]any
			if err := json.Unmarshal([]byte(line), &ev); err != nil {
				t.Fatalf("not JSON: %s", line)
			}
			kind := ev["type"].(string)
			if st, ok := ev["subtype"].(string); ok {
				kind += "/" + st
			}
			// A retry notice may come between any two events (the transport rarely drops a
			// connection under load); it is checked elsewhere.
			if kind != "system/api_retry" {
				kinds = append(kinds, kind)
			}
			if s, ok := ev["session_id"].(string); ok {
				if sid != "" && s != sid {
					t.Errorf("session id changed: %s vs %s", s, sid)
				}
				sid = s
			}
			switch ev["type"] {
			case "assistant":
				checkFields(t, "assistant", ev, map[string]any{"type": "assistant", "parent_tool_use_id": nil, "session_id": sid}, "message", "uuid")
				m, _ := ev["message"].(map[string]any)
				checkFields(t, "assistant message", m, map[string]any{"type": "message", "role": "assistant", "model": "claude-sonnet-4-5-20250929", "stop_sequence": nil},
					"id", "content", "stop_reason", "usage")
				if !strings.HasPrefix(fmt.Sprint(m["id"]), "msg_bdrk_") || !uuidRE.MatchString(fmt.Sprint(ev["uuid"])) {
					t.Errorf("assistant event %s", line)
				}
				u, _ := m["usage"].(map[string]any)
				checkFields(t, "assistant usage", u, nil, "input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "cache_creation")
			case "user":
				checkFields(t, "user", ev, map[string]any{"type": "user", "parent_tool_use_id": nil, "session_id": sid}, "message", "uuid")
				m, _ := ev["message"].(map[string]any)
				checkFields(t, "user message", m, map[string]any{"role": "user"}, "content")
				c := m["content"].([]any)[0].(map[string]any)
				checkFields(t, "tool_result", c, map[string]any{"type": "tool_result"}, "tool_use_id", "content")
				if !strings.HasPrefix(c["tool_use_id"].(string), "toolu_bdrk_") || !strings.Contains(fmt.Sprint(c["content"]), "only.txt") {
					t.Errorf("user event %s", line)
				}
			case "system":
				if ev["subtype"] == "init" {
					checkFields(t, "init", ev, map[string]any{"type": "system", "subtype": "init", "cwd": w.Repo, "session_id": sid, "model": sonnet45,
						"permissionMode": "default", "apiKeySource": "none", "output_style": "default", "region": "us-east-1"},
						"tools", "mcp_servers", "slash_commands", "uuid", "ganban_version")
					if len(ev["tools"].([]any)) != 10 {
						t.Errorf("init tools %v", ev["tools"])
					}
				}
			case "result":
				checkResult(t, ev, "There is one file.")
			}
		}
		if strings.Join(kinds, ",") != "system/init,assistant,user,assistant,result/success" {
			t.Errorf("events = %v", kinds)
		}
	})
}

// checkResult checks a result line field by field, as scripts read it.
func checkResult(t *testing.T, res map[string]any, text string) {
	t.Helper()
	checkFields(t, "result", res, map[string]any{"type": "result", "subtype": "success", "is_error": false, "result": text, "num_turns": 2.0,
		"permission_denials": []any{}}, "session_id", "duration_ms", "duration_api_ms", "total_cost_usd", "usage", "uuid")
	if id, _ := res["session_id"].(string); len(id) != 36 {
		t.Errorf("session_id %q is not a UUID", id)
	}
	if ms, api := res["duration_ms"].(float64), res["duration_api_ms"].(float64); ms <= 0 || api <= 0 || api > ms {
		t.Errorf("duration_ms %v, duration_api_ms %v", ms, api)
	}
	u := res["usage"].(map[string]any)
	checkFields(t, "usage", u, nil, "input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
	if res["total_cost_usd"].(float64) <= 0 || u["cache_read_input_tokens"].(float64) <= 0 || u["cache_creation_input_tokens"].(float64) <= 0 || u["output_tokens"].(float64) <= 0 {
		t.Errorf("cost %v usage %v: the first turn writes the cache, the second reads it", res["total_cost_usd"], u)
	}
}

// checkFields checks that an event has exactly the fields named, with the values given.
func checkFields(t *testing.T, what string, ev map[string]any, values map[string]any, present ...string) {
	t.Helper()
	for k, v := range values {
		if fmt.Sprint(ev[k]) != fmt.Sprint(v) {
			t.Errorf("%s: %s = %v, want %v", what, k, ev[k], v)
		}
	}
	for _, k := range present {
		if _, ok := ev[k]; !ok {
			t.Errorf("%s lacks %s", what, k)
		}
	}
	if len(ev) != len(values)+len(present) {
		t.Errorf("%s has %d fields, want %d: %v", what, len(ev), len(values)+len(present), ev)
	}
}

func TestStreamJSONInputAndStdin(t *testing.T) {
	w := printWorld(t, `{"conversations": [{"match_first_user_text": "first", "steps": [
	  {"reply": {"content": [{"type": "text", "text": "one"}]}},
	  {"expect": {"last_user_text_contains": "second"}, "reply": {"content": [{"type": "text", "text": "two"}]}}]}]}`)
	in := `{"type":"user","message":{"role":"user","content":"first message"}}` + "\n" + `{"type":"user","message":{"role":"user","content":[{"type":"text","text":"second message"}]}}` + "\n"
	r := w.ganbanIn(w.Repo, []byte(in), "-p", "--input-format", "stream-json", "--output-format", "stream-json")
	if r.Code != 0 || !strings.Contains(r.Stdout, `"result":"two"`) || len(w.Sim.Report().ExpectationFailures) > 0 {
		t.Errorf("exit %d:\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	p := printWorld(t, `{"conversations": [{"match_first_user_text": "summarize", "steps": [
	  {"expect": {"last_user_text_contains": "PIPED CONTENT"}, "reply": {"content": [{"type": "text", "text": "got it"}]}}]}]}`)
	r = p.ganbanIn(p.Repo, []byte("PIPED CONTENT\n"), "-p", "summarize this")
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != "got it" || len(p.Sim.Report().ExpectationFailures) > 0 {
		t.Errorf("piped stdin: %d %q %+v", r.Code, r.Stdout, p.Sim.Report().ExpectationFailures)
	}
}

func TestLimitsAndBadToolInput(t *testing.T) {
	loop := `{"conversations": [{"match_first_user_text": "loop", "steps": [
	  {"reply": {"content": [{"type": "tool_use", "name": "Edit", "input": {"file_path": "{{cwd}}/only.txt"}}]}},
	  {"expect": {"last_tool_result_is_error": true, "last_tool_result_contains": "old_string"}, "reply": {"content": [{"type": "tool_use", "name": "LS", "input": {"path": "{{cwd}}"}}]}},
	  {"reply": {"content": [{"type": "tool_use", "name": "LS", "input": {"path": "{{cwd}}"}}]}},
	  {"reply": {"content": [{"type": "text", "text": "done"}]}}]}]}`
	w := printWorld(t, loop)
	r := w.ganban("-p", "loop please", "--output-format", "json", "--max-turns", "2")
	res := r.JSON(t)
	if r.Code != 1 || res["subtype"] != "error_max_turns" || res["is_error"] != true || res["num_turns"] != 2.0 {
		t.Errorf("max turns: %d %v", r.Code, res)
	}
	if f := w.Sim.Report().ExpectationFailures; len(f) > 0 {
		t.Errorf("bad tool input did not reach the model as an error: %+v", f)
	}
	b := printWorld(t, loop)
	r = b.ganban("-p", "loop please", "--output-format", "json", "--max-budget-usd", "0.0001")
	if res := r.JSON(t); r.Code != 1 || res["subtype"] != "error_max_budget_usd" {
		t.Errorf("max budget: %d %v", r.Code, res)
	}
}

func TestResumeByID(t *testing.T) {
	w := printWorld(t, `{"conversations": [{"match_first_user_text": "remember", "steps": [
	  {"reply": {"content": [{"type": "text", "text": "noted"}]}},
	  {"expect": {"last_user_text_contains": "recall"}, "reply": {"content": [{"type": "text", "text": "you said remember"}]}}]}]}`)
	first := w.ganban("-p", "remember 42", "--output-format", "json").JSON(t)
	id := first["session_id"].(string)
	r := w.ganban("-p", "-r", id, "recall it", "--output-format", "json")
	res := r.JSON(t)
	if res["session_id"] != id || res["result"] != "you said remember" {
		t.Errorf("resume: %v %s", res, r.Stderr)
	}
	if r := w.ganban("-p", "-r", "nosuchsession", "x"); r.Code != 1 || !strings.Contains(r.Stderr, "no session found") {
		t.Errorf("unknown session: %d %s", r.Code, r.Stderr)
	}
	if r := w.ganban("sessions"); !strings.Contains(r.Stdout, id) || !strings.Contains(r.Stdout, "$") {
		t.Errorf("sessions:\n%s", r.Stdout)
	}
}

// TestDemo runs the built-in demo in print mode: the scripted session fixes the bug.
func TestDemo(t *testing.T) {
	w := newWorld(t, worldOpts{})
	dir := t.TempDir()
	r := w.ganbanIn(w.Repo, nil, "demo", "-p", "--dir", dir)
	if r.Code != 0 || !strings.Contains(r.Stdout, "now prints **PASS**") {
		t.Fatalf("exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	data, _ := os.ReadFile(dir + "/greet/greet.sh")
	if !strings.Contains(string(data), `echo "Hello, $name!"`) {
		t.Errorf("greet.sh not fixed:\n%s", data)
	}
}

func TestFallbackModel(t *testing.T) {
	w := newWorld(t, worldOpts{auth: strictAuth(`, "model_access": ["*haiku-4-5*"]`)})
	w.keys()
	w.env["ANTHROPIC_MODEL"] = sonnet45
	w.env["ANTHROPIC_DEFAULT_HAIKU_MODEL"] = haiku45
	r := w.ganban("-p", "hello", "--fallback-model", haiku45)
	if r.Code != 0 || !strings.Contains(r.Stderr, "switching to the fallback model "+haiku45) {
		t.Errorf("exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
}

// TestMalformedToolInputKeepsTheSession: the model sends a tool call whose input is broken
// JSON; it is not run, the model is told, and the session stays resumable.
func TestMalformedToolInputKeepsTheSession(t *testing.T) {
	w := printWorld(t, `{"conversations": [{"match_first_user_text": "read", "steps": [
	  {"reply": {"content": [{"type": "tool_use", "name": "Read", "input": "{\"file_path\": \"{{cwd}}/only.txt"}]}},
	  {"expect": {"last_tool_result_is_error": true, "last_tool_result_contains": "{\"file_path\": \"{{cwd}}/only.txt"},
	   "reply": {"content": [{"type": "tool_use", "name": "Read", "input": {"file_path": "{{cwd}}/only.txt"}}]}},
	  {"expect": {"last_tool_result_is_error": false}, "reply": {"content": [{"type": "text", "text": "read it"}]}},
	  {"expect": {"last_user_text_contains": "again"}, "reply": {"content": [{"type": "text", "text": "still here"}]}}]}]}`)
	r := w.ganban("-p", "read only.txt")
	defer w.dumpOnFailure(r)
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != "read it" {
		t.Fatalf("exit %d stdout %q", r.Code, r.Stdout)
	}
	r = w.ganban("-p", "-c", "again")
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != "still here" {
		t.Fatalf("continue: exit %d stdout %q", r.Code, r.Stdout)
	}
	if f := w.Sim.Report().ExpectationFailures; len(f) > 0 {
		t.Errorf("expectations: %+v", f)
	}
}

// TestResumeAndToolFlagsInEveryOrder: -r/--resume takes the session ID after it wherever it
// stands, and --allowedTools takes every rule after it, as Claude Code's command line does.
func TestResumeAndToolFlagsInEveryOrder(t *testing.T) {
	w := printWorld(t, `{"conversations": [{"match_first_user_text": "remember", "steps": [
	  {"reply": {"content": [{"type": "text", "text": "noted"}]}},
	  {"expect": {"last_user_text_contains": "recall"}, "reply": {"content": [{"type": "text", "text": "you said remember"}]}},
	  {"expect": {"last_user_text_contains": "recall"}, "reply": {"content": [{"type": "text", "text": "you said remember"}]}},
	  {"expect": {"last_user_text_contains": "recall"}, "reply": {"content": [{"type": "text", "text": "you said remember"}]}},
	  {"expect": {"last_user_text_contains": "recall"}, "reply": {"content": [{"type": "text", "text": "you said remember"}]}},
	  {"expect": {"last_user_text_contains": "recall"}, "reply": {"content": [{"type": "text", "text": "you said remember"}]}}]},
	  {"match_first_user_text": "touch", "steps": [
	  {"reply": {"content": [{"type": "tool_use", "name": "Bash", "input": {"command": "touch touched.txt", "description": "touch"}}]}},
	  {"reply": {"content": [{"type": "text", "text": "touched"}]}}]}]}`)
	id := w.ganban("-p", "remember 42", "--output-format", "json").JSON(t)["session_id"].(string)
	for _, args := range [][]string{
		{"-p", "recall it", "--resume", id},
		{"--resume", id, "-p", "recall it"},
		{"-r", id, "-p", "recall it"},
		{"-p", "-r", id[:8], "recall it"},
		{"-p", "recall it", "-r", id, "--output-format", "text"},
	} {
		r := w.ganban(append(args, "--output-format", "json")...)
		res := r.JSON(t)
		if r.Code != 0 || res["session_id"] != id || res["result"] != "you said remember" {
			t.Errorf("%q: exit %d %v %s", args, r.Code, res, r.Stderr)
		}
	}
	if f := w.Sim.Report().ExpectationFailures; len(f) > 0 {
		t.Errorf("expectations: %+v", f)
	}
	if r := w.ganban("-p", "recall it", "-r"); r.Code != 1 || !strings.Contains(r.Stderr, "needs a session ID") {
		t.Errorf("-r without an ID: %d %s", r.Code, r.Stderr)
	}
	for _, args := range [][]string{
		{"--allowedTools", "Edit", "Bash(touch:*)", "-p", "touch a file"},
		{"-p", "--allowedTools", "Read", "Bash(touch:*)", "touch a file"},
		{"-p", "touch a file", "--allowedTools", "Read,Bash(touch:*)"},
	} {
		os.Remove(w.Repo + "/touched.txt")
		r := w.ganban(args...)
		if _, err := os.Stat(w.Repo + "/touched.txt"); err != nil || r.Code != 0 || strings.TrimSpace(r.Stdout) != "touched" {
			t.Errorf("%q: exit %d %q %s", args, r.Code, r.Stdout, r.Stderr)
		}
	}
}

// TestSessionIDMustBeAUUID: --session-id names the new session, and only a UUID is accepted,
// so no ID can write outside ~/.ganban.
func TestSessionIDMustBeAUUID(t *testing.T) {
	w := printWorld(t, twoStep)
	r := w.ganban("-p", "hello", "--session-id", "../../../escaped")
	if r.Code != 1 || !strings.Contains(r.Stderr, "--session-id") || !strings.Contains(r.Stderr, "is not a UUID") {
		t.Errorf("exit %d stderr %s", r.Code, r.Stderr)
	}
	var stray []string
	filepath.Walk(filepath.Dir(w.Home), func(p string, fi os.FileInfo, err error) error {
		if err == nil && strings.Contains(p, "escaped") {
			stray = append(stray, p)
		}
		return nil
	})
	if len(stray) > 0 {
		t.Errorf("written outside: %v", stray)
	}
	id := "1507326d-93f1-4c8a-a4b7-6f5b1c2d3e4f"
	if res := w.ganban("-p", "hello", "--session-id", id, "--output-format", "json").JSON(t); res["session_id"] != id {
		t.Errorf("session_id = %v", res["session_id"])
	}
}

// TestSessionsShowWhatWasSpent: ganban sessions shows the cost print mode reported, counting
// the requests that left no message: a cut-off tool call asked again, a continued text, a
// compaction and the title.
func TestSessionsShowWhatWasSpent(t *testing.T) {
	content := strings.Repeat("line of generated content number 0123456789\n", 600) // about 6,600 tokens
	long := strings.Repeat("All work and no play. ", 1000)                          // about 5,500 tokens
	input, _ := json.Marshal(map[string]string{"file_path": "FILE", "content": content})
	w := printWorld(t, `{"conversations": [{"match_first_user_text": "generate", "steps": [
	  {"reply": {"content": [{"type": "text", "text": "Writing it."}, {"type": "tool_use", "name": "Write", "input": `+strings.Replace(string(input), "FILE", "{{cwd}}/big.txt", 1)+`}]}},
	  {"reply": {"content": [{"type": "text", "text": "`+long+`"}]}}]},
	  {"match_first_user_text": "This session continues", "steps": [{"reply": {"content": [{"type": "text", "text": "after"}]}}]}],
	 "fallback_reply": {"content": [{"type": "text", "text": "Generated content"}]}}`)
	first := w.ganban("-p", "generate big.txt", "--allowedTools", "Write", "--output-format", "json")
	defer w.dumpOnFailure(first)
	w.env["CLAUDE_CODE_AUTO_COMPACT_WINDOW"] = "15000" // reached on resuming
	second := w.ganban("-p", "-c", "and now?", "--output-format", "json")
	res1, res2 := first.JSON(t), second.JSON(t)
	if first.Code != 0 || second.Code != 0 || res2["result"] != "after" {
		t.Fatalf("runs: %v / %v", res1, res2)
	}
	spent := res1["total_cost_usd"].(float64) + res2["total_cost_usd"].(float64)
	if !strings.Contains(readTranscripts(t, w), `"subtype":"compact_boundary"`) {
		t.Error("the second run did not compact")
	}
	r := w.ganban("sessions")
	if !strings.Contains(r.Stdout, fmt.Sprintf("$%.4f", spent)) || !strings.Contains(r.Stdout, "Generated content") {
		t.Errorf("ganban sessions should show $%.4f and the title:\n%s", spent, r.Stdout)
	}
}

// TestDisallowedToolIsNotOffered: a tool denied outright is neither offered to the model nor
// listed in the init event; a call to it anyway is refused by the rule.
func TestDisallowedToolIsNotOffered(t *testing.T) {
	w := printWorld(t, `{"conversations": [{"match_first_user_text": "fetch", "steps": [
	  {"expect": {"tools_exclude": ["WebFetch"], "tools_include": ["Read", "Bash"]},
	   "reply": {"content": [{"type": "tool_use", "name": "WebFetch", "input": {"url": "https://example.com/", "prompt": "x"}}]}},
	  {"expect": {"last_tool_result_contains": "denied by rule WebFetch"}, "reply": {"content": [{"type": "text", "text": "not allowed"}]}}]}]}`)
	r := w.ganban("-p", "fetch a page", "--disallowedTools", "WebFetch", "--output-format", "stream-json")
	defer w.dumpOnFailure(r)
	var init, result map[string]any
	for _, line := range strings.Split(strings.TrimSpace(r.Stdout), "\n") {
		var ev map[string]any
		json.Unmarshal([]byte(line), &ev)
		switch {
		case ev["subtype"] == "init":
			init = ev
		case ev["type"] == "result":
			result = ev
		}
	}
	if r.Code != 0 || init == nil || result == nil || result["result"] != "not allowed" {
		t.Fatalf("exit %d:\n%s", r.Code, r.Stdout)
	}
	for _, name := range init["tools"].([]any) {
		if name == "WebFetch" {
			t.Errorf("init lists WebFetch: %v", init["tools"])
		}
	}
	if len(init["tools"].([]any)) != 9 {
		t.Errorf("init tools = %v", init["tools"])
	}
	if d := result["permission_denials"].([]any); len(d) != 1 {
		t.Errorf("permission_denials = %v", d)
	}
	if f := w.Sim.Report().ExpectationFailures; len(f) > 0 {
		t.Errorf("expectations: %+v", f)
	}
}

// TestSessionFlagsReachTheRequest: --system-prompt, --append-system-prompt, --settings and
// --model change what is sent, as the simulator sees it; GANBAN_HOME moves the transcripts.
func TestSessionFlagsReachTheRequest(t *testing.T) {
	const own = "You are ganban, a coding agent"
	cases := []struct {
		name     string
		args     []string
		env      map[string]string
		expect   string // the step's expectations
		model    string // the model the turn must be sent to
		settings string // written to a file passed with --settings FILE
	}{
		{name: "--system-prompt replaces the instructions", args: []string{"--system-prompt", "You are TESTBOT."},
			expect: `{"system_contains": "You are TESTBOT.", "system_excludes": "` + own + `"}`, model: sonnet45},
		{name: "--append-system-prompt adds to them", args: []string{"--append-system-prompt", "Answer in French."},
			expect: `{"system_contains": "Answer in French."}`, model: sonnet45},
		{name: "--model beats ANTHROPIC_MODEL", args: []string{"--model", haiku45}, expect: `{"system_contains": "` + own + `"}`, model: haiku45},
		{name: "--settings file", settings: `{"env": {"ANTHROPIC_MODEL": "` + haiku45 + `"}, "permissions": {"deny": ["Bash"]}}`,
			expect: `{"tools_exclude": ["Bash"]}`, model: haiku45},
		{name: "--settings inline JSON", args: []string{"--settings", `{"permissions": {"deny": ["WebFetch"]}}`},
			expect: `{"tools_exclude": ["WebFetch"], "tools_include": ["Bash"]}`, model: sonnet45},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := printWorld(t, `{"conversations": [{"match_first_user_text": "hello", "steps": [
			  {"expect": `+tc.expect+`, "reply": {"content": [{"type": "text", "text": "hi"}]}}]}]}`)
			args := append([]string{"-p", "hello"}, tc.args...)
			if tc.settings != "" {
				args = append(args, "--settings", w.write(filepath.Join(t.TempDir(), "extra.json"), tc.settings))
			}
			r := w.ganban(args...)
			defer w.dumpOnFailure(r)
			if r.Code != 0 || strings.TrimSpace(r.Stdout) != "hi" {
				t.Fatalf("exit %d %q", r.Code, r.Stdout)
			}
			if f := w.Sim.Report().ExpectationFailures; len(f) > 0 {
				t.Errorf("expectations: %+v", f)
			}
			for _, l := range w.logLines() {
				if l["operation"] == "InvokeModelWithResponseStream" && l["model"] != tc.model {
					t.Errorf("the turn went to %v, want %s", l["model"], tc.model)
				}
			}
		})
	}
	t.Run("GANBAN_HOME", func(t *testing.T) {
		w := printWorld(t, twoStep)
		home := t.TempDir()
		w.env["GANBAN_HOME"] = home
		id := w.ganban("-p", "list the files", "--output-format", "json").JSON(t)["session_id"].(string)
		matches, _ := filepath.Glob(filepath.Join(home, "projects", "*", id+".jsonl"))
		if len(matches) != 1 {
			t.Errorf("no transcript under GANBAN_HOME: %v", matches)
		}
		if _, err := os.Stat(filepath.Join(w.Home, ".ganban", "projects")); err == nil {
			t.Error("a transcript was written under ~/.ganban")
		}
		if r := w.ganban("sessions"); !strings.Contains(r.Stdout, id) {
			t.Errorf("ganban sessions does not read GANBAN_HOME:\n%s", r.Stdout)
		}
	})
}
