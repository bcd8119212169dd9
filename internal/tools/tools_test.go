package tools

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ganban/internal/anthropic"
	"ganban/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// newTestEnv returns an Env working in a fresh temporary directory, closed with the test.
func newTestEnv(t *testing.T) *Env {
	t.Helper()
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	env := NewEnv(dir, testenv.Env(dir))
	t.Cleanup(func() { env.Close() })
	return env
}

// call runs the tool named name with input (a Go value marshalled to JSON, or a string of raw
// JSON) and returns the result.
func call(t *testing.T, env *Env, name string, input any) Result {
	t.Helper()
	tool, ok := Lookup(Default(), name)
	if !ok {
		t.Fatalf("no tool %s", name)
	}
	return tool.Run(context.Background(), env, rawInput(t, input))
}

// target computes the tool's Target for input.
func target(t *testing.T, env *Env, name string, input any) (Target, error) {
	t.Helper()
	tool, _ := Lookup(Default(), name)
	return tool.Target(rawInput(t, input), env)
}

func rawInput(t *testing.T, input any) json.RawMessage {
	t.Helper()
	if s, ok := input.(string); ok {
		return json.RawMessage(s)
	}
	b, err := json.Marshal(input)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mustOK fails the test unless r is a success, and returns its text.
func mustOK(t *testing.T, r Result) string {
	t.Helper()
	if r.IsError {
		t.Fatalf("unexpected error result: %s", r.Text())
	}
	return r.Text()
}

// mustErr fails the test unless r is an error whose text contains each of want.
func mustErr(t *testing.T, r Result, want ...string) string {
	t.Helper()
	if !r.IsError {
		t.Fatalf("expected an error result, got: %s", r.Text())
	}
	for _, w := range want {
		if !strings.Contains(r.Text(), w) {
			t.Fatalf("error %q does not contain %q", r.Text(), w)
		}
	}
	return r.Text()
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDefaultToolsAndDefinitions(t *testing.T) {
	want := []string{"Read", "Write", "Edit", "MultiEdit", "Bash", "Glob", "Grep", "LS", "TodoWrite", "WebFetch"}
	ts := Default()
	defs := Definitions(ts)
	if len(defs) != len(want) {
		t.Fatalf("got %d tools, want %d", len(defs), len(want))
	}
	readOnly := map[string]bool{"Read": true, "Glob": true, "Grep": true, "LS": true, "TodoWrite": true, "WebFetch": true}
	for i, d := range defs {
		if d.Name != want[i] {
			t.Errorf("tool %d is %s, want %s", i, d.Name, want[i])
		}
		if len(d.Description) < 80 {
			t.Errorf("%s: description too short", d.Name)
		}
		var schema map[string]any
		if err := json.Unmarshal(d.InputSchema, &schema); err != nil {
			t.Fatalf("%s: schema is not JSON: %v", d.Name, err)
		}
		if schema["type"] != "object" {
			t.Errorf("%s: schema type %v", d.Name, schema["type"])
		}
		if ts[i].ReadOnly() != readOnly[d.Name] {
			t.Errorf("%s: ReadOnly = %v", d.Name, ts[i].ReadOnly())
		}
		// The definition must serialise as the Messages API expects.
		b, err := json.Marshal(d)
		if err != nil || !strings.Contains(string(b), `"input_schema"`) {
			t.Errorf("%s: marshal: %v %s", d.Name, err, b)
		}
	}
	if _, ok := Lookup(ts, "Nope"); ok {
		t.Error("Lookup found a tool that does not exist")
	}
}

// TestSchemaFields checks that each tool offers exactly Claude Code's input fields, with the
// same required ones, since the model is trained on those.
func TestSchemaFields(t *testing.T) {
	tests := []struct {
		tool     string
		fields   string
		required string
	}{
		{"Read", "file_path offset limit", "file_path"},
		{"Write", "file_path content", "file_path content"},
		{"Edit", "file_path old_string new_string replace_all", "file_path old_string new_string"},
		{"MultiEdit", "file_path edits", "file_path edits"},
		{"Bash", "command timeout description run_in_background", "command"},
		{"Glob", "pattern path", "pattern"},
		{"Grep", "pattern path glob output_mode -B -A -C -n -i type head_limit offset multiline", "pattern"},
		{"LS", "path ignore", "path"},
		{"TodoWrite", "todos", "todos"},
		{"WebFetch", "url prompt", "url prompt"},
	}
	for _, tt := range tests {
		tool, _ := Lookup(Default(), tt.tool)
		var s struct {
			Properties map[string]json.RawMessage `json:"properties"`
			Required   []string                   `json:"required"`
		}
		if err := json.Unmarshal(tool.InputSchema(), &s); err != nil {
			t.Fatal(err)
		}
		for _, f := range strings.Fields(tt.fields) {
			if _, ok := s.Properties[f]; !ok {
				t.Errorf("%s: missing field %s", tt.tool, f)
			}
		}
		if len(s.Properties) != len(strings.Fields(tt.fields)) {
			t.Errorf("%s: %d fields, want %s", tt.tool, len(s.Properties), tt.fields)
		}
		if got := strings.Join(s.Required, " "); got != tt.required {
			t.Errorf("%s: required %q, want %q", tt.tool, got, tt.required)
		}
	}
}

func TestDecode(t *testing.T) {
	type inner struct {
		A string `json:"a"`
		B int    `json:"b,omitempty"`
	}
	type in struct {
		S    string   `json:"s"`
		N    *int     `json:"n,omitempty" minimum:"0" maximum:"10"`
		F    float64  `json:"f,omitempty"`
		OK   bool     `json:"ok,omitempty"`
		E    string   `json:"e,omitempty" enum:"x,y"`
		L    []inner  `json:"l,omitempty" minItems:"1"`
		Tags []string `json:"tags,omitempty"`
	}
	tests := []struct {
		name  string
		input string
		err   string // substring; "" means success
		check func(in) bool
	}{
		{"minimal", `{"s":"x"}`, "", func(v in) bool { return v.S == "x" && v.N == nil }},
		{"all", `{"s":"x","n":3,"f":1.5,"ok":true,"e":"y","l":[{"a":"q","b":2}],"tags":["a"]}`, "", func(v in) bool {
			return *v.N == 3 && v.F == 1.5 && v.OK && v.E == "y" && v.L[0].B == 2 && v.Tags[0] == "a"
		}},
		{"unknown fields ignored", `{"s":"x","zzz":1}`, "", nil},
		{"quoted number", `{"s":"x","n":"7"}`, "", func(v in) bool { return *v.N == 7 }},
		{"quoted bool", `{"s":"x","ok":"true"}`, "", func(v in) bool { return v.OK }},
		{"array as string", `{"s":"x","tags":"[\"a\",\"b\"]"}`, "", func(v in) bool { return len(v.Tags) == 2 }},
		{"null optional", `{"s":"x","n":null}`, "", func(v in) bool { return v.N == nil }},
		{"missing required", `{}`, "s is required", nil},
		{"null required", `{"s":null}`, "s is required", nil},
		{"empty input", ``, "s is required", nil},
		{"wrong type string", `{"s":5}`, "s must be a string, got number 5", nil},
		{"wrong type number", `{"s":"x","n":"ten"}`, "n must be a number", nil},
		{"fraction for integer", `{"s":"x","n":1.5}`, "n must be an integer", nil},
		{"below minimum", `{"s":"x","n":-1}`, "n must be at least 0", nil},
		{"above maximum", `{"s":"x","n":11}`, "n must be at most 10", nil},
		{"bad enum", `{"s":"x","e":"z"}`, `e must be one of "x", "y"; got "z"`, nil},
		{"bad bool", `{"s":"x","ok":"maybe"}`, "ok must be a boolean", nil},
		{"not an array", `{"s":"x","l":{}}`, "l must be an array", nil},
		{"too few items", `{"s":"x","l":[]}`, "l must have at least 1 item", nil},
		{"nested required", `{"s":"x","l":[{"b":1}]}`, "l[0].a is required", nil},
		{"nested type", `{"s":"x","l":[{"a":"q","b":"x"}]}`, "l[0].b must be a number", nil},
		{"not an object", `[1,2]`, "input must be a JSON object", nil},
		{"invalid json", `{"s":`, "not valid JSON", nil},
		{"huge number", `{"s":"x","f":1e400}`, "f must be a number", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v in
			err := Decode(json.RawMessage(tt.input), &v)
			if tt.err == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if tt.check != nil && !tt.check(v) {
					t.Fatalf("decoded %+v", v)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error %v, want %q", err, tt.err)
			}
		})
	}
}

// TestBadInputNeverPanics sends malformed inputs to every tool's Target and Run.
func TestBadInputNeverPanics(t *testing.T) {
	env := newTestEnv(t)
	inputs := []string{``, `null`, `[]`, `"x"`, `42`, `{}`, `{"file_path":1}`, `{"command":["ls"]}`,
		`{"pattern":"("}`, `{"todos":"x"}`, `{"url":"ftp://x","prompt":"p"}`, `{"edits":[1]}`,
		`{"file_path":"","edits":[]}`, `{"path":null}`, `{"timeout":-5,"command":"true"}`}
	for _, tool := range Default() {
		for _, in := range inputs {
			if tool.Name() == "Bash" && strings.Contains(in, "command") {
				continue // reaches the shell; covered by the Bash tests
			}
			_, _ = tool.Target(json.RawMessage(in), env)
			r := tool.Run(context.Background(), env, json.RawMessage(in))
			if r.IsError && (len(r.Content) == 0 || r.Content[0].Type != anthropic.BlockText || r.Text() == "") {
				t.Errorf("%s(%s): error result without text", tool.Name(), in)
			}
		}
	}
}

func TestNewRecoversFromPanics(t *testing.T) {
	type in struct {
		X string `json:"x"`
	}
	tool := New("Boom", "panics", true,
		func(in, *Env) (Target, error) { panic("target boom") },
		func(context.Context, *Env, in) Result { panic("run boom") })
	if _, err := tool.Target(json.RawMessage(`{"x":"1"}`), nil); err == nil || !strings.Contains(err.Error(), "target boom") {
		t.Fatalf("Target: %v", err)
	}
	r := tool.Run(context.Background(), nil, json.RawMessage(`{"x":"1"}`))
	mustErr(t, r, "Boom: internal error: run boom")
	r = tool.Run(context.Background(), nil, json.RawMessage(`{}`))
	mustErr(t, r, "Boom: x is required")
}

func TestTargets(t *testing.T) {
	env := newTestEnv(t)
	p := filepath.Join(env.WorkDir, "a.txt")
	writeFile(t, p, "one\n")
	mustOK(t, call(t, env, "Read", map[string]any{"file_path": p}))
	tests := []struct {
		tool    string
		input   any
		kind    TargetKind
		summary string
		preview string
	}{
		{"Read", map[string]any{"file_path": "a.txt"}, TargetRead, "Read a.txt", ""},
		{"Write", map[string]any{"file_path": p, "content": "two\n"}, TargetWrite, "Write a.txt", "+two"},
		{"Write", map[string]any{"file_path": "new/b.txt", "content": "x\n"}, TargetWrite, "Create new/b.txt", "--- /dev/null"},
		{"Edit", map[string]any{"file_path": p, "old_string": "one", "new_string": "uno"}, TargetWrite, "Edit a.txt", "-one\n+uno"},
		{"MultiEdit", map[string]any{"file_path": p, "edits": []any{map[string]any{"old_string": "one", "new_string": "1"}}}, TargetWrite, "Edit a.txt", "+1"},
		{"Bash", map[string]any{"command": "ls -la", "description": "List files"}, TargetCommand, "Bash: List files", "ls -la"},
		{"Glob", map[string]any{"pattern": "**/*.go"}, TargetRead, `Glob "**/*.go" in .`, ""},
		{"Grep", map[string]any{"pattern": "x", "path": "sub"}, TargetRead, `Grep "x" in sub`, ""},
		{"LS", map[string]any{"path": env.WorkDir}, TargetRead, "List .", ""},
		{"TodoWrite", map[string]any{"todos": []any{}}, TargetNone, "Update todos (0)", ""},
		{"WebFetch", map[string]any{"url": "http://example.com/a", "prompt": "p"}, TargetFetch, "Fetch example.com/a", "https://example.com/a"},
	}
	for _, tt := range tests {
		tg, err := target(t, env, tt.tool, tt.input)
		if err != nil {
			t.Errorf("%s: %v", tt.tool, err)
			continue
		}
		if tg.Kind != tt.kind || tg.Summary != tt.summary || !strings.Contains(tg.Preview, tt.preview) {
			t.Errorf("%s: got %v %q preview %q", tt.tool, tg.Kind, tg.Summary, tg.Preview)
		}
	}
	// Target computes the preview without writing.
	if got := readFile(t, p); got != "one\n" {
		t.Fatalf("Target changed the file: %q", got)
	}
	if tg, _ := target(t, env, "WebFetch", map[string]any{"url": "http://example.com/a", "prompt": "p"}); tg.URL != "https://example.com/a" {
		t.Errorf("WebFetch target URL %q", tg.URL)
	}
	if _, err := target(t, env, "Edit", map[string]any{"file_path": p}); err == nil || err.Error() != "Edit: old_string is required" {
		t.Errorf("Edit target error: %v", err)
	}
}
