package metrics

import (
	"fmt"
	"net/http"
	"strings"
)

const cloudWatchShapeNamespace = "com.amazonaws.cloudwatch"

// apiError is a CloudWatch error in a protocol-neutral form. JSON 1.0 and
// CBOR send Namespace#Shape as __type plus an x-amzn-query-error header with
// QueryCode (CloudWatch is awsQueryCompatible, so the SDKs report QueryCode);
// AWS Query sends QueryCode in an XML ErrorResponse.
type apiError struct {
	Status    int
	Namespace string
	Shape     string
	QueryCode string
	Server    bool
	Message   string
}

func (e *apiError) Error() string { return e.QueryCode + ": " + e.Message }

func (e *apiError) typeName() string { return e.Namespace + "#" + e.Shape }

func (e *apiError) fault() string {
	if e.Server {
		return "Receiver"
	}
	return "Sender"
}

func clientError(shape, queryCode, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Namespace: cloudWatchShapeNamespace,
		Shape: shape, QueryCode: queryCode, Message: fmt.Sprintf(format, args...)}
}

// errValidation is the generic validation error CloudWatch returns for most
// GetMetricData input problems (code ValidationError on the wire).
func errValidation(format string, args ...any) *apiError {
	return clientError("ValidationException", "ValidationError", format, args...)
}

func errInvalidValue(format string, args ...any) *apiError {
	return clientError("InvalidParameterValueException", "InvalidParameterValue", format, args...)
}

func errMissing(parameter string) *apiError {
	return clientError("MissingRequiredParameterException", "MissingParameter",
		"The parameter %s is required.", parameter)
}

func errCombination(format string, args ...any) *apiError {
	return clientError("InvalidParameterCombinationException", "InvalidParameterCombination", format, args...)
}

func errNextToken() *apiError {
	return clientError("InvalidNextToken", "InvalidNextToken",
		"The specified NextToken is not valid for this request: pass the token returned by the previous call with the same parameters.")
}

// errListNextToken is ListMetrics' refusal of a token: its model's error is
// InvalidParameterValueException (GetMetricData has InvalidNextToken). The
// wording is the sandbox's (I).
func errListNextToken() *apiError {
	return errInvalidValue("The value for parameter NextToken is not valid: pass the NextToken of the previous ListMetrics call with the same parameters.")
}

// errSerialization reports a request body that could not be decoded.
func errSerialization(format string, args ...any) *apiError {
	e := clientError("SerializationException", "SerializationException", format, args...)
	e.Namespace = "com.amazon.coral.service"
	return e
}

// errMalformedQuery reports an AWS Query request whose form cannot be read.
func errMalformedQuery(format string, args ...any) *apiError {
	return clientError("MalformedQueryString", "MalformedQueryString", format, args...)
}

func errUnknownOperation(op string) *apiError {
	e := clientError("UnknownOperationException", "InvalidAction",
		"The action %s is not valid for this web service: the lambdatune sandbox serves CloudWatch GetMetricData, GetMetricStatistics and ListMetrics.", op)
	e.Namespace = "com.amazon.coral.service"
	return e
}

// errEnum is the framework's wording for a value outside an enum.
func errEnum(value, member string, allowed []string) *apiError {
	return errValidation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
		value, member, strings.Join(allowed, ", "))
}

// joinValidation merges several validation errors into one, one message a
// line, as CloudWatch does.
func joinValidation(errs []*apiError) *apiError {
	if len(errs) == 1 {
		return errs[0]
	}
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = e.Message
	}
	return errValidation("%s", strings.Join(lines, "\n"))
}
