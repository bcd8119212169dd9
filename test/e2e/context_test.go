package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestSystemPromptCarriesTheEnvironmentAndMemory: the system prompt the model receives names
// the working directory, platform, date, model and git status, and holds the memory files from
// the user's ~/.claude, every directory from the working one up to the repository root
// (CLAUDE.md, .claude/CLAUDE.md, CLAUDE.local.md, AGENTS.md) and their @imports, and nothing
// from directories off that path.
func TestSystemPromptCarriesTheEnvironmentAndMemory(t *testing.T) {
	day := time.Now().Format("2006-01-02")
	wants := []string{
		"Working directory: {{cwd}}/pkg/sub\n",
		"Platform: " + runtime.GOOS + "/" + runtime.GOARCH + "\n",
		"Today's date: " + day + "\n",
		"Model: " + sonnet45 + "\n",
		"Git status (at session start):\n## ",
		"tracked.txt",
		"USER-MEMORY-1", "ROOT-MEMORY-2", "IMPORTED-MEMORY-3", "DOTCLAUDE-MEMORY-4", "LOCAL-MEMORY-5",
		"AGENTS-MEMORY-6", "PKG-MEMORY-7", "SUB-MEMORY-8",
	}
	// One step per expectation: each request must show them all, and the simulator checks one
	// text per step.
	var steps []string
	for _, want := range wants {
		expect, _ := json.Marshal(map[string]any{"system_contains": want, "system_excludes": "OFF-PATH-MEMORY"})
		steps = append(steps, `{"expect": `+string(expect)+`, "reply": {"content": [{"type": "tool_use", "name": "LS", "input": {"path": "{{cwd}}"}}]}}`)
	}
	steps = append(steps, `{"reply": {"content": [{"type": "text", "text": "seen"}]}}`)
	w := newWorld(t, worldOpts{scenario: `{"conversations": [{"match_first_user_text": "context", "steps": [` + strings.Join(steps, ",") + `]}]}`})
	sub := filepath.Join(w.Repo, "pkg", "sub")
	w.write(filepath.Join(w.Repo, "tracked.txt"), "one\n")
	w.git("add", "tracked.txt")
	w.git("-c", "user.name=e2e", "-c", "user.email=e2e@example.com", "commit", "-q", "-m", "first")
	w.write(filepath.Join(w.Repo, "tracked.txt"), "two\n")
	w.write(filepath.Join(w.Home, ".claude", "CLAUDE.md"), "USER-MEMORY-1")
	w.write(filepath.Join(w.Repo, "CLAUDE.md"), "ROOT-MEMORY-2, and see @docs/style.md")
	w.write(filepath.Join(w.Repo, "docs", "style.md"), "IMPORTED-MEMORY-3")
	w.write(filepath.Join(w.Repo, ".claude", "CLAUDE.md"), "DOTCLAUDE-MEMORY-4")
	w.write(filepath.Join(w.Repo, "CLAUDE.local.md"), "LOCAL-MEMORY-5")
	w.write(filepath.Join(w.Repo, "AGENTS.md"), "AGENTS-MEMORY-6")
	w.write(filepath.Join(w.Repo, "pkg", "CLAUDE.md"), "PKG-MEMORY-7")
	w.write(filepath.Join(sub, "CLAUDE.md"), "SUB-MEMORY-8")
	w.write(filepath.Join(w.Repo, "other", "CLAUDE.md"), "OFF-PATH-MEMORY")
	w.keys()
	w.env["ANTHROPIC_MODEL"] = sonnet45
	r := w.ganbanIn(sub, nil, "-p", "what is your context?")
	defer w.dumpOnFailure(r)
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != "seen" {
		t.Fatalf("exit %d stdout %q", r.Code, r.Stdout)
	}
	rep := w.Sim.Report()
	if rep.StepsServed != int64(len(steps)) {
		t.Errorf("%d steps served, want %d", rep.StepsServed, len(steps))
	}
	for _, f := range rep.ExpectationFailures {
		if time.Now().Format("2006-01-02") != day && strings.Contains(f.Failure, "Today's date") {
			continue // the run crossed midnight
		}
		t.Errorf("expectation: %v", f)
	}
}

// TestSettingsEnvBlockReachesCommands: the env block of the settings files is the environment
// Bash commands run in, above the shell's own variables, the project file above the user's.
func TestSettingsEnvBlockReachesCommands(t *testing.T) {
	w := newWorld(t, worldOpts{scenario: `{"conversations": [{"match_first_user_text": "env", "steps": [
	  {"reply": {"content": [{"type": "tool_use", "name": "Bash", "input": {"command": "printf '%s|%s|%s' \"$E2E_FROM_USER\" \"$E2E_FROM_PROJECT\" \"$E2E_SHELL_ONLY\" > vars.txt", "description": "save vars"}}]}},
	  {"reply": {"content": [{"type": "text", "text": "saved"}]}}]}]}`})
	w.keys()
	w.env["ANTHROPIC_MODEL"] = sonnet45
	w.env["E2E_FROM_PROJECT"] = "from-shell"
	w.env["E2E_SHELL_ONLY"] = "shell-kept"
	w.write(filepath.Join(w.Home, ".claude", "settings.json"), `{"env": {"E2E_FROM_USER": "user-file", "E2E_FROM_PROJECT": "user-file"}}`)
	w.write(filepath.Join(w.Repo, ".claude", "settings.json"), `{"env": {"E2E_FROM_PROJECT": "project-file"}}`)
	r := w.ganban("-p", "save the env", "--allowedTools", "Bash", "Edit")
	defer w.dumpOnFailure(r)
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != "saved" {
		t.Fatalf("exit %d stdout %q", r.Code, r.Stdout)
	}
	data, err := os.ReadFile(filepath.Join(w.Repo, "vars.txt"))
	if err != nil || string(data) != "user-file|project-file|shell-kept" {
		t.Errorf("vars.txt = %q (%v), want user-file|project-file|shell-kept", data, err)
	}
}
