package metrics

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// The words of the errors about bodies that cannot be read: what a user of
// any client can act on, never the decoder's own (Go's) phrasing.

// operationOf is the operation a request names before its body is read:
// the RPC v2 CBOR path, the JSON 1.0 target, or a Query Action in the URL.
func operationOf(r *http.Request, proto protocol) string {
	switch proto {
	case protoCBOR:
		return strings.TrimPrefix(r.URL.Path, cborPrefix)
	case protoJSON:
		return strings.TrimPrefix(r.Header.Get("X-Amz-Target"), serviceName+".")
	}
	return r.URL.Query().Get("Action")
}

// errBodyTooLarge names the operation, as AWS's "Request must be smaller
// than N bytes for the X operation" does.
func errBodyTooLarge(op string) *apiError {
	if op == "" {
		return errSerialization("Request must be smaller than %d bytes.", maxBodyBytes)
	}
	return errSerialization("Request must be smaller than %d bytes for the %s operation.", maxBodyBytes, op)
}

// jsonProblem says where and why a JSON body is malformed.
func jsonProblem(body []byte, err error) string {
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax) && syntax.Offset > 0 && int(syntax.Offset) <= len(body):
		at := int(syntax.Offset) - 1
		line, column := lineColumn(body, at)
		return fmt.Sprintf("unexpected character %q at line %d, column %d", body[at], line, column)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the body ends before the JSON document does"
	}
	return "it is not a JSON document"
}

func lineColumn(body []byte, at int) (line, column int) {
	line, column = 1, 1
	for _, c := range body[:at] {
		if c == '\n' {
			line, column = line+1, 1
			continue
		}
		column++
	}
	return line, column
}
