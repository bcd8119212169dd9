package tui

import (
	"context"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	xansi "github.com/charmbracelet/x/ansi"

	"ganban/internal/agent"
	"ganban/internal/anthropic"
	"ganban/internal/catalog"
	"ganban/internal/tools"
	"ganban/internal/tui/history"
	"ganban/internal/tui/slash"
)

// engine is what the UI drives of the agent; *agent.Agent is one, tests use fakes.
type engine interface {
	Run(ctx context.Context, prompt []anthropic.Block) agent.Result
	Compact(ctx context.Context, instructions string) error
	Totals() (catalog.Tokens, float64)
	Rewind() (string, error)
}

// info is what the status line and /status say about the session.
type info struct {
	Model, ModelID, Region, RegionSource string
	SessionID, WorkDir, Title, Version   string
	Mode                                 string
	// SystemTokens and ToolTokens estimate the fixed part of every prompt, for /context.
	SystemTokens, ToolTokens int64
	ContextLimit             int64
}

// Model is the UI's state. Only the Bubble Tea event loop touches it.
type Model struct {
	ctx    context.Context
	cancel context.CancelFunc
	post   func(tea.Msg)
	now    func() time.Time

	width, height int
	th            *theme
	md            *markdown
	rend          renderer
	noColor       bool

	conv   *conversation
	vp     viewport
	in     *input
	hist   *history.Store
	nav    *historyNav
	rs     *revSearch
	search *search
	files  *fileLister

	dialog *permDialog
	asks   []askMsg
	picker *picker
	setup  *setupScreen
	trust  *trustScreen
	busy   string // a blocking operation in progress (loading, switching model)
	// busyCancel stops the operation (Esc); nil when it cannot be stopped (start-up).
	busyCancel context.CancelFunc
	busySince  time.Time

	live  *live
	eng   engine
	info  info
	usage agent.Usage
	// priorCost is what a resumed session had cost before this process.
	priorCost float64
	custom    []slash.Command
	todos     []tools.Todo
	// sessionRules are the rules granted "for this session", for /permissions.
	sessionRules []string

	running    bool
	runCancel  context.CancelFunc
	runStart   time.Time
	work       sync.WaitGroup
	queued     []string
	lastPrompt string
	attach     []string
	lastShell  string

	retry        *retryState
	refreshing   bool
	refreshLines []string
	refreshRaw   string

	// mouse captures the mouse for the wheel and clicks (/mouse); off, the terminal keeps it
	// for selecting text.
	mouse bool

	// termW and termH are the terminal's size as last reported; resizes counts the changes,
	// so that only the last of a burst of resizes repaints.
	termW, termH int
	resizes      int

	lastEsc, lastCtrlC time.Time
	warn               string
	warnUntil          time.Time
	ticking            bool
	quitting           bool
	demoChosen         bool // on the setup screen; Run returns ErrDemoChosen
}

// resizeSettle is how long after the last resize the whole screen is drawn again. While an
// answer streams, the renderer scrolls with a scrolling region (DECSTBM) and afterwards sets
// it back to the rows it believes the screen has. A frame written just before the resize
// reached the program leaves the grown terminal scrolling only its old top rows: every
// later frame is then drawn into the wrong rows and the bottom of the screen stays empty
// (seen in tmux going from 60x15 to 120x40 mid-answer).
const resizeSettle = 150 * time.Millisecond

// resizeSettledMsg is the end of resize number n's wait.
type resizeSettledMsg struct{ n int }

// config builds a Model; tests fill it with fixed values.
type config struct {
	ctx     context.Context
	post    func(tea.Msg)
	now     func() time.Time
	dark    bool
	noColor bool
	// mouseOff leaves the mouse to the terminal from the start (GANBAN_MOUSE=off).
	mouseOff bool
	hist     *history.Store
	workDir  string
}

func newModel(c config) *Model {
	if c.now == nil {
		c.now = time.Now
	}
	if c.hist == nil {
		c.hist = history.Open("", "")
	}
	if c.post == nil {
		c.post = func(tea.Msg) {}
	}
	ctx, cancel := context.WithCancel(c.ctx)
	m := &Model{ctx: ctx, cancel: cancel, post: c.post, now: c.now, noColor: c.noColor, width: 80, height: 24,
		conv: newConversation(), hist: c.hist, vp: viewport{follow: true}, mouse: !c.mouseOff}
	m.nav = newHistoryNav(m.hist)
	m.setTheme(c.dark)
	m.in = newInput(m.th)
	m.files = fileListerFor(c.workDir, c.now)
	m.layout()
	return m
}

func (m *Model) setTheme(dark bool) {
	m.th = newTheme(dark, m.noColor)
	m.md = newMarkdown(dark, m.noColor)
	m.rend = renderer{th: m.th, md: m.md}
	if m.in != nil {
		m.in.setTheme(m.th)
	}
	m.conv.invalidate()
}

// Init asks the terminal for its background (light or dark) and starts the session.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{func() tea.Msg { return tea.RequestBackgroundColor() }}
	if m.live != nil && m.eng == nil {
		cmds = append(cmds, m.live.bootCmd(m.ctx))
	}
	return tea.Batch(cmds...)
}

// Update handles one message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	if m.quitting {
		return m, tea.Quit
	}
	return m, tea.Batch(cmd, m.keepTicking())
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		changed := msg.Width != m.termW || msg.Height != m.termH
		m.termW, m.termH = msg.Width, msg.Height
		m.width, m.height = max(msg.Width, 20), max(msg.Height, 6)
		m.layout()
		if !changed {
			return nil
		}
		m.resizes++
		n := m.resizes
		return tea.Tick(resizeSettle, func(time.Time) tea.Msg { return resizeSettledMsg{n: n} })
	case resizeSettledMsg:
		if msg.n != m.resizes {
			return nil // a later resize waits for its own
		}
		// Once the terminal has settled: give the scrolling region back to the whole screen
		// (see resizeSettle), draw everything again, and read the size again in case the
		// reports came out of order.
		return tea.Sequence(tea.Raw(xansi.SetTopBottomMargins(0, 0)), tea.ClearScreen, tea.RequestWindowSize)
	case tea.BackgroundColorMsg:
		if dark := msg.IsDark(); dark != m.th.dark {
			m.setTheme(dark)
		}
		return nil
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.PasteMsg:
		return m.paste(msg.Content)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			m.scroll(-3)
		case tea.MouseWheelDown:
			m.scroll(3)
		}
		return nil
	case tea.MouseClickMsg:
		m.click(msg.Mouse().Y)
		return nil
	case agentMsg:
		m.agentEvent(msg.e)
		return nil
	case askMsg:
		m.enqueueAsk(msg)
		return nil
	case noticeMsg:
		m.bedrockNotice(msg.n)
		return nil
	case refreshOutputMsg:
		m.refreshOutput(msg.text)
		return nil
	case runDoneMsg:
		return m.runDone(msg.res)
	case outputMsg:
		lv := levelInfo
		if msg.isErr {
			lv = levelError
		}
		m.conv.output(msg.title, msg.text, lv)
		m.showOutput()
		return nil
	case todosMsg:
		m.todos = msg.items
		return nil
	case tickMsg:
		m.ticking = false
		m.rend.frame++
		m.conv.touchRunning()
		return nil
	}
	return m.appMsg(msg)
}

// keepTicking schedules the next animation frame while something animates.
func (m *Model) keepTicking() tea.Cmd {
	flashing := m.warn != "" && m.now().Before(m.warnUntil)
	if m.ticking || !(m.running || m.retry != nil || m.refreshing || m.busy != "" || flashing) {
		return nil
	}
	m.ticking = true
	return tea.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return tickMsg{} })
}

// layout sizes the parts after a resize.
func (m *Model) layout() {
	m.in.setWidth(m.width - 2)
	m.conv.invalidate()
}

// flash shows a short message above the input for a few seconds.
func (m *Model) flash(text string) {
	m.warn, m.warnUntil = text, m.now().Add(3*time.Second)
}

// agentEvent shows one agent event.
func (m *Model) agentEvent(e agent.Event) {
	switch e.Kind {
	case agent.EventText:
		m.settleNotices()
		m.conv.appendDelta(kindAssistant, e.Text)
	case agent.EventThinking:
		m.settleNotices()
		m.conv.appendDelta(kindThinking, e.Text)
	case agent.EventRestart:
		m.conv.restart()
	case agent.EventAssistant:
		if e.Message != nil {
			m.conv.answer(e.Message)
		}
	case agent.EventToolStart, agent.EventToolEnd:
		if e.Tool != nil {
			m.conv.toolEvent(e.Tool, e.Kind == agent.EventToolEnd)
		}
	case agent.EventToolProgress:
		if e.Tool != nil {
			m.conv.toolProgress(e.Tool.ID, e.Text)
		}
	case agent.EventToolResults:
		if e.Results != nil {
			m.conv.unranResults(e.Results.Content)
		}
	case agent.EventNotice:
		lv := levelInfo
		if e.NoticeFor == "permission" || e.NoticeFor == "max_tokens" {
			lv = levelWarn
		}
		m.conv.notice(lv, e.Text)
	case agent.EventUsage:
		m.settleNotices()
		if e.Usage != nil {
			m.usage = *e.Usage
		}
	case agent.EventCompacted:
		m.conv.output("Conversation compacted", "The conversation so far was replaced by this summary:\n\n"+e.Text, levelInfo)
		if l := m.conv.last(); l != nil {
			l.open = false
		}
	case agent.EventTitle:
		m.info.Title = e.Text
	}
}

// cost is what the session has cost, including before it was resumed.
func (m *Model) cost() float64 { return m.priorCost + m.usage.SessionCost }
