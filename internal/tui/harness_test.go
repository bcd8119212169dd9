package tui

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	xansi "github.com/charmbracelet/x/ansi"

	"ganban/internal/agent"
	"ganban/internal/anthropic"
	"ganban/internal/catalog"
	"ganban/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sizes are the terminal sizes every golden view is rendered at.
var sizes = []struct{ w, h int }{{80, 24}, {160, 48}}

// epoch is the fixed clock of the tests: no golden file depends on the time.
var epoch = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// fakeEngine records prompts and answers each with a Result once released.
type fakeEngine struct {
	mu      sync.Mutex
	prompts []string
	rewinds int
	// compactions are the instructions of each Compact call.
	compactions []string
	run         func(ctx context.Context, prompt []anthropic.Block) agent.Result
	compact     func(ctx context.Context) error
}

func (f *fakeEngine) Run(ctx context.Context, prompt []anthropic.Block) agent.Result {
	f.mu.Lock()
	f.prompts = append(f.prompts, anthropic.PlainText(prompt))
	run := f.run
	f.mu.Unlock()
	if run != nil {
		return run(ctx, prompt)
	}
	return agent.Result{Subtype: agent.Success}
}

func (f *fakeEngine) Compact(ctx context.Context, instructions string) error {
	f.mu.Lock()
	f.compactions = append(f.compactions, instructions)
	f.mu.Unlock()
	if f.compact != nil {
		return f.compact(ctx)
	}
	return nil
}
func (f *fakeEngine) Totals() (catalog.Tokens, float64) { return catalog.Tokens{}, 0 }

// Rewind takes back the last prompt, as the agent does.
func (f *fakeEngine) Rewind() (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.prompts) == 0 {
		return "", agent.ErrNothingToRewind
	}
	last := f.prompts[len(f.prompts)-1]
	f.prompts = f.prompts[:len(f.prompts)-1]
	f.rewinds++
	return last, nil
}

func (f *fakeEngine) got() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.prompts...)
}

// testModel is a Model at a fixed size, clock and session, whose posted messages are
// collected for the test to deliver.
type testModel struct {
	*Model
	t      testing.TB
	eng    *fakeEngine
	posted chan tea.Msg
	// elapsed is how far the Model's clock has moved from epoch (advance).
	elapsed *time.Duration
}

func newTestModel(t testing.TB, w, h int) *testModel {
	t.Helper()
	posted := make(chan tea.Msg, 1024)
	elapsed := new(time.Duration)
	m := newModel(config{ctx: context.Background(), post: func(msg tea.Msg) { posted <- msg }, now: func() time.Time { return epoch.Add(*elapsed) }, dark: true})
	eng := &fakeEngine{}
	m.eng = eng
	m.info = info{Model: "Claude Sonnet 4.5", ModelID: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", Region: "us-east-1",
		RegionSource: "AWS_REGION", SessionID: "0b9c2c1e-5f0e-4d0e-9a7c-2f1d3c4b5a69", WorkDir: "/home/dev/shop",
		Mode: "default", ContextLimit: 200000, SystemTokens: 2900, ToolTokens: 5100, Version: "0.1.0"}
	tm := &testModel{Model: m, t: t, eng: eng, posted: posted, elapsed: elapsed}
	tm.send(tea.WindowSizeMsg{Width: w, Height: h})
	t.Cleanup(func() { m.cancel(); m.work.Wait() })
	return tm
}

// send delivers messages as the event loop would.
func (tm *testModel) send(msgs ...tea.Msg) {
	for _, msg := range msgs {
		tm.Update(msg)
	}
}

// advance moves the Model's clock forward.
func (tm *testModel) advance(d time.Duration) { *tm.elapsed += d }

// keys types text and named keys ("enter", "esc", "ctrl+c").
func (tm *testModel) keys(ks ...string) {
	for _, k := range ks {
		tm.send(keyMsg(k))
	}
}

func (tm *testModel) typeText(s string) {
	for _, r := range s {
		tm.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// drain delivers what the Model's goroutines posted, waiting up to d for at least one.
func (tm *testModel) drain(d time.Duration) {
	timeout := time.After(d)
	for {
		select {
		case msg := <-tm.posted:
			tm.send(msg)
			for {
				select {
				case msg := <-tm.posted:
					tm.send(msg)
				default:
					return
				}
			}
		case <-timeout:
			return
		}
	}
}

// screen is the view without styling, trailing spaces trimmed: what a person reads.
func (tm *testModel) screen() string {
	return plain(tm.View().Content)
}

func plain(s string) string {
	lines := strings.Split(xansi.Strip(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

func keyMsg(k string) tea.KeyPressMsg {
	named := map[string]tea.KeyPressMsg{
		"enter":       {Code: tea.KeyEnter},
		"shift+enter": {Code: tea.KeyEnter, Mod: tea.ModShift},
		"esc":         {Code: tea.KeyEscape},
		"tab":         {Code: tea.KeyTab},
		"shift+tab":   {Code: tea.KeyTab, Mod: tea.ModShift},
		"up":          {Code: tea.KeyUp},
		"down":        {Code: tea.KeyDown},
		"pgup":        {Code: tea.KeyPgUp},
		"pgdown":      {Code: tea.KeyPgDown},
		"backspace":   {Code: tea.KeyBackspace},
		"ctrl+c":      {Code: 'c', Mod: tea.ModCtrl},
		"ctrl+r":      {Code: 'r', Mod: tea.ModCtrl},
		"ctrl+f":      {Code: 'f', Mod: tea.ModCtrl},
		"ctrl+o":      {Code: 'o', Mod: tea.ModCtrl},
		"ctrl+p":      {Code: 'p', Mod: tea.ModCtrl},
	}
	if k, ok := named[k]; ok {
		return k
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// checkGolden compares got with testdata/name.golden, or rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/tui -run %s -update to create it)", err, t.Name())
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
