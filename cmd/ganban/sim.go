package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"ganban/internal/sim"
)

type simFlags struct {
	addr, region, auth, scenario, logPath, portFile, caOut string
	quota, latency, faultKinds                             string
	vars                                                   []string
	tls, strict                                            bool
	faultRate                                              float64
	seed                                                   uint64
}

func newSimCmd() *cobra.Command {
	var f simFlags
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Run a local Amazon Bedrock simulator for tests and demos",
		Long: `Run a local Amazon Bedrock: bedrock-runtime, inference profiles, STS and SSO on one
listener, faithful on the wire (SigV4, event streams, errors, quotas, prompt caching).
The first line on stdout is "listening on URL". See README for the auth and scenario files.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runSim(cmd, f) },
	}
	f.bind(cmd)
	return cmd
}

// bind declares the flags of `ganban sim` on cmd, filling f.
func (f *simFlags) bind(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:0", "address to listen on (port 0 picks a free port)")
	fl.BoolVar(&f.tls, "tls", false, "serve HTTPS with a certificate generated for loopback")
	fl.StringVar(&f.caOut, "ca-out", "", "with --tls, write the CA certificate here (for AWS_CA_BUNDLE)")
	fl.StringVar(&f.region, "region", "us-east-1", "region of bearer-token and unsigned requests")
	fl.StringVar(&f.auth, "auth", "", "auth file: credentials, API keys, SSO grants, model access (strict mode)")
	fl.StringVar(&f.scenario, "scenario", "", "scenario file scripting the model's answers")
	fl.StringArrayVar(&f.vars, "var", nil, "scenario variable k=v, substituted for {{k}} (repeatable)")
	fl.StringVar(&f.logPath, "log", "", "append one JSON line per request to this file")
	fl.StringVar(&f.portFile, "port-file", "", "also write the base URL to this file")
	fl.BoolVar(&f.strict, "strict", false, "reject body fields and beta flags newer than the model catalog")
	fl.StringVar(&f.quota, "quota", "", "per-model quota, e.g. rpm=50,tpm=200000")
	fl.StringVar(&f.latency, "latency", "", "model latency, e.g. ttft=800ms,tps=60")
	fl.Float64Var(&f.faultRate, "fault-rate", 0, "probability of a random fault per model call (soak tests)")
	fl.Uint64Var(&f.seed, "seed", 1, "seed for random faults")
	fl.StringVar(&f.faultKinds, "fault-kinds", "", "comma-separated faults to draw from with --fault-rate")
}

func runSim(cmd *cobra.Command, f simFlags) error {
	// Signals are caught before the URL is printed: whoever starts the simulator may stop it
	// as soon as it has read that line, and must not kill it before it can shut down cleanly.
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts, closeLog, err := simOptions(f)
	if err != nil {
		return err
	}
	defer closeLog()
	srv, err := sim.New(opts)
	if err != nil {
		return err
	}
	ln, err := sim.Listen(srv, f.addr, f.tls)
	if err != nil {
		return err
	}
	if f.tls && f.caOut != "" {
		if err := os.WriteFile(f.caOut, ln.CAPEM, 0o644); err != nil {
			return fmt.Errorf("write --ca-out: %w", err)
		}
	}
	if f.portFile != "" {
		if err := os.WriteFile(f.portFile, []byte(ln.URL+"\n"), 0o644); err != nil {
			return fmt.Errorf("write --port-file: %w", err)
		}
	}
	fmt.Fprintln(cmd.OutOrStdout(), "listening on "+ln.URL)
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = ln.Close(shutdown)
	fmt.Fprintln(cmd.ErrOrStderr(), "ganban sim: stopped;", srv.Report())
	return err
}

func simOptions(f simFlags) (sim.Options, func(), error) {
	opts := sim.Options{Region: f.region, AuthFile: f.auth, Strict: f.strict}
	noop := func() {}
	var err error
	if opts.Quota, err = sim.ParseQuota(f.quota); err != nil {
		return opts, noop, err
	}
	if opts.Latency, err = sim.ParseLatency(f.latency); err != nil {
		return opts, noop, err
	}
	if f.faultRate < 0 || f.faultRate > 1 {
		return opts, noop, fmt.Errorf("--fault-rate %v: must be between 0 and 1", f.faultRate)
	}
	kinds, err := sim.ParseRandomFaultKinds(f.faultKinds)
	if err != nil {
		return opts, noop, fmt.Errorf("--fault-kinds: %w", err)
	}
	opts.Faults = sim.RandomFaults{Rate: f.faultRate, Seed: f.seed, Kinds: kinds}
	vars := map[string]string{}
	for _, kv := range f.vars {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return opts, noop, fmt.Errorf("--var %q: want name=value", kv)
		}
		vars[k] = v
	}
	if f.scenario != "" {
		if opts.Scenario, err = sim.LoadScenario(f.scenario, vars); err != nil {
			return opts, noop, err
		}
	}
	if f.logPath == "" {
		return opts, noop, nil
	}
	var w io.WriteCloser
	if f.logPath == "-" {
		opts.Log = os.Stderr
		return opts, noop, nil
	}
	w, err = os.OpenFile(f.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return opts, noop, fmt.Errorf("--log: %w", err)
	}
	opts.Log = w
	return opts, func() { w.Close() }, nil
}
