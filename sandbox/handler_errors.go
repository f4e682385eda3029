package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// How each runtime family reports an unhandled error: the payload Invoke
// returns with X-Amz-Function-Error: Unhandled, and the log line. The shapes
// are the managed runtimes' own (Python: errorMessage, errorType, requestId,
// stackTrace; Node: errorType, errorMessage, trace; Java and Ruby: errorMessage,
// errorType, stackTrace; Go: errorMessage, errorType).

// pythonError is an exception raised in a Python handler.
func pythonError(ctx lambdaContext, errType, message, frame string) *functionError {
	payload, _ := json.Marshal(struct {
		ErrorMessage string   `json:"errorMessage"`
		ErrorType    string   `json:"errorType"`
		RequestID    string   `json:"requestId"`
		StackTrace   []string `json:"stackTrace"`
	}{message, errType, ctx.requestID, []string{frame}})
	return &functionError{
		errorType: errType, message: message, payload: payload,
		logLine: fmt.Sprintf("[ERROR] %s: %s\rTraceback (most recent call last):\r%s", errType, message, strings.TrimSuffix(frame, "\n")),
	}
}

// runtimeError builds the error of a non-Python family.
func runtimeError(ctx lambdaContext, family, errType, message string) *functionError {
	var body any
	switch family {
	case "node":
		body = struct {
			ErrorType    string   `json:"errorType"`
			ErrorMessage string   `json:"errorMessage"`
			Trace        []string `json:"trace"`
		}{errType, message, []string{errType + ": " + message, "    at Runtime.handler (file:///var/task/index.mjs:6:24)"}}
	case "provided":
		body = struct {
			ErrorMessage string `json:"errorMessage"`
			ErrorType    string `json:"errorType"`
		}{message, errType}
	default:
		body = struct {
			ErrorMessage string   `json:"errorMessage"`
			ErrorType    string   `json:"errorType"`
			StackTrace   []string `json:"stackTrace"`
		}{message, errType, []string{}}
	}
	payload, _ := json.Marshal(body)
	line := fmt.Sprintf("%s\t%s\tERROR\tInvoke Error \t%s", lambdaLogTime(ctx.now), ctx.requestID, payload)
	return &functionError{errorType: errType, message: message, payload: payload, logLine: line}
}

// jsonKind names the top-level kind of a JSON document: object, array,
// string, number, true, false or null ("" for an empty payload).
func jsonKind(payload []byte) string {
	trimmed := bytes.TrimSpace(payload)
	if len(trimmed) == 0 {
		return ""
	}
	switch trimmed[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't':
		return "true"
	case 'f':
		return "false"
	case 'n':
		return "null"
	}
	return "number"
}

var pythonTypeNames = map[string]string{
	"array": "list", "string": "str", "number": "int", "true": "bool", "false": "bool", "null": "NoneType",
}

// badEventError is what a handler reading field from an event that is not a
// JSON object raises in its runtime, or nil where the language carries on
// (JavaScript reads a property of a string or an array as undefined).
func badEventError(ctx lambdaContext, family, kind, field string) *functionError {
	if kind == "object" || kind == "" {
		return nil
	}
	switch family {
	case "python":
		return pythonError(ctx, "AttributeError", fmt.Sprintf("'%s' object has no attribute 'get'", pythonTypeNames[kind]),
			fmt.Sprintf("  File \"/var/task/app.py\", line 14, in lambda_handler\n    %s = event.get(\"%s\")\n", field, field))
	case "node":
		if kind != "null" {
			return nil
		}
		return runtimeError(ctx, family, "TypeError", fmt.Sprintf("Cannot read properties of null (reading '%s')", field))
	case "java":
		return runtimeError(ctx, family, "java.lang.RuntimeException", "An error occurred during JSON parsing")
	case "dotnet":
		return runtimeError(ctx, family, "JsonSerializerException",
			"Error converting the Lambda event JSON payload to type Function.Event: The JSON value could not be converted to Function.Event.")
	case "provided":
		return runtimeError(ctx, family, "UnmarshalTypeError", fmt.Sprintf("json: cannot unmarshal %s into Go value of type main.Event", goKind(kind)))
	}
	return rubyBadEvent(ctx, kind)
}

// rubyBadEvent: event["field"] fails on nil and on an Array; a String or a
// number answers it.
func rubyBadEvent(ctx lambdaContext, kind string) *functionError {
	switch kind {
	case "null":
		return runtimeError(ctx, "ruby", "Function<NoMethodError>", "undefined method `[]' for nil")
	case "array":
		return runtimeError(ctx, "ruby", "Function<TypeError>", "no implicit conversion of String into Integer")
	}
	return nil
}

func goKind(kind string) string {
	if kind == "true" || kind == "false" {
		return "bool"
	}
	return kind
}
