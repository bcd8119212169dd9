package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"ganban/bench/internal/gen"
	"ganban/bench/internal/harness"
	"ganban/bench/internal/scen"
	"ganban/bench/internal/svg"
	"ganban/internal/sim"
)

// costTurns is the length of the cost session, its final answer included.
const costTurns = 30

type costResult struct {
	Config       string    `json:"config"`
	Requests     int64     `json:"requests"`
	Input        int64     `json:"input_tokens"`
	CacheWrite   int64     `json:"cache_write_tokens"`
	CacheRead    int64     `json:"cache_read_tokens"`
	Output       int64     `json:"output_tokens"`
	CostUSD      float64   `json:"cost_usd"`
	TurnCostUSD  float64   `json:"turn_cost_usd"`
	HitRatio     []float64 `json:"hit_ratio_per_turn"`
	MinFrom3     float64   `json:"min_hit_ratio_from_turn_3"`
	Edits        int       `json:"edits_applied"`
	EditsWanted  int       `json:"edits_wanted"`
	WallMS       float64   `json:"wall_ms"`
	PeakRSSKB    int64     `json:"peak_rss_kb"`
	FirstTurnIn  int64     `json:"first_turn_input_tokens"`
	LastTurnIn   int64     `json:"last_turn_input_tokens"`
	ByModel      []string  `json:"by_model"`
	CachingNotes string    `json:"notes,omitempty"`
}

// cost runs a 30-turn session over a generated Go repository (read a file, raise a timeout
// in it, now and then search with grep) once per configuration, each against a fresh
// simulator whose report then holds exactly what the session was billed. The cache-hit
// ratio of each turn (cache reads / all input tokens) comes from the request log.
func cost(c config) error {
	type variant struct {
		name  string
		agent harness.Agent
		env   []string
	}
	var vs []variant
	for _, a := range c.agents() {
		vs = append(vs, variant{a.Name, a, nil})
		if a.Kind == harness.Ganban {
			vs = append(vs, variant{"ganban, DISABLE_PROMPT_CACHING=1", a, []string{"DISABLE_PROMPT_CACHING=1"}})
		}
	}
	var res []costResult
	for i, v := range vs {
		r, err := costRun(c, fmt.Sprintf("cost%d", i), v.name, v.agent, v.env)
		if err != nil {
			return fmt.Errorf("%s: %w", v.name, err)
		}
		res = append(res, r)
	}
	colors := []string{"#1f6feb", "#8b949e", "#d9730d"}
	chart := svg.Chart{Title: "Share of input tokens read from cache, per turn (30-turn session)", XLabel: "turn", YLabel: "cache reads / input tokens",
		YMin: 0, YMax: 1, YFormat: "%.0f%%", YScale: 100, YTicks: 5, Guide: 0.9, GuideLabel: "target 90%"}
	for i, r := range res {
		chart.Series = append(chart.Series, svg.Series{Name: r.Config, Color: colors[i%len(colors)], Dash: strings.Contains(r.Config, "DISABLE"), Y: r.HitRatio})
	}
	if c.svg != "" {
		if err := os.WriteFile(c.svg, []byte(chart.Render()), 0o644); err != nil {
			return err
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "### Cost of a 30-turn session\n\n`bench/agents cost`: a scripted session of %d turns over a generated Go repository of 12 files (150-250 lines each): read a file, change a timeout in it with `Edit`, now and then `grep -rn` through `Bash`, then a final answer. Model %s; tokens and dollars as the simulator bills them (`/_sim/report`, side calls such as titles included); per-turn cache ratios from its `--log`.\n\n", costTurns, harness.Model)
	b.WriteString("| configuration | requests | input (uncached) | cache write | cache read | output | cost | of which the model's turns | first / last turn prompt | cache reads, lowest turn from the third on | session wall | peak RSS | edits applied |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range res {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | $%.4f | $%.4f | %d / %d tokens | %.1f%% | %.1f s | %.1f MB | %d of %d |\n", r.Config, r.Requests, r.Input, r.CacheWrite, r.CacheRead, r.Output,
			r.CostUSD, r.TurnCostUSD, r.FirstTurnIn, r.LastTurnIn, 100*r.MinFrom3, r.WallMS/1000, float64(r.PeakRSSKB)/1024, r.Edits, r.EditsWanted)
	}
	fmt.Fprintf(&b, "\n![cache-hit ratio per turn](cache-hit-ratio.svg)\n\n")
	g := res[0]
	fmt.Fprintf(&b, "Target (at least 90%% of input tokens read from cache from the third turn on): %s (lowest: %.1f%%).\n", verdict(g.MinFrom3 >= 0.9), 100*g.MinFrom3)
	for _, r := range res {
		if r.Config == "claude" {
			fmt.Fprintf(&b, "Target (cost below the other agent's): %s ($%.4f against $%.4f, %.0f%%).\n", verdict(g.CostUSD < r.CostUSD), g.CostUSD, r.CostUSD, 100*g.CostUSD/r.CostUSD)
		}
	}
	return section(c, "30-cost", b.String(), res)
}

func costRun(c config, dirName, label string, a harness.Agent, extraEnv []string) (costResult, error) {
	r := costResult{Config: label}
	w, err := newWorld(c, dirName)
	if err != nil {
		return r, err
	}
	defer w.close()
	files, err := gen.GoRepo(w.repo, 12, 7)
	if err != nil {
		return r, err
	}
	var steps []scen.Step
	steps = append(steps, scen.Bash(`grep -rln "Service struct" internal`, "Find the services"))
	for i := 0; len(steps) < costTurns-1; i++ {
		f := files[i%len(files)]
		path := filepath.Join(w.repo, filepath.FromSlash(f.Rel))
		steps = append(steps, scen.Read(path))
		if len(steps) < costTurns-1 {
			steps = append(steps, scen.Edit(path, f.Old, f.New))
			r.EditsWanted++
		}
		if i%3 == 2 && len(steps) < costTurns-1 {
			steps = append(steps, scen.Bash(fmt.Sprintf("grep -rn %q internal", f.Symbol), "Find the callers"))
		}
	}
	steps = append(steps, scen.Say("Raised the default timeouts of the services by 15 seconds each; the callers need no change."))
	sc, err := scen.Build(filepath.Join(w.dir, "scenario.json"), "ok",
		scen.Conversation{Name: "cost", Match: "raise the service timeouts", Steps: steps},
		scen.Conversation{Name: "warm-up", Match: "say hello", Steps: []scen.Step{scen.Say("hello")}})
	if err != nil {
		return r, err
	}
	if err := w.start(sim.Options{Scenario: sc}); err != nil {
		return r, err
	}
	env := w.env(a, extraEnv...)
	allowed := []string{"Read", "Edit", "Bash(grep:*)"}
	// A first run in the same home, so that both agents are measured as a returning user
	// (settings written, models known); then the simulator forgets it.
	if warm, err := harness.Exec(a, harness.Spec{Dir: w.repo, Args: a.PrintArgs("say hello", nil), Env: env}); err != nil || warm.Code != 0 {
		return r, fmt.Errorf("warm-up: %v %v", err, failed(a, warm))
	}
	if err := w.sim.Reset(); err != nil {
		return r, err
	}
	run, err := harness.Exec(a, harness.Spec{Dir: w.repo, Args: a.PrintArgs("raise the service timeouts", allowed), Env: env})
	if err != nil || run.Code != 0 {
		return r, fmt.Errorf("session: %v %v", err, failed(a, run))
	}
	r.WallMS, r.PeakRSSKB = ms(run.Wall), run.MaxRSSKB
	rep, err := w.sim.Report()
	if err != nil {
		return r, err
	}
	r.Requests, r.CostUSD = rep.Requests, rep.CostUSD
	r.Input, r.CacheWrite, r.CacheRead, r.Output = rep.Usage.InputTokens, rep.Usage.CacheCreationInputTokens, rep.Usage.CacheReadInputTokens, rep.Usage.OutputTokens
	for id, m := range rep.ByModel {
		r.ByModel = append(r.ByModel, fmt.Sprintf("%s: %d requests, $%.4f", id, m.Requests, m.CostUSD))
		if strings.Contains(id, "sonnet") {
			r.TurnCostUSD += m.CostUSD
		}
	}
	es, err := w.sim.Entries()
	if err != nil {
		return r, err
	}
	last := map[int]harness.LogEntry{}
	for _, e := range harness.Since(es, run.Start) {
		if e.Conversation == "cost" && e.Turn() {
			last[e.Step] = e
		}
	}
	r.HitRatio = make([]float64, costTurns)
	r.MinFrom3 = 1
	for i := range r.HitRatio {
		e, ok := last[i]
		if !ok || e.InputTotal() == 0 {
			r.HitRatio[i] = math.NaN()
			r.MinFrom3 = 0
			continue
		}
		r.HitRatio[i] = float64(e.Usage.CacheReadInputTokens) / float64(e.InputTotal())
		if i >= 2 {
			r.MinFrom3 = math.Min(r.MinFrom3, r.HitRatio[i])
		}
	}
	r.FirstTurnIn, r.LastTurnIn = last[0].InputTotal(), last[costTurns-1].InputTotal()
	for _, f := range files {
		data, _ := os.ReadFile(filepath.Join(w.repo, filepath.FromSlash(f.Rel)))
		if strings.Contains(string(data), f.New) {
			r.Edits++
		}
	}
	return r, nil
}
