package headless

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strings"

	"ganban/internal/anthropic"
)

// promptSource yields the prompts of a print-mode run.
type promptSource struct {
	seq iter.Seq[[]anthropic.Block]
	err error
}

func (p *promptSource) Err() error { return p.err }

// readPrompts returns the prompts: the argument, with piped stdin added to it (text input),
// or one prompt per user message on stdin (stream-json input).
func readPrompts(o Options) (*promptSource, error) {
	ps := &promptSource{}
	if o.InputFormat == FormatStreamJSON {
		if o.Stdin == nil {
			return nil, fmt.Errorf("--input-format stream-json reads user messages from stdin, but stdin is a terminal")
		}
		ps.seq = func(yield func([]anthropic.Block) bool) {
			sc := bufio.NewScanner(o.Stdin)
			sc.Buffer(make([]byte, 0, 64<<10), 32<<20)
			for sc.Scan() {
				line := strings.TrimSpace(sc.Text())
				if line == "" {
					continue
				}
				var in struct {
					Type    string            `json:"type"`
					Message anthropic.Message `json:"message"`
				}
				if err := json.Unmarshal([]byte(line), &in); err != nil || in.Type != "user" || len(in.Message.Content) == 0 {
					ps.err = fmt.Errorf(`stdin line is not a user message ({"type":"user","message":{"role":"user","content":"..."}}): %.80s`, line)
					return
				}
				if !yield(in.Message.Content) {
					return
				}
			}
			ps.err = sc.Err()
		}
		return ps, nil
	}
	prompt := o.Prompt
	if o.Stdin != nil {
		data, err := io.ReadAll(io.LimitReader(o.Stdin, 32<<20))
		if err != nil {
			return nil, fmt.Errorf("read stdin: %w", err)
		}
		if piped := strings.TrimRight(string(data), "\n"); piped != "" {
			if prompt != "" {
				prompt += "\n\n"
			}
			prompt += piped
		}
	}
	if strings.TrimSpace(prompt) == "" {
		return nil, fmt.Errorf(`print mode needs a prompt: ganban -p "your request" (or pipe it on stdin)`)
	}
	ps.seq = func(yield func([]anthropic.Block) bool) { yield([]anthropic.Block{anthropic.Text(prompt)}) }
	return ps, nil
}
