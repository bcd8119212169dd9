package harness

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Models every benchmark pins, so that neither agent spends requests discovering one and
// both are billed at the same prices.
const (
	Model          = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
	SmallFastModel = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	Region         = "us-east-1"
)

// AWS's documented example keys: the simulator is permissive unless a benchmark gives it an
// auth file.
const (
	AccessKeyID     = "AKIDEXAMPLE"
	SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

// Kind tells the agents apart where their command lines differ.
type Kind int

// The agents.
const (
	Ganban Kind = iota
	Claude
)

// Agent is a binary under test.
type Agent struct {
	Name string
	Kind Kind
	Bin  string
}

// PrintArgs is the print-mode command line running prompt with the given tools allowed.
// The other agent's --allowedTools takes several values, so its prompt goes after "--".
func (a Agent) PrintArgs(prompt string, allowed []string, extra ...string) []string {
	if a.Kind == Claude {
		args := []string{"-p"}
		if len(allowed) > 0 {
			args = append(append(args, "--allowedTools"), allowed...)
		}
		return append(append(args, extra...), "--", prompt)
	}
	args := []string{"-p", prompt}
	if len(allowed) > 0 {
		args = append(args, "--allowedTools", strings.Join(allowed, " "))
	}
	return append(args, extra...)
}

// Env is the hermetic environment of one run: nothing from the caller's shell but PATH, a
// home of the benchmark's own, the instance-metadata endpoint off, and the setup guide's
// Bedrock variables pointing at the simulator.
func Env(home, simURL string, extra ...string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"TMPDIR=" + os.TempDir(),
		"TERM=dumb",
		"LANG=C.UTF-8",
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + filepath.Join(home, ".aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, ".aws", "credentials"),
		"CLAUDE_CODE_USE_BEDROCK=1",
		"AWS_REGION=" + Region,
		"ANTHROPIC_BEDROCK_BASE_URL=" + simURL,
		"ANTHROPIC_MODEL=" + Model,
		"ANTHROPIC_SMALL_FAST_MODEL=" + SmallFastModel,
		"ANTHROPIC_DEFAULT_HAIKU_MODEL=" + SmallFastModel,
		// Keeps the other agent from calling hosts this machine cannot reach; ganban makes
		// no such calls and ignores it.
		"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
	}
	return append(env, extra...)
}

// KeyEnv is the documented example key pair as environment credentials.
func KeyEnv() []string {
	return []string{"AWS_ACCESS_KEY_ID=" + AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + SecretAccessKey}
}

// Spec is one run of an agent.
type Spec struct {
	Dir     string
	Args    []string
	Env     []string
	Timeout time.Duration
	// KillAfter, when set, SIGKILLs the whole process group after this long.
	KillAfter time.Duration
	// Stop, when closed, SIGKILLs the whole process group (a benchmark's window ended).
	Stop <-chan struct{}
}

// Run is what one run of an agent did.
type Run struct {
	Start    time.Time // just before the process was started
	Wall     time.Duration
	User     time.Duration
	Sys      time.Duration
	MaxRSSKB int64 // peak resident set of the child (and its waited-for children), from wait4
	Code     int   // -1 when killed by a signal
	Killed   bool  // KillAfter fired while it ran
	Stdout   string
	Stderr   string
}

// CPU is user plus system time.
func (r Run) CPU() time.Duration { return r.User + r.Sys }

// Exec runs an agent once. Stdin is /dev/null: a print-mode agent waits for piped input
// otherwise. The child leads its own process group, so a kill reaches whatever it started
// in that group.
func Exec(a Agent, s Spec) (Run, error) {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 5 * time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, a.Bin, s.Args...)
	cmd.Dir, cmd.Env = s.Dir, s.Env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	r := Run{Start: time.Now()}
	if err := cmd.Start(); err != nil {
		return r, err
	}
	var killer *time.Timer
	killed := make(chan struct{})
	if s.KillAfter > 0 {
		pid := cmd.Process.Pid
		killer = time.AfterFunc(s.KillAfter, func() {
			close(killed)
			_ = syscall.Kill(-pid, syscall.SIGKILL)
		})
	}
	exited := make(chan struct{})
	stopped := make(chan bool, 1)
	if s.Stop != nil {
		pid := cmd.Process.Pid
		go func() {
			select {
			case <-s.Stop:
				_ = syscall.Kill(-pid, syscall.SIGKILL)
				stopped <- true
			case <-exited:
				stopped <- false
			}
		}()
	}
	err := cmd.Wait()
	close(exited)
	r.Wall = time.Since(r.Start)
	if s.Stop != nil && <-stopped {
		r.Killed = true
	}
	if killer != nil && !killer.Stop() {
		<-killed
		r.Killed = true
	}
	r.Stdout, r.Stderr = so.String(), se.String()
	if ps := cmd.ProcessState; ps != nil {
		r.Code = ps.ExitCode()
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			r.User = time.Duration(ru.Utime.Nano())
			r.Sys = time.Duration(ru.Stime.Nano())
			r.MaxRSSKB = ru.Maxrss
		}
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return r, err
	}
	return r, nil
}
