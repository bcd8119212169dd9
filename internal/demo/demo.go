// Package demo is ganban's built-in demonstration for people without AWS credentials: a
// scratch project with a bug, and an in-process Bedrock simulator scripted to find and fix
// it with the real tools, permission questions and all. Nothing leaves the machine.
package demo

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"ganban/internal/sim"
)

//go:embed scenario.json
var scenarioJSON []byte

// project is the scratch project: a greeting script with an off-by-one bug and its test.
var project = map[string]string{
	"greet.sh": `#!/bin/sh
# Prints a greeting for each name given.
for name in "$@"; do
  echo "Helo, $name!"
done
`,
	"test.sh": `#!/bin/sh
# Checks greet.sh.
out=$(sh greet.sh Ada Linus)
expected="Hello, Ada!
Hello, Linus!"
if [ "$out" = "$expected" ]; then
  echo "PASS"
else
  echo "FAIL: got:"
  echo "$out"
  exit 1
fi
`,
	"README.md": "# greet\n\nA tiny greeting script. Run `sh test.sh` to test it.\n",
}

// Demo is a running demonstration.
type Demo struct {
	// Dir is the scratch project; GanbanHome keeps the demo's sessions apart from real ones.
	Dir, GanbanHome string
	URL             string
	listener        *sim.Listener
}

// Model is the model the demo pretends to use.
const Model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"

// Start creates the scratch project under base (a temporary directory when empty) and starts
// the simulator on loopback.
func Start(base string) (*Demo, error) {
	if base == "" {
		var err error
		if base, err = os.MkdirTemp("", "ganban-demo-"); err != nil {
			return nil, err
		}
	}
	d := &Demo{Dir: filepath.Join(base, "greet"), GanbanHome: filepath.Join(base, "ganban-home")}
	if err := os.MkdirAll(d.Dir, 0o755); err != nil {
		return nil, err
	}
	for name, content := range project {
		if err := os.WriteFile(filepath.Join(d.Dir, name), []byte(content), 0o644); err != nil {
			return nil, err
		}
	}
	sc, err := sim.ParseScenario(scenarioJSON, map[string]string{"cwd": d.Dir})
	if err != nil {
		return nil, fmt.Errorf("demo scenario: %w", err)
	}
	lat, _ := sim.ParseLatency("ttft=400ms,tps=120")
	srv, err := sim.New(sim.Options{Scenario: sc, Latency: lat})
	if err != nil {
		return nil, err
	}
	if d.listener, err = sim.Listen(srv, "127.0.0.1:0", false); err != nil {
		return nil, err
	}
	d.URL = d.listener.URL
	return d, nil
}

// Env is the environment a session needs to run against the demo, as a user of the setup
// guide would configure it for a gateway. The user's own settings and AWS files are moved
// aside: the people the demo is for are often half-way through the guide, and a profile that
// does not exist yet or a model ARN from their account would stop the demo before it starts.
func (d *Demo) Env() map[string]string {
	return map[string]string{
		"CLAUDE_CODE_USE_BEDROCK":       "1",
		"AWS_REGION":                    "us-east-1",
		"ANTHROPIC_BEDROCK_BASE_URL":    d.URL,
		"CLAUDE_CODE_SKIP_BEDROCK_AUTH": "1",
		"ANTHROPIC_MODEL":               Model,
		"ANTHROPIC_DEFAULT_HAIKU_MODEL": "us.anthropic.claude-haiku-4-5-20251001-v1:0",
		"GANBAN_HOME":                   d.GanbanHome,
		"CLAUDE_CONFIG_DIR":             filepath.Join(d.GanbanHome, "claude"),
		"AWS_CONFIG_FILE":               filepath.Join(d.GanbanHome, "aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE":   filepath.Join(d.GanbanHome, "aws", "credentials"),
		"AWS_EC2_METADATA_DISABLED":     "true",
	}
}

// Foreign lists the variables of environ that would steer a session away from the demo's
// simulator or change what it does (AWS, Claude and ganban settings); the demo unsets them.
// Managed settings stay: an administrator's policy applies to the demo too.
func Foreign(environ []string) []string {
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if name == "GANBAN_MANAGED_SETTINGS" {
			continue
		}
		for _, p := range foreignPrefixes {
			if strings.HasPrefix(name, p) {
				out = append(out, name)
				break
			}
		}
	}
	return out
}

var foreignPrefixes = []string{"AWS_", "ANTHROPIC_", "CLAUDE_", "GANBAN_", "DISABLE_", "MAX_THINKING_TOKENS", "BASH_DEFAULT_TIMEOUT_MS", "BASH_MAX_"}

// Prompt is the request the demo suggests.
const Prompt = "The test fails. Find the bug in greet.sh and fix it."

// Close stops the simulator.
func (d *Demo) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return d.listener.Close(ctx)
}
