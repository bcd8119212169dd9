package bedrock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"ganban/internal/anthropic"
)

const (
	opStream = "InvokeModelWithResponseStream"
	opInvoke = "InvokeModel"
)

// Part is one thing a stream yields: an event of the answer, or Restart, which means the
// answer is being requested again and everything received of it so far must be discarded.
// What the client does about failures (retries, refreshes) is reported through
// Options.Notify as it happens.
type Part struct {
	Event   *anthropic.Event
	Restart bool
	// RequestID is Bedrock's ID of the request the event came from (X-Amzn-RequestId), what
	// AWS support and the transcript's requestId refer to.
	RequestID string
}

// Stream sends a call with InvokeModelWithResponseStream and yields the answer as it arrives.
// Throttling, server errors, broken and idle streams are retried with backoff, visibly;
// expired credentials are refreshed and the call retried, once per expiry; a region that refuses
// prompt caching gets the call again without it, and is remembered. The final error, if
// any, is an *Error.
func (c *Client) Stream(ctx context.Context, call Call) iter.Seq2[Part, error] {
	return func(yield func(Part, error) bool) {
		c.run(ctx, call, opStream, func(ctx context.Context, req *anthropic.Request, emit func(Part) bool) error {
			return c.streamOnce(ctx, call, req, emit)
		}, yield)
	}
}

// Invoke sends a call with InvokeModel (side calls: titles, summaries, probes), with the same
// retries as Stream, and returns the whole message.
func (c *Client) Invoke(ctx context.Context, call Call) (*anthropic.Response, error) {
	var resp *anthropic.Response
	var final error
	c.run(ctx, call, opInvoke, func(ctx context.Context, req *anthropic.Request, _ func(Part) bool) error {
		r, err := c.invokeOnce(ctx, call, req)
		resp = r
		return err
	}, func(p Part, err error) bool {
		if err != nil {
			final = err
		}
		return true
	})
	if final != nil {
		return nil, final
	}
	return resp, nil
}

type attemptFunc func(ctx context.Context, req *anthropic.Request, emit func(Part) bool) error

// run is the retry loop shared by Stream and Invoke.
func (c *Client) run(ctx context.Context, call Call, op string, attempt attemptFunc, yield func(Part, error) bool) {
	caching := c.cachingWanted(call)
	// refreshed: credentials were renewed for this call and Bedrock has not accepted them
	// since; refreshRan: awsAuthRefresh itself ran for it.
	refreshed, refreshRan := false, false
	for try := 1; ; try++ {
		delivered, stopped := false, false
		key, err := c.signingKey(ctx)
		if err == nil {
			err = attempt(ctx, c.shape(call, caching), func(p Part) bool {
				delivered = true
				if !yield(p, nil) {
					stopped = true
				}
				return !stopped
			})
		}
		if err == nil || stopped {
			return
		}
		be := classify(err, op, call.Model, c.regionOf(call))
		if delivered || (be.Code != "" && be.Kind != KindCredentials) {
			// Bedrock authenticated the request before answering, so the renewal worked. A
			// later expiry in this call (a long run of retries can outlast credentials) is a
			// new one; every renewal is still followed by an attempt that counts against
			// MaxRetries or ends the call.
			refreshed, refreshRan = false, false
		}
		var next *Notice
		switch {
		case be.Kind == KindCanceled || ctx.Err() != nil:
			yield(Part{}, be)
			return
		case be.Kind == KindCredentials && be.Status == 0:
			// Resolved locally and failed: the provider has already run awsAuthRefresh if it
			// could, so asking again would only repeat the failure.
			yield(Part{}, be)
			return
		case be.Kind == KindCredentials && !refreshed && c.refreshable():
			refreshed = true
			next = &Notice{Kind: NoticeRefresh, Err: be}
			if c.opts.Credentials.WillRefresh(key) {
				next.Command = c.opts.Credentials.RefreshCommand()
			}
		case be.Kind == KindCachingUnsupported && caching:
			caching = false
			c.refuseCaching(c.regionOf(call), call.Model)
			next = &Notice{Kind: NoticeCachingOff, Err: be}
		case be.Retryable() && try <= c.cfg.MaxRetries:
			next = &Notice{Kind: NoticeRetry, Err: be, Attempt: try, MaxAttempts: c.cfg.MaxRetries, Delay: backoff(be.Kind, try)}
		default:
			if be.Kind == KindCredentials {
				switch cmd := c.opts.Credentials.RefreshCommand(); {
				case refreshRan:
					be.Refreshed, be.RefreshCommand = true, cmd
				case refreshed && cmd != "":
					// The once-a-minute rule held the command back: the advice must not
					// tell the user to set what is set.
					be.RefreshHeldBack, be.RefreshCommand = true, cmd
				}
			}
			c.forgetRefusedChoice(be)
			yield(Part{}, be)
			return
		}
		c.notify(*next)
		c.dropIdleConnections()
		ran, err := c.recover(ctx, next, key)
		if err != nil {
			yield(Part{}, classify(err, op, call.Model, c.regionOf(call)))
			return
		}
		refreshRan = refreshRan || ran
		if delivered && !yield(Part{Restart: true}, nil) {
			return
		}
	}
}

// dropIdleConnections makes the next attempt dial afresh: a connection that just carried a
// failed call is not trusted.
func (c *Client) dropIdleConnections() {
	if hc, ok := c.awsCfg.HTTPClient.(interface{ CloseIdleConnections() }); ok {
		hc.CloseIdleConnections()
	}
}

// refreshable reports whether a credential error can be acted on: anything but a Bedrock API
// key or unsigned requests, which no command renews.
func (c *Client) refreshable() bool {
	cr := c.opts.Credentials
	return cr.BearerToken() == "" && !cr.SkipAuth()
}

// signingKey is the access key ID an attempt is about to be signed with, so that a rejection
// can be told apart from one of credentials already renewed; "" when requests are not signed.
// Credentials that cannot be resolved fail the attempt here, before the SDK would try again.
func (c *Client) signingKey(ctx context.Context) (string, error) {
	if !c.refreshable() {
		return "", nil
	}
	creds, err := c.opts.Credentials.Credentials().Retrieve(ctx)
	return creds.AccessKeyID, err
}

// recover does what a notice announces: wait, or renew the rejected credentials; ran
// reports whether awsAuthRefresh ran.
func (c *Client) recover(ctx context.Context, n *Notice, rejectedKey string) (ran bool, err error) {
	switch n.Kind {
	case NoticeRetry:
		return false, c.opts.Sleep(ctx, n.Delay)
	case NoticeRefresh:
		return c.opts.Credentials.Rejected(ctx, rejectedKey)
	}
	return false, nil
}

// streamOnce makes one streaming attempt. A stream that ends without message_stop is broken,
// whatever the SDK says: aws-sdk-go-v2 reports a connection closed between frames as a clean
// end.
func (c *Client) streamOnce(ctx context.Context, call Call, req *anthropic.Request, emit func(Part) bool) error {
	body, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("encode request: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	ctx, cancelIdle := context.WithCancelCause(ctx)
	defer cancelIdle(nil)
	in := &bedrockruntime.InvokeModelWithResponseStreamInput{ModelId: aws.String(call.Model),
		ContentType: aws.String("application/json"), Body: body}
	if c.cfg.ServiceTier != "" {
		in.ServiceTier = types.ServiceTierType(c.cfg.ServiceTier)
	}
	out, err := c.runtimeFor(c.regionOf(call)).InvokeModelWithResponseStream(ctx, in, func(o *bedrockruntime.Options) {
		o.APIOptions = append(o.APIOptions, withEventStreamGuard)
	})
	if err != nil {
		var nes errNotEventStream
		if errors.As(err, &nes) {
			return &Error{Kind: KindNotEventStream, Op: opStream, Model: call.Model, Region: c.regionOf(call), Message: nes.Error(), Err: err}
		}
		return err
	}
	requestID, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
	stream := out.GetStream()
	defer stream.Close()
	var idled atomic.Bool
	idle := time.AfterFunc(c.cfg.IdleTimeout, func() { idled.Store(true); cancelIdle(errIdle) })
	defer idle.Stop()
	var acc anthropic.Accumulator
	for ev := range stream.Events() {
		idle.Reset(c.cfg.IdleTimeout)
		chunk, ok := ev.(*types.ResponseStreamMemberChunk)
		if !ok {
			continue
		}
		var e anthropic.Event
		if err := json.Unmarshal(chunk.Value.Bytes, &e); err != nil {
			return &Error{Kind: KindStreamBroken, Op: opStream, Model: call.Model, Message: "an event in the stream is not JSON: " + err.Error()}
		}
		if err := acc.Add(e); err != nil {
			return &Error{Kind: KindStreamBroken, Op: opStream, Model: call.Model, Message: err.Error()}
		}
		if !emit(Part{Event: &e, RequestID: requestID}) {
			return nil
		}
	}
	if idled.Load() {
		return &Error{Kind: KindStreamIdle, Op: opStream, Model: call.Model, Region: c.regionOf(call),
			Message: fmt.Sprintf("no data for %v (CLAUDE_STREAM_IDLE_TIMEOUT_MS)", c.cfg.IdleTimeout)}
	}
	if err := stream.Err(); err != nil {
		return err
	}
	if !acc.Complete() {
		return &Error{Kind: KindStreamBroken, Op: opStream, Model: call.Model, Region: c.regionOf(call),
			Message: "the stream ended before message_stop"}
	}
	return nil
}

var errIdle = errors.New("stream idle")

func (c *Client) invokeOnce(ctx context.Context, call Call, req *anthropic.Request) (*anthropic.Response, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	in := &bedrockruntime.InvokeModelInput{ModelId: aws.String(call.Model), ContentType: aws.String("application/json"),
		Accept: aws.String("application/json"), Body: body}
	if c.cfg.ServiceTier != "" {
		in.ServiceTier = types.ServiceTierType(c.cfg.ServiceTier)
	}
	out, err := c.runtimeFor(c.regionOf(call)).InvokeModel(ctx, in)
	if err != nil {
		return nil, err
	}
	var resp anthropic.Response
	if err := json.Unmarshal(out.Body, &resp); err != nil {
		return nil, &Error{Kind: KindStreamBroken, Op: opInvoke, Model: call.Model, Message: "the response is not a Messages JSON body: " + err.Error()}
	}
	resp.RequestID, _ = awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
	return &resp, nil
}
