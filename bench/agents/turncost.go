package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"ganban/bench/internal/harness"
	"ganban/bench/internal/scen"
	"ganban/internal/agent"
	"ganban/internal/anthropic"
	"ganban/internal/awsauth"
	"ganban/internal/bedrock"
	"ganban/internal/catalog"
	"ganban/internal/permission"
	"ganban/internal/redact"
	"ganban/internal/session"
	"ganban/internal/sim"
	"ganban/internal/tools"
)

// costPart is one piece of a turn's work.
type costPart struct {
	Part   string  `json:"part"`
	US     float64 `json:"us_per_turn"`
	Allocs int64   `json:"allocs_per_turn"`
	Note   string  `json:"note"`
}

// turnCost measures, in this process, each thing ganban does between two answers of the
// per-turn session, at the sizes of its tenth turn: the same file, the same tools, the same
// system prompt. The parts are timed with testing.Benchmark, so each is a mean over as many
// repetitions as fill a second.
func turnCost(c config) error {
	dir := filepath.Join(c.work, "turncost")
	repo := filepath.Join(dir, "repo")
	if err := os.MkdirAll(repo, 0o755); err != nil {
		return err
	}
	file := filepath.Join(repo, "note03.txt")
	if err := os.WriteFile(file, []byte("Note 3\n\nA short file, read by the per-turn benchmark.\nLine three of note 3.\n"), 0o644); err != nil {
		return err
	}
	all := tools.Default()
	read, _ := tools.Lookup(all, "Read")
	env := tools.NewEnv(repo, os.Environ())
	defer env.Close()
	input, _ := json.Marshal(map[string]string{"file_path": file})
	out := read.Run(context.Background(), env, input)
	checker, err := permission.New(permission.Config{WorkDir: repo, Home: dir})
	if err != nil {
		return err
	}
	// The conversation at the tenth turn: prompt, then nine answers each with their result.
	system := agent.SystemPrompt(agent.PromptEnv{WorkDir: repo, Platform: "linux/amd64", Model: harness.Model, Date: time.Now()})
	msgs := []anthropic.Message{{Role: anthropic.RoleUser, Content: []anthropic.Block{anthropic.Text("read the notes")}}}
	for i := 0; i < 9; i++ {
		id := fmt.Sprintf("toolu_bdrk_%024d", i)
		msgs = append(msgs,
			anthropic.Message{Role: anthropic.RoleAssistant, Content: []anthropic.Block{{Type: anthropic.BlockToolUse, ID: id, Name: "Read", Input: input}}},
			anthropic.Message{Role: anthropic.RoleUser, Content: []anthropic.Block{{Type: anthropic.BlockToolResult, ToolUseID: id, Content: out.Content}}})
	}
	req := &anthropic.Request{System: []anthropic.Block{anthropic.Text(system)}, Messages: msgs, Tools: tools.Definitions(all)}
	answer := anthropic.Response{ID: "msg_bdrk_bench", Type: "message", Role: anthropic.RoleAssistant, Model: "claude-sonnet-4-5",
		Content: []anthropic.Block{{Type: anthropic.BlockToolUse, ID: "toolu_bdrk_bench", Name: "Read", Input: input}}}
	results := anthropic.Message{Role: anthropic.RoleUser, Content: []anthropic.Block{{Type: anthropic.BlockToolResult, ToolUseID: "toolu_bdrk_bench", Content: out.Content}}}
	w, err := session.Create(filepath.Join(dir, "sessions"), session.NewID(), session.Meta{CWD: repo, Version: "bench"})
	if err != nil {
		return err
	}
	defer w.Close()

	client, s, err := benchClient(dir, repo, file)
	if err != nil {
		return err
	}
	defer s.Close()
	info, _ := catalog.Default().Parse(harness.Model)
	call := bedrock.Call{Model: harness.Model, Request: req, Info: info.Model}

	var parts []costPart
	measure := func(name, note string, f func()) {
		r := testing.Benchmark(func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f()
			}
		})
		parts = append(parts, costPart{Part: name, Note: note, US: float64(r.NsPerOp()) / 1e3, Allocs: r.AllocsPerOp()})
	}
	measure("transcript: the answer and the tool result, each written and fsync'd", "session.Writer.Assistant + User", func() {
		_ = w.Assistant(answer, answer.ID, 0.001)
		_ = w.User(results, true)
	})
	measure("permission check of the call", "permission.Checker.Check", func() {
		checker.Check(permission.Request{Tool: "Read", Path: file})
	})
	measure("Read tool on the file", "Tool.Target + Tool.Run", func() {
		_, _ = read.Target(input, env)
		read.Run(context.Background(), env, input)
	})
	measure("redaction of the tool output", "redact.String", func() {
		redact.String(out.Text())
	})
	measure("(within the Bedrock call) request body JSON at turn 10", fmt.Sprintf("json.Marshal, %d messages; not added to the sum", len(msgs)), func() {
		_, _ = json.Marshal(req)
	})
	before := len(s.Timings())
	start := time.Now()
	measure("Bedrock call: sign, send, decode the streamed answer", "bedrock.Client.Stream against the simulator, its own time subtracted", func() {
		for _, err := range client.Stream(context.Background(), call) {
			if err != nil {
				panic(err)
			}
		}
	})
	// The simulator's share of the call: its handler time over all calls made.
	ts := s.Timings()[before:]
	var simTime time.Duration
	for _, t := range ts {
		simTime += t.End.Sub(t.Start)
	}
	if n := len(ts); n > 0 {
		last := &parts[len(parts)-1]
		share := float64(simTime) / float64(n) / 1e3
		last.US -= share
		last.Note += fmt.Sprintf(" (%.0f µs of simulator time per call, %d calls in %v)", share, n, time.Since(start).Round(time.Millisecond))
	}

	var b strings.Builder
	fmt.Fprintf(&b, "### What a ganban turn costs\n\n`bench/agents turncost`: each part of the work between two answers of the per-turn session, measured in-process with `testing.Benchmark` at the sizes of the tenth turn (the simulator's own time is subtracted from the Bedrock call). Compare the sum with the gap median above.\n\n")
	b.WriteString("| part | time per turn | allocations | how |\n|---|---|---|---|\n")
	var sum float64
	for _, p := range parts {
		fmt.Fprintf(&b, "| %s | %.0f µs | %d | %s |\n", p.Part, p.US, p.Allocs, p.Note)
		if !strings.HasPrefix(p.Part, "(") {
			sum += p.US
		}
	}
	fmt.Fprintf(&b, "| **sum** | **%.2f ms** | | |\n", sum/1000)
	return section(c, "25-turncost", b.String(), parts)
}

// benchClient is a Bedrock client against an in-process simulator that answers every turn
// with the Read call of the per-turn session, as ganban builds it (no retries needed).
func benchClient(dir, repo, file string) (*bedrock.Client, *harness.Sim, error) {
	sc, err := scen.Build("", "ok", scen.Conversation{Name: "bench", Match: "read the notes", Steps: []scen.Step{
		scen.Read(file), scen.Read(file), scen.Read(file), scen.Read(file), scen.Read(file),
		scen.Read(file), scen.Read(file), scen.Read(file), scen.Read(file), scen.Read(file), scen.Read(file)}})
	if err != nil {
		return nil, nil, err
	}
	s, err := harness.StartSim(sim.Options{Scenario: sc}, filepath.Join(dir, "requests.jsonl"))
	if err != nil {
		return nil, nil, err
	}
	creds := awsauth.New(awsauth.Config{Environ: os.Environ(), LoadChain: func(context.Context) (aws.CredentialsProvider, error) {
		return credentials.NewStaticCredentialsProvider(harness.AccessKeyID, harness.SecretAccessKey, ""), nil
	}})
	c, err := bedrock.New(context.Background(), bedrock.Options{Config: bedrock.Config{Region: harness.Region, BaseURL: s.URL,
		Timeout: time.Minute, IdleTimeout: time.Minute, MaxRetries: 8}, Credentials: creds,
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() }})
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return c, s, nil
}
