package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// apiError is an error the way Lambda puts it on the wire: the error type in the
// X-Amzn-ErrorType header and a JSON body {"Type":"User","message":"…"}.
// aws-sdk-go-v2 takes the type from the header (then __type, then code) and the
// message from "message"; botocore takes the type from x-amzn-errortype and the
// message from "message" or "Message". Both therefore see AWS's own type and
// text, and the SDK fills its typed errors (Reason, Type) from the same body.
type apiError struct {
	status  int
	code    string
	message string
	// reason is TooManyRequestsException's Reason.
	reason string
	// retryAfter is the Retry-After header in seconds, 0 for none.
	retryAfter int
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

type errorBody struct {
	Reason  string `json:",omitempty"`
	Type    string
	Message string `json:"message"`
}

func (e *apiError) write(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-ErrorType", e.code)
	if e.retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(e.retryAfter))
	}
	w.WriteHeader(e.status)
	body, _ := json.Marshal(errorBody{Reason: e.reason, Type: "User", Message: e.message})
	_, _ = w.Write(body)
}

func newAPIError(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

func errNotFound(format string, args ...any) *apiError {
	return newAPIError(http.StatusNotFound, "ResourceNotFoundException", format, args...)
}

func errFunctionNotFound(arn string) *apiError {
	return errNotFound("Function not found: %s", arn)
}

func errAliasNotFound(aliasARN string) *apiError {
	return errNotFound("Cannot find alias arn: %s", aliasARN)
}

func errInvalidParameter(format string, args ...any) *apiError {
	return newAPIError(http.StatusBadRequest, "InvalidParameterValueException", format, args...)
}

func errConflict(format string, args ...any) *apiError {
	return newAPIError(http.StatusConflict, "ResourceConflictException", format, args...)
}

func errUpdateInProgress(functionARN string) *apiError {
	return errConflict("The operation cannot be performed at this time. An update is in progress for resource: %s", functionARN)
}

func errProvisionedConfigNotFound() *apiError {
	return newAPIError(http.StatusNotFound, "ProvisionedConcurrencyConfigNotFoundException",
		"No Provisioned Concurrency Config found for this function")
}

func errPreconditionFailed() *apiError {
	return newAPIError(http.StatusPreconditionFailed, "PreconditionFailedException",
		"The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
}

// errBadRequestBody is a body that could not be read to its end (the
// client went away or sent less than it announced); err stays out of the
// message, which speaks AWS's words, not Go's.
func errBadRequestBody(error) *apiError {
	return newAPIError(http.StatusBadRequest, "InvalidRequestContentException",
		"Could not parse request body into json: the request body ended before its announced length")
}

func errUnknownOperation(r *http.Request) *apiError {
	return newAPIError(http.StatusNotFound, "UnknownOperationException",
		"Unknown operation: %s %s", r.Method, r.URL.Path)
}

func errRateExceeded(retryAfter int) *apiError {
	e := newAPIError(http.StatusTooManyRequests, "TooManyRequestsException", "Rate exceeded")
	e.reason = "CallerRateLimitExceeded"
	e.retryAfter = retryAfter
	return e
}

// violation is one broken constraint of a ValidationException.
type violation struct {
	value      string // already quoted ('10241'), the word null, or "" for none
	field      string // the member in lowerCamelCase, as AWS names it
	constraint string
}

func tooHigh(value int, field string, max int) violation {
	return violation{quote(value), field, fmt.Sprintf("Member must have value less than or equal to %d", max)}
}

func tooLow(value int, field string, min int) violation {
	return violation{quote(value), field, fmt.Sprintf("Member must have value greater than or equal to %d", min)}
}

func missing(field string) violation {
	return violation{"null", field, "Member must not be null"}
}

func quote(v any) string { return fmt.Sprintf("'%v'", v) }

// errValidation is AWS's ValidationException:
// "1 validation error detected: Value '10241' at 'memorySize' failed to satisfy
// constraint: Member must have value less than or equal to 10240".
func errValidation(violations ...violation) *apiError {
	parts := make([]string, len(violations))
	for i, v := range violations {
		value := v.value
		if value != "" { // AWS leaves a map's value out: "Value at 'environment.variables' …"
			value = " " + value
		}
		parts[i] = fmt.Sprintf("Value%s at '%s' failed to satisfy constraint: %s", value, v.field, v.constraint)
	}
	noun := "error"
	if len(violations) > 1 {
		noun = "errors"
	}
	return newAPIError(http.StatusBadRequest, "ValidationException", "%d validation %s detected: %s",
		len(violations), noun, strings.Join(parts, "; "))
}
