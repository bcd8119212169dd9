package sim

import (
	"fmt"
	"sort"

	"ganban/internal/anthropic"
	"ganban/internal/catalog"
)

// Report is what the simulator served since it started or was reset (GET /_sim/report).
type Report struct {
	Requests            int64                   `json:"requests"`
	StepsServed         int64                   `json:"steps_served"`
	ExpectationFailures []ExpectationFailure    `json:"expectation_failures"`
	Usage               anthropic.Usage         `json:"usage"`
	CostUSD             float64                 `json:"cost_usd"`
	ByModel             map[string]*ModelReport `json:"by_model"`
	FaultsServed        int64                   `json:"faults_served"`
	Throttled           int64                   `json:"throttled"`
	Errors              map[string]int64        `json:"errors"`
	Auth                map[string]int64        `json:"auth"`
	Notes               []string                `json:"notes"`
}

// ModelReport is the usage and cost of one model.
type ModelReport struct {
	Requests int64          `json:"requests"`
	Tokens   catalog.Tokens `json:"tokens"`
	CostUSD  float64        `json:"cost_usd"`
}

// ExpectationFailure is a scenario expectation a request did not meet.
type ExpectationFailure struct {
	Conversation string `json:"conversation"`
	Step         int    `json:"step"`
	Failure      string `json:"failure"`
}

type report struct {
	Report
	seenFailures map[ExpectationFailure]bool
	seenNotes    map[string]bool
}

func (r *report) reset() {
	r.Report = Report{ExpectationFailures: []ExpectationFailure{}, ByModel: map[string]*ModelReport{},
		Errors: map[string]int64{}, Auth: map[string]int64{}, Notes: []string{}}
	r.seenFailures = map[ExpectationFailure]bool{}
	r.seenNotes = map[string]bool{}
}

// recordExpectations keeps each distinct failure once, however often the step is retried.
func (r *report) recordExpectations(pl plan) {
	for _, f := range pl.Failures {
		ef := ExpectationFailure{Conversation: pl.Conversation, Step: pl.Step, Failure: f}
		if !r.seenFailures[ef] {
			r.seenFailures[ef] = true
			r.ExpectationFailures = append(r.ExpectationFailures, ef)
		}
	}
}

func (r *report) recordNotes(notes []string) {
	for _, n := range notes {
		if !r.seenNotes[n] {
			r.seenNotes[n] = true
			r.Notes = append(r.Notes, n)
		}
	}
}

func (r *report) addUsage(m *catalog.Model, geo string, c cacheResult, output int64) {
	t := catalog.Tokens{Input: c.Input, Output: output, CacheWrite5m: c.Write5m, CacheWrite1h: c.Write1h, CacheRead: c.Read}
	cost := m.Cost(t, geo)
	mr := r.ByModel[m.ID]
	if mr == nil {
		mr = &ModelReport{}
		r.ByModel[m.ID] = mr
	}
	mr.Requests++
	mr.Tokens = mr.Tokens.Add(t)
	mr.CostUSD += cost
	r.Usage.InputTokens += t.Input
	r.Usage.OutputTokens += output
	r.Usage.CacheCreationInputTokens += t.CacheWrite()
	r.Usage.CacheReadInputTokens += t.CacheRead
	r.CostUSD += cost
}

// removeOutput takes back output tokens billed for an answer that was not sent.
func (r *report) removeOutput(m *catalog.Model, geo string, output int64) {
	cost := m.Cost(catalog.Tokens{Output: output}, geo)
	if mr := r.ByModel[m.ID]; mr != nil {
		mr.Tokens.Output -= output
		mr.CostUSD -= cost
	}
	r.Usage.OutputTokens -= output
	r.CostUSD -= cost
}

// snapshot copies the report for serving outside the lock.
func (r *report) snapshot() Report {
	out := r.Report
	out.ExpectationFailures = append([]ExpectationFailure{}, r.ExpectationFailures...)
	out.Notes = append([]string{}, r.Notes...)
	out.ByModel = make(map[string]*ModelReport, len(r.ByModel))
	for k, v := range r.ByModel {
		c := *v
		out.ByModel[k] = &c
	}
	out.Errors = copyCounts(r.Errors)
	out.Auth = copyCounts(r.Auth)
	out.Usage.CacheCreation = nil
	return out
}

func copyCounts(m map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// String summarises a report in one line per model, for people.
func (r Report) String() string {
	s := fmt.Sprintf("%d requests, %d steps, %d faults, %d throttled, $%.6f", r.Requests, r.StepsServed, r.FaultsServed, r.Throttled, r.CostUSD)
	ids := make([]string, 0, len(r.ByModel))
	for id := range r.ByModel {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		m := r.ByModel[id]
		s += fmt.Sprintf("\n  %s: %d requests, in %d, out %d, cache write %d, cache read %d, $%.6f", id, m.Requests,
			m.Tokens.Input, m.Tokens.Output, m.Tokens.CacheWrite(), m.Tokens.CacheRead, m.CostUSD)
	}
	return s
}
