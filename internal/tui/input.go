package tui

import (
	"fmt"
	"regexp"
	"strings"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Large pastes are shown collapsed in the input, "[pasted 300 lines #1]", and sent whole.
const (
	pasteLines = 8
	pasteBytes = 800
	maxInputH  = 8
)

var pasteRef = regexp.MustCompile(`\[pasted \d+ lines #(\d+)\]`)

// input is the prompt editor: a multi-line text area with collapsed pastes, history and
// @path completion on top.
type input struct {
	ta     textarea.Model
	pastes map[int]string
	nPaste int
	comp   *completion
}

func newInput(th *theme) *input {
	ta := textarea.New()
	ta.ShowLineNumbers = false
	ta.Prompt = ""
	ta.SetPromptFunc(2, func(pi textarea.PromptInfo) string {
		if pi.LineNumber == 0 {
			return "> "
		}
		return "  "
	})
	ta.Placeholder = "Ask anything · /help · @file · !shell command"
	ta.DynamicHeight = true
	ta.MinHeight = 1
	ta.MaxHeight = maxInputH
	ta.MaxContentHeight = 100000
	ta.MaxWidth = 0
	ta.CharLimit = 0
	ta.SetVirtualCursor(false)
	// Enter sends; newlines come from Shift+Enter, Ctrl+J, Alt+Enter or a trailing "\".
	ta.KeyMap.InsertNewline.SetEnabled(false)
	// PgUp/PgDn scroll the conversation, not the input.
	ta.KeyMap.PageUp.SetEnabled(false)
	ta.KeyMap.PageDown.SetEnabled(false)
	in := &input{ta: ta, pastes: map[int]string{}}
	in.setTheme(th)
	in.ta.Focus()
	return in
}

func (in *input) setTheme(th *theme) {
	st := textarea.DefaultStyles(th.dark)
	plain := lipgloss.NewStyle()
	for _, s := range []*textarea.StyleState{&st.Focused, &st.Blurred} {
		s.Base, s.Text, s.CursorLine, s.EndOfBuffer = plain, plain, plain, plain
		s.Prompt = th.user
		s.Placeholder = th.dim
	}
	st.Cursor.Blink = false
	in.ta.SetStyles(st)
}

func (in *input) setWidth(w int) { in.ta.SetWidth(max(w, 10)) }

func (in *input) value() string { return in.ta.Value() }

func (in *input) setValue(s string) {
	in.ta.SetValue(s)
	in.ta.MoveToEnd()
}

func (in *input) reset() {
	in.ta.Reset()
	in.pastes = map[int]string{}
	in.comp = nil
}

func (in *input) insertNewline() { in.ta.InsertRune('\n') }

// paste inserts pasted text, collapsing it when it is large.
func (in *input) paste(text string) {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	// A final newline ends the last line; it does not start another.
	lines := strings.Count(strings.TrimSuffix(text, "\n"), "\n") + 1
	if lines < pasteLines && len(text) < pasteBytes {
		in.ta.InsertString(text)
		return
	}
	in.nPaste++
	in.pastes[in.nPaste] = text
	in.ta.InsertString(fmt.Sprintf("[pasted %d lines #%d]", lines, in.nPaste))
}

// expanded is the input with collapsed pastes replaced by their text: what is sent.
func (in *input) expanded() string {
	return expandPastes(in.ta.Value(), in.pastes)
}

func expandPastes(s string, pastes map[int]string) string {
	if len(pastes) == 0 {
		return s
	}
	return pasteRef.ReplaceAllStringFunc(s, func(ref string) string {
		var n int
		fmt.Sscanf(pasteRef.FindStringSubmatch(ref)[1], "%d", &n)
		if text, ok := pastes[n]; ok {
			return text
		}
		return ref
	})
}

// update passes a key or paste to the text area.
func (in *input) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	in.ta, cmd = in.ta.Update(msg)
	return cmd
}

// onFirstLine and onLastLine decide whether Up and Down move in the text or in history.
func (in *input) onFirstLine() bool { return in.ta.Line() == 0 }
func (in *input) onLastLine() bool  { return in.ta.Line() >= in.ta.LineCount()-1 }

func (in *input) view() string { return in.ta.View() }

func (in *input) cursor() *tea.Cursor { return in.ta.Cursor() }
