package sim

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"

	"ganban/internal/anthropic"
)

// runtime operations by path suffix, with the IAM action each needs.
var runtimeOps = map[string]struct{ name, action string }{
	"invoke":                      {"InvokeModel", "bedrock:InvokeModel"},
	"invoke-with-response-stream": {"InvokeModelWithResponseStream", "bedrock:InvokeModelWithResponseStream"},
	"count-tokens":                {"CountTokens", "bedrock:CountTokens"},
}

// serveRuntime answers bedrock-runtime calls on /model/{modelId}/{operation}.
func (s *Server) serveRuntime(w http.ResponseWriter, r *http.Request, rawID, suffix string) {
	op, ok := runtimeOps[suffix]
	if !ok {
		writeError(w, &apiError{Status: http.StatusNotFound, Code: "UnknownOperationException", Message: "unknown operation " + suffix, namespace: nsCoral})
		return
	}
	ev := s.startEntry(r, op.name)
	defer s.finishEntry(ev)
	if aerr := s.runtime(w, r, rawID, op.name, op.action, ev); aerr != nil {
		ev.fail(aerr)
		writeError(w, aerr)
	}
}

// runtime does the work of serveRuntime; an error it returns has not been written yet.
func (s *Server) runtime(w http.ResponseWriter, r *http.Request, rawID, opName, action string, ev *logEntry) *apiError {
	id, err := url.PathUnescape(rawID)
	if err != nil {
		return errValidation(msgInvalidModelID)
	}
	ev.Model = id
	body, aerr := readBody(r)
	if aerr != nil {
		return aerr
	}
	p, aerr := s.authenticate(r, body, "bedrock")
	ev.setPrincipal(p)
	if aerr != nil {
		return aerr
	}
	cfg, _ := s.authConfig()
	t, aerr := s.resolveModel(cfg, id, p)
	if aerr != nil {
		return aerr
	}
	if aerr := s.checkAccess(cfg, p, t, action); aerr != nil {
		return aerr
	}
	if opName == "CountTokens" {
		return s.countTokens(w, body, t)
	}
	v, aerr := validateBody(body, t.Model, s.opts.Strict)
	ev.Notes = append(ev.Notes, v.Notes...)
	if aerr != nil {
		return aerr
	}
	call := &invocation{srv: s, req: v.Req, target: t, principal: p, stream: opName == "InvokeModelWithResponseStream", ev: ev}
	return call.run(w, r)
}

// countTokens answers CountTokens: {"input":{"invokeModel":{"body":"<base64>"}}} with the
// estimate of the wrapped body's input.
func (s *Server) countTokens(w http.ResponseWriter, body []byte, t target) *apiError {
	var in struct {
		Input struct {
			InvokeModel *struct {
				Body string `json:"body"`
			} `json:"invokeModel"`
		} `json:"input"`
	}
	if err := json.Unmarshal(body, &in); err != nil || in.Input.InvokeModel == nil {
		return errValidation("1 validation error detected: Value null at 'input' failed to satisfy constraint: Member must not be null")
	}
	inner, err := base64.StdEncoding.DecodeString(in.Input.InvokeModel.Body)
	if err != nil {
		return errValidation("input.invokeModel.body: must be base64")
	}
	v, aerr := validateBody(inner, t.Model, s.opts.Strict)
	if aerr != nil {
		return aerr
	}
	writeJSON(w, http.StatusOK, map[string]int64{"inputTokens": promptTokens(promptSegments(v.Req))})
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// contextWindow is the window a request runs in: the model's long window when the request
// asks for it with the 1M beta, or when it is the model's only window.
func contextWindow(req *anthropic.Request, t target) int64 {
	m := t.Model
	if m.LongContextWindow > 0 {
		for _, b := range req.AnthropicBeta {
			if b == "context-1m-2025-08-07" {
				return int64(m.LongContextWindow)
			}
		}
	}
	return int64(m.ContextWindow)
}
