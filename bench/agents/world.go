package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"ganban/bench/internal/harness"
	"ganban/internal/sim"
)

// world is one measurement's machine: a simulator, a git repository and a home per agent.
type world struct {
	dir  string
	repo string
	sim  *harness.Sim
}

// newWorld makes the directories; start runs the simulator once the scenario, which names
// paths in the repository, is built.
func newWorld(c config, name string) (*world, error) {
	dir := filepath.Join(c.work, name)
	w := &world{dir: dir, repo: filepath.Join(dir, "repo")}
	if err := os.MkdirAll(w.repo, 0o755); err != nil {
		return nil, err
	}
	if out, err := exec.Command("git", "-C", w.repo, "init", "-q").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("git init: %v %s", err, out)
	}
	return w, nil
}

func (w *world) start(opts sim.Options) error {
	s, err := harness.StartSim(opts, filepath.Join(w.dir, "requests.jsonl"))
	w.sim = s
	return err
}

func (w *world) close() {
	if w.sim != nil {
		w.sim.Close()
	}
}

// home is the agent's own home in this world, created on first use.
func (w *world) home(a harness.Agent) string {
	h := filepath.Join(w.dir, "home-"+a.Name)
	_ = os.MkdirAll(h, 0o755)
	return h
}

// env is the agent's environment in this world: the example keys plus extra.
func (w *world) env(a harness.Agent, extra ...string) []string {
	return harness.Env(w.home(a), w.sim.URL, append(harness.KeyEnv(), extra...)...)
}

// writeFiles writes small text files into the repository and returns their paths.
func (w *world) writeFiles(n int, body func(i int) string) ([]string, error) {
	var paths []string
	for i := 0; i < n; i++ {
		p := filepath.Join(w.repo, fmt.Sprintf("note%02d.txt", i))
		if err := os.WriteFile(p, []byte(body(i)), 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// section writes a result: the markdown for people and the numbers for machines.
func section(c config, name, markdown string, data any) error {
	if err := os.WriteFile(filepath.Join(c.out, name+".md"), []byte(strings.TrimSpace(markdown)+"\n"), 0o644); err != nil {
		return err
	}
	js, err := json.MarshalIndent(data, "", "  ")
	if err != nil {
		return err
	}
	fmt.Print(strings.TrimSpace(markdown) + "\n\n")
	return os.WriteFile(filepath.Join(c.out, name+".json"), js, 0o644)
}

// failed describes a run that did not end well, for an error message.
func failed(a harness.Agent, r harness.Run) error {
	tail := func(s string) string {
		if len(s) > 1500 {
			return "..." + s[len(s)-1500:]
		}
		return s
	}
	return fmt.Errorf("%s exited %d\nstdout: %s\nstderr: %s", a.Name, r.Code, tail(r.Stdout), tail(r.Stderr))
}
