//go:build unix

package tools

import (
	"os/exec"
	"syscall"
)

// newProcessGroup starts cmd in a new session, which makes it the leader of a new process
// group: killing the group kills everything the command started, however deep. The session
// has no controlling terminal, so a command that tries to prompt on /dev/tty (ssh, git
// credentials, sudo) fails at once instead of stopping on SIGTTIN until the timeout, or
// fighting the UI for the terminal.
func newProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}

// killGroup kills process group pgid.
func killGroup(pgid int) {
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

// groupAlive reports whether any process of group pgid is still running.
func groupAlive(pgid int) bool {
	return syscall.Kill(-pgid, 0) == nil
}
