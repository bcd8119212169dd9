package sim

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"ganban/internal/catalog"
)

// FuzzValidateBody: any body is either accepted with a parsed request or refused with a
// ValidationException; it never panics.
func FuzzValidateBody(f *testing.F) {
	f.Add([]byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`))
	f.Add([]byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":4096,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"a"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"R","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"x"}]}]}`))
	f.Add([]byte(`{"system":[{"type":"text","text":"x","cache_control":{"type":"ephemeral","ttl":"1h"}}]}`))
	f.Add([]byte(`[]`))
	m, _ := catalog.Default().Model("claude-sonnet-4-5-20250929")
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, strict := range []bool{false, true} {
			v, err := validateBody(body, m, strict)
			if err == nil && v.Req == nil {
				t.Fatal("accepted without a request")
			}
			if err != nil && (err.Code != "ValidationException" || err.Status != http.StatusBadRequest) {
				t.Fatalf("error %v", err)
			}
			if err == nil {
				segs := promptSegments(v.Req)
				var c promptCache
				c.init()
				res := c.apply("s", m, segs, time.Unix(0, 0))
				if res.Input+res.Read+res.Write5m+res.Write1h != promptTokens(segs) || res.Input < 0 {
					t.Fatalf("cache split %+v of %d", res, promptTokens(segs))
				}
			}
		}
	})
}

func FuzzParseScenario(f *testing.F) {
	f.Add([]byte(`{"conversations":[{"match_first_user_text":"x","steps":[{"faults":["stream_cut:2"],"reply":{"content":[{"type":"tool_use","name":"Read","input":{"file_path":"{{cwd}}/a"}}]}}]}]}`))
	f.Add([]byte(`{"fallback_reply":{"content":[{"type":"text","text":"{{cwd}}"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := ParseScenario(data, map[string]string{"cwd": `C:\dir "quoted"`})
		if err != nil {
			return
		}
		for _, c := range sc.Conversations {
			for _, st := range c.Steps {
				for _, b := range st.Reply.Content {
					if b.Type == "tool_use" && !bytes.HasPrefix(bytes.TrimSpace(b.Input), []byte("{")) {
						t.Fatalf("tool input %s", b.Input)
					}
				}
			}
		}
	})
}

func FuzzParseAuthConfig(f *testing.F) {
	f.Add([]byte(`{"credentials":[{"access_key_id":"A","secret_access_key":"s","iam_policy":{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseAuthConfig(data)
		if err == nil && c == nil {
			t.Fatal("nil config without error")
		}
	})
}

func FuzzParseFault(f *testing.F) {
	for _, s := range []string{"throttling", "stream_cut:3", "stream_exception:2:modelStreamErrorException", "stall:10:1", "x:y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		if flt, err := parseFault(spec); err == nil && flt.n < 0 {
			t.Fatalf("negative count from %q", spec)
		}
	})
}

func writeTemp(f testing.TB, content string) string {
	p := f.TempDir() + "/auth.json"
	if err := writeFileBytes(p, []byte(content)); err != nil {
		f.Fatal(err)
	}
	return p
}

// FuzzParseFlags: the --latency and --quota values the simulator accepts are ones it can
// run with: finite, positive rates and delays that neither overflow nor go negative.
func FuzzParseFlags(f *testing.F) {
	for _, s := range []string{"ttft=800ms,tps=60", "tps=NaN", "tps=1e-300", "ttft=-1s", "rpm=50,tpm=200000", "rpm=0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if l, err := ParseLatency(s); err == nil {
			for _, n := range []int64{1, 1000, 1 << 20} {
				if d := l.tokenDelay(n); d < 0 || d > 200*24*time.Hour {
					t.Errorf("latency %q: %d tokens take %v", s, n, d)
				}
			}
			if l.TTFT < 0 || l.TTFT > time.Hour {
				t.Errorf("latency %q: ttft %v", s, l.TTFT)
			}
		}
		if q, err := ParseQuota(s); err == nil && (q.RPM < 0 || q.TPM < 0) {
			t.Errorf("quota %q: %+v", s, q)
		}
	})
}
