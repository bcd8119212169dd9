package tui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"ganban/internal/bootstrap"
	"ganban/internal/sim"
	"ganban/internal/sim/simtest"
)

// Documented fake credentials for sessions against the simulator.
const (
	fakeKeyID  = "AKIDEXAMPLE"
	fakeSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	simModel   = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
)

// liveModel is a testModel with a real runtime and session: settings, credentials, the
// Bedrock client and the agent, against a simulator playing scenario, in a temporary home
// and working directory. Commands that need a session (/status, /model, ...) run for real.
type liveModel struct {
	*testModel
	sim       *simtest.Sim
	home, dir string
}

// liveConfig tunes newLiveModel: the simulator's scenario (with {{cwd}} the working
// directory) and latency, and more "K=V" for the session's environment.
type liveConfig struct {
	scenario string
	latency  sim.Latency
	env      []string
	// simOpts changes the simulator's options (an auth file, faults).
	simOpts func(*sim.Options)
	// fileCreds takes the credentials from ~/.aws/credentials, which a test writes, instead
	// of the environment: a refresh can replace a file, not the process's variables.
	fileCreds bool
	// homeFiles are written under the home directory before the session starts, with
	// {{home}} replaced by its path.
	homeFiles map[string]string
	// dirFiles are written under the working directory the same way.
	dirFiles map[string]string
	// home and dir reuse another live model's, to open its sessions again; resume and pick
	// are -r ID and -r without one.
	home, dir string
	resume    string
	pick      bool
	// askTrust expects the trust question for dirFiles' settings instead of a session.
	askTrust bool
}

func newLiveModel(t *testing.T, c liveConfig) *liveModel {
	t.Helper()
	home, dir := c.home, c.dir
	if home == "" {
		home, dir = t.TempDir(), t.TempDir()
	}
	for root, files := range map[string]map[string]string{home: c.homeFiles, dir: c.dirFiles} {
		for name, content := range files {
			path := filepath.Join(root, name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(strings.ReplaceAll(content, "{{home}}", home)), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	opts := sim.Options{Latency: c.latency}
	if c.scenario != "" {
		sc, err := sim.ParseScenario([]byte(c.scenario), map[string]string{"cwd": dir})
		if err != nil {
			t.Fatal(err)
		}
		opts.Scenario = sc
	}
	if c.simOpts != nil {
		c.simOpts(&opts)
	}
	s := simtest.Start(t, opts)
	// The AWS SDK reads the process environment for its default chain.
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(home, ".aws", "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, ".aws", "credentials"))
	environ := []string{"HOME=" + home, "AWS_REGION=us-east-1", "ANTHROPIC_BEDROCK_BASE_URL=" + s.URL, "ANTHROPIC_MODEL=" + simModel,
		"AWS_EC2_METADATA_DISABLED=true", "PATH=/usr/bin:/bin"}
	if c.fileCreds {
		for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"} {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	} else {
		t.Setenv("AWS_ACCESS_KEY_ID", fakeKeyID)
		t.Setenv("AWS_SECRET_ACCESS_KEY", fakeSecret)
		environ = append(environ, "AWS_ACCESS_KEY_ID="+fakeKeyID, "AWS_SECRET_ACCESS_KEY="+fakeSecret)
	}
	environ = append(environ, c.env...)
	tm := newTestModel(t, 100, 30)
	br := newBridge()
	br.start(func(msg tea.Msg) { tm.posted <- msg })
	// Everything goes through the bridge, as in Run: a run's end must not overtake its events.
	tm.post = br.post
	tm.live = &live{br: br, opts: Options{Version: "test", Resume: c.resume, PickResume: c.pick, Boot: bootstrap.Options{
		WorkDir: dir, Home: home, Environ: environ, Notify: br.notify, RefreshOutput: br}}}
	tm.eng = nil
	tm.Model.eng = nil
	t.Cleanup(func() { tm.cancel(); tm.work.Wait(); tm.live.closeAll(); br.stop() })
	tm.send(tm.live.bootCmd(tm.ctx)())
	if c.askTrust {
		if tm.trust == nil {
			t.Fatalf("no trust question for the folder's settings:\n%s", tm.screen())
		}
	} else if tm.setup != nil || (tm.Model.eng == nil && !c.pick) {
		t.Fatalf("the session did not start: %v\n%s", tm.setup.err, tm.screen())
	}
	return &liveModel{testModel: tm, sim: s, home: home, dir: dir}
}

// run executes a command's tea.Cmd as the event loop would and delivers its message.
func (tm *testModel) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	if msg := cmd(); msg != nil {
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				tm.run(c)
			}
			return
		}
		tm.send(msg)
	}
}

// submit types line, presses Enter, runs what it started and waits until want shows.
func (lm *liveModel) submit(line string, want ...string) string {
	lm.t.Helper()
	lm.typeText(line)
	lm.run(lm.key(keyMsg("enter")))
	return lm.waitFor(want...)
}

// waitFor delivers posted messages until the screen shows every one of wants.
func (tm *testModel) waitFor(wants ...string) string {
	tm.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := tm.screen()
		missing := ""
		for _, w := range wants {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("the screen did not show %q:\n%s", missing, s)
		}
		tm.drain(50 * time.Millisecond)
	}
}

// idle waits until the answer in progress has ended.
func (tm *testModel) idle() {
	tm.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for tm.running || tm.busy != "" {
		if time.Now().After(deadline) {
			tm.t.Fatalf("still working:\n%s", tm.screen())
		}
		tm.drain(50 * time.Millisecond)
	}
}

// renameScenario reads main.go, edits it and answers.
const renameScenario = `{"conversations": [{"match_first_user_text": "rename", "steps": [
  {"reply": {"content": [{"type": "text", "text": "Reading."},
    {"type": "tool_use", "name": "Read", "input": {"file_path": "{{cwd}}/main.go"}}]}},
  {"reply": {"content": [{"type": "text", "text": "Renaming."},
    {"type": "tool_use", "name": "Edit", "input": {"file_path": "{{cwd}}/main.go", "old_string": "func old()", "new_string": "func renamed()"}}]}},
  {"reply": {"content": [{"type": "text", "text": "Renamed the function."}]}}]}]}`

// rename runs renameScenario to its end, allowing the edit with the dialog's first option.
func (lm *liveModel) rename() string {
	lm.t.Helper()
	if err := os.WriteFile(filepath.Join(lm.dir, "main.go"), []byte("package main\n\nfunc old() {}\n"), 0o644); err != nil {
		lm.t.Fatal(err)
	}
	lm.submit("please rename old", "Make this change?")
	lm.advance(answerGuard)
	lm.keys("enter")
	s := lm.waitFor("Renamed the function.", "Edited main.go (+1 -1)", "+func renamed() {}")
	lm.idle()
	return s
}

// TestEscCancelsModelList: /model probes every model of the region, slowly here; its line
// says which one it is at, and Esc stops it.
func TestEscCancelsModelList(t *testing.T) {
	lm := newLiveModel(t, liveConfig{latency: sim.Latency{TTFT: 2 * time.Second}})
	lm.typeText("/model")
	cmd := lm.key(keyMsg("enter"))
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	lm.waitFor("checking which models answer: 1 of", "esc to cancel")
	start := time.Now()
	lm.keys("esc")
	select {
	case msg := <-done:
		lm.send(msg)
	case <-time.After(5 * time.Second):
		t.Fatal("/model went on probing after Esc")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("/model took %s to stop", d)
	}
	if s := lm.screen(); !strings.Contains(s, "/model cancelled.") || lm.busy != "" || lm.picker != nil {
		t.Errorf("after Esc:\n%s", s)
	}
}

// TestInterruptedAnswerIsBilled: Esc in a long answer stops it, and the status line shows
// what the request cost so far, not $0.
func TestInterruptedAnswerIsBilled(t *testing.T) {
	story := strings.Repeat("the story goes on and on. ", 200)
	lm := newLiveModel(t, liveConfig{latency: sim.Latency{TPS: 50},
		scenario: `{"fallback_reply": {"content": [{"type": "text", "text": "Once upon a time ` + story + `"}]}}`})
	lm.submit("tell me a story", "Once upon a time", "the story goes on")
	lm.keys("esc")
	s := lm.waitFor("Interrupted.")
	lm.idle()
	if cost := regexp.MustCompile(`\$\d+\.\d{4}`).FindString(lastLine(s)); cost == "" || cost == "$0.0000" {
		t.Errorf("the status line shows no cost for the interrupted answer: %q", lastLine(s))
	}
}

// TestPermissionsAddAppliesNow: a deny rule added with /permissions refuses the next call
// of this session, and /config shows the rules as the file holds them now.
func TestPermissionsAddAppliesNow(t *testing.T) {
	lm := newLiveModel(t, liveConfig{scenario: `{"conversations": [{"match_first_user_text": "clean", "steps": [
  {"reply": {"content": [{"type": "tool_use", "name": "Bash", "input": {"command": "rm -f build.log", "description": "Remove the log"}}]}},
  {"reply": {"content": [{"type": "text", "text": "I was not allowed to."}]}}]}]}`})
	lm.submit("/permissions add deny Bash(rm:*)", "Added Bash(rm:*) to permissions.deny", "It applies now.")
	lm.submit("/config", "permissions.deny", "Bash(rm:*)")
	lm.submit("please clean up", "I was not allowed to.")
	if lm.dialog != nil {
		t.Fatal("a permission dialog opened for a denied command")
	}
	if s := lm.screen(); !strings.Contains(s, "✗ Bash: rm -f build.log") || !strings.Contains(s, "denied:") {
		t.Errorf("the call was not refused by the new rule:\n%s", s)
	}
}
