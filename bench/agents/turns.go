package main

import (
	"fmt"
	"strings"

	"ganban/bench/internal/harness"
	"ganban/bench/internal/scen"
	"ganban/bench/internal/stats"
	"ganban/internal/sim"
)

// turnSteps is the length of the per-turn session: cheap tool calls, so what is measured is
// the agent's own work between two model answers.
const turnSteps = 20

type turnsResult struct {
	Agent           string    `json:"agent"`
	GapMedianMS     float64   `json:"gap_median_ms"`
	GapP90MS        float64   `json:"gap_p90_ms"`
	WallPerTurnMS   float64   `json:"wall_per_turn_ms"`
	CPUPerTurnMS    float64   `json:"cpu_per_turn_ms"`
	SessionWallMS   float64   `json:"session_wall_ms"`
	SessionCPUMS    float64   `json:"session_cpu_ms"`
	BaselineWallMS  float64   `json:"baseline_wall_ms"`
	BaselineCPUMS   float64   `json:"baseline_cpu_ms"`
	PeakRSSKB       float64   `json:"peak_rss_kb"`
	Gaps            []float64 `json:"gaps_ms"`
	ModelRequests   float64   `json:"model_requests_per_session"`
	TurnsPerSession int       `json:"turns_per_session"`
	Runs            int       `json:"runs"`
	// Resent counts turn requests sent again over all runs: a step the simulator answered
	// in full that the client asked for once more.
	Resent int `json:"resent"`
}

// turns runs a 20-step session of Read calls on small files with zero model latency, and a
// one-answer session, several times each. Two figures per agent:
//   - the gap: from the moment the simulator finished sending one answer to the moment the
//     next request arrived, read off the simulator's own request stamps; it is everything the
//     client does between two answers (decode the end of the stream, write the transcript,
//     run the tool, build, sign and send the next request);
//   - wall and CPU per turn: (20-step session - one-answer session) / 20, from the child's
//     wait4 usage, so start-up and exit are not counted.
func turns(c config) error {
	w, err := newWorld(c, "turns")
	if err != nil {
		return err
	}
	defer w.close()
	files, err := w.writeFiles(10, func(i int) string {
		return fmt.Sprintf("Note %d\n\nA short file, read by the per-turn benchmark.\nLine three of note %d.\n", i, i)
	})
	if err != nil {
		return err
	}
	var steps []scen.Step
	for i := 0; i < turnSteps; i++ {
		steps = append(steps, scen.Read(files[i%len(files)]))
	}
	steps = append(steps, scen.Say("read them all"))
	sc, err := scen.Build(w.dir+"/scenario.json", "ok",
		scen.Conversation{Name: "twenty", Match: "read the notes", Steps: steps},
		scen.Conversation{Name: "one", Match: "just answer", Steps: []scen.Step{scen.Say("answered")}})
	if err != nil {
		return err
	}
	if err := w.start(sim.Options{Scenario: sc}); err != nil {
		return err
	}
	var res []turnsResult
	for _, a := range c.agents() {
		r := turnsResult{Agent: a.Name, TurnsPerSession: turnSteps + 1, Runs: c.runs}
		var wall20, cpu20, wall1, cpu1, rss, reqs []float64
		for i := -1; i < c.runs; i++ {
			one, err := harness.Exec(a, harness.Spec{Dir: w.repo, Args: a.PrintArgs("just answer", []string{"Read"}), Env: w.env(a)})
			if err != nil || one.Code != 0 {
				return fmt.Errorf("one-answer session: %v %v", err, failed(a, one))
			}
			full, err := harness.Exec(a, harness.Spec{Dir: w.repo, Args: a.PrintArgs("read the notes", []string{"Read"}), Env: w.env(a)})
			if err != nil || full.Code != 0 || !strings.Contains(full.Stdout, "read them all") {
				return fmt.Errorf("20-step session: %v %v", err, failed(a, full))
			}
			if i < 0 {
				continue // warm-up
			}
			wall1, cpu1 = append(wall1, ms(one.Wall)), append(cpu1, ms(one.CPU()))
			wall20, cpu20 = append(wall20, ms(full.Wall)), append(cpu20, ms(full.CPU()))
			rss = append(rss, float64(full.MaxRSSKB))
			gaps, n, again, err := turnGaps(w.sim, full, "twenty")
			if err != nil {
				return fmt.Errorf("%s: %w", a.Name, err)
			}
			r.Gaps = append(r.Gaps, gaps...)
			reqs = append(reqs, float64(n))
			r.Resent += again
		}
		r.GapMedianMS, r.GapP90MS = stats.Median(r.Gaps), stats.Percentile(r.Gaps, 90)
		r.SessionWallMS, r.SessionCPUMS = stats.Median(wall20), stats.Median(cpu20)
		r.BaselineWallMS, r.BaselineCPUMS = stats.Median(wall1), stats.Median(cpu1)
		r.WallPerTurnMS = (r.SessionWallMS - r.BaselineWallMS) / turnSteps
		r.CPUPerTurnMS = (r.SessionCPUMS - r.BaselineCPUMS) / turnSteps
		r.PeakRSSKB = stats.Median(rss)
		r.ModelRequests = stats.Median(reqs)
		res = append(res, r)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "### Per-turn overhead and memory\n\n`bench/agents turns -runs %d`: a session of %d `Read` calls on small files and a final answer, zero model latency, run %d times per agent (after a warm-up), and a one-answer session as the baseline. The gap is from the end of one answer to the arrival of the next request, as the simulator stamps them: the client's whole work between two answers. Per turn = (%d-step session - one-answer session) / %d.\n\n",
		c.runs, turnSteps, c.runs, turnSteps, turnSteps)
	b.WriteString("| agent | gap median | gap p90 | wall per turn | CPU per turn | session wall | session CPU | requests per session | steps asked twice (all runs) | peak RSS (whole session) |\n|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range res {
		fmt.Fprintf(&b, "| %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.0f ms | %.0f ms | %.0f | %d of %d | %.1f MB |\n", r.Agent, r.GapMedianMS, r.GapP90MS,
			r.WallPerTurnMS, r.CPUPerTurnMS, r.SessionWallMS, r.SessionCPUMS, r.ModelRequests, r.Resent, r.Runs*r.TurnsPerSession, r.PeakRSSKB/1024)
	}
	g := res[0]
	fmt.Fprintf(&b, "\nTarget (client overhead per turn under 5 ms median, transcript fsync included): %s (%.2f ms).\n", verdict(g.GapMedianMS < 5), g.GapMedianMS)
	if len(res) == 2 {
		o := res[1]
		fmt.Fprintf(&b, "Target (peak RSS at most a fifth of the other agent's, and under 40 MB): %s (%.1f MB against %.1f MB).\n",
			verdict(g.PeakRSSKB <= o.PeakRSSKB/5 && g.PeakRSSKB < 40*1024), g.PeakRSSKB/1024, o.PeakRSSKB/1024)
	}
	return section(c, "20-turns", b.String(), res)
}

// turnGaps returns, for the run, the time between the end of each answer of the
// conversation and the arrival of the first request for the next step, the number of model
// requests the run made, and how many turn requests were sent again (a step answered twice
// because the client dropped the first answer).
func turnGaps(s *harness.Sim, run harness.Run, conv string) (gaps []float64, requests, resent int, err error) {
	es, err := s.Entries()
	if err != nil {
		return nil, 0, 0, err
	}
	end := run.Start.Add(run.Wall)
	first := map[int]harness.LogEntry{} // the first request of each step
	last := map[int]harness.LogEntry{}  // the last answer of each step
	for _, e := range harness.Since(es, run.Start) {
		if e.Time.After(end) {
			break
		}
		if e.Operation == harness.OpStream || e.Operation == harness.OpInvoke {
			requests++
		}
		if e.Conversation != conv || !e.Turn() {
			continue
		}
		if _, ok := first[e.Step]; ok {
			resent++
		} else {
			first[e.Step] = e
		}
		last[e.Step] = e
	}
	if len(first) != turnSteps+1 {
		return nil, requests, resent, fmt.Errorf("saw %d steps of %q, want %d", len(first), conv, turnSteps+1)
	}
	ts := s.Timings()
	for i := 0; i < turnSteps; i++ {
		done, ok := harness.EndOf(ts, last[i])
		if !ok {
			return nil, requests, resent, fmt.Errorf("no timing for the request at %v", last[i].Time)
		}
		gaps = append(gaps, ms(first[i+1].Time.Sub(done)))
	}
	return gaps, requests, resent, nil
}
