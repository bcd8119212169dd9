package sim

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/google/uuid"
)

// Error namespaces Bedrock puts in X-Amzn-ErrorType: its own errors, and those of the front
// door that authenticates requests before Bedrock sees them.
const (
	nsBedrock = "http://internal.amazon.com/coral/com.amazon.bedrock/"
	nsCoral   = "http://internal.amazon.com/coral/com.amazon.coral.service/"
)

// apiError is an error as Bedrock sends it: status, code, message, and the camelCase name the
// same error has when it arrives inside an event stream.
type apiError struct {
	Status    int
	Code      string
	Message   string
	namespace string
	// capitalKey sends {"Message": ...}, as the bearer-key front door does.
	capitalKey bool
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func bedrockError(status int, code, msg string) *apiError {
	return &apiError{Status: status, Code: code, Message: msg, namespace: nsBedrock}
}

func frontDoorError(code, msg string) *apiError {
	return &apiError{Status: http.StatusForbidden, Code: code, Message: msg, namespace: nsCoral}
}

// The messages below are Bedrock's own words; clients and users match on them.
const (
	msgInvalidModelID = "The provided model identifier is invalid."
	msgNoModelAccess  = "You don't have access to the model with the specified model ID."
	msgEndOfLife      = "This model version has reached the end of its life. Please refer to the AWS documentation for more details."
	msgNoCaching      = "You invoked an unsupported model or your request did not allow prompt caching. See the documentation for more information."
	msgTooManyReqs    = "Too many requests, please wait before trying again."
	msgTooManyTokens  = "Too many tokens, please wait before trying again."
	msgUnavailable    = "Bedrock is unable to process your request."
	msgTokenInvalid   = "The security token included in the request is invalid."
	msgTokenExpired   = "The security token included in the request is expired"
	msgBearerFormat   = "Invalid API Key format: Must start with pre-defined prefix"
	msgBearerInvalid  = "Authentication failed: Please make sure your API Key is valid."
	// msgSignatureMismatch opens InvalidSignatureException; errSignatureMismatch adds the rest.
	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

func errValidation(format string, args ...any) *apiError {
	return bedrockError(http.StatusBadRequest, "ValidationException", fmt.Sprintf(format, args...))
}

func errAccessDenied(msg string) *apiError {
	return bedrockError(http.StatusForbidden, "AccessDeniedException", msg)
}

func errNotFound(msg string) *apiError {
	return bedrockError(http.StatusNotFound, "ResourceNotFoundException", msg)
}

func errThrottling(msg string) *apiError {
	return bedrockError(http.StatusTooManyRequests, "ThrottlingException", msg)
}

// errOnDemand is the answer to a bare foundation-model ID of a model that is only offered
// through inference profiles (note the U+2019 in "isn’t", as Bedrock writes it).
func errOnDemand(modelID string) *apiError {
	return errValidation("Invocation of model ID %s with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.", modelID)
}

// writeError sends a REST-JSON error the way Bedrock does.
func writeError(w http.ResponseWriter, e *apiError) {
	key := "message"
	if e.capitalKey {
		key = "Message"
	}
	body, _ := json.Marshal(map[string]string{key: e.Message})
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-ErrorType", e.Code+":"+e.namespace)
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}

// newRequestID returns a random UUID, the shape of X-Amzn-RequestId.
func newRequestID() string { return uuid.NewString() }
