package main

import (
	"fmt"
	"strings"
	"time"

	"ganban/bench/internal/harness"
	"ganban/bench/internal/scen"
	"ganban/bench/internal/stats"
	"ganban/internal/sim"
)

// startupResult is one agent's start-up figures, medians over the runs.
type startupResult struct {
	Agent          string  `json:"agent"`
	VersionMS      float64 `json:"version_ms"`
	VersionRSSKB   float64 `json:"version_rss_kb"`
	FirstRequestMS float64 `json:"first_request_ms"`
	FirstTurnMS    float64 `json:"first_turn_request_ms"`
	PrintWallMS    float64 `json:"print_wall_ms"`
	PrintRSSKB     float64 `json:"print_rss_kb"`
	FirstOperation string  `json:"first_operation"`
}

// startup times `--version` and `-p` up to the first request the simulator receives: the
// log stamps each request when it arrives, and the benchmark stamps the process just before
// starting it, on the same clock. The home is warmed by one untimed run first, so what is
// measured is an agent that has run before (caches and settings in place).
func startup(c config) error {
	w, err := newWorld(c, "startup")
	if err != nil {
		return err
	}
	defer w.close()
	sc, err := scen.Build(w.dir+"/scenario.json", "ok", scen.Conversation{Name: "hello", Match: "say hello", Steps: []scen.Step{scen.Say("hello")}})
	if err != nil {
		return err
	}
	if err := w.start(sim.Options{Scenario: sc}); err != nil {
		return err
	}
	var res []startupResult
	for _, a := range c.agents() {
		r := startupResult{Agent: a.Name}
		var vw, vr, fr, ft, pw, pr []float64
		for i := 0; i < c.runs*2; i++ {
			run, err := harness.Exec(a, harness.Spec{Dir: w.repo, Args: []string{"--version"}, Env: w.env(a), Timeout: time.Minute})
			if err != nil || run.Code != 0 {
				return fmt.Errorf("%s --version: %v %v", a.Name, err, failed(a, run))
			}
			vw = append(vw, ms(run.Wall))
			vr = append(vr, float64(run.MaxRSSKB))
		}
		for i := -1; i < c.runs; i++ {
			run, err := harness.Exec(a, harness.Spec{Dir: w.repo, Args: a.PrintArgs("say hello", nil), Env: w.env(a), Timeout: 2 * time.Minute})
			if err != nil || run.Code != 0 || !strings.Contains(run.Stdout, "hello") {
				return fmt.Errorf("%s -p: %v %v", a.Name, err, failed(a, run))
			}
			if i < 0 {
				continue // warm-up
			}
			es, err := w.sim.Entries()
			if err != nil {
				return err
			}
			es = harness.Since(es, run.Start)
			if len(es) == 0 {
				return fmt.Errorf("%s -p: the simulator saw no request", a.Name)
			}
			fr = append(fr, ms(es[0].Time.Sub(run.Start)))
			r.FirstOperation = es[0].Operation
			for _, e := range es {
				if e.Operation == harness.OpStream {
					ft = append(ft, ms(e.Time.Sub(run.Start)))
					break
				}
			}
			pw = append(pw, ms(run.Wall))
			pr = append(pr, float64(run.MaxRSSKB))
		}
		r.VersionMS, r.VersionRSSKB = stats.Median(vw), stats.Median(vr)
		r.FirstRequestMS, r.FirstTurnMS = stats.Median(fr), stats.Median(ft)
		r.PrintWallMS, r.PrintRSSKB = stats.Median(pw), stats.Median(pr)
		res = append(res, r)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "### Start-up\n\n`bench/agents startup -runs %d`: medians; `--version` run %d times, `-p \"say hello\"` (one scripted answer) %d times after a warm-up run.\n\n", c.runs, c.runs*2, c.runs)
	b.WriteString("| agent | `--version` | RSS | `-p` to first request | first request | `-p` to first turn request | `-p` whole run | RSS of `-p` |\n|---|---|---|---|---|---|---|---|\n")
	for _, r := range res {
		fmt.Fprintf(&b, "| %s | %.1f ms | %.1f MB | %.1f ms | %s | %.1f ms | %.1f ms | %.1f MB |\n", r.Agent, r.VersionMS, r.VersionRSSKB/1024,
			r.FirstRequestMS, r.FirstOperation, r.FirstTurnMS, r.PrintWallMS, r.PrintRSSKB/1024)
	}
	if len(res) == 2 {
		g, o := res[0], res[1]
		fmt.Fprintf(&b, "\nTarget (start-up to first request at most a tenth of the other agent's): %s (%.1f ms against %.1f ms, %.1f%%).\n",
			verdict(g.FirstRequestMS <= o.FirstRequestMS/10), g.FirstRequestMS, o.FirstRequestMS, 100*g.FirstRequestMS/o.FirstRequestMS)
	}
	return section(c, "10-startup", b.String(), res)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func verdict(ok bool) string {
	if ok {
		return "**met**"
	}
	return "**not met**"
}
