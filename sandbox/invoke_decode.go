package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Invocation types and log types of Invoke. (D) [S27]
const (
	invokeRequestResponse = "RequestResponse"
	invokeEvent           = "Event"
	invokeDryRun          = "DryRun"
)

// invokeCall is an Invoke request, decoded and checked.
type invokeCall struct {
	invocationType string
	req            invokeRequest
}

// decodeInvoke checks an Invoke request the way Lambda does, in its order:
// the function name, the invocation and log types, the payload's size for
// the invocation type, then that the payload is JSON. payload may be one
// byte longer than the sync limit, to tell "too large" apart.
func decodeInvoke(name, qualifier, invocationType, logType string, payload []byte) (invokeCall, *apiError) {
	ref, err := parseFunctionName(name, qualifier)
	if err != nil {
		return invokeCall{}, err
	}
	if invocationType == "" {
		invocationType = invokeRequestResponse
	}
	if invocationType != invokeRequestResponse && invocationType != invokeEvent && invocationType != invokeDryRun {
		return invokeCall{}, errValidation(violation{quote(invocationType), "invocationType", "Member must satisfy enum value set: [Event, RequestResponse, DryRun]"})
	}
	if logType != "" && logType != "None" && logType != "Tail" {
		return invokeCall{}, errValidation(violation{quote(logType), "logType", "Member must satisfy enum value set: [None, Tail]"})
	}
	if err := checkPayloadSize(invocationType, len(payload)); err != nil {
		return invokeCall{}, err
	}
	if len(payload) > 0 && !json.Valid(payload) {
		return invokeCall{}, newAPIError(http.StatusBadRequest, "InvalidRequestContentException",
			"Could not parse request body into json: Could not parse payload into json: %s", jacksonMessage(payload))
	}
	return invokeCall{invocationType, invokeRequest{ref: ref, payload: payload, tail: logType == "Tail" && invocationType == invokeRequestResponse}}, nil
}

// checkPayloadSize answers AWS's 413s: RequestEntityTooLargeException is
// the code Lambda sends (the SDK's model names it RequestTooLargeException,
// so clients see a generic API error, as they do against AWS).
func checkPayloadSize(invocationType string, size int) *apiError {
	switch {
	case invocationType == invokeEvent && size > maxAsyncPayload:
		return newAPIError(http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException",
			"%d byte payload is too large for the Event invocation type (limit %d bytes)", size, maxAsyncPayload)
	case size > maxSyncPayload:
		return newAPIError(http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException",
			"Request must be smaller than %d bytes for the InvokeFunction operation", maxSyncPayload)
	}
	return nil
}

// jacksonMessage describes a JSON syntax error the way Lambda's parser
// (Jackson) words it, e.g. "Unrecognized token 'abc': was expecting (JSON
// String, Number, Array, Object or token 'null', 'true' or 'false')\n at
// [Source: REDACTED (…); line: 1, column: 4]".
func jacksonMessage(payload []byte) string {
	var syntax *json.SyntaxError
	err := json.Unmarshal(payload, new(json.RawMessage))
	if !errors.As(err, &syntax) || strings.HasPrefix(syntax.Error(), "unexpected end") ||
		syntax.Offset < 1 || int(syntax.Offset) > len(payload) {
		return endOfInput(payload)
	}
	at := int(syntax.Offset) - 1
	if start, end := tokenAround(payload, at); end > start {
		return fmt.Sprintf("Unrecognized token '%s': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')%s",
			payload[start:end], jacksonLocation(payload, end))
	}
	return fmt.Sprintf("Unexpected character (%s (code %d)): %s%s", quoteChar(payload[at]), payload[at], expectation(syntax.Error()), jacksonLocation(payload, at))
}

// endOfInput is Jackson's message for a document that stops too early.
func endOfInput(payload []byte) string {
	switch jsonKind(payload) {
	case "":
		return "No content to map due to end-of-input" + jacksonLocation(payload, len(payload))
	case "object":
		return "Unexpected end-of-input: expected close marker for Object" + jacksonLocation(payload, len(payload))
	case "array":
		return "Unexpected end-of-input: expected close marker for Array" + jacksonLocation(payload, len(payload))
	}
	return "Unexpected end-of-input" + jacksonLocation(payload, len(payload))
}

// tokenAround finds the run of letters and digits around position at.
func tokenAround(payload []byte, at int) (start, end int) {
	isWord := func(c byte) bool {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
	}
	if !isWord(payload[at]) || payload[at] >= '0' && payload[at] <= '9' {
		return at, at
	}
	for start = at; start > 0 && isWord(payload[start-1]); start-- {
	}
	for end = at; end < len(payload) && isWord(payload[end]); end++ {
	}
	return start, end
}

// expectation maps Go's reason to Jackson's words.
func expectation(goReason string) string {
	switch {
	case strings.Contains(goReason, "after object key:value pair"):
		return "was expecting comma to separate Object entries"
	case strings.Contains(goReason, "after array element"):
		return "was expecting comma to separate Array entries"
	case strings.Contains(goReason, "after object key"):
		return "was expecting a colon to separate field name and value"
	case strings.Contains(goReason, "looking for beginning of object key string"):
		return "was expecting double-quote to start field name"
	case strings.Contains(goReason, "after top-level value"):
		return "Expected space separating root-level values"
	}
	return "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
}

func quoteChar(c byte) string {
	if c < 0x20 || c >= 0x7f {
		return fmt.Sprintf("CTRL-CHAR, code %d", c)
	}
	return "'" + string(c) + "'"
}

// jacksonLocation is " at [Source: …; line: L, column: C]" for byte offset at.
func jacksonLocation(payload []byte, at int) string {
	line, column := 1, 1
	for _, c := range payload[:min(at, len(payload))] {
		if c == '\n' {
			line, column = line+1, 1
			continue
		}
		column++
	}
	return fmt.Sprintf("\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: %d, column: %d]", line, column)
}
