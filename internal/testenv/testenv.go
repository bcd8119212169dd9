// Package testenv makes a test binary hermetic: a throw-away HOME, no AWS, Anthropic, Claude
// or ganban settings inherited from the developer's shell, and the EC2 instance-metadata
// endpoint disabled, so that no test reads a real ~/.aws or ~/.claude or probes the network.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// inheritedPrefixes are the environment variables a test must never inherit.
var inheritedPrefixes = []string{"AWS_", "ANTHROPIC_", "CLAUDE_", "GANBAN_", "DISABLE_", "MAX_THINKING_", "API_TIMEOUT_MS"}

// Main is a TestMain body: it isolates the process environment, runs the tests and removes
// the temporary HOME.
func Main(m *testing.M) { run(m, "") }

// MainWithGanban is Main for tests that run the real binary: it first builds cmd/ganban
// (with the developer's Go caches, before they are isolated away) into a temporary
// directory, sets *bin to its path, and removes it afterwards.
func MainWithGanban(m *testing.M, bin *string) {
	dir, err := os.MkdirTemp("", "ganban-bin-")
	if err != nil {
		fail(err, "")
	}
	*bin = filepath.Join(dir, "ganban")
	if out, err := exec.Command("go", "build", "-o", *bin, "ganban/cmd/ganban").CombinedOutput(); err != nil {
		fail(fmt.Errorf("build ganban: %w\n%s", err, out), dir)
	}
	run(m, dir)
}

// run isolates, runs the tests and exits, removing the temporary HOME and extra, if any.
func run(m *testing.M, extra string) {
	home, err := Isolate()
	if err != nil {
		fail(err, extra)
	}
	code := m.Run()
	os.RemoveAll(home)
	if extra != "" {
		os.RemoveAll(extra)
	}
	os.Exit(code)
}

func fail(err error, dir string) {
	fmt.Fprintln(os.Stderr, "testenv:", err)
	if dir != "" {
		os.RemoveAll(dir)
	}
	os.Exit(2)
}

// Isolate applies the hermetic environment to this process and returns the new HOME.
func Isolate() (string, error) {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		for _, p := range inheritedPrefixes {
			if strings.HasPrefix(name, p) {
				os.Unsetenv(name)
			}
		}
	}
	for _, v := range []string{"HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy", "NO_PROXY", "no_proxy"} {
		os.Unsetenv(v)
	}
	home, err := os.MkdirTemp("", "ganban-test-home-")
	if err != nil {
		return "", err
	}
	setHome(os.Setenv, home)
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return home, nil
}

// SetHome points HOME at dir for one test, together with the AWS shared-file variables: the
// AWS SDK resolves its default ~/.aws paths once, at package initialisation, so moving HOME
// alone would leave it reading the old files.
func SetHome(t testing.TB, dir string) {
	setHome(func(k, v string) error { t.Setenv(k, v); return nil }, dir)
}

func setHome(set func(k, v string) error, dir string) {
	_ = set("HOME", dir)
	_ = set("AWS_CONFIG_FILE", filepath.Join(dir, ".aws", "config"))
	_ = set("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, ".aws", "credentials"))
}

// Env returns a minimal hermetic environment for a subprocess: PATH, the given HOME, the
// Go caches (so `go` keeps working), metadata disabled, plus extra "K=V" entries.
func Env(home string, extra ...string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"AWS_EC2_METADATA_DISABLED=true",
		"TERM=dumb",
		"LANG=C.UTF-8",
	}
	for _, k := range []string{"GOPATH", "GOMODCACHE", "GOCACHE", "GOFLAGS", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return append(env, extra...)
}
