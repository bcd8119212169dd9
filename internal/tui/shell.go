package tui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"ganban/internal/redact"
)

// A !command runs in the working directory for at most shellTimeout; its output is kept up
// to shellMax bytes.
const (
	shellTimeout = 2 * time.Minute
	shellMax     = 64 << 10
)

type shellDoneMsg struct {
	e        *entry
	cmd, out string
	err      error
}

// shell runs a command the person typed after "!" and shows its output. The output is not
// sent to the model; /attach adds it to the next prompt.
func (m *Model) shell(cmdline string) tea.Cmd {
	if cmdline == "" {
		return nil
	}
	e := m.conv.add(&entry{kind: kindShell, title: cmdline, text: "running…"})
	dir, env, secrets := m.info.WorkDir, []string(nil), []string(nil)
	if m.live != nil && m.live.rt != nil {
		env = m.live.rt.Settings.Environ()
		secrets = m.live.secrets()
	}
	ctx := m.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, shellTimeout)
		defer cancel()
		c := exec.CommandContext(ctx, "sh", "-c", cmdline)
		c.Dir, c.Env = dir, env
		var buf limitedBuffer
		c.Stdout, c.Stderr = &buf, &buf
		err := c.Run()
		if ctx.Err() != nil {
			err = fmt.Errorf("stopped after %s", shellTimeout)
		}
		return shellDoneMsg{e: e, cmd: cmdline, out: redact.String(buf.String(), secrets...), err: err}
	}
}

func (m *Model) shellDone(msg shellDoneMsg) {
	out := strings.TrimRight(msg.out, "\n")
	var ee *exec.ExitError
	switch {
	case errors.As(msg.err, &ee):
		out += fmt.Sprintf("\n(exit status %d)", ee.ExitCode())
	case msg.err != nil:
		out += "\n(" + msg.err.Error() + ")"
	}
	if strings.TrimSpace(out) == "" {
		out = "(no output)"
	}
	msg.e.text = out
	m.conv.touch(msg.e)
	m.lastShell = fmt.Sprintf("<shell-command>%s</shell-command>\n<output>\n%s\n</output>", msg.cmd, out)
	m.flash("not sent to the model · /attach adds this output to your next message")
}

// limitedBuffer keeps the first shellMax bytes of a command's output.
type limitedBuffer struct {
	bytes.Buffer
	dropped int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if room := shellMax - b.Len(); room < len(p) {
		b.dropped += len(p) - max(room, 0)
		p = p[:max(room, 0)]
	}
	b.Buffer.Write(p)
	return n, nil
}

func (b *limitedBuffer) String() string {
	if b.dropped > 0 {
		return b.Buffer.String() + fmt.Sprintf("\n… %d more bytes not kept", b.dropped)
	}
	return b.Buffer.String()
}
