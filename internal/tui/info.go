package tui

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	tea "charm.land/bubbletea/v2"

	"ganban/internal/doctor"
	"ganban/internal/settings"
)

// statusTimeout bounds commands that resolve credentials or call AWS for a report.
const statusTimeout = 60 * time.Second

func (m *Model) cmdStatus(string) tea.Cmd {
	if m.live == nil || m.live.rt == nil {
		m.say("/status", m.statusText())
		return nil
	}
	rt, ctx := m.live.rt, m.ctx
	in := m.info
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, statusTimeout)
		defer cancel()
		var creds []string
		st, err := rt.Credentials.Status(ctx)
		if err != nil {
			creds = append(creds, "Credentials\tnot available: "+err.Error())
		} else {
			line := "Credentials\t" + st.Source
			if st.AccessKeyID != "" {
				line += ", key " + st.AccessKeyID
			}
			if st.CanExpire {
				line += fmt.Sprintf(", expires %s (%s)", st.Expires.Local().Format("2006-01-02 15:04"), expiresIn(time.Until(st.Expires)))
			} else {
				line += ", does not expire"
			}
			creds = append(creds, line)
		}
		if c := rt.Credentials.RefreshCommand(); c != "" {
			creds = append(creds, "awsAuthRefresh\t"+c)
		}
		if c := rt.Credentials.ExportCommand(); c != "" {
			creds = append(creds, "awsCredentialExport\t"+c)
		}
		var files []string
		for _, f := range rt.Settings.Files() {
			state := "not found"
			if f.Exists {
				state = "loaded"
			}
			files = append(files, fmt.Sprintf("  %s\t%s\t%s", f.Scope, f.Path, state))
		}
		var b strings.Builder
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "Provider\tAmazon Bedrock (Invoke API)\n")
		fmt.Fprintf(tw, "Region\t%s (from %s)\n", rt.Region, rt.RegionSource)
		if rt.SmallFastRegion != "" && rt.SmallFastRegion != rt.Region {
			fmt.Fprintf(tw, "Small/fast region\t%s (from %s)\n", rt.SmallFastRegion, rt.SmallFastRegionSource)
		}
		fmt.Fprintf(tw, "Model\t%s (%s, from %s)\n", in.Model, rt.Primary.ID, rt.Primary.Source)
		if rt.SmallFast.ID != "" {
			fmt.Fprintf(tw, "Small/fast model\t%s\n", rt.SmallFast.ID)
		}
		if rt.Config.BaseURL != "" {
			fmt.Fprintf(tw, "Endpoint\t%s\n", rt.Config.BaseURL)
		}
		for _, c := range creds {
			fmt.Fprintln(tw, c)
		}
		fmt.Fprintf(tw, "Permission mode\t%s\n", rt.Permissions.Mode())
		fmt.Fprintf(tw, "Session\t%s\n", in.SessionID)
		fmt.Fprintf(tw, "Working directory\t%s\n", in.WorkDir)
		fmt.Fprintln(tw, "Settings files:")
		for _, f := range files {
			fmt.Fprintln(tw, f)
		}
		tw.Flush()
		return outputMsg{title: "/status", text: b.String()}
	}
}

// expiresIn says how long credentials have left in minutes: "in 1h25m", not Go's "1h25m0s".
func expiresIn(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d < 0:
		return "expired"
	case d < time.Minute:
		return "in less than a minute"
	}
	return "in " + strings.TrimSuffix(d.String(), "0s")
}

// statusText is /status without a runtime (tests, a failed start).
func (m *Model) statusText() string {
	return fmt.Sprintf("Provider  Amazon Bedrock\nRegion    %s (from %s)\nModel     %s\nSession   %s", m.info.Region, m.info.RegionSource, m.info.Model, m.info.SessionID)
}

func (m *Model) cmdDoctor(string) tea.Cmd {
	if m.live == nil {
		m.say("/doctor", "doctor needs a session started from the command line")
		return nil
	}
	boot, ctx := m.live.opts.Boot, m.ctx
	m.flash("running the checks…")
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, statusTimeout)
		defer cancel()
		checks := doctor.Run(ctx, boot)
		var b bytes.Buffer
		doctor.Render(&b, checks)
		return outputMsg{title: "/doctor", text: b.String(), isErr: doctor.Failed(checks)}
	}
}

func (m *Model) cmdConfig(string) tea.Cmd {
	if m.live == nil || m.live.rt == nil {
		m.sayErr("/config", errNoSession)
		return nil
	}
	s, err := m.live.settingsNow()
	if err != nil {
		m.sayErr("/config", err)
		return nil
	}
	var b bytes.Buffer
	entries := s.Effective(true)
	if len(entries) == 0 {
		m.say("/config", "No settings files set anything; ganban runs on its defaults and the environment.")
		return nil
	}
	if err := settings.Render(entries, &b); err != nil {
		m.sayErr("/config", err)
		return nil
	}
	m.say("/config", b.String())
	return nil
}

// editorDoneMsg ends /memory; before is the file as it was (nil when it did not exist).
type editorDoneMsg struct {
	path   string
	before []byte
	err    error
}

// cmdMemory opens CLAUDE.md in $EDITOR (vi by default); the UI gives the terminal to the
// editor and takes it back afterwards.
func (m *Model) cmdMemory(args string) tea.Cmd {
	if m.live == nil || m.live.rt == nil {
		m.sayErr("/memory", errNoSession)
		return nil
	}
	path := filepath.Join(m.live.rt.Settings.ProjectRoot(), "CLAUDE.md")
	if strings.TrimSpace(args) == "user" {
		path = filepath.Join(m.live.userDir(), "CLAUDE.md")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		m.sayErr("/memory", err)
		return nil
	}
	editor := m.live.rt.Getenv("VISUAL")
	if editor == "" {
		editor = m.live.rt.Getenv("EDITOR")
	}
	if editor == "" {
		editor = "vi"
	}
	before, _ := os.ReadFile(path)
	c := exec.Command("sh", "-c", editor+` "$1"`, "editor", path)
	return tea.ExecProcess(c, func(err error) tea.Msg { return editorDoneMsg{path: path, before: before, err: err} })
}

// editorDone says what /memory did: an editor quit without saving has changed nothing.
func (m *Model) editorDone(msg editorDoneMsg) {
	after, _ := os.ReadFile(msg.path)
	switch {
	case msg.err != nil:
		m.conv.notice(levelError, "editor: "+msg.err.Error())
	case bytes.Equal(after, msg.before):
		m.conv.notice(levelInfo, fmt.Sprintf("%s is unchanged.", msg.path))
	default:
		m.conv.notice(levelInfo, fmt.Sprintf("Saved %s. Memory files are read when a session starts: /clear or a new ganban session uses it.", msg.path))
	}
}
