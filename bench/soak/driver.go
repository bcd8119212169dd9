package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"ganban/bench/internal/harness"
)

// outcome is what driving one session took.
type outcome struct {
	runs, kills, resumes, restarts int
	errorExits                     []string // runs that ended non-zero without being killed
	refreshNotices                 int
	completed                      bool
}

// drive runs a session to its end: the first prompt, then `ganban -p -c` after every kill,
// until a run exits cleanly with the session's final answer on disk. A run is killed (the
// whole process group, SIGKILL) with probability killProb at a random moment.
func (sk *soak) drive(s *session, rng *rand.Rand) outcome {
	var o outcome
	started := false
	for attempt := 0; attempt < sk.maxRuns && time.Now().Before(sk.deadline); attempt++ {
		args := sk.agent.PrintArgs(s.prompt(), allowed)
		if started {
			args = []string{"-p", "-c", "continue with the plan", "--allowedTools", strings.Join(allowed, " ")}
			o.resumes++
		}
		spec := harness.Spec{Dir: s.repo, Args: args, Env: sk.env(s), Timeout: 5 * time.Minute}
		if rng.Float64() < sk.killProb {
			spec.KillAfter = sk.killMin + time.Duration(rng.Int64N(int64(sk.killMax-sk.killMin)))
		}
		run, err := harness.Exec(sk.agent, spec)
		o.runs++
		o.refreshNotices += strings.Count(run.Stderr, "running awsAuthRefresh")
		if err != nil {
			o.errorExits = append(o.errorExits, err.Error())
			continue
		}
		// A first run killed before the prompt reached the transcript left nothing to
		// continue: start again, as a user would.
		started = hasPrompt(s)
		if !started && attempt > 0 {
			o.restarts++
		}
		switch {
		case run.Killed && run.Code != 0:
			o.kills++
		case run.Code != 0:
			o.errorExits = append(o.errorExits, fmt.Sprintf("exit %d: %s", run.Code, lastLines(run.Stderr, 3)))
		case hasFinal(s):
			o.completed = true
			return o
		default:
			o.errorExits = append(o.errorExits, "exit 0 without the final answer: "+lastLines(run.Stdout, 2))
		}
	}
	return o
}

// transcripts are the session's transcript files (one per fresh start).
func transcripts(s *session) []string {
	paths, _ := filepath.Glob(filepath.Join(s.ganbanHome, "projects", "*", "*.jsonl"))
	return paths
}

// hasPrompt reports whether a transcript holds the session's first prompt.
func hasPrompt(s *session) bool { return transcriptContains(s, "user", s.match()) }

// hasFinal reports whether a transcript holds the session's final answer.
func hasFinal(s *session) bool { return transcriptContains(s, "assistant", s.final()) }

func transcriptContains(s *session, typ, text string) bool {
	for _, p := range transcripts(s) {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
		for sc.Scan() {
			var e struct {
				Type string `json:"type"`
			}
			if json.Unmarshal(sc.Bytes(), &e) == nil && e.Type == typ && strings.Contains(sc.Text(), text) {
				f.Close()
				return true
			}
		}
		f.Close()
	}
	return false
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
