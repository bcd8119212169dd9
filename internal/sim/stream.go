package sim

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

// paddingAlphabet is what Bedrock draws the "p" padding of each chunk from; clients ignore it.
const paddingAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// streamWriter writes application/vnd.amazon.eventstream frames, flushing each one, and
// applies the stream faults of the request: after a set number of events it can close the
// connection, send an exception frame, stall, or send a frame with a broken checksum.
type streamWriter struct {
	w      http.ResponseWriter
	enc    *eventstream.Encoder
	events int
	fault  streamFault
	sleep  func(time.Duration) bool
	// sentTokens is the output sent so far, by the token estimate; finished is set once
	// message_stop is written, faulted once a fault has ended the stream.
	sentTokens        int64
	finished, faulted bool
}

// errStreamEnded stops writing after a fault ended the stream.
type errStreamEnded struct{}

func (errStreamEnded) Error() string { return "stream ended by a simulated fault" }

func newStreamWriter(w http.ResponseWriter, f streamFault, sleep func(time.Duration) bool) *streamWriter {
	h := w.Header()
	h.Set("Content-Type", "application/vnd.amazon.eventstream")
	h.Set("X-Amzn-Bedrock-Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	return &streamWriter{w: w, enc: eventstream.NewEncoder(), fault: f, sleep: sleep}
}

// chunk sends one Anthropic event as a "chunk" frame.
func (sw *streamWriter) chunk(event any) error {
	if err := sw.beforeEvent(); err != nil {
		return err
	}
	raw, err := json.Marshal(event)
	if err != nil {
		return err
	}
	payload, _ := json.Marshal(struct {
		Bytes string `json:"bytes"`
		P     string `json:"p"`
	}{base64.StdEncoding.EncodeToString(raw), paddingAlphabet[:1+rand.IntN(len(paddingAlphabet)-1)]})
	return sw.write(eventstream.Message{
		Headers: eventstream.Headers{
			{Name: ":event-type", Value: eventstream.StringValue("chunk")},
			{Name: ":content-type", Value: eventstream.StringValue("application/json")},
			{Name: ":message-type", Value: eventstream.StringValue("event")},
		},
		Payload: payload,
	}, false)
}

// exception sends an in-stream error frame; name is the camelCase union member.
func (sw *streamWriter) exception(name, message string) error {
	payload, _ := json.Marshal(map[string]string{"message": message})
	return sw.write(eventstream.Message{
		Headers: eventstream.Headers{
			{Name: ":exception-type", Value: eventstream.StringValue(name)},
			{Name: ":content-type", Value: eventstream.StringValue("application/json")},
			{Name: ":message-type", Value: eventstream.StringValue("exception")},
		},
		Payload: payload,
	}, false)
}

func (sw *streamWriter) write(m eventstream.Message, corrupt bool) error {
	var buf bytes.Buffer
	if err := sw.enc.Encode(&buf, m); err != nil {
		return err
	}
	frame := buf.Bytes()
	if corrupt {
		frame[len(frame)-5] ^= 0xff // inside the payload, so the message CRC no longer matches
	}
	if _, err := sw.w.Write(frame); err != nil {
		return err
	}
	if f, ok := sw.w.(http.Flusher); ok {
		f.Flush()
	}
	return nil
}

// beforeEvent applies the fault planned at this point of the stream.
func (sw *streamWriter) beforeEvent() error {
	n := sw.events
	sw.events++
	f := sw.fault
	if f.kind == "" || n != f.after {
		return nil
	}
	switch f.kind {
	case faultStreamCut:
		panic(http.ErrAbortHandler) // close the connection mid-body, as a network failure does
	case faultStreamException:
		sw.faulted = true
		_ = sw.exception(f.exception, f.message)
		return errStreamEnded{}
	case faultStall:
		if !sw.sleep(f.stall) {
			return errStreamEnded{}
		}
	case faultCorruptFrame:
		sw.faulted = true
		_ = sw.write(eventstream.Message{Headers: eventstream.Headers{
			{Name: ":event-type", Value: eventstream.StringValue("chunk")},
			{Name: ":content-type", Value: eventstream.StringValue("application/json")},
			{Name: ":message-type", Value: eventstream.StringValue("event")},
		}, Payload: []byte(`{"bytes":"eyJ0eXBlIjoicGluZyJ9"}`)}, true)
		return errStreamEnded{}
	}
	return nil
}
