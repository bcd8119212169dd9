package sim

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"ganban/internal/anthropic"
)

// invocation is one InvokeModel or InvokeModelWithResponseStream call being answered.
type invocation struct {
	srv       *Server
	req       *anthropic.Request
	target    target
	principal principal
	stream    bool
	ev        *logEntry
}

// run decides the outcome under the server's lock (fault, quota, cache), then writes the
// answer without it. The quota reservation stays in the window while the answer is written
// and is settled to the tokens consumed when the request ends, however it ends, so requests
// in flight hold their max_tokens as they do on Bedrock.
func (c *invocation) run(w http.ResponseWriter, r *http.Request) *apiError {
	req := c.req
	segs := promptSegments(req)
	if total, window := promptTokens(segs), contextWindow(req, c.target); total > window {
		return errValidation("prompt is too long: %d tokens > %d maximum", total, window)
	}
	if countCacheControl(req) > 0 && contains(c.srv.opts.CachingUnavailable, c.principal.Region) {
		return errValidation(msgNoCaching)
	}
	pl := c.srv.planReply(req)
	c.ev.Conversation, c.ev.Step, c.ev.Expectations = pl.Conversation, pl.Step, pl.Failures
	o, aerr := c.decide(pl, segs)
	if aerr != nil {
		return aerr
	}
	if o.drop {
		panic(http.ErrAbortHandler) // close the connection without an answer, as a network failure does
	}
	defer func() { c.srv.settle(o.ticket, o.consumed) }()
	c.ev.Usage = &o.usage
	c.ev.StopReason = o.ans.StopReason
	if c.stream {
		if sent, abandoned := c.writeStream(w, r.Context(), &o.ans, o.usage, o.cached, o.fault.inStream()); abandoned {
			c.billSentOnly(&o, sent)
		}
		return nil
	}
	return c.writeInvoke(w, r.Context(), &o.ans, o.usage, o.cached, o.fault)
}

// outcome is what decide settled on for one call.
type outcome struct {
	drop     bool // a cut or corrupted answer to InvokeModel: no answer at all
	fault    fault
	ticket   quotaTicket
	cached   cacheResult
	ans      answer
	usage    anthropic.Usage
	consumed int64 // the quota tokens the call burns once answered
}

// decide takes the call's fault, quota reservation, cache lookup and answer under the
// server's lock. An error means the call is answered with it and holds no reservation.
func (c *invocation) decide(pl plan, segs []segment) (outcome, *apiError) {
	s, req, m := c.srv, c.req, c.target.Model
	budget := int64(req.MaxTokens)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Clock().Add(s.offset)
	s.rep.recordExpectations(pl)
	var o outcome
	if f, faulted := s.nextFault(pl); faulted {
		o.fault = f
		s.rep.FaultsServed++
		c.ev.Fault = f.kind
		if aerr := f.asError(c.stream); aerr != nil {
			return o, aerr
		}
		if o.drop = f.dropsInvoke(c.stream); o.drop {
			return o, nil
		}
		if f.kind == faultMaxTokensCut {
			budget = min(budget, int64(f.n))
		}
	}
	scope := c.principal.Account + "/" + c.principal.Region + "/" + m.ID
	reserve := promptTokens(segs) + max(int64(req.MaxTokens), burndownFloor)
	ticket, aerr := s.quota.admit(s.opts.Quota, scope, now, reserve)
	if aerr != nil {
		s.rep.Throttled++
		return o, aerr
	}
	o.ticket = ticket
	o.cached = s.cache.apply(scope, m, segs, now)
	o.ans = buildAnswer(req, pl.Reply, budget)
	o.usage = usageOf(o.cached, o.ans.OutputTokens)
	o.consumed = o.cached.Input + o.cached.Write5m + o.cached.Write1h + o.ans.OutputTokens*int64(m.Burndown)
	if pl.Step >= 0 {
		s.rep.StepsServed++
	}
	s.rep.addUsage(m, c.target.Geo, o.cached, o.ans.OutputTokens)
	return o, nil
}

func usageOf(c cacheResult, output int64) anthropic.Usage {
	return anthropic.Usage{
		InputTokens:              c.Input,
		CacheCreationInputTokens: c.Write5m + c.Write1h,
		CacheReadInputTokens:     c.Read,
		CacheCreation:            &anthropic.CacheCreation{Ephemeral5m: c.Write5m, Ephemeral1h: c.Write1h},
		OutputTokens:             output,
	}
}

// writeInvoke answers InvokeModel: the message JSON and Bedrock's token-count headers. A stall
// fault delays it.
func (c *invocation) writeInvoke(w http.ResponseWriter, ctx context.Context, a *answer, u anthropic.Usage, cached cacheResult, f fault) *apiError {
	lat := c.srv.opts.Latency
	if !sleepCtx(ctx, lat.TTFT+lat.tokenDelay(a.OutputTokens)) {
		return nil
	}
	if f.kind == faultStall && !sleepCtx(ctx, f.stall) {
		return nil
	}
	h := w.Header()
	h.Set("X-Amzn-Bedrock-Invocation-Latency", strconv.FormatInt(lat.TTFT.Milliseconds(), 10))
	h.Set("X-Amzn-Bedrock-Input-Token-Count", strconv.FormatInt(u.InputTokens, 10))
	h.Set("X-Amzn-Bedrock-Output-Token-Count", strconv.FormatInt(u.OutputTokens, 10))
	if cached.Read+cached.Write5m+cached.Write1h > 0 {
		h.Set("X-Amzn-Bedrock-Cache-Read-Input-Token-Count", strconv.FormatInt(cached.Read, 10))
		h.Set("X-Amzn-Bedrock-Cache-Write-Input-Token-Count", strconv.FormatInt(cached.Write5m+cached.Write1h, 10))
	}
	writeJSON(w, http.StatusOK, a.message(c.target.Model.ID, u))
	return nil
}

// streamExceptionAsError maps an in-stream exception to the HTTP error of the same kind.
// InvokeModel has no ModelStreamErrorException: the model's failure is a ModelErrorException.
func streamExceptionAsError(member string) *apiError {
	if member == "modelStreamErrorException" {
		return bedrockError(http.StatusFailedDependency, "ModelErrorException", "The model returned an error. Try your request again.")
	}
	code := string(member[0]-'a'+'A') + member[1:]
	status := map[string]int{
		"ThrottlingException":     http.StatusTooManyRequests,
		"InternalServerException": http.StatusInternalServerError, "ServiceUnavailableException": http.StatusServiceUnavailable,
		"ModelTimeoutException": http.StatusRequestTimeout, "ValidationException": http.StatusBadRequest,
	}[code]
	return bedrockError(status, code, streamExceptions[member])
}

// billSentOnly bills a stream the client abandoned for the output it was sent, as Bedrock
// stops generating (and billing) when the caller goes away; its quota burns the same.
func (c *invocation) billSentOnly(o *outcome, sent int64) {
	unsent := o.ans.OutputTokens - min(sent, o.ans.OutputTokens)
	if unsent <= 0 {
		return
	}
	s, m := c.srv, c.target.Model
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rep.removeOutput(m, c.target.Geo, unsent)
	o.usage.OutputTokens -= unsent
	o.consumed -= unsent * int64(m.Burndown)
	c.ev.Abandoned = true
}

// writeStream answers InvokeModelWithResponseStream event by event. It reports the output
// tokens sent, and whether the client went away before the end: a fault that ends the
// stream is the service's doing and billed in full.
func (c *invocation) writeStream(w http.ResponseWriter, ctx context.Context, a *answer, u anthropic.Usage, cached cacheResult, f streamFault) (sent int64, abandoned bool) {
	lat := c.srv.opts.Latency
	start := time.Now()
	sleep := func(d time.Duration) bool { return sleepCtx(ctx, d) }
	sw := newStreamWriter(w, f, sleep)
	defer func() { sent, abandoned = sw.sentTokens, !sw.finished && !sw.faulted && ctx.Err() != nil }()
	if !sleep(lat.TTFT) {
		return
	}
	firstByte := time.Since(start)
	startUsage := u
	startUsage.OutputTokens = 1
	msg := a.message(c.target.Model.ID, startUsage)
	msg.Content, msg.StopReason = []anthropic.Block{}, nil
	if sw.chunk(anthropic.Event{Type: anthropic.EventMessageStart, Message: &msg}) != nil {
		return
	}
	for i := range a.Blocks {
		if c.streamBlock(sw, i, &a.Blocks[i], sleep) != nil {
			return
		}
	}
	type messageDelta struct {
		StopReason   string  `json:"stop_reason"`
		StopSequence *string `json:"stop_sequence"`
	}
	if sw.chunk(struct {
		Type  string               `json:"type"`
		Delta messageDelta         `json:"delta"`
		Usage anthropic.DeltaUsage `json:"usage"`
	}{anthropic.EventMessageDelta, messageDelta{StopReason: a.StopReason}, anthropic.DeltaUsage{OutputTokens: u.OutputTokens}}) != nil {
		return
	}
	sw.finished = sw.chunk(anthropic.Event{Type: anthropic.EventMessageStop, Metrics: &anthropic.InvocationMetrics{
		InputTokenCount: u.InputTokens, OutputTokenCount: u.OutputTokens,
		InvocationLatency: time.Since(start).Milliseconds(), FirstByteLatency: firstByte.Milliseconds(),
		CacheReadInputTokenCount: cached.Read, CacheWriteInputTokenCount: cached.Write5m + cached.Write1h,
	}}) == nil
	return
}

// Delta sizes: small enough that a client sees text arrive in pieces and tool input JSON in
// several partial_json fragments, as the service sends them.
const (
	textDeltaBytes  = 16
	inputDeltaBytes = 24
)

func (c *invocation) streamBlock(sw *streamWriter, i int, b *answerBlock, sleep func(time.Duration) bool) error {
	idx := i
	start := b.Block
	switch b.Type {
	case anthropic.BlockText:
		start.Text = ""
	case anthropic.BlockThinking:
		start.Thinking, start.Signature = "", ""
	case anthropic.BlockToolUse:
		start.Input = []byte("{}")
	}
	if err := sw.chunk(anthropic.Event{Type: anthropic.EventContentBlockStart, Index: &idx, ContentBlock: &start}); err != nil {
		return err
	}
	delta := func(d anthropic.Delta, text string) error {
		if !sleep(c.srv.opts.Latency.tokenDelay(estimate(text))) {
			return errStreamEnded{}
		}
		if err := sw.chunk(anthropic.Event{Type: anthropic.EventContentBlockDelta, Index: &idx, Delta: &d}); err != nil {
			return err
		}
		sw.sentTokens += estimate(text)
		return nil
	}
	var err error
	switch b.Type {
	case anthropic.BlockText:
		for _, p := range splitRunes(b.Text, textDeltaBytes) {
			if err = delta(anthropic.Delta{Type: anthropic.DeltaText, Text: p}, p); err != nil {
				return err
			}
		}
	case anthropic.BlockThinking:
		for _, p := range splitRunes(b.Thinking, textDeltaBytes) {
			if err = delta(anthropic.Delta{Type: anthropic.DeltaThinking, Thinking: p}, p); err != nil {
				return err
			}
		}
		if b.Signature != "" {
			err = delta(anthropic.Delta{Type: anthropic.DeltaSignature, Signature: b.Signature}, "")
		}
	case anthropic.BlockToolUse:
		for _, p := range append([]string{""}, splitRunes(b.inputText, inputDeltaBytes)...) {
			p := p
			if err = delta(anthropic.Delta{Type: anthropic.DeltaInputJSON, PartialJSON: &p}, p); err != nil {
				return err
			}
		}
	}
	if err != nil {
		return err
	}
	return sw.chunk(anthropic.Event{Type: anthropic.EventContentBlockStop, Index: &idx})
}

// splitRunes cuts s into pieces of at most n bytes on rune boundaries.
func splitRunes(s string, n int) []string {
	var out []string
	for len(s) > 0 {
		cut := min(n, len(s))
		for cut < len(s) && cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		if cut == 0 {
			cut = min(n, len(s))
		}
		out = append(out, s[:cut])
		s = s[cut:]
	}
	return out
}
