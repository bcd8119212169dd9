package tui

import (
	"context"
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"

	"ganban/internal/agent"
)

// command is a built-in slash command.
type command struct {
	name, args, help string
	// idle commands wait for the answer in progress to end.
	idle bool
	run  func(m *Model, args string) tea.Cmd
}

// commands lists the built-in slash commands in the order /help shows them. It is a
// function, not a variable, because the handlers refer back to the list.
func commands() []command {
	return []command{
		{name: "help", help: "commands and keys", run: (*Model).cmdHelp},
		{name: "model", args: "[model]", help: "choose the model (from the invokable ones), or switch to one", idle: true, run: (*Model).cmdModel},
		{name: "cost", help: "tokens and cost of this session", run: (*Model).cmdCost},
		{name: "context", help: "what fills the context window", run: (*Model).cmdContext},
		{name: "compact", args: "[instructions]", help: "replace the conversation by a summary", idle: true, run: (*Model).cmdCompact},
		{name: "clear", help: "start a new session", idle: true, run: (*Model).cmdClear},
		{name: "resume", help: "choose a session of this directory to resume", idle: true, run: (*Model).cmdResume},
		{name: "status", help: "provider, region, model, credentials, settings files", run: (*Model).cmdStatus},
		{name: "doctor", help: "check the Bedrock setup and say what to fix", run: (*Model).cmdDoctor},
		{name: "permissions", args: "[add|remove LIST RULE]", help: "view the permission rules; add or remove one in .claude/settings.local.json", run: (*Model).cmdPermissions},
		{name: "memory", args: "[user]", help: "edit CLAUDE.md (the project's, or ~/.claude/CLAUDE.md) in $EDITOR", idle: true, run: (*Model).cmdMemory},
		{name: "init", help: "ask the agent to write a CLAUDE.md for this repository", run: (*Model).cmdInit},
		{name: "config", help: "the effective settings with their files (secrets redacted)", run: (*Model).cmdConfig},
		{name: "search", args: "TEXT", help: "search the conversation (also Ctrl+F)", run: (*Model).cmdSearch},
		{name: "mouse", help: "leave the mouse to the terminal (select text without Shift); again to scroll with the wheel", run: (*Model).cmdMouse},
		{name: "attach", help: "add the last !command output to your next message", run: (*Model).cmdAttach},
		{name: "login", help: "not used: Bedrock authenticates with AWS credentials", run: (*Model).cmdLogin},
		{name: "logout", help: "not used: Bedrock authenticates with AWS credentials", run: (*Model).cmdLogin},
		{name: "exit", help: "leave ganban (also /quit)", run: (*Model).cmdExit},
		{name: "quit", help: "leave ganban", run: (*Model).cmdExit},
	}
}

// slash runs a slash command line.
func (m *Model) slash(line string) tea.Cmd {
	name, args, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
	args = strings.TrimSpace(args)
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		if c.idle && m.running {
			m.flash("/" + name + " waits for the answer in progress: press Esc to interrupt it first")
			return nil
		}
		return c.run(m, args)
	}
	for _, c := range m.custom {
		if c.Name == name {
			prompt := c.Expand(args)
			return m.send(prompt, line)
		}
	}
	m.conv.output("/"+name, fmt.Sprintf("Unknown command /%s. /help lists the commands.", name), levelError)
	return nil
}

// matchCommands lists the command names starting with prefix, built-in first.
func (m *Model) matchCommands(prefix string) []string {
	var out []string
	for _, c := range commands() {
		if strings.HasPrefix(c.name, prefix) {
			out = append(out, c.name)
		}
	}
	for _, c := range m.custom {
		if strings.HasPrefix(c.Name, prefix) {
			out = append(out, c.Name)
		}
	}
	return out
}

func (m *Model) say(title, text string) {
	m.conv.output(title, strings.TrimRight(text, "\n"), levelInfo)
	m.showOutput()
}

func (m *Model) sayErr(title string, err error) {
	m.conv.output(title, err.Error(), levelError)
	m.showOutput()
}

// showOutput brings the command output just added into view from its first line: a long
// one (/help at 80x24) would otherwise show only its end.
func (m *Model) showOutput() {
	m.vp.follow = true
	m.vp.pin = len(m.conv.entries)
}

func (m *Model) cmdHelp(string) tea.Cmd {
	var cmds, custom, keys section
	cmds.head = "Commands"
	for _, c := range commands() {
		cmds.rows = append(cmds.rows, [2]string{strings.TrimSpace("/" + c.name + " " + c.args), c.help})
	}
	secs := []section{cmds}
	if len(m.custom) > 0 {
		custom.head = "Custom commands (.claude/commands, ~/.claude/commands)"
		for _, c := range m.custom {
			custom.rows = append(custom.rows, [2]string{strings.TrimSpace("/" + c.Name + " " + c.ArgumentHint), c.Description + " (" + c.Scope + ")"})
		}
		secs = append(secs, custom)
	}
	keys.head = "Keys"
	for _, k := range bindings {
		keys.rows = append(keys.rows, [2]string{k.keys, k.action})
	}
	secs = append(secs, keys)
	m.conv.add(&entry{kind: kindOutput, title: "/help", sections: secs})
	m.showOutput()
	return nil
}

func (m *Model) cmdCost(string) tea.Cmd {
	u := m.usage
	t := u.Session
	var b strings.Builder
	row := func(k, v string) { fmt.Fprintf(&b, "%-22s %12s\n", k, v) }
	row("Input tokens", fmt.Sprint(t.Input))
	row("Output tokens", fmt.Sprint(t.Output))
	row("Cache reads", fmt.Sprint(t.CacheRead))
	row("Cache writes", fmt.Sprint(t.CacheWrite()))
	row("Cache hit ratio", fmt.Sprintf("%.0f%%", u.CacheHitRatio()*100))
	row("Cost this run", fmt.Sprintf("$%.4f", u.SessionCost))
	if m.priorCost > 0 {
		row("Cost before resuming", fmt.Sprintf("$%.4f", m.priorCost))
	}
	row("Session total", fmt.Sprintf("$%.4f", m.cost()))
	b.WriteString("\n")
	b.WriteString("Prices are the catalog's on-demand rates for " + m.info.Model + "; your AWS bill is the reference.")
	m.say("/cost", b.String())
	return nil
}

func (m *Model) cmdContext(string) tea.Cmd {
	limit := m.usage.ContextLimit
	if limit == 0 {
		limit = m.info.ContextLimit
	}
	used := m.usage.ContextUsed
	sys, tl := m.info.SystemTokens, m.info.ToolTokens
	msgs := max(used-sys-tl, 0)
	estimated := used == 0
	if estimated {
		used = sys + tl
	}
	free := max(limit-used, 0)
	pct := func(n int64) float64 {
		if limit == 0 {
			return 0
		}
		return float64(n) / float64(limit) * 100
	}
	const barW = 40
	bar := func(n int64) string {
		k := int(pct(n) / 100 * barW)
		return strings.Repeat("█", min(k, barW)) + strings.Repeat("░", barW-min(k, barW))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s of %s tokens (%.0f%%)\n\n", bar(used), tokens(used), tokens(limit), pct(used))
	row := func(k, v string, n int64) { fmt.Fprintf(&b, "%-34s %6s %6.1f%%\n", k, v, pct(n)) }
	row("System prompt (with memory files)", "~"+tokens(sys), sys)
	row("Tool definitions", "~"+tokens(tl), tl)
	row("Messages", tokens(msgs), msgs)
	row("Free", tokens(free), free)
	if estimated {
		b.WriteString("\nNo answer yet: the numbers are estimates (4 bytes a token).")
	} else {
		b.WriteString("\nUsed is the last prompt as Bedrock counted it; system and tools are estimates.")
	}
	b.WriteString(" /compact summarises the conversation to free room.")
	m.say("/context", b.String())
	return nil
}

// compactDoneMsg ends /compact.
type compactDoneMsg struct{ err error }

func (m *Model) cmdCompact(args string) tea.Cmd {
	if m.eng == nil {
		m.sayErr("/compact", errNoSession)
		return nil
	}
	eng := m.eng
	ctx := m.startBusy("compacting the conversation…")
	m.work.Add(1)
	post := m.post
	go func() {
		defer m.work.Done()
		err := eng.Compact(ctx, args)
		post(compactDoneMsg{err: err})
	}()
	return nil
}

func (m *Model) compactDone(msg compactDoneMsg) {
	m.endBusy()
	switch {
	case cancelled(msg.err):
		m.conv.notice(levelInfo, "/compact cancelled: the conversation is unchanged.")
	case msg.err != nil:
		m.sayErr("/compact", msg.err)
	}
}

func (m *Model) cmdClear(string) tea.Cmd {
	if m.live == nil || m.live.rt == nil {
		m.conv = newConversation()
		return nil
	}
	return m.live.switchCmd(m.startBusy("starting a new session…"), "", "", "")
}

func (m *Model) cmdSearch(args string) tea.Cmd {
	m.openSearch(args)
	return nil
}

// cmdMouse turns mouse capture on or off. It is on by default: the conversation lives on
// the alternate screen, where most terminals turn the wheel into Up and Down, which would
// page through the prompt history instead of scrolling. Off, the terminal selects text
// without Shift (GANBAN_MOUSE=off starts that way).
func (m *Model) cmdMouse(string) tea.Cmd {
	m.mouse = !m.mouse
	if m.mouse {
		m.flash("mouse on: the wheel scrolls, a click expands · Shift+drag selects text in most terminals · /mouse again to turn it off")
	} else {
		m.flash("mouse off: the terminal selects text without Shift; PgUp/PgDn scroll · /mouse again to scroll with the wheel")
	}
	return nil
}

func (m *Model) cmdAttach(string) tea.Cmd {
	if m.lastShell == "" {
		m.flash("no !command output to attach yet")
		return nil
	}
	m.attach = append(m.attach, m.lastShell)
	m.lastShell = ""
	m.flash("the last !command output will be sent with your next message")
	return nil
}

func (m *Model) cmdInit(string) tea.Cmd {
	return m.send(initPrompt, "/init")
}

// initPrompt asks for a CLAUDE.md, the memory file ganban and other agents read.
const initPrompt = `Please analyze this codebase and create a CLAUDE.md file in the repository root, which will be given to future coding sessions in this repository.

Include:
1. The commands to build, lint and test, including how to run a single test.
2. The high-level architecture: the parts that need several files read to understand, not a list of every file.

Keep it concise. If a CLAUDE.md exists, suggest improvements to it instead of replacing it. Include the important parts of README.md and of rules files such as .cursorrules or .github/copilot-instructions.md if there are any. Begin the file with:

# CLAUDE.md

This file gives guidance to coding agents working with code in this repository.`

func (m *Model) cmdExit(string) tea.Cmd {
	m.quitting = true
	return nil
}

// cmdLogin explains that there is nothing to log in to: Bedrock uses AWS credentials (S13).
func (m *Model) cmdLogin(string) tea.Cmd {
	const text = "Login is disabled: ganban talks to Claude on Amazon Bedrock, which authenticates with your AWS credentials, not an Anthropic account.\nCredentials come from AWS_BEARER_TOKEN_BEDROCK, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE (SSO or keys in ~/.aws), the awsCredentialExport command or the instance role; awsAuthRefresh renews them."
	if m.live == nil || m.live.rt == nil {
		m.say("/login", text)
		return nil
	}
	creds, ctx := m.live.rt.Credentials, m.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, statusTimeout)
		defer cancel()
		st, err := creds.Status(ctx)
		now := text + "\n\nIn use now: "
		if err != nil {
			now += "none (" + err.Error() + ")"
		} else {
			now += st.Source
		}
		return outputMsg{title: "/login", text: now}
	}
}

// sortedRules lists rules for display.
func sortedRules(rules []string) []string {
	out := append([]string(nil), rules...)
	sort.Strings(out)
	return out
}

// agentUsageReset is the usage of a session that has not answered yet.
func agentUsageReset(limit int64) agent.Usage { return agent.Usage{ContextLimit: limit} }
