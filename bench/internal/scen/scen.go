// Package scen builds simulator scenarios for the benchmarks: conversations of scripted
// tool calls, checked by the simulator's own parser before use and written to disk so that a
// run can be replayed with `ganban sim --scenario`.
package scen

import (
	"encoding/json"
	"fmt"
	"os"

	"ganban/internal/anthropic"
	"ganban/internal/sim"
)

// Step is one scripted model turn.
type Step struct {
	Content []anthropic.Block
	Faults  []string
}

// Conversation is a named list of steps, answered to the session whose first prompt
// contains Match.
type Conversation struct {
	Name, Match string
	Steps       []Step
}

// Tool is a tool_use block.
func Tool(name string, input map[string]any) anthropic.Block {
	data, err := json.Marshal(input)
	if err != nil {
		panic(err) // inputs are maps of strings and numbers built here
	}
	return anthropic.Block{Type: anthropic.BlockToolUse, Name: name, Input: data}
}

// Text is a text block.
func Text(s string) anthropic.Block { return anthropic.Text(s) }

// Read, Edit, Write and Bash are the tool calls both agents offer.
func Read(path string) Step {
	return Step{Content: []anthropic.Block{Tool("Read", map[string]any{"file_path": path})}}
}

// Edit replaces old with new in path.
func Edit(path, old, new string) Step {
	return Step{Content: []anthropic.Block{Tool("Edit", map[string]any{"file_path": path, "old_string": old, "new_string": new})}}
}

// Write creates path with content.
func Write(path, content string) Step {
	return Step{Content: []anthropic.Block{Tool("Write", map[string]any{"file_path": path, "content": content})}}
}

// Bash runs a shell command.
func Bash(command, description string) Step {
	return Step{Content: []anthropic.Block{Tool("Bash", map[string]any{"command": command, "description": description})}}
}

// Say ends the turn with text.
func Say(text string) Step { return Step{Content: []anthropic.Block{Text(text)}} }

// Build turns conversations into a checked scenario and writes its JSON to path (if set).
// fallback answers everything else (titles, summaries, probes).
func Build(path, fallback string, convs ...Conversation) (*sim.Scenario, error) {
	type reply struct {
		Content []anthropic.Block `json:"content"`
	}
	type step struct {
		Reply  reply    `json:"reply"`
		Faults []string `json:"faults,omitempty"`
	}
	type conv struct {
		Name  string `json:"name,omitempty"`
		Match string `json:"match_first_user_text"`
		Steps []step `json:"steps"`
	}
	doc := struct {
		Conversations []conv `json:"conversations"`
		Fallback      reply  `json:"fallback_reply"`
	}{Fallback: reply{Content: []anthropic.Block{Text(fallback)}}}
	for _, c := range convs {
		out := conv{Name: c.Name, Match: c.Match}
		for _, s := range c.Steps {
			out.Steps = append(out.Steps, step{Reply: reply{Content: s.Content}, Faults: s.Faults})
		}
		doc.Conversations = append(doc.Conversations, out)
	}
	data, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		return nil, err
	}
	sc, err := sim.ParseScenario(data, nil)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	if path != "" {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return nil, err
		}
	}
	return sc, nil
}
