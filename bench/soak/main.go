// Command soak drives many ganban print-mode sessions through a simulator that fails on
// purpose, and checks that no work is lost or done twice.
//
// The simulator serves random faults (throttling, 5xx, cut streams, exceptions inside the
// stream, stalls, corrupt frames, expired tokens) and checks credentials strictly: the key
// pairs it accepts expire on its own clock, which moves a minute every -tick, and the
// sessions' awsAuthRefresh command (`soak refresh`) installs new ones. Each run of ganban may
// be killed with SIGKILL, its whole process group, at a random moment; the session then
// continues with `ganban -p -c`. When every session has ended, each is checked: transcripts
// valid JSONL, every tool_use answered by one tool_result, every ledger line and edit on
// disk exactly as often as the transcript says it ran (a call interrupted by a kill is
// reported "may have run": it must have run at most once), every written file whole.
//
//	soak -ganban ./ganban [-sessions 24 -steps 20 -parallel 4 -fault-rate 0.15 -kill 0.5]
//
// It prints the counts and exits 1 if a session did not complete or a check failed.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"ganban/bench/internal/harness"
	"ganban/bench/internal/scen"
	"ganban/internal/sim"
)

// allowed are the tools the sessions may use without asking.
var allowed = []string{"Read", "Edit", "Write", "Bash"}

// defaultKinds are the faults drawn at random: every kind the simulator has, the stall long
// enough to trip the idle timeout the sessions are given.
const defaultKinds = "throttling,too_many_tokens,internal_server,service_unavailable,model_not_ready,model_timeout,expired_token," +
	"stream_cut:3,stream_exception:4:throttlingException,stream_exception:2:modelStreamErrorException,stall:2500:2,corrupt_frame:3"

type soak struct {
	agent            harness.Agent
	work, home, url  string
	killProb         float64
	killMin, killMax time.Duration
	maxRuns          int
	deadline         time.Time
}

func (sk *soak) env(s *session) []string {
	return harness.Env(sk.home, sk.url, "GANBAN_HOME="+s.ganbanHome, "CLAUDE_STREAM_IDLE_TIMEOUT_MS=1000")
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "refresh" {
		if err := refreshMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "soak refresh:", err)
			os.Exit(1)
		}
		return
	}
	var o options
	flag.StringVar(&o.ganban, "ganban", "", "ganban binary (required)")
	flag.StringVar(&o.work, "work", "", "work directory (default: a new temporary one, removed after a clean run)")
	flag.IntVar(&o.sessions, "sessions", 24, "sessions")
	flag.IntVar(&o.steps, "steps", 20, "tool-calling steps per session (each session has one more turn, its final answer)")
	flag.IntVar(&o.parallel, "parallel", 4, "sessions at a time")
	flag.Float64Var(&o.faultRate, "fault-rate", 0.15, "probability of a fault per model call")
	flag.Uint64Var(&o.seed, "seed", 7, "seed of the faults and the kills")
	flag.StringVar(&o.kinds, "fault-kinds", defaultKinds, "faults to draw from")
	flag.Float64Var(&o.kill, "kill", 0.5, "probability that a run is killed")
	flag.DurationVar(&o.killMin, "kill-min", 30*time.Millisecond, "earliest kill after a run starts")
	flag.DurationVar(&o.killMax, "kill-max", 1500*time.Millisecond, "latest kill after a run starts")
	flag.DurationVar(&o.tick, "tick", 500*time.Millisecond, "real time per simulated minute")
	flag.DurationVar(&o.budget, "budget", 8*time.Minute, "stop starting runs after this long")
	flag.IntVar(&o.maxRuns, "max-runs", 40, "runs per session at most")
	flag.StringVar(&o.out, "out", "", "directory for the markdown result (60-soak.md)")
	flag.Parse()
	ok, err := run(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

type options struct {
	ganban, work, kinds, out string
	sessions, steps          int
	parallel, maxRuns        int
	faultRate, kill          float64
	seed                     uint64
	killMin, killMax         time.Duration
	tick, budget             time.Duration
}

func run(o options) (bool, error) {
	if o.ganban == "" {
		return false, fmt.Errorf("-ganban is required")
	}
	bin, err := filepath.Abs(o.ganban)
	if err != nil {
		return false, err
	}
	self, err := os.Executable()
	if err != nil {
		return false, err
	}
	keep := o.work != ""
	if !keep {
		if o.work, err = os.MkdirTemp("", "ganban-soak-"); err != nil {
			return false, err
		}
	}
	sk := &soak{agent: harness.Agent{Name: "ganban", Kind: harness.Ganban, Bin: bin}, work: o.work, home: filepath.Join(o.work, "home"),
		killProb: o.kill, killMin: o.killMin, killMax: max(o.killMax, o.killMin+time.Millisecond), maxRuns: o.maxRuns, deadline: time.Now().Add(o.budget)}
	// The first key pair, valid for credentialTTL from now on the simulator's clock (which
	// starts at the real time).
	if err := mint(o.work, 0, time.Now()); err != nil {
		return false, err
	}
	var sessions []*session
	var convs []scen.Conversation
	for n := 0; n < o.sessions; n++ {
		s := newSession(o.work, n, o.steps)
		if err := setupRepo(s); err != nil {
			return false, err
		}
		sessions = append(sessions, s)
		convs = append(convs, s.conversation())
	}
	sc, err := scen.Build(filepath.Join(o.work, "scenario.json"), "ok", convs...)
	if err != nil {
		return false, err
	}
	kinds, err := sim.ParseRandomFaultKinds(o.kinds)
	if err != nil {
		return false, err
	}
	srv, err := harness.StartSim(sim.Options{Scenario: sc, AuthFile: filepath.Join(o.work, "auth.json"),
		Faults: sim.RandomFaults{Rate: o.faultRate, Seed: o.seed, Kinds: kinds}}, filepath.Join(o.work, "requests.jsonl"))
	if err != nil {
		return false, err
	}
	defer srv.Close()
	sk.url = srv.URL
	settings := fmt.Sprintf(`{"awsAuthRefresh": %q}`, fmt.Sprintf("'%s' refresh -dir '%s' -url '%s'", self, o.work, srv.URL))
	if err := writeAtomic(filepath.Join(sk.home, ".claude", "settings.json"), []byte(settings)); err != nil {
		return false, err
	}

	stop := make(chan struct{})
	var clock sync.WaitGroup
	clock.Add(1)
	go func() { // the simulator's minutes pass every tick, so credentials expire during the run
		defer clock.Done()
		t := time.NewTicker(o.tick)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				_, _ = srv.Advance(time.Minute)
			}
		}
	}()
	start := time.Now()
	outcomes := make([]outcome, len(sessions))
	queue := make(chan int)
	var workers sync.WaitGroup
	for w := 0; w < o.parallel; w++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for n := range queue {
				rng := rand.New(rand.NewPCG(o.seed, uint64(n)))
				outcomes[n] = sk.drive(sessions[n], rng)
				fmt.Fprintf(os.Stderr, "soak: session %03d: %d runs, %d kills, completed %v\n", n, outcomes[n].runs, outcomes[n].kills, outcomes[n].completed)
			}
		}()
	}
	for n := range sessions {
		queue <- n
	}
	close(queue)
	workers.Wait()
	close(stop)
	clock.Wait()
	elapsed := time.Since(start)

	var f findings
	for _, s := range sessions {
		check(s, &f)
	}
	rep, err := summarize(o, sk, srv, sessions, outcomes, &f, elapsed)
	if err != nil {
		return false, err
	}
	fmt.Print(rep.markdown)
	if o.out != "" {
		if err := os.MkdirAll(o.out, 0o755); err != nil {
			return false, err
		}
		if err := os.WriteFile(filepath.Join(o.out, "60-soak.md"), []byte(rep.markdown), 0o644); err != nil {
			return false, err
		}
	}
	if rep.ok && !keep {
		os.RemoveAll(o.work)
	} else {
		fmt.Fprintf(os.Stderr, "soak: work directory kept: %s\n", o.work)
	}
	return rep.ok, nil
}

func setupRepo(s *session) error {
	if err := os.MkdirAll(filepath.Join(s.repo, "out"), 0o755); err != nil {
		return err
	}
	if out, err := exec.Command("git", "-C", s.repo, "init", "-q").CombinedOutput(); err != nil {
		return fmt.Errorf("git init: %v %s", err, out)
	}
	return os.WriteFile(filepath.Join(s.repo, "notes.md"), []byte("# Notes\n\nOne line per edit step:\n"+anchor+"\n"), 0o644)
}

type summary struct {
	markdown string
	ok       bool
}

func summarize(o options, sk *soak, srv *harness.Sim, sessions []*session, outs []outcome, f *findings, elapsed time.Duration) (summary, error) {
	var t outcome
	completed := 0
	var errorExits []string
	for i, x := range outs {
		t.runs += x.runs
		t.kills += x.kills
		t.resumes += x.resumes
		t.restarts += x.restarts
		t.refreshNotices += x.refreshNotices
		if x.completed {
			completed++
		} else {
			f.violate(sessions[i], "did not complete in %d runs", x.runs)
		}
		for _, e := range x.errorExits {
			errorExits = append(errorExits, fmt.Sprintf("session %03d: %s", i, e))
		}
	}
	es, err := srv.Entries()
	if err != nil {
		return summary{}, err
	}
	faults := map[string]int{}
	steps := map[string]bool{}
	requests, throttled := 0, 0
	for _, e := range es {
		if e.Operation != harness.OpStream && e.Operation != harness.OpInvoke {
			continue
		}
		requests++
		if e.Fault != "" {
			faults[e.Fault]++
		}
		if e.Status == 429 {
			throttled++
		}
		if e.Turn() {
			steps[fmt.Sprintf("%s/%d", e.Conversation, e.Step)] = true
		}
	}
	rep, err := srv.Report()
	if err != nil {
		return summary{}, err
	}
	refreshes := strings.Count(readString(filepath.Join(o.work, "refreshes.log")), "\n")
	var kinds []string
	for k, n := range faults {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(kinds)
	ok := len(f.violations) == 0 && completed == len(sessions)
	var b strings.Builder
	fmt.Fprintf(&b, "### Fault soak\n\n`bench/soak -sessions %d -steps %d -parallel %d -fault-rate %g -seed %d -kill %g`: %d sessions of %d turns (%d tool calls and a final answer each: Bash appending a marker to a ledger, Read, Edit inserting a marker line, Write of a new file, a slow Bash), %d at a time, in %v. Random faults on %.0f%% of model calls; key pairs that expire after %v of simulated time, the clock moving a minute every %v; each run killed (SIGKILL to its process group) with probability %g between %v and %v after it starts, then continued with `ganban -p -c`.\n\n",
		o.sessions, o.steps, o.parallel, o.faultRate, o.seed, o.kill, o.sessions, o.steps+1, o.steps, o.parallel, elapsed.Round(time.Second),
		100*o.faultRate, credentialTTL, o.tick, o.kill, o.killMin, o.killMax)
	b.WriteString("| count | value |\n|---|---|\n")
	rows := [][2]string{
		{"sessions completed", fmt.Sprintf("%d of %d", completed, len(sessions))},
		{"agent turns completed (distinct scripted steps answered)", fmt.Sprint(len(steps))},
		{"model requests (all attempts, titles included)", fmt.Sprint(requests)},
		{"faults served", fmt.Sprintf("%d: %s", rep.FaultsServed, strings.Join(kinds, ", "))},
		{"throttled answers (429)", fmt.Sprint(throttled)},
		{"ganban runs", fmt.Sprint(t.runs)},
		{"kills (SIGKILL mid-run)", fmt.Sprint(t.kills)},
		{"resumes (`-p -c`)", fmt.Sprint(t.resumes)},
		{"fresh starts after a kill before the prompt was saved", fmt.Sprint(t.restarts)},
		{"credential refreshes (awsAuthRefresh runs)", fmt.Sprintf("%d (ganban announced %d)", refreshes, t.refreshNotices)},
		{"runs that ended in an error (not killed)", fmt.Sprint(len(errorExits))},
		{"tool calls in transcripts", fmt.Sprint(f.toolCalls)},
		{"calls reported interrupted, may have run", fmt.Sprintf("%d (of which had run: %d)", f.interrupted, f.ranAnyway)},
		{"invalid transcript lines", fmt.Sprint(f.badLines)},
		{"violations (lost, doubled, unanswered, invalid)", fmt.Sprint(len(f.violations))},
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s |\n", r[0], r[1])
	}
	fmt.Fprintf(&b, "\nEvery session completes, with nothing lost or done twice: %s.\n", verdict(ok))
	for i, v := range f.violations {
		if i == 20 {
			fmt.Fprintf(&b, "- ... %d more\n", len(f.violations)-20)
			break
		}
		fmt.Fprintf(&b, "- %s\n", v)
	}
	if len(errorExits) > 0 {
		b.WriteString("\nRuns that ended in an error and were continued:\n")
		for i, e := range errorExits {
			if i == 10 {
				fmt.Fprintf(&b, "- ... %d more\n", len(errorExits)-10)
				break
			}
			fmt.Fprintf(&b, "- `%s`\n", strings.ReplaceAll(e, "`", "'"))
		}
	}
	return summary{markdown: b.String(), ok: ok}, nil
}

func verdict(ok bool) string {
	if ok {
		return "**yes**"
	}
	return "**no**"
}
