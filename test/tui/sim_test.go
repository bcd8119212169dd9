package tui

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ganban/internal/testenv"
)

// startSim runs `ganban sim` as a process of its own, as a person trying ganban would, with
// scenario and "k=v" variables, and returns its URL. It is stopped when the test ends.
func startSim(t *testing.T, scenario string, vars map[string]string, flags ...string) string {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "scenario.json")
	if err := os.WriteFile(file, []byte(scenario), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"sim", "--scenario", file}, flags...)
	for k, v := range vars {
		args = append(args, "--var", k+"="+v)
	}
	cmd := exec.Command(ganbanBin, args...)
	cmd.Env = testenv.Env(dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	first := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		first <- line
	}()
	select {
	case line := <-first:
		url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
		if !ok {
			t.Fatalf("ganban sim said %q, want \"listening on URL\"", line)
		}
		return url
	case <-time.After(waitMax):
		t.Fatal("ganban sim did not start")
	}
	return ""
}

// checkExpectations fails the test when a request to the simulator at url missed its step's
// expectations: the simulator answers such a request anyway and only reports it.
func checkExpectations(t *testing.T, url string) {
	t.Helper()
	resp, err := http.Get(url + "/_sim/report")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rep struct {
		Failures []json.RawMessage `json:"expectation_failures"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		t.Fatalf("the simulator's report: %v", err)
	}
	for _, f := range rep.Failures {
		t.Errorf("the simulator's expectations failed: %s", f)
	}
}
