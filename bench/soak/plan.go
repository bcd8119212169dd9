package main

import (
	"fmt"
	"path/filepath"

	"ganban/bench/internal/scen"
)

// A session's plan cycles through five kinds of step, each of which leaves a trace that can
// be counted afterwards: a line appended to the ledger (a second run would append it twice),
// an insertion before an anchor (a second run would insert it twice), a new file with
// known content. The slow Bash step widens the window in which a kill lands while a tool runs.
const (
	stepLedger = iota
	stepRead
	stepEdit
	stepWrite
	stepSlowLedger
	stepKinds
)

// anchor is the line every edit inserts before.
const anchor = "<!-- end -->"

// session is one soak session: its directories, prompt and plan.
type session struct {
	n          int
	dir, repo  string
	ganbanHome string
	steps      int
}

func newSession(work string, n, steps int) *session {
	dir := filepath.Join(work, fmt.Sprintf("s%03d", n))
	return &session{n: n, dir: dir, repo: filepath.Join(dir, "repo"), ganbanHome: filepath.Join(dir, "ganban"), steps: steps}
}

func (s *session) prompt() string {
	return fmt.Sprintf("soak session %03d: work through the plan", s.n)
}
func (s *session) match() string { return fmt.Sprintf("soak session %03d:", s.n) }
func (s *session) final() string { return fmt.Sprintf("soak session %03d complete", s.n) }

// marker is the trace of step k: the ledger line, the inserted line or the file content.
func (s *session) marker(k int) string { return fmt.Sprintf("soak s%03d k%02d", s.n, k) }

func (s *session) outFile(k int) string {
	return filepath.Join(s.repo, "out", fmt.Sprintf("s%03d-k%02d.txt", s.n, k))
}

// stepOf is the scripted call of step k.
func (s *session) stepOf(k int) scen.Step {
	notes := filepath.Join(s.repo, "notes.md")
	switch k % stepKinds {
	case stepLedger:
		return scen.Bash(fmt.Sprintf("echo '%s' >> ledger.txt", s.marker(k)), "Record the step")
	case stepRead:
		return scen.Read(notes)
	case stepEdit:
		return scen.Edit(notes, anchor, s.marker(k)+"\n"+anchor)
	case stepWrite:
		return scen.Write(s.outFile(k), s.marker(k)+"\n")
	default:
		return scen.Bash(fmt.Sprintf("echo '%s' >> ledger.txt; sleep 0.2", s.marker(k)), "Record the step, slowly")
	}
}

func (s *session) conversation() scen.Conversation {
	c := scen.Conversation{Name: fmt.Sprintf("s%03d", s.n), Match: s.match()}
	for k := 0; k < s.steps; k++ {
		c.Steps = append(c.Steps, s.stepOf(k))
	}
	c.Steps = append(c.Steps, scen.Say(s.final()))
	return c
}
