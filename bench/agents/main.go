// Command agents measures ganban against the agent the setup guide is about, both run in
// print mode as child processes against the Bedrock simulator:
//
//	agents startup   start-up time (--version, and -p to the first request) and memory
//	agents turns     client overhead per turn in a 20-step session, wall and CPU
//	agents turncost  what one ganban turn costs, piece by piece, measured in-process
//	agents cost      tokens and dollars of a 30-turn session, with the cache-hit chart
//	agents quota     turns per simulated minute of parallel sessions under a quota
//
// Each writes a markdown section (NAME.md) and its raw numbers (NAME.json) to -out; bench/report
// assembles the sections into bench/results.md and the README.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"ganban/bench/internal/harness"
)

type config struct {
	ganban, claude string
	out, work      string
	runs           int
	svg            string
	sessions       int
	quota          string
	minutes        int
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: agents startup|turns|turncost|cost|quota [flags]")
		os.Exit(2)
	}
	cmd := os.Args[1]
	var c config
	fs := flag.NewFlagSet(cmd, flag.ExitOnError)
	fs.StringVar(&c.ganban, "ganban", "", "ganban binary (required)")
	fs.StringVar(&c.claude, "claude", "test/conformance/node_modules/.bin/claude", "the other agent's binary; empty skips it")
	fs.StringVar(&c.out, "out", "bench/out", "directory for results (NAME.md, NAME.json)")
	fs.StringVar(&c.work, "work", "", "scratch directory (default: a new temporary one)")
	fs.IntVar(&c.runs, "runs", 5, "repetitions of each measurement")
	fs.StringVar(&c.svg, "svg", "bench/cache-hit-ratio.svg", "cost: where to write the cache-hit chart")
	fs.IntVar(&c.sessions, "sessions", 8, "quota: parallel sessions")
	fs.StringVar(&c.quota, "quota", "rpm=60,tpm=80000", "quota: the simulator's --quota")
	fs.IntVar(&c.minutes, "minutes", 20, "quota: simulated minutes at most (one passes a second)")
	_ = fs.Parse(os.Args[2:])
	if err := run(cmd, c); err != nil {
		fmt.Fprintf(os.Stderr, "agents %s: %v\n", cmd, err)
		os.Exit(1)
	}
}

func run(cmd string, c config) error {
	if c.ganban == "" {
		return fmt.Errorf("-ganban is required")
	}
	var err error
	if c.ganban, err = filepath.Abs(c.ganban); err != nil {
		return err
	}
	if c.claude != "" {
		if c.claude, err = filepath.Abs(c.claude); err != nil {
			return err
		}
		if _, err := os.Stat(c.claude); err != nil {
			fmt.Fprintf(os.Stderr, "agents: %s not found; measuring ganban alone\n", c.claude)
			c.claude = ""
		}
	}
	if c.work == "" {
		if c.work, err = os.MkdirTemp("", "ganban-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(c.work)
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	switch cmd {
	case "startup":
		return startup(c)
	case "turns":
		return turns(c)
	case "turncost":
		return turnCost(c)
	case "cost":
		return cost(c)
	case "quota":
		return quota(c)
	}
	return fmt.Errorf("unknown command %q", cmd)
}

// agents is ganban and, when installed, the other agent.
func (c config) agents() []harness.Agent {
	as := []harness.Agent{{Name: "ganban", Kind: harness.Ganban, Bin: c.ganban}}
	if c.claude != "" {
		as = append(as, harness.Agent{Name: "claude", Kind: harness.Claude, Bin: c.claude})
	}
	return as
}
