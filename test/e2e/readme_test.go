package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"ganban/internal/testenv"
)

const readmeMarker = "<!-- the next block is run by test/e2e/readme_test.go -->"

// TestREADMEHeadlessExample runs the README's headless example as the shell script it shows,
// with the ganban under test, and compares what it prints with what the README says it prints,
// so the example stays a real one. Only what differs from run to run is let through: retry
// delays, and the values (not the fields) of durations, IDs, usage and cost.
func TestREADMEHeadlessExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, found := strings.Cut(string(readme), readmeMarker+"\n```sh\n")
	block, _, closed := strings.Cut(block, "```\n")
	if !found || !closed {
		t.Fatalf("README.md has no shell block after %q", readmeMarker)
	}
	port := freePort(t)
	block = strings.ReplaceAll(block, "8787", port)

	// The script echoes each command as the README shows it, then runs it; after a command
	// put in the background, it waits for the simulator to listen.
	base := t.TempDir()
	if err := os.Symlink(filepath.Join(mustAbs(t, "../../examples")), filepath.Join(base, "examples")); err != nil {
		t.Fatal(err)
	}
	script := "exec 2>&1\n"
	var want []string
	for _, line := range strings.Split(strings.TrimSuffix(block, "\n"), "\n") {
		cmd, isCmd := strings.CutPrefix(line, "$ ")
		if !isCmd {
			want = append(want, line)
			continue
		}
		want = append(want, line)
		script += fmt.Sprintf("echo %s\n%s\n", shellQuote(line), cmd)
		if strings.HasSuffix(cmd, "&") {
			script += "for i in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/" + port + ") 2>/dev/null && break; sleep 0.05; done\n"
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sh := exec.CommandContext(ctx, "bash", "-c", script)
	sh.Dir = base
	sh.Env = testenv.Env(t.TempDir(), "PATH="+filepath.Dir(ganbanBin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := sh.CombinedOutput()
	if err != nil {
		t.Fatalf("the README's example failed: %v\n%s", err, out)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	// What the simulator prints when it stops comes after the last command.
	for i, l := range got {
		if l == want[len(want)-1] {
			got = got[:i+1]
			break
		}
	}
	if len(got) != len(want) {
		t.Fatalf("the example printed %d lines, the README shows %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	delay := regexp.MustCompile(`retrying in [0-9.]+m?s`)
	for i := range want {
		g, w := delay.ReplaceAllString(got[i], "retrying in D"), delay.ReplaceAllString(want[i], "retrying in D")
		if strings.HasPrefix(w, "{") {
			compareResult(t, g, w)
			continue
		}
		if g != w {
			t.Errorf("line %d: got %q, the README shows %q", i+1, got[i], want[i])
		}
	}
}

// compareResult compares two result lines: the same fields, the same values where a run
// decides them.
func compareResult(t *testing.T, got, want string) {
	t.Helper()
	var g, w map[string]any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("not a JSON result: %s", got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("the README's result is not JSON: %s", want)
	}
	keys := func(m map[string]any) string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return strings.Join(ks, ",")
	}
	if keys(g) != keys(w) {
		t.Errorf("result fields %s, the README shows %s", keys(g), keys(w))
	}
	gu, _ := g["usage"].(map[string]any)
	wu, _ := w["usage"].(map[string]any)
	if keys(gu) != keys(wu) {
		t.Errorf("usage fields %s, the README shows %s", keys(gu), keys(wu))
	}
	for _, k := range []string{"type", "subtype", "is_error", "result", "num_turns", "permission_denials"} {
		if fmt.Sprint(g[k]) != fmt.Sprint(w[k]) {
			t.Errorf("%s = %v, the README shows %v", k, g[k], w[k])
		}
	}
	if c, _ := g["total_cost_usd"].(float64); c <= 0 {
		t.Errorf("total_cost_usd = %v", g["total_cost_usd"])
	}
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

func mustAbs(t *testing.T, p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
