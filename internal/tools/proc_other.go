//go:build !unix

package tools

import (
	"os"
	"os/exec"
)

// Without process groups only the shell itself can be killed.

func newProcessGroup(cmd *exec.Cmd) {}

func killGroup(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}

func groupAlive(pid int) bool { return false }
