package bedrock

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"ganban/internal/awsauth"
	"ganban/internal/redact"
)

// Kind is what went wrong, in terms of what can be done about it.
type Kind int

// Error kinds.
const (
	KindUnknown            Kind = iota
	KindCredentials             // expired or invalid credentials: a refresh may fix it
	KindClockSkew               // the local clock is more than 5 minutes off AWS's
	KindAccessDenied            // IAM policy or model access
	KindOnDemand                // a bare model ID that is only served through inference profiles (S26)
	KindInvalidModel            // the model ID is not offered in this region
	KindModelRetired            // the model reached end of life
	KindValidation              // a malformed request
	KindPromptTooLong           // the conversation no longer fits the context window
	KindCachingUnsupported      // the region or model refuses cache_control
	KindThrottled               // requests or tokens per minute exceeded
	KindQuotaExceeded           // a daily quota exceeded
	KindModelNotReady           // the model is loading
	KindModelTimeout            // the model took too long
	KindServer                  // 5xx
	KindStreamBroken            // the stream ended early or could not be decoded
	KindStreamIdle              // no bytes for the idle timeout
	KindNotEventStream          // a 2xx stream that is not application/vnd.amazon.eventstream
	KindNetwork                 // the endpoint could not be reached
	KindCanceled                // the caller cancelled
)

var kindNames = map[Kind]string{
	KindUnknown: "error", KindCredentials: "credentials", KindClockSkew: "clock skew", KindAccessDenied: "access denied",
	KindOnDemand: "on-demand not supported", KindInvalidModel: "invalid model", KindModelRetired: "model retired",
	KindValidation: "invalid request", KindPromptTooLong: "prompt too long", KindCachingUnsupported: "caching unsupported",
	KindThrottled: "throttled", KindQuotaExceeded: "quota exceeded", KindModelNotReady: "model not ready",
	KindModelTimeout: "model timeout", KindServer: "server error", KindStreamBroken: "broken stream",
	KindStreamIdle: "idle stream", KindNotEventStream: "not an event stream", KindNetwork: "network", KindCanceled: "canceled",
}

func (k Kind) String() string { return kindNames[k] }

// Error is a failed Bedrock call, typed so callers can branch on Kind and people can be told
// the next step (see Advice).
type Error struct {
	Kind      Kind
	Op        string // InvokeModel, InvokeModelWithResponseStream, ListInferenceProfiles, ...
	Code      string // the AWS error code, when the service answered
	Message   string // the service's message, secrets removed
	Status    int
	RequestID string
	Model     string
	Region    string
	// ServerTime is the service's clock (its Date header) when it answered with an error.
	ServerTime time.Time
	// Refreshed is set when credentials were refreshed and the error came anyway;
	// RefreshHeldBack when awsAuthRefresh is set but was not run again, as it had run less
	// than a minute before.
	Refreshed, RefreshHeldBack bool
	RefreshCommand             string
	// ChoiceDropped is set when the model was ganban's own default choice, now forgotten.
	ChoiceDropped bool
	Err           error
}

func (e *Error) Error() string {
	if e.Kind == KindCredentials && e.Status == 0 && e.Code == "" && e.Err != nil {
		// Resolved locally and failed: no request went out, so naming the call would only
		// suggest that Bedrock refused something; the credential cache's wrapping adds nothing.
		var ce *awsauth.CredentialsError
		if errors.As(e.Err, &ce) {
			return redact.String(ce.Error())
		}
		return redact.String(e.Err.Error())
	}
	var b strings.Builder
	fmt.Fprintf(&b, "bedrock %s", e.Op)
	if e.Model != "" {
		fmt.Fprintf(&b, " %s", e.Model)
	}
	if e.Region != "" {
		fmt.Fprintf(&b, " in %s", e.Region)
	}
	switch {
	case e.Code != "":
		fmt.Fprintf(&b, ": %s: %s", e.Code, e.Message)
	case e.Message != "":
		fmt.Fprintf(&b, ": %s", e.Message)
	case e.Err != nil:
		fmt.Fprintf(&b, ": %s", redact.String(e.Err.Error()))
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d", e.Status)
		if e.RequestID != "" {
			fmt.Fprintf(&b, ", request %s", e.RequestID)
		}
		b.WriteString(")")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// cause is a short account of a transport failure, for notices: the kind alone does not say
// whether a connection was refused, reset or closed.
func (e *Error) cause() string {
	if e.Code != "" || e.Err == nil || (e.Kind != KindNetwork && e.Kind != KindStreamBroken) {
		return ""
	}
	msg := e.Err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	if len(msg) > 60 {
		msg = msg[:60]
	}
	return msg
}

// Retryable reports whether the same request may succeed if sent again after a pause.
func (e *Error) Retryable() bool {
	switch e.Kind {
	case KindThrottled, KindModelNotReady, KindModelTimeout, KindServer, KindStreamBroken, KindStreamIdle, KindNetwork:
		return true
	}
	return false
}

// credentialCodes are the codes with which AWS rejects credentials that a refresh can fix.
var credentialCodes = map[string]bool{
	"ExpiredTokenException": true, "ExpiredToken": true, "UnrecognizedClientException": true,
	"InvalidClientTokenId": true, "InvalidSignatureException": true, "SignatureDoesNotMatch": true,
	"MissingAuthenticationTokenException": true, "IncompleteSignatureException": true,
}

// KindOf says what kind of failure an error from any AWS call is, Bedrock's or not (an STS
// call of the doctor's, say).
func KindOf(err error) Kind {
	if err == nil {
		return KindUnknown
	}
	return classify(err, "", "", "").Kind
}

// classify turns an SDK error into an Error.
func classify(err error, op, model, region string) *Error {
	var be *Error
	if errors.As(err, &be) {
		return be
	}
	e := &Error{Op: op, Model: model, Region: region, Err: err}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		e.Status, e.RequestID = re.HTTPStatusCode(), re.ServiceRequestID()
		if re.Response != nil {
			e.ServerTime, _ = http.ParseTime(re.Response.Header.Get("Date"))
		}
	}
	var ce *awsauth.CredentialsError
	var ae smithy.APIError
	switch {
	case errors.As(err, &ce):
		e.Kind, e.Refreshed, e.RefreshCommand = KindCredentials, ce.Refreshed, ce.Command
		e.Message = redact.String(ce.Error())
	case errors.Is(err, context.Canceled):
		e.Kind = KindCanceled
	case errors.As(err, &ae):
		e.Code, e.Message = ae.ErrorCode(), redact.String(ae.ErrorMessage())
		e.Kind = kindOfCode(e.Code, e.Message)
	case errors.Is(err, context.DeadlineExceeded):
		e.Kind, e.Message = KindModelTimeout, "the request did not complete within API_TIMEOUT_MS"
	default:
		e.Kind = kindOfTransport(err)
	}
	if e.Kind == KindUnknown {
		// A gateway or proxy in front of Bedrock (ANTHROPIC_BEDROCK_BASE_URL) answers with a
		// bare status and a body of its own; the status still says what can be done.
		e.Kind = kindOfStatus(e.Status)
	}
	return e
}

func kindOfStatus(status int) Kind {
	switch {
	case status == http.StatusTooManyRequests:
		return KindThrottled
	case status == http.StatusGatewayTimeout:
		return KindModelTimeout
	case status >= 500:
		return KindServer
	}
	return KindUnknown
}

func kindOfCode(code, msg string) Kind {
	lower := strings.ToLower(msg)
	switch {
	case code == "RequestTimeTooSkewed", strings.Contains(lower, "signature expired:"), strings.Contains(lower, "signature not yet current:"):
		return KindClockSkew
	case credentialCodes[code], strings.Contains(lower, "security token included in the request is expired"),
		strings.Contains(lower, "authentication failed: please make sure your api key"), strings.Contains(lower, "invalid api key format"):
		return KindCredentials
	case code == "AccessDeniedException":
		return KindAccessDenied
	case code == "ValidationException" && strings.Contains(lower, "on-demand throughput"):
		return KindOnDemand
	case code == "ValidationException" && strings.Contains(lower, "model identifier is invalid"):
		return KindInvalidModel
	case code == "ValidationException" && (strings.Contains(lower, "prompt is too long") || strings.Contains(lower, "input is too long")):
		return KindPromptTooLong
	case code == "ValidationException" && (strings.Contains(lower, "prompt caching") || strings.Contains(lower, "cache_control")) && !strings.Contains(lower, "maximum of"):
		return KindCachingUnsupported
	case code == "ValidationException":
		return KindValidation
	case code == "ResourceNotFoundException" && strings.Contains(lower, "end of its life"):
		return KindModelRetired
	case code == "ResourceNotFoundException":
		return KindInvalidModel
	case code == "ThrottlingException" || code == "TooManyRequestsException":
		return KindThrottled
	case code == "ServiceQuotaExceededException":
		return KindQuotaExceeded
	case code == "ModelNotReadyException":
		return KindModelNotReady
	case code == "ModelTimeoutException":
		return KindModelTimeout
	case code == "InternalServerException" || code == "ServiceUnavailableException" || code == "ModelErrorException":
		return KindServer
	case code == "ModelStreamErrorException":
		return KindStreamBroken
	}
	return KindUnknown
}

func kindOfTransport(err error) Kind {
	var ne net.Error
	var oe *net.OpError
	msg := err.Error()
	switch {
	case errors.As(err, &oe), errors.As(err, &ne):
		return KindNetwork
	case strings.Contains(msg, "checksum"), strings.Contains(msg, "decode event"), strings.Contains(msg, "unexpected EOF"),
		strings.Contains(msg, "stream error"), strings.Contains(msg, "connection reset"):
		return KindStreamBroken
	case strings.Contains(msg, "failed to refresh cached credentials"), strings.Contains(msg, "failed to retrieve credentials"):
		return KindCredentials
	}
	return KindUnknown
}
