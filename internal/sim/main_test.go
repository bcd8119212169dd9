package sim_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"ganban/internal/testenv"
)

func TestMain(m *testing.M) {
	keepGoCaches()
	testenv.Main(m)
}

// keepGoCaches pins the Go build and module caches before testenv moves HOME: the tests that
// build cmd/ganban would otherwise start from empty caches under the throw-away HOME and
// download and compile every dependency again, a minute or more.
func keepGoCaches() {
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS").Output()
	if err != nil {
		return
	}
	vals := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	for i, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS"} {
		if i < len(vals) && vals[i] != "" {
			os.Setenv(k, vals[i])
		}
	}
}
