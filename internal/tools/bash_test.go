//go:build unix

package tools

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func bash(t *testing.T, env *Env, command string, extra ...any) Result {
	t.Helper()
	in := map[string]any{"command": command}
	for i := 0; i+1 < len(extra); i += 2 {
		in[extra[i].(string)] = extra[i+1]
	}
	return call(t, env, "Bash", in)
}

func TestBashBasics(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	tests := []struct {
		name    string
		command string
		wantErr bool
		want    []string
	}{
		{"stdout", "echo hello", false, []string{"hello"}},
		{"stderr interleaved", "echo out; echo err >&2; echo out2", false, []string{"out\nerr\nout2"}},
		{"no output", "true", false, []string{"no output"}},
		{"exit code", "echo partial; exit 3", true, []string{"partial", "Exit code 3"}},
		{"failing command", "ls /definitely/not/here", true, []string{"No such file", "Exit code 2"}},
		{"stdin is empty", "cat; echo done", false, []string{"done"}},
		{"starts in WorkDir", "pwd", false, []string{env.WorkDir}},
		{"environment applies", "echo $HOME", false, []string{env.WorkDir}},
		{"heredoc", "cat <<'EOF'\nline one\nline two\nEOF", false, []string{"line one\nline two"}},
		{"syntax error", "if then fi (", true, []string{"syntax error"}},
		{"killed by signal", "kill -9 $$", true, []string{"killed by a signal"}},
		{"no terminal to prompt on", "read -r x < /dev/tty", true, []string{"/dev/tty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := bash(t, env, tt.command)
			if r.IsError != tt.wantErr {
				t.Fatalf("IsError %v: %s", r.IsError, r.Text())
			}
			for _, w := range tt.want {
				if !strings.Contains(r.Text(), w) {
					t.Errorf("missing %q in %q", w, r.Text())
				}
			}
		})
	}
}

func TestBashBadInput(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	mustErr(t, bash(t, env, ""), "command is required")
	mustErr(t, bash(t, env, "   "), "command is required")
	mustErr(t, call(t, env, "Bash", map[string]any{}), "Bash: command is required")
	mustErr(t, call(t, env, "Bash", map[string]any{"command": 5}), "command must be a string")
	mustErr(t, bash(t, env, "true", "timeout", 600001), "timeout must be at most 600000")
	mustErr(t, bash(t, env, "true", "timeout", 0), "timeout must be at least 1")
	mustErr(t, bash(t, env, "true", "timeout", "soon"), "timeout must be a number")
	mustOK(t, bash(t, env, "true", "timeout", "5000")) // a quoted number is fine
}

func TestBashPersistence(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	sub := filepath.Join(env.WorkDir, "sub dir")
	os.Mkdir(sub, 0o755)

	mustOK(t, bash(t, env, `cd "sub dir" && export GANBAN_T1=one && T2=unexported`))
	if text := mustOK(t, bash(t, env, `pwd; echo "[$GANBAN_T1][$T2]"`)); !strings.Contains(text, sub+"\n[one][]") {
		t.Fatalf("state not kept: %q", text)
	}
	if env.Shell.Cwd() != sub {
		t.Fatalf("Cwd %q", env.Shell.Cwd())
	}
	// State is saved even when the command fails or exits early.
	mustErr(t, bash(t, env, `cd .. && export GANBAN_T1=two; exit 4`), "Exit code 4")
	if text := mustOK(t, bash(t, env, `pwd; echo $GANBAN_T1`)); !strings.Contains(text, env.WorkDir+"\ntwo") {
		t.Fatalf("state after exit: %q", text)
	}
	// unset persists too; values with newlines and special characters survive.
	mustOK(t, bash(t, env, `unset GANBAN_T1; export GANBAN_T3=$'multi\nline = "q" \'s'`))
	text := mustOK(t, bash(t, env, `echo "[${GANBAN_T1-unset}]"; printf '%s' "$GANBAN_T3"`))
	if !strings.Contains(text, "[unset]") || !strings.Contains(text, "multi\nline = \"q\" 's") {
		t.Fatalf("unset/special: %q", text)
	}
	// A changed IFS or a function shadowing a builtin does not break saving the state.
	mustOK(t, bash(t, env, `IFS=,; printf() { :; }; export GANBAN_T4=four; cd "sub dir"`))
	if text := mustOK(t, bash(t, env, `pwd; echo $GANBAN_T4`)); !strings.Contains(text, sub+"\nfour") {
		t.Fatalf("IFS/function: %q", text)
	}
	mustOK(t, bash(t, env, "cd .."))
	// SHLVL does not creep up.
	a := mustOK(t, bash(t, env, `echo $SHLVL`))
	b := mustOK(t, bash(t, env, `echo $SHLVL`))
	if a != b {
		t.Fatalf("SHLVL %q then %q", a, b)
	}
	// A working directory that disappears falls back to WorkDir with a note.
	gone := filepath.Join(env.WorkDir, "gone")
	os.Mkdir(gone, 0o755)
	mustOK(t, bash(t, env, "cd gone"))
	os.Remove(gone)
	if text := mustOK(t, bash(t, env, "pwd")); !strings.Contains(text, "no longer exists") || !strings.Contains(text, env.WorkDir) {
		t.Fatalf("fallback: %q", text)
	}
}

// processGone waits until pid no longer runs (or is a zombie nobody reaped).
func processGone(pid int) bool {
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if err := syscall.Kill(pid, 0); err == syscall.ESRCH {
			return true
		}
		if stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil {
			if f := strings.Fields(string(stat)); len(f) > 2 && f[2] == "Z" {
				return true
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

func readPID(t *testing.T, path string) int {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		b, _ := os.ReadFile(path)
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
			return pid
		}
		if time.Now().After(deadline) {
			t.Fatalf("no pid in %s", path)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestBashTimeoutKillsChildren(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	pidFile := filepath.Join(env.WorkDir, "child.pid")
	// A grandchild in the background and a child in the foreground: both must die.
	cmd := `sleep 30 & echo $! > child.pid; sh -c 'sleep 40'; echo never`
	start := time.Now()
	r := bash(t, env, cmd, "timeout", 700)
	if time.Since(start) > 5*time.Second {
		t.Fatalf("timeout took %s", time.Since(start))
	}
	mustErr(t, r, "timed out after 700ms", "killed")
	if strings.Contains(r.Text(), "never") {
		t.Fatal("command went on after the timeout")
	}
	if pid := readPID(t, pidFile); !processGone(pid) {
		t.Fatalf("background child %d survived the timeout", pid)
	}
	// The shell still works, and kept its old state.
	mustOK(t, bash(t, env, "echo alive"))
}

func TestBashContextCancel(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	tool, _ := Lookup(Default(), "Bash")
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		readPID(t, filepath.Join(env.WorkDir, "p.pid"))
		cancel()
	}()
	in, _ := json.Marshal(map[string]any{"command": "echo $$ > p.pid; sleep 30"})
	start := time.Now()
	r := tool.Run(ctx, env, in)
	mustErr(t, r, "interrupted")
	if time.Since(start) > 5*time.Second {
		t.Fatalf("cancel took %s", time.Since(start))
	}
	if pid := readPID(t, filepath.Join(env.WorkDir, "p.pid")); !processGone(pid) {
		t.Fatalf("shell %d survived cancel", pid)
	}
}

func TestBashHugeOutput(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	r := bash(t, env, `echo START; for i in $(seq 1 20000); do echo "line $i of the output"; done; echo END`)
	text := mustOK(t, r)
	if len(text) > maxBashOutput+500 {
		t.Fatalf("output %d chars", len(text))
	}
	for _, w := range []string{"START", "END", "line 20000 of", "characters of output cut here"} {
		if !strings.Contains(text, w) {
			t.Errorf("missing %q", w)
		}
	}
}

func TestBashBackground(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	r := bash(t, env, "echo started; sleep 30", "run_in_background", true)
	text := mustOK(t, r)
	if !strings.Contains(text, "process group") || !strings.Contains(text, ".log") {
		t.Fatalf("text %q", text)
	}
	fields := strings.Fields(text)
	var pgid int
	var log string
	for i, f := range fields {
		if f == "group" && i+1 < len(fields) {
			pgid, _ = strconv.Atoi(strings.TrimSuffix(fields[i+1], "."))
		}
		if strings.HasSuffix(f, ".log:") {
			log = strings.TrimSuffix(f, ":")
		}
	}
	if pgid == 0 || log == "" {
		t.Fatalf("no pgid or log in %q", text)
	}
	deadline := time.Now().Add(3 * time.Second)
	for !strings.Contains(readFile(t, log), "started") {
		if time.Now().After(deadline) {
			t.Fatal("background output never arrived")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// A process left behind with & by a foreground command is also stopped at the end.
	mustOK(t, bash(t, env, "sleep 31 & echo $! > left.pid"))
	left := readPID(t, filepath.Join(env.WorkDir, "left.pid"))
	env.Close()
	if !processGone(pgid) {
		t.Fatalf("background group %d survived Close", pgid)
	}
	if !processGone(left) {
		t.Fatalf("left-behind process %d survived Close", left)
	}
	if _, err := os.Stat(log); !os.IsNotExist(err) {
		t.Fatal("log not removed")
	}
	mustErr(t, bash(t, env, "true"), "closed")
}

func TestCapBuffer(t *testing.T) {
	b := newCapBuffer(10)
	b.Write([]byte("abc"))
	if b.String() != "abc" {
		t.Fatalf("%q", b.String())
	}
	b.Write([]byte("defghijklmnopqrstuvwxyz"))
	s := b.String()
	if !strings.HasPrefix(s, "abcde") || !strings.HasSuffix(s, "vwxyz") || !strings.Contains(s, "16 characters") {
		t.Fatalf("%q", s)
	}
	for range 100 {
		b.Write([]byte("0123456789"))
	}
	if s := b.String(); !strings.HasPrefix(s, "abcde") || !strings.HasSuffix(s, "56789") {
		t.Fatalf("%q", s)
	}
}

// progressWriter records what a command wrote and when, as a UI would receive it.
type progressWriter struct {
	mu     sync.Mutex
	chunks []string
	at     []time.Time
}

func (p *progressWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.chunks, p.at = append(p.chunks, string(b)), append(p.at, time.Now())
	return len(b), nil
}

// TestBashReportsOutputWhileItRuns: output reaches the progress writer as the command writes
// it, stdout and stderr alike, long before the command ends; the result still has it all.
func TestBashReportsOutputWhileItRuns(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	p := &progressWriter{}
	tool, _ := Lookup(Default(), "Bash")
	start := time.Now()
	res := tool.Run(WithProgress(context.Background(), p), env, rawInput(t, map[string]any{"command": "echo first; echo second >&2; sleep 0.5; echo last"}))
	end := time.Now()
	if !strings.Contains(res.Text(), "first\nsecond\nlast") {
		t.Fatalf("result %q", res.Text())
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	got := strings.Join(p.chunks, "")
	if !strings.Contains(got, "first\nsecond\n") || !strings.Contains(got, "last") {
		t.Fatalf("progress saw %q", got)
	}
	if first := p.at[0]; first.Sub(start) > 300*time.Millisecond || end.Sub(first) < 400*time.Millisecond {
		t.Errorf("the first output arrived %v after the start, %v before the end", first.Sub(start), end.Sub(first))
	}
}

// TestBashStateNeverTouchesDisk: the shell's state (the exported variables, keys among
// them) comes back through a pipe, so no file in the temporary directory holds it while the
// command runs or after (a killed ganban used to leave one behind); a command that uses fd 3
// itself keeps its state.
func TestBashStateNeverTouchesDisk(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	env := newTestEnv(t)
	res := bash(t, env, "export SECRET_FOR_TEST=wJalrXUtnFEMI; exec 3>/dev/null; echo x >&3; cd /; ls -A "+tmp+" | wc -l")
	if strings.TrimSpace(res.Text()) != "0" {
		t.Fatalf("while the command ran, the temporary directory held %s files", res.Text())
	}
	if got := bash(t, env, "echo $SECRET_FOR_TEST; pwd").Text(); got != "wJalrXUtnFEMI\n/" {
		t.Errorf("state after a command that used fd 3: %q", got)
	}
	entries, _ := os.ReadDir(tmp)
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(tmp, e.Name()))
		if strings.Contains(string(data), "wJalrXUtnFEMI") {
			t.Errorf("%s holds the exported secret", e.Name())
		}
	}
}
