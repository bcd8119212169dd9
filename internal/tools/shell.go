package tools

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// Shell is the persistent shell of one session. Each command runs in a fresh `bash -c`
// started in the saved working directory with the saved environment; an EXIT trap then writes
// the shell's final $PWD and exported variables to a state file, which become the saved
// state. So `cd` and `export` persist from one call to the next as in an interactive shell,
// while every command still has its own process group that can be killed cleanly on timeout,
// and a command that hangs or crashes cannot break the next one. Shell functions, aliases and
// unexported variables do not persist.
//
// Commands started in the background (run_in_background) and processes a command left
// running (`cmd &`) are killed by Close. Shell is safe for concurrent use; concurrent
// commands each start from the state at their start, and the last to finish wins.
type Shell struct {
	mu      sync.Mutex
	home    string // the session's working directory, the fallback when cwd disappears
	cwd     string
	env     []string
	groups  []int // process groups that may still be running, killed by Close
	bgLogs  []string
	bgWait  sync.WaitGroup
	closed  bool
	bashBin string
}

// NewShell returns a shell starting in dir with the environment environ.
func NewShell(dir string, environ []string) *Shell {
	return &Shell{home: dir, cwd: dir, env: append([]string(nil), environ...)}
}

// Cwd returns the shell's working directory.
func (s *Shell) Cwd() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cwd
}

// Environ returns a copy of the shell's environment.
func (s *Shell) Environ() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.env...)
}

// ShellResult is the outcome of one command.
type ShellResult struct {
	Output   string // stdout and stderr interleaved, capped
	ExitCode int    // -1 when killed by a signal
	TimedOut bool
	// Interrupted reports that the context was cancelled and the command killed.
	Interrupted bool
	// Note explains something the model should know, e.g. that the old cwd was gone.
	Note string
}

// statePrologue installs the trap that saves the shell's state when the command's shell
// exits, for whatever reason short of being killed. The state goes to ganban through a pipe,
// never a file: it holds the exported variables, keys among them, and a file would outlive a
// ganban that is killed while the command runs. The pipe arrives as fd 3 and moves to fd
// 197, out of the way of scripts that use 3 (a plain exec, as the first line: redirections on
// "builtin exec" would be undone when the builtin returns). The state is NUL-separated fields: $PWD,
// then NAME=value for each exported variable, then stateEnd. Only builtins are used, called
// as such so that functions of the same name cannot interfere, and IFS is reset in case the
// command changed it.
const statePrologue = `exec 197>&3 3>&-
trap '__ganban_ec=$?; IFS=$'"'"' \t\n'"'"'; { builtin printf "%s\0" "$PWD"; for __ganban_v in $(builtin compgen -e); do builtin printf "%s=%s\0" "$__ganban_v" "${!__ganban_v}"; done; builtin printf "%s\0" __ganban_state_end; } >&197 2>/dev/null; builtin exit $__ganban_ec' EXIT
`

// stateEnd closes a complete state: a field of its own (values hold no NUL), and no
// exported variable is written without "=".
const stateEnd = "\x00__ganban_state_end\x00"

// maxState bounds what is read from the state pipe.
const maxState = 8 << 20

// notSaved are variables bash manages itself; restoring them would be wrong (SHLVL would
// grow by one per command).
var notSaved = map[string]bool{"SHLVL": true, "_": true, "PWD": true}

// bash finds the bash binary once.
func (s *Shell) bash() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bashBin != "" {
		return s.bashBin, nil
	}
	p, err := exec.LookPath("bash")
	if err != nil {
		for _, c := range []string{"/bin/bash", "/usr/bin/bash", "/usr/local/bin/bash"} {
			if _, serr := os.Stat(c); serr == nil {
				p, err = c, nil
				break
			}
		}
	}
	if err != nil {
		return "", errors.New("bash was not found on this machine")
	}
	s.bashBin = p
	return p, nil
}

// start returns the directory and environment a command starts with, resetting a working
// directory that no longer exists.
func (s *Shell) start() (dir string, env []string, note string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", nil, "", errors.New("the shell has been closed")
	}
	if st, serr := os.Stat(s.cwd); serr != nil || !st.IsDir() {
		note = fmt.Sprintf("The shell's working directory %s no longer exists; the command ran in %s instead.", s.cwd, s.home)
		s.cwd = s.home
	}
	env = append([]string(nil), s.env...)
	env = setEnv(env, "PWD", s.cwd)
	return s.cwd, env, note, nil
}

// Run runs command and waits for it, killing its process group when timeout passes or ctx
// is cancelled.
func (s *Shell) Run(ctx context.Context, command string, timeout time.Duration) (ShellResult, error) {
	bash, err := s.bash()
	if err != nil {
		return ShellResult{}, err
	}
	dir, env, note, err := s.start()
	if err != nil {
		return ShellResult{}, err
	}
	stateR, stateW, err := os.Pipe()
	if err != nil {
		return ShellResult{}, fmt.Errorf("create the shell's state pipe: %w", err)
	}
	defer stateR.Close()
	out := newCapBuffer(maxBashOutput)
	cmd := exec.Command(bash, "-c", statePrologue+command+"\n")
	cmd.Dir, cmd.Env = dir, env
	cmd.ExtraFiles = []*os.File{stateW}
	var w io.Writer = out
	if p := progressFrom(ctx); p != nil {
		w = io.MultiWriter(out, p)
	}
	// One writer for both, so that os/exec writes from one goroutine at a time.
	cmd.Stdout, cmd.Stderr = w, w
	// Processes the command leaves in the background may hold the output pipe open forever:
	// stop waiting for them shortly after the shell itself exits.
	cmd.WaitDelay = 500 * time.Millisecond
	newProcessGroup(cmd)
	err = cmd.Start()
	stateW.Close() // the shell holds its own copy; EOF comes when it and its children are done
	if err != nil {
		return ShellResult{}, fmt.Errorf("start bash: %w", err)
	}
	state := make(chan []byte, 1)
	go func() { state <- readState(stateR) }()
	pgid := cmd.Process.Pid
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	res := ShellResult{Note: note}
	select {
	case <-done:
	case <-timer.C:
		res.TimedOut = true
		killGroup(pgid)
		<-done
	case <-ctx.Done():
		res.Interrupted = true
		killGroup(pgid)
		<-done
	}
	res.Output = out.String()
	res.ExitCode = cmd.ProcessState.ExitCode()
	if res.TimedOut || res.Interrupted {
		return res, nil
	}
	if groupAlive(pgid) {
		s.track(pgid, "")
	}
	// The trap wrote the state before the shell exited; a background process that kept the
	// pipe open must not hold up the answer, hence the wait's bound.
	select {
	case data := <-state:
		if data != nil {
			s.save(data)
		}
	case <-time.After(cmd.WaitDelay):
	}
	return res, nil
}

// readState reads the state pipe up to stateEnd; nil when the shell ended without writing a
// whole state (killed, or the command closed the pipe's descriptor).
func readState(r io.Reader) []byte {
	var data []byte
	buf := make([]byte, 32<<10)
	for len(data) < maxState {
		n, err := r.Read(buf)
		data = append(data, buf[:n]...)
		if bytes.HasSuffix(data, []byte(stateEnd)) {
			return bytes.TrimSuffix(data, []byte(stateEnd))
		}
		if err != nil {
			return nil
		}
	}
	return nil
}

// save parses a state and makes it the shell's state.
func (s *Shell) save(data []byte) {
	fields := bytes.Split(bytes.TrimSuffix(data, []byte{0}), []byte{0})
	if len(fields) == 0 || len(fields[0]) == 0 {
		return
	}
	cwd := string(fields[0])
	env := make([]string, 0, len(fields))
	for _, f := range fields[1:] {
		name, _, ok := strings.Cut(string(f), "=")
		if !ok || name == "" || notSaved[name] || strings.HasPrefix(name, "__ganban_") {
			continue
		}
		env = append(env, string(f))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cwd, s.env = cwd, env
}

// Background starts command without waiting for it. Its output goes to a log file, whose path
// is returned with the process group id.
func (s *Shell) Background(command string) (pgid int, logPath string, err error) {
	bash, err := s.bash()
	if err != nil {
		return 0, "", err
	}
	dir, env, _, err := s.start()
	if err != nil {
		return 0, "", err
	}
	log, err := os.CreateTemp("", "ganban-bg-*.log")
	if err != nil {
		return 0, "", fmt.Errorf("create log file: %w", err)
	}
	defer log.Close()
	cmd := exec.Command(bash, "-c", command)
	cmd.Dir, cmd.Env = dir, env
	cmd.Stdout, cmd.Stderr = log, log
	newProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		os.Remove(log.Name())
		return 0, "", fmt.Errorf("start bash: %w", err)
	}
	s.track(cmd.Process.Pid, log.Name())
	// The shell owns this goroutine: Close kills the group and waits for it.
	s.bgWait.Add(1)
	go func() {
		defer s.bgWait.Done()
		_ = cmd.Wait()
	}()
	return cmd.Process.Pid, log.Name(), nil
}

func (s *Shell) track(pgid int, logPath string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groups = append(s.groups, pgid)
	if logPath != "" {
		s.bgLogs = append(s.bgLogs, logPath)
	}
}

// Close kills every process group the session's commands left running and removes the
// background logs. The shell cannot run commands afterwards.
func (s *Shell) Close() error {
	s.mu.Lock()
	groups, logs := s.groups, s.bgLogs
	s.groups, s.bgLogs, s.closed = nil, nil, true
	s.mu.Unlock()
	for _, g := range groups {
		killGroup(g)
	}
	s.bgWait.Wait()
	for _, l := range logs {
		os.Remove(l)
	}
	return nil
}

// setEnv sets name=value in env, replacing an existing entry.
func setEnv(env []string, name, value string) []string {
	prefix := name + "="
	for i, kv := range env {
		if strings.HasPrefix(kv, prefix) {
			env[i] = prefix + value
			return env
		}
	}
	return append(env, prefix+value)
}

// shellQuote quotes s for bash.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// capBuffer keeps the first and last halves of what is written beyond its limit, which is
// where the useful part of a long build or test log usually is, and counts what it dropped.
type capBuffer struct {
	mu      sync.Mutex
	limit   int
	head    []byte
	tail    []byte // ring of the last limit/2 bytes, once the head is full
	tailPos int
	total   int64
}

func newCapBuffer(limit int) *capBuffer { return &capBuffer{limit: limit} }

func (b *capBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := len(p)
	b.total += int64(n)
	headMax := b.limit - b.limit/2
	if room := headMax - len(b.head); room > 0 {
		k := min(room, len(p))
		b.head = append(b.head, p[:k]...)
		p = p[k:]
	}
	tailMax := b.limit / 2
	for len(p) > 0 && tailMax > 0 {
		if len(b.tail) < tailMax {
			k := min(tailMax-len(b.tail), len(p))
			b.tail = append(b.tail, p[:k]...)
			p = p[k:]
			continue
		}
		k := copy(b.tail[b.tailPos:], p)
		b.tailPos = (b.tailPos + k) % tailMax
		p = p[k:]
	}
	return n, nil
}

// String returns what was kept, with a note of what was cut from the middle.
func (b *capBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	tail := append(append([]byte(nil), b.tail[b.tailPos:]...), b.tail[:b.tailPos]...)
	kept := int64(len(b.head) + len(tail))
	if b.total <= kept {
		return string(b.head) + string(tail)
	}
	cut := b.total - kept
	head := strings.ToValidUTF8(string(b.head), "")
	t := strings.ToValidUTF8(string(tail), "")
	return fmt.Sprintf("%s\n\n... [%d characters of output cut here; the start and the end are shown. Redirect output to a file and Read or grep it to see everything] ...\n\n%s", head, cut, t)
}
