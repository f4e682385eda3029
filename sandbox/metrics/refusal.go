package metrics

import (
	"net/http"

	"github.com/lambdatune/lambdatune/internal/uuid"
)

// WriteClientError answers r, a request IsCloudWatchRequest recognises, with
// a client error in r's own protocol (RPC v2 CBOR, JSON 1.0 or Query XML), so
// that a refusal the sandbox makes before CloudWatch sees the request — one a
// web page sent, say — reaches every CloudWatch client as an error it can
// read: shape is the JSON and CBOR error type (e.g. AccessDeniedException),
// queryCode the Query protocol's code (e.g. AccessDenied).
func WriteClientError(w http.ResponseWriter, r *http.Request, status int, shape, queryCode, message string) {
	writeError(w, protocolOf(r), uuid.New(), &apiError{Status: status, Namespace: cloudWatchShapeNamespace,
		Shape: shape, QueryCode: queryCode, Message: message})
}
