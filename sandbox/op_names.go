package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
)

// operationNames name the Lambda operation each route serves, for errors
// that say which operation they concern, as AWS's do ("Request must be
// smaller than 5120 bytes for the UpdateFunctionConfiguration operation",
// a real AWS text quoted in motdotla/node-lambda#212).
var operationNames = map[string]string{
	"GET /2015-03-31/functions":                                   "ListFunctions",
	"GET /2015-03-31/functions/{$}":                               "ListFunctions",
	"GET /2015-03-31/functions/{name}":                            "GetFunction",
	"GET /2015-03-31/functions/{name}/configuration":              "GetFunctionConfiguration",
	"PUT /2015-03-31/functions/{name}/configuration":              "UpdateFunctionConfiguration",
	"PUT /2017-10-31/functions/{name}/concurrency":                "PutFunctionConcurrency",
	"DELETE /2017-10-31/functions/{name}/concurrency":             "DeleteFunctionConcurrency",
	"GET /2019-09-30/functions/{name}/concurrency":                "GetFunctionConcurrency",
	"POST /2015-03-31/functions/{name}/versions":                  "PublishVersion",
	"GET /2015-03-31/functions/{name}/versions":                   "ListVersionsByFunction",
	"POST /2015-03-31/functions/{name}/aliases":                   "CreateAlias",
	"GET /2015-03-31/functions/{name}/aliases":                    "ListAliases",
	"GET /2015-03-31/functions/{name}/aliases/{alias}":            "GetAlias",
	"PUT /2015-03-31/functions/{name}/aliases/{alias}":            "UpdateAlias",
	"DELETE /2015-03-31/functions/{name}/aliases/{alias}":         "DeleteAlias",
	"PUT /2019-09-30/functions/{name}/provisioned-concurrency":    "PutProvisionedConcurrencyConfig",
	"GET /2019-09-30/functions/{name}/provisioned-concurrency":    "GetProvisionedConcurrencyConfig",
	"DELETE /2019-09-30/functions/{name}/provisioned-concurrency": "DeleteProvisionedConcurrencyConfig",
	"GET /2016-08-19/account-settings":                            "GetAccountSettings",
	"GET /2016-08-19/account-settings/{$}":                        "GetAccountSettings",
	"POST /2015-03-31/functions/{name}/invocations":               "Invoke",
	"DELETE /2015-03-31/functions/{name}":                         "DeleteFunction",
	"GET /2017-03-31/tags/{arn}":                                  "ListTags",
	"POST /2017-03-31/tags/{arn}":                                 "TagResource",
	"DELETE /2017-03-31/tags/{arn}":                               "UntagResource",
	"GET /2021-10-31/functions/{name}/url":                        "GetFunctionUrlConfig",
}

// operationName is the operation r was routed to.
func operationName(r *http.Request) string {
	if name, ok := operationNames[r.Pattern]; ok {
		return name
	}
	return "Unknown"
}

func errRequestTooLarge(r *http.Request) *apiError {
	return newAPIError(http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException",
		"Request must be smaller than %d bytes for the %s operation", maxRequestBody, operationName(r))
}

// errUnparsableBody words a JSON body that does not decode the way Lambda's
// Java front end (Jackson) words it, never in Go's terms: a syntax error as
// for Invoke payloads, a member of the wrong type with the member's name.
// The type messages follow Jackson's form (I).
func errUnparsableBody(r *http.Request, body []byte, err error) *apiError {
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) {
		return newAPIError(http.StatusBadRequest, "InvalidRequestContentException",
			"Could not parse request body into json: %s", jacksonMessage(body))
	}
	return newAPIError(http.StatusBadRequest, "InvalidRequestContentException",
		"Could not parse request body into json: Cannot deserialize value of type `%s` from %s%s (through reference chain: %sRequest[\"%s\"])",
		javaType(typeErr.Type), jacksonValue(typeErr.Value), jacksonLocation(body, int(typeErr.Offset)),
		operationName(r), strings.ReplaceAll(typeErr.Field, ".", "\"][\""))
}

// javaType names a Go type as the Java type of the same member.
func javaType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int32, reflect.Int64:
		return "java.lang.Integer"
	case reflect.String:
		return "java.lang.String"
	case reflect.Bool:
		return "java.lang.Boolean"
	case reflect.Map:
		return "java.util.Map"
	case reflect.Slice:
		return "java.util.List"
	}
	return fmt.Sprintf("com.amazonaws.services.lambda.model.%s", strings.TrimPrefix(t.Name(), "struct"))
}

// jacksonValue is how Jackson names the JSON value it found.
func jacksonValue(goValue string) string {
	switch {
	case goValue == "string":
		return "String value (token `JsonToken.VALUE_STRING`)"
	case goValue == "object":
		return "Object value (token `JsonToken.START_OBJECT`)"
	case goValue == "array":
		return "Array value (token `JsonToken.START_ARRAY`)"
	case goValue == "bool":
		return "Boolean value (token `JsonToken.VALUE_TRUE`)"
	case strings.HasPrefix(goValue, "number"):
		return "Floating-point value (token `JsonToken.VALUE_NUMBER_FLOAT`)"
	}
	return goValue + " value"
}
