package session

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"

	"ganban/internal/anthropic"
	"ganban/internal/redact"
)

// Writer appends to one session's transcript.
type Writer struct {
	ID   string
	Path string
	meta Meta

	mu   sync.Mutex
	f    *os.File
	last string // uuid of the last message entry, the next one's parent
	now  func() time.Time
}

// Meta is what every entry of a session repeats.
type Meta struct {
	CWD, Version, GitBranch string
}

// NewID returns a random UUID, the shape of session and entry ids.
func NewID() string { return uuid.NewString() }

// Create starts a new transcript in dir.
func Create(dir, id string, meta Meta) (*Writer, error) {
	path, err := fileName(dir, id)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create session directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create session %s: %w", id, err)
	}
	return &Writer{ID: id, Path: path, meta: meta, f: f, now: time.Now}, nil
}

// Append continues an existing transcript. A last line cut short by a crash is removed
// first, so that the next entry starts on a line of its own.
func Append(path string, meta Meta) (*Writer, *Transcript, error) {
	if err := trimPartialLine(path); err != nil {
		return nil, nil, err
	}
	t, err := Read(path)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open session: %w", err)
	}
	w := &Writer{ID: t.ID, Path: path, meta: meta, f: f, now: time.Now, last: t.LastUUID}
	return w, t, nil
}

// trimPartialLine drops bytes after the last newline.
func trimPartialLine(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("open session: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	if len(data) == 0 || data[len(data)-1] == '\n' {
		return nil
	}
	return f.Truncate(int64(bytes.LastIndexByte(data, '\n') + 1))
}

// write appends one entry and forces it to disk before returning.
func (w *Writer) write(e Entry) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return fmt.Errorf("session %s is closed", w.ID)
	}
	e.SessionID, e.CWD, e.Version, e.GitBranch = w.ID, w.meta.CWD, w.meta.Version, w.meta.GitBranch
	e.Timestamp = w.now().UTC()
	if e.Type == TypeUser || e.Type == TypeAssistant || e.Type == TypeSystem {
		e.UUID = NewID()
		if w.last != "" {
			parent := w.last
			e.ParentUUID = &parent
		}
		if e.Type != TypeSystem || e.Subtype == SubtypeCompact || e.Subtype == SubtypeRewind {
			w.last = e.UUID
		}
	}
	if e.Type == TypeUser || e.Type == TypeAssistant {
		e.UserType = "external"
	}
	// An entry that does not encode (a tool input that is not JSON, say) is refused whole:
	// the session goes on, and the transcript keeps only lines that read back.
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode session entry: %w", err)
	}
	if _, err := w.f.Write(append(data, '\n')); err != nil {
		return fmt.Errorf("write session: %w", err)
	}
	if err := w.f.Sync(); err != nil {
		return fmt.Errorf("sync session: %w", err)
	}
	return nil
}

// User records a user message (a prompt, or tool results).
func (w *Writer) User(m anthropic.Message, toolResults bool) error {
	return w.write(Entry{Type: TypeUser, Message: &Message{Role: anthropic.RoleUser, Content: redactBlocks(m.Content)}, ToolUseResult: toolResults})
}

// Assistant records a complete assistant message with its usage and cost.
func (w *Writer) Assistant(r anthropic.Response, requestID string, costUSD float64) error {
	u := r.Usage
	return w.write(Entry{Type: TypeAssistant, RequestID: requestID, CostUSD: costUSD, Message: &Message{
		ID: r.ID, Type: "message", Role: anthropic.RoleAssistant, Model: r.Model, Content: redactBlocks(r.Content), StopReason: r.StopReason, Usage: &u}})
}

// Request records a billed request whose answer is not a message of the conversation (see
// SubtypeRequest).
func (w *Writer) Request(purpose string, r anthropic.Response, requestID string, costUSD float64) error {
	u := r.Usage
	return w.write(Entry{Type: TypeSystem, Subtype: SubtypeRequest, Content: purpose, RequestID: requestID, CostUSD: costUSD,
		Message: &Message{ID: r.ID, Type: "message", Role: anthropic.RoleAssistant, Model: r.Model, Content: []anthropic.Block{}, Usage: &u}})
}

// Title records the session's title.
func (w *Writer) Title(title string) error {
	w.mu.Lock()
	leaf := w.last
	w.mu.Unlock()
	return w.write(Entry{Type: TypeSummary, Summary: title, LeafUUID: leaf})
}

// Compacted records that the conversation so far was replaced by a summary: on resume the
// history starts at the summary.
func (w *Writer) Compacted(summary string) error {
	return w.write(Entry{Type: TypeSystem, Subtype: SubtypeCompact, Content: redact.String(summary)})
}

// Rewound records that the conversation was cut back to its first keep messages (the user
// took back a prompt): a resumed session ends there too.
func (w *Writer) Rewound(keep int) error {
	return w.write(Entry{Type: TypeSystem, Subtype: SubtypeRewind, Content: strconv.Itoa(keep)})
}

// Notice records something the user was told (a retry, a refresh).
func (w *Writer) Notice(text string) error {
	return w.write(Entry{Type: TypeSystem, Subtype: SubtypeNotice, Content: redact.String(text)})
}

// Close closes the file.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}

// redactBlocks removes secrets from text a transcript would keep: tool output often shows
// environment dumps and config files.
func redactBlocks(blocks []anthropic.Block) []anthropic.Block {
	out := make([]anthropic.Block, len(blocks))
	for i, b := range blocks {
		b.Text = redact.String(b.Text)
		if b.Type == anthropic.BlockToolUse {
			b.Input = []byte(redact.String(string(b.Input)))
		}
		if len(b.Content) > 0 {
			b.Content = redactBlocks(b.Content)
		}
		out[i] = b
	}
	return out
}
