package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"ganban/bench/internal/harness"
	"ganban/bench/internal/scen"
	"ganban/internal/sim"
)

type quotaResult struct {
	MaxTokens       int     `json:"max_output_tokens"`
	LargeWrite      bool    `json:"large_write"`
	Quota           string  `json:"quota"`
	Sessions        int     `json:"sessions"`
	Failed          int     `json:"failed_sessions"`
	Stopped         int     `json:"stopped_at_window_end"`
	Turns           int     `json:"completed_turns"`
	Truncated       int     `json:"answers_cut_at_max_tokens"`
	Throttled       int64   `json:"throttled"`
	SimMinutes      float64 `json:"simulated_minutes"`
	TurnsPerMinute  float64 `json:"turns_per_simulated_minute"`
	OutputTokens    int64   `json:"output_tokens"`
	FailureExamples string  `json:"failure_example,omitempty"`
}

// quota runs parallel print-mode sessions under a per-model quota, once with ganban's
// default output budget (4096, recovering from answers cut off at it) and once with 32000.
// The token quota reserves max(max_tokens, 4096) per request when it is admitted (S20), so a
// large budget fills the minute's window with reservations and fewer requests get in. The
// simulator's clock is moved a minute every second, so a run of half an hour of simulated
// time takes half a minute; turns per simulated minute come from the simulator's log.
func quota(c config) error {
	q, err := sim.ParseQuota(c.quota)
	if err != nil {
		return err
	}
	g := c.agents()[0]
	var res []quotaResult
	for _, large := range []bool{false, true} {
		for _, mt := range []int{4096, 32000} {
			r, err := quotaRun(c, g, q, mt, large)
			if err != nil {
				return fmt.Errorf("max tokens %d: %w", mt, err)
			}
			res = append(res, r)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "### Under a quota\n\n`bench/agents quota -sessions %d -quota %s -minutes %d`: %d workers start ganban print-mode sessions one after another for %d simulated minutes (the simulator's clock moves a minute every real second; turns that start in the window count, sessions still running at its end are stopped and not counted as ended), each session 10 turns over its own directory: reads, edits and two `Write` calls of about 1,000 output tokens each; in the second workload one of the two writes is about 6,000 tokens, more than 4096, so at 4096 its answer is cut and asked again at 8192. Quota `%s` on the model, with the setup guide's token burndown.\n\n",
		c.sessions, c.quota, c.minutes, c.sessions, c.minutes, c.quota)
	b.WriteString("| workload | CLAUDE_CODE_MAX_OUTPUT_TOKENS | sessions ended | failed | completed turns | simulated minutes | turns per simulated minute | throttled requests | answers cut at max_tokens | output tokens billed |\n|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range res {
		load := "answers under 4096 tokens"
		if r.LargeWrite {
			load = "one 6,000-token answer per session"
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %.0f | %.2f | %d | %d | %d |\n", load, r.MaxTokens, r.Sessions, r.Failed, r.Turns, r.SimMinutes, r.TurnsPerMinute, r.Throttled, r.Truncated, r.OutputTokens)
	}
	failed := 0
	for _, r := range res {
		failed += r.Failed
	}
	b.WriteString("\n")
	for i := 0; i+1 < len(res); i += 2 {
		ratio := res[i].TurnsPerMinute / res[i+1].TurnsPerMinute
		load := "answers under 4096 tokens"
		if res[i].LargeWrite {
			load = "one 6,000-token answer per session"
		}
		fmt.Fprintf(&b, "Target (at least 1.5 times the turns per minute of 32000), %s: %s (%.2fx).\n", load, verdict(ratio >= 1.5), ratio)
	}
	fmt.Fprintf(&b, "No failed session: %s (%d failed).\n", verdict(failed == 0), failed)
	for _, r := range res {
		if r.FailureExamples != "" {
			fmt.Fprintf(&b, "\nA failed session at %d: `%s`\n", r.MaxTokens, r.FailureExamples)
		}
	}
	return section(c, "40-quota", b.String(), res)
}

func quotaRun(c config, a harness.Agent, q sim.Quota, maxTokens int, large bool) (quotaResult, error) {
	r := quotaResult{MaxTokens: maxTokens, Quota: c.quota, LargeWrite: large}
	w, err := newWorld(c, fmt.Sprintf("quota%d-%v", maxTokens, large))
	if err != nil {
		return r, err
	}
	defer w.close()
	big := strings.Repeat("// Generated table row with enough text to weigh about ten tokens.\n", 360)  // ~6,000 tokens
	small := strings.Repeat("// Generated table row with enough text to weigh about ten tokens.\n", 60) // ~1,000 tokens
	if !large {
		big = small
	}
	steps := []scen.Step{
		scen.Read("notes.txt"), scen.Edit("notes.txt", "status: draft", "status: reviewed"),
		scen.Read("notes.txt"), scen.Write("table.go", big),
		scen.Read("table.go"), scen.Edit("notes.txt", "owner: nobody", "owner: bench"),
		scen.Read("notes.txt"), scen.Write("small.go", small),
		scen.Read("small.go"), scen.Say("Done with this session."),
	}
	sc, err := scen.Build(filepath.Join(w.dir, "scenario.json"), "ok", scen.Conversation{Name: "quota", Match: "quota session", Steps: steps})
	if err != nil {
		return r, err
	}
	if err := w.start(sim.Options{Scenario: sc, Quota: q}); err != nil {
		return r, err
	}
	env := w.env(a, fmt.Sprintf("CLAUDE_CODE_MAX_OUTPUT_TOKENS=%d", maxTokens))
	start, err := w.sim.Now()
	if err != nil {
		return r, err
	}
	// The simulated clock moves a minute every second. The window closes on the tick that
	// reaches -minutes: sessions still running then are stopped, and only the turns that
	// started inside the window count, so the result does not depend on how long the last
	// sessions take.
	deadline := start.Add(time.Duration(c.minutes) * time.Minute)
	closed := make(chan struct{})
	var windowEnd time.Time
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for range t.C {
			if now, err := w.sim.Advance(time.Minute); err == nil && !now.Before(deadline) {
				windowEnd = time.Now()
				close(closed)
				return
			}
		}
	}()
	var mu sync.Mutex
	var workers sync.WaitGroup
	for wk := 0; wk < c.sessions; wk++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for n := 0; ; n++ {
				select {
				case <-closed:
					return
				default:
				}
				dir := filepath.Join(w.repo, fmt.Sprintf("w%d-s%d", wk, n))
				_ = os.MkdirAll(dir, 0o755)
				_ = os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("# Notes\n\nstatus: draft\nowner: nobody\n"), 0o644)
				run, err := harness.Exec(a, harness.Spec{Dir: dir, Env: env, Timeout: 10 * time.Minute, Stop: closed,
					Args: a.PrintArgs(fmt.Sprintf("quota session %d-%d: tidy the notes", wk, n), []string{"Read"}, "--permission-mode", "acceptEdits")})
				mu.Lock()
				switch {
				case run.Killed:
					r.Stopped++
				case err != nil || run.Code != 0 || !strings.Contains(run.Stdout, "Done with this session."):
					r.Sessions++
					r.Failed++
					if r.FailureExamples == "" {
						r.FailureExamples = strings.TrimSpace(lastLine(run.Stderr + " " + run.Stdout))
					}
				default:
					r.Sessions++
				}
				mu.Unlock()
			}
		}()
	}
	workers.Wait()
	r.SimMinutes = float64(c.minutes)
	es, err := w.sim.Entries()
	if err != nil {
		return r, err
	}
	for _, e := range es {
		if e.Conversation != "quota" || !e.Turn() || !e.Time.Before(windowEnd) {
			continue
		}
		if e.StopReason == "max_tokens" {
			r.Truncated++
		} else {
			r.Turns++
		}
	}
	rep, err := w.sim.Report()
	if err != nil {
		return r, err
	}
	r.Throttled, r.OutputTokens = rep.Throttled, rep.Usage.OutputTokens // the stopped sessions' too
	r.TurnsPerMinute = float64(r.Turns) / r.SimMinutes
	return r, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
