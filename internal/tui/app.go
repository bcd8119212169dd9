package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"ganban/internal/session"
	"ganban/internal/tui/history"
	"ganban/internal/tui/slash"
)

// frameRate is how many frames a second Bubble Tea may write. It renders a view after every
// update but writes frames on a ticker, so a keystroke waits up to a frame to be seen: at the
// default 60 that alone is 16.7 ms, the whole budget. 120 is Bubble Tea's maximum.
const frameRate = 120

// Run runs the interactive UI until the person exits. It returns once every goroutine it
// started has stopped and the session is closed.
func Run(ctx context.Context, o Options) error {
	br := newBridge()
	o.Boot.Notify = br.notify
	o.Boot.RefreshOutput = br
	noColor := os.Getenv("NO_COLOR") != ""
	getenv := func(k string) string {
		for _, kv := range o.Boot.Environ {
			if len(kv) > len(k) && kv[:len(k)] == k && kv[len(k)] == '=' {
				return kv[len(k)+1:]
			}
		}
		return ""
	}
	if getenv("NO_COLOR") != "" {
		noColor = true
	}
	home := session.Home(getenv)
	mouseOff := false
	switch strings.ToLower(getenv("GANBAN_MOUSE")) {
	case "0", "off", "false", "no":
		mouseOff = true
	}
	m := newModel(config{ctx: ctx, post: br.post, dark: true, noColor: noColor, mouseOff: mouseOff, workDir: o.Boot.WorkDir,
		hist: history.Open(filepath.Join(home, "history.jsonl"), o.Boot.WorkDir)})
	m.live = &live{opts: o, br: br}
	m.busy = "starting: loading settings, credentials and models…"
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithFPS(frameRate)}
	if noColor {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	if o.Input != nil {
		opts = append(opts, tea.WithInput(o.Input))
	}
	if o.Output != nil {
		opts = append(opts, tea.WithOutput(o.Output))
	}
	p := tea.NewProgram(m, opts...)
	br.start(p.Send)
	_, err := p.Run()
	// Stop the agent, wait for it, then close the sessions and the pump.
	m.cancel()
	m.work.Wait()
	m.live.closeAll()
	br.stop()
	if err == tea.ErrProgramKilled && ctx.Err() != nil {
		return nil
	}
	if err == nil && m.demoChosen {
		return ErrDemoChosen
	}
	return err
}

// ErrDemoChosen ends Run when the person takes the demo the setup screen offers; the caller
// starts it.
var ErrDemoChosen = errors.New("the demo was chosen")

// appMsg handles the results of session work and commands.
func (m *Model) appMsg(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case bootedMsg:
		m.endBusy()
		if msg.trust != nil {
			m.trust = &trustScreen{q: msg.trust}
			return nil
		}
		if msg.err != nil {
			m.setup = &setupScreen{err: msg.err, checks: msg.checks}
			return nil
		}
		m.live.rt = msg.rt
		if msg.pick != nil {
			return m.resumePicker(msg.pick, true)
		}
		m.attachSession(msg.opened)
		if p := m.live.opts.Prompt; p != "" {
			return m.send(p, "")
		}
		if d := m.live.opts.Draft; d != "" && m.in.value() == "" {
			m.in.setValue(d)
		}
	case sessionMsg:
		m.endBusy()
		if msg.err != nil {
			if cancelled(msg.err) {
				m.conv.notice(levelInfo, "Cancelled: the session is as it was.")
			} else {
				m.conv.notice(levelError, msg.err.Error())
			}
			if m.live.sess == nil {
				return m.live.switchCmd(m.ctx, "", "", "")
			}
			return nil
		}
		m.attachSession(msg.opened)
	case shellDoneMsg:
		m.shellDone(msg)
	case editorDoneMsg:
		m.editorDone(msg)
	case modelsMsg:
		m.endBusy()
		m.modelPicker(msg)
	case busyMsg:
		m.busyProgress(msg)
	case compactDoneMsg:
		m.compactDone(msg)
	}
	return nil
}

// attachSession makes an opened session the current one and shows its history.
func (m *Model) attachSession(op *opened) {
	if op == nil {
		return
	}
	m.live.rt, m.live.sess = op.rt, op.sess
	m.eng = op.sess.Agent
	m.info = op.info
	m.info.Version = m.live.opts.Version
	m.usage = agentUsageReset(m.info.ContextLimit)
	if t := op.sess.Transcript; t != nil {
		m.usage.ContextUsed = contextUsed(t)
	}
	m.todos = nil
	if op.reset || len(m.conv.entries) == 0 {
		m.conv = newConversation()
		m.conv.workDir = m.info.WorkDir
		m.priorCost = 0
		if t := op.sess.Transcript; t != nil {
			m.priorCost = t.CostUSD
			m.conv.loadTranscript(t, m.info.WorkDir)
		} else {
			m.welcome()
		}
	}
	if op.note != "" {
		m.conv.notice(levelInfo, op.note)
	}
	m.custom = slash.Load(filepath.Join(op.rt.Settings.ProjectRoot(), ".claude", "commands"), filepath.Join(m.live.userDir(), "commands"))
	m.vp.follow = true
}

// welcome opens a new session's conversation with where it runs and how to get help.
func (m *Model) welcome() {
	v := m.info.Version
	if v == "" {
		v = "dev"
	}
	text := fmt.Sprintf("%s on Amazon Bedrock (%s) · %s\n/help for commands and keys · Esc interrupts · Ctrl+C twice exits",
		m.info.Model, m.info.Region, m.info.WorkDir)
	m.conv.output("ganban "+v, text, levelInfo)
}
