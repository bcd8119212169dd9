// Package e2e drives the real ganban binary against the Bedrock simulator on loopback: each
// credential path of the setup guide, the region and model rules, print mode's outputs, and
// the doctor, models and iam-policy commands.
package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"ganban/internal/testenv"
)

var ganbanBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ganban-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ganbanBin = filepath.Join(dir, "ganban")
	if out, err := exec.Command("go", "build", "-o", ganbanBin, "ganban/cmd/ganban").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build ganban: %v\n%s", err, out)
		os.Exit(2)
	}
	defer os.RemoveAll(dir)
	testenv.Main(m)
}
