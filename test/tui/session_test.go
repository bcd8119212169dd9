package tui

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	xansi "github.com/charmbracelet/x/ansi"

	"ganban/internal/testenv"
)

var screenshot = flag.String("screenshot", "", "write the screen after the approved edit to screenshot.txt and screenshot.svg in this directory (docs)")

// Documented fake credentials.
const (
	akid    = "AKIDEXAMPLE"
	secret  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	sonnet  = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
	waitMax = 30 * time.Second
)

// scenario: "rename" reads main.go, edits it and answers; the next prompt gets a long story
// that streams for a minute at the simulator's 20 tokens a second, so Esc lands mid-answer;
// the one after that (in the resumed session) a short answer.
const scenario = `{"conversations": [{"match_first_user_text": "rename", "steps": [
  {"reply": {"content": [{"type": "text", "text": "I will read **main.go** first."},
    {"type": "tool_use", "name": "Read", "input": {"file_path": "{{cwd}}/main.go"}}]}},
  {"expect": {"last_tool_result_contains": "func old()"}, "reply": {"content": [{"type": "text", "text": "Renaming the function."},
    {"type": "tool_use", "name": "Edit", "input": {"file_path": "{{cwd}}/main.go", "old_string": "func old()", "new_string": "func renamed()"}}]}},
  {"expect": {"last_tool_result_is_error": false}, "reply": {"content": [{"type": "text", "text": "Renamed the function to renamed."}]}},
  {"reply": {"content": [{"type": "text", "text": "Once upon a time {{story}} THE END OF THE STORY"}]}},
  {"expect": {"last_user_text_contains": "what did we change"}, "reply": {"content": [{"type": "text", "text": "We renamed old to renamed in main.go."}]}}]}],
 "fallback_reply": {"content": [{"type": "text", "text": "The scenario has no answer for this."}]}}`

func TestInteractiveSession(t *testing.T) {
	tt := newTerm(t, 120, 40)
	home, repo := t.TempDir(), t.TempDir()
	mainGo := filepath.Join(repo, "main.go")
	if err := os.WriteFile(mainGo, []byte("package main\n\nfunc old() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	story := strings.Repeat("the answer goes on and on, sentence after sentence. ", 80)
	url := startSim(t, scenario, map[string]string{"cwd": repo, "story": story}, "--latency", "tps=20")
	env := testenv.Env(home,
		"TERM=xterm-256color", "AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID="+akid, "AWS_SECRET_ACCESS_KEY="+secret,
		"ANTHROPIC_BEDROCK_BASE_URL="+url, "ANTHROPIC_MODEL="+sonnet,
		"AWS_CONFIG_FILE="+filepath.Join(home, ".aws", "config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, ".aws", "credentials"))
	env = replaceEnv(env, "TERM=xterm-256color")

	// A new session: type a prompt, approve the edit, see the diff and the cost.
	tt.start("one", repo, env, ganbanBin)
	tt.waitFor("one", waitMax, "Ask anything", "Claude Sonnet 4.5")
	tt.typeText("one", "please rename old")
	tt.keys("one", "Enter")
	dialog := tt.waitFor("one", waitMax, "Make this change?", "1. Yes")
	for _, want := range []string{"-func old() {}", "+func renamed() {}", "always allow"} {
		if !strings.Contains(dialog, want) {
			t.Errorf("the permission dialog lacks %q:\n%s", want, dialog)
		}
	}
	// The dialog ignores answers in its first 400 ms (keys typed ahead for the prompt).
	time.Sleep(500 * time.Millisecond)
	tt.keys("one", "Enter")
	done := tt.waitFor("one", waitMax, "Renamed the function to renamed.", "Edited main.go (+1 -1)", "+func renamed() {}", "-func old() {}")
	if cost := regexp.MustCompile(`\$0\.\d{4}`).FindString(lastLine(done)); cost == "" || cost == "$0.0000" {
		t.Errorf("the status line shows no cost: %q", lastLine(done))
	}
	// The README's screenshot is this screen: regenerated with -screenshot, checked otherwise.
	text, capture := screenshotOf(tt, "one", repo)
	if *screenshot != "" {
		writeScreenshot(t, *screenshot, text, capture, tt.w, tt.h)
	} else if want, err := os.ReadFile("../../docs/screenshot.txt"); err != nil || string(want) != text {
		t.Errorf("docs/screenshot.txt is not this screen any more; regenerate it and the SVG with\n"+
			"  go test ./test/tui -run TestInteractiveSession -args -screenshot=$PWD/docs\nthe screen now:\n%s", text)
	}

	// A long answer, interrupted with Esc: what was said stays, the rest never comes.
	tt.typeText("one", "tell me a story")
	tt.keys("one", "Enter")
	tt.waitFor("one", waitMax, "Once upon a time", "esc to interrupt")
	// Resizing while it streams leaves a whole screen at each size.
	for _, sz := range [][2]int{{80, 24}, {60, 15}, {120, 40}} {
		tt.resize("one", sz[0], sz[1])
		checkWholeScreen(t, tt, "one", sz[0], sz[1])
	}
	tt.keys("one", "Escape")
	after := tt.waitFor("one", waitMax, "Interrupted.")
	if strings.Contains(after, "THE END OF THE STORY") {
		t.Errorf("the story finished despite Esc:\n%s", after)
	}

	// Ctrl+C twice exits.
	tt.keys("one", "C-c")
	tt.keys("one", "C-c")
	tt.waitFor("one", waitMax, "GANBAN_EXIT=0")

	// Resume: the history is shown, and the conversation goes on.
	tt.start("two", repo, env, ganbanBin, "-c")
	tt.waitFor("two", waitMax, "Resumed", "please rename old", "Renamed the function to renamed.", "tell me a story", "Once upon a time")
	// The prompt history goes across sessions: Up brings back the last one, Down the empty input.
	tt.keys("two", "Up")
	tt.waitFor("two", waitMax, "> tell me a story")
	tt.keys("two", "Down")
	tt.waitFor("two", waitMax, "> Ask anything")
	tt.typeText("two", "what did we change?")
	tt.keys("two", "Enter")
	tt.waitFor("two", waitMax, "We renamed old to renamed in main.go.")
	tt.keys("two", "C-c")
	tt.keys("two", "C-c")
	tt.waitFor("two", waitMax, "GANBAN_EXIT=0")
	checkExpectations(t, url)

	// The files: the edit, the transcript, the prompt history.
	if data, _ := os.ReadFile(mainGo); string(data) != "package main\n\nfunc renamed() {}\n" {
		t.Errorf("main.go = %q", data)
	}
	transcripts, _ := filepath.Glob(filepath.Join(home, ".ganban", "projects", "*", "*.jsonl"))
	if len(transcripts) != 1 {
		t.Fatalf("transcripts = %v, want one session", transcripts)
	}
	data, _ := os.ReadFile(transcripts[0])
	for _, want := range []string{"please rename old", "Renamed the function to renamed.", "tell me a story", `"stop_reason":"interrupted"`, "We renamed old to renamed in main.go."} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the transcript lacks %q", want)
		}
	}
	hist, _ := os.ReadFile(filepath.Join(home, ".ganban", "history.jsonl"))
	if !strings.Contains(string(hist), "please rename old") || strings.Contains(string(hist), secret) {
		t.Errorf("history.jsonl = %s", hist)
	}
}

// screenshotOf captures the finished answer with its colours, the working directory shown
// as ~/shop, and the same capture as plain text.
func screenshotOf(tt *term, name, repo string) (text, capture string) {
	tt.t.Helper()
	tt.waitGone(name, "esc to interrupt")
	capture = strings.ReplaceAll(tt.screenColor(name), repo, "~/shop")
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(capture, "\n"), "\n") {
		lines = append(lines, strings.TrimRight(xansi.Strip(l), " "))
	}
	return strings.Join(lines, "\n") + "\n", capture
}

// writeScreenshot writes the capture as text (for the README's text block) and as an SVG
// image, both from the one capture.
func writeScreenshot(t *testing.T, dir, text, capture string, w, h int) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "screenshot.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "screenshot.svg"), []byte(ansiToSVG(capture, w, h)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkWholeScreen waits for the screen to be redrawn at w x h, then checks that it is one
// screen: one status line, at the bottom, one working line and one input line, nothing left
// over from the size before.
func checkWholeScreen(t *testing.T, tt *term, name string, w, h int) {
	t.Helper()
	var s string
	deadline := time.Now().Add(waitMax)
	for {
		s = tt.screen(name)
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		rule := strings.Repeat("─", w)
		// A scrolling region left at the old height would spoil the frames that follow.
		region, _ := tt.tmux("display-message", "-p", "-t", name, "#{scroll_region_upper}-#{scroll_region_lower}")
		if len(lines) == h && strings.HasPrefix(lines[len(lines)-1], "Claude Sonnet 4.5") && lines[h-3] == rule &&
			strings.TrimSpace(region) == "0-"+itoa(h-1) {
			break
		}
		if time.Now().After(deadline) {
			pane, _ := tt.tmux("display-message", "-p", "-t", name, "#{pane_width}x#{pane_height}, scrolling region #{scroll_region_upper}-#{scroll_region_lower}")
			t.Fatalf("at %dx%d the screen was not redrawn to fit (pane %s):\n%s", w, h, strings.TrimSpace(pane), s)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, once := range []string{"Claude Sonnet 4.5 ·", "esc to interrupt", "> Ask anything", "\n──────────"} {
		if n := strings.Count(s, once); n != 1 {
			t.Errorf("at %dx%d the screen shows %q %d times:\n%s", w, h, once, n, s)
		}
	}
}

func lastLine(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	return lines[len(lines)-1]
}

// replaceEnv sets kv in env, replacing an earlier value of the same name.
func replaceEnv(env []string, kv string) []string {
	name, _, _ := strings.Cut(kv, "=")
	out := env[:0:0]
	for _, e := range env {
		if !strings.HasPrefix(e, name+"=") {
			out = append(out, e)
		}
	}
	return append(out, kv)
}
