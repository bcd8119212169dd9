package awsauth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"ganban/internal/redact"
)

// Timeouts of the settings commands. awsAuthRefresh may wait for a person to finish a browser
// login, so it gets minutes; awsCredentialExport only prints credentials.
const (
	RefreshTimeout = 3 * time.Minute
	ExportTimeout  = time.Minute
	// waitDelay bounds how long a killed command's pipes are drained.
	waitDelay = 2 * time.Second
)

// commandError is a settings command that failed: which setting, what ran, and its stderr.
type commandError struct {
	Setting string
	Command string
	Err     error
	Stderr  string
}

func (e *commandError) Error() string {
	msg := fmt.Sprintf("%s command %q failed: %v", e.Setting, redact.String(e.Command), e.Err)
	if s := strings.TrimSpace(e.Stderr); s != "" {
		msg += "\n" + s
	}
	return msg
}

func (e *commandError) Unwrap() error { return e.Err }

// runShell runs command with sh -c in its own process group, stdin closed. stdout and stderr
// are drained concurrently into the given writers; on timeout or cancellation the whole group
// is killed, so a command that spawned a browser helper leaves nothing behind.
func runShell(ctx context.Context, setting, command string, environ []string, timeout time.Duration, stdout, stderr io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", command)
	cmd.Env = environ
	cmd.Stdin = nil
	var errBuf bytes.Buffer
	cmd.Stdout = stdout
	cmd.Stderr = io.MultiWriter(&errBuf, stderr)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = waitDelay
	err := cmd.Run()
	if err == nil {
		return nil
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("timed out after %v", timeout)
	} else if ctx.Err() != nil {
		err = ctx.Err()
	}
	return &commandError{Setting: setting, Command: command, Err: err, Stderr: redact.String(errBuf.String())}
}
