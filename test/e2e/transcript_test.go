package e2e

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// TestTranscriptFieldByField reads the transcript a print-mode run leaves, line by line, as a
// usage or cost tool pointed at GANBAN_HOME would: where it is, the fields of every entry, the
// parent chain, and costs that add up to the result's and to what the simulator billed with
// the same pricing table.
func TestTranscriptFieldByField(t *testing.T) {
	w := printWorld(t, twoStep)
	start := time.Now()
	r := w.ganban("-p", "list the files", "--output-format", "json")
	defer w.dumpOnFailure(r)
	res := r.JSON(t)
	if r.Code != 0 || res["result"] != "There is one file." {
		t.Fatalf("exit %d: %v", r.Code, res)
	}
	id := res["session_id"].(string)
	// The transcript has the version without the build's metadata (+revision) that
	// --version may add.
	version := regexp.MustCompile(`\d+\.\d+\.\d+[^\s+]*`).FindString(w.ganban("--version").Stdout)
	if version == "" {
		t.Fatal("ganban --version printed no version")
	}
	// ~/.ganban/projects/<working dir, every non-alphanumeric as '-'>/<session id>.jsonl
	path := filepath.Join(w.Home, ".ganban", "projects", regexp.MustCompile(`[^A-Za-z0-9]`).ReplaceAllString(w.Repo, "-"), id+".jsonl")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no transcript where usage tools look: %v", err)
	}

	var types []string
	seen := map[string]bool{}
	var costs, sonnetCosts float64
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("line %d is not a JSON object: %s", i+1, line)
		}
		typ, _ := e["type"].(string)
		types = append(types, typ)
		where := fmt.Sprintf("line %d (%s)", i+1, typ)
		ts, err := time.Parse(time.RFC3339Nano, fmt.Sprint(e["timestamp"]))
		if err != nil || ts.Before(start.Add(-time.Second)) || ts.After(time.Now()) {
			t.Errorf("%s: timestamp %v is not an ISO 8601 time of the run", where, e["timestamp"])
		}
		if e["sessionId"] != id || e["cwd"] != w.Repo || e["version"] != version {
			t.Errorf("%s: sessionId %v cwd %v version %v, want %s %s %s", where, e["sessionId"], e["cwd"], e["version"], id, w.Repo, version)
		}
		if typ == "summary" {
			if e["summary"] != "Files listing" || !seen[fmt.Sprint(e["leafUuid"])] {
				t.Errorf("%s: summary %v leafUuid %v", where, e["summary"], e["leafUuid"])
			}
			continue
		}
		uuid := fmt.Sprint(e["uuid"])
		parent, hasParent := e["parentUuid"]
		if !uuidRE.MatchString(uuid) || seen[uuid] || !hasParent || (parent != nil && !seen[fmt.Sprint(parent)]) || (i == 0) != (parent == nil) {
			t.Errorf("%s: uuid %v parentUuid %v: each entry has its own UUID and names an earlier one", where, e["uuid"], parent)
		}
		seen[uuid] = true
		m, _ := e["message"].(map[string]any)
		if m == nil {
			t.Errorf("%s: no message", where)
			continue
		}
		if _, ok := m["content"].([]any); !ok {
			t.Errorf("%s: message.content %v is not a list of blocks", where, m["content"])
		}
		switch typ {
		case "user":
			if m["role"] != "user" {
				t.Errorf("%s: role %v", where, m["role"])
			}
		case "assistant", "system":
			if typ == "system" && (e["subtype"] != "api_request" || e["content"] != "title") {
				t.Errorf("%s: subtype %v content %v, want the title's request", where, e["subtype"], e["content"])
			}
			if !uuidRE.MatchString(fmt.Sprint(e["requestId"])) || !strings.HasPrefix(fmt.Sprint(m["id"]), "msg_bdrk_") || m["role"] != "assistant" || !strings.HasPrefix(fmt.Sprint(m["model"]), "claude-") {
				t.Errorf("%s: requestId %v id %v role %v model %v", where, e["requestId"], m["id"], m["role"], m["model"])
			}
			u, _ := m["usage"].(map[string]any)
			for _, k := range []string{"input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"} {
				if _, ok := u[k].(float64); !ok {
					t.Errorf("%s: usage.%s missing: %v", where, k, u)
				}
			}
			cost, _ := e["costUSD"].(float64)
			if cost <= 0 {
				t.Errorf("%s: costUSD %v", where, e["costUSD"])
			}
			costs += cost
			if m["model"] == "claude-sonnet-4-5-20250929" {
				sonnetCosts += cost
			}
		default:
			t.Errorf("%s: unexpected entry type", where)
		}
	}
	// The title is asked for alongside the first turn, so its two entries may come anywhere.
	var conversation []string
	for _, typ := range types {
		if typ != "system" && typ != "summary" {
			conversation = append(conversation, typ)
		}
	}
	if strings.Join(conversation, ",") != "user,assistant,user,assistant" || len(types) != 6 {
		t.Errorf("entry types %v", types)
	}
	if total := res["total_cost_usd"].(float64); math.Abs(costs-total) > 1e-12 {
		t.Errorf("the transcript's costs add up to %v, the result says %v", costs, total)
	}
	billed := w.Sim.Report().ByModel["claude-sonnet-4-5-20250929"]
	if billed == nil || math.Abs(billed.CostUSD-sonnetCosts) > 1e-12 {
		t.Errorf("the simulator billed %+v for the main model, the transcript says %v", billed, sonnetCosts)
	}
}

// TestBrokenStreamsCountInTheCost: a stream that breaks off and is asked again was billed for
// its prompt, so ganban's session counts every prompt token the simulator billed, whatever
// broke, and the result's cost is the transcript's.
func TestBrokenStreamsCountInTheCost(t *testing.T) {
	for _, faults := range []string{``, `"stream_cut:3"`, `"stream_cut:2", "stream_exception:3:internalServerException"`} {
		t.Run("faults=["+faults+"]", func(t *testing.T) {
			w := printWorld(t, `{"conversations": [{"match_first_user_text": "list", "steps": [
			  {"faults": [`+faults+`], "reply": {"content": [{"type": "text", "text": "Listing."}, {"type": "tool_use", "name": "LS", "input": {"path": "{{cwd}}"}}]}},
			  {"faults": [`+faults+`], "reply": {"content": [{"type": "text", "text": "There is one file."}]}}]}],
			 "fallback_reply": {"content": [{"type": "text", "text": "Files listing"}]}}`)
			r := w.ganban("-p", "list the files", "--output-format", "json")
			defer w.dumpOnFailure(r)
			res := r.JSON(t)
			if r.Code != 0 || res["result"] != "There is one file." {
				t.Fatalf("exit %d: %v", r.Code, res)
			}
			var prompt int64
			var costs float64
			for _, line := range strings.Split(strings.TrimSpace(readTranscripts(t, w)), "\n") {
				var e struct {
					CostUSD float64 `json:"costUSD"`
					Message *struct {
						Model string `json:"model"`
						Usage *struct {
							Input      int64 `json:"input_tokens"`
							CacheWrite int64 `json:"cache_creation_input_tokens"`
							CacheRead  int64 `json:"cache_read_input_tokens"`
						} `json:"usage"`
					} `json:"message"`
				}
				if err := json.Unmarshal([]byte(line), &e); err != nil {
					t.Fatal(err)
				}
				costs += e.CostUSD
				if m := e.Message; m != nil && m.Usage != nil && m.Model == "claude-sonnet-4-5-20250929" {
					prompt += m.Usage.Input + m.Usage.CacheWrite + m.Usage.CacheRead
				}
			}
			billed := w.Sim.Report().ByModel["claude-sonnet-4-5-20250929"]
			if billed == nil {
				t.Fatal("the simulator billed nothing")
			}
			if want := billed.Tokens.Input + billed.Tokens.CacheWrite() + billed.Tokens.CacheRead; prompt != want {
				t.Errorf("the transcript counts %d prompt tokens of the main model, the simulator billed %d", prompt, want)
			}
			if total := res["total_cost_usd"].(float64); math.Abs(costs-total) > 1e-12 {
				t.Errorf("the transcript's costs add up to %v, the result says %v", costs, total)
			}
		})
	}
}
