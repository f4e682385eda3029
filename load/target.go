package load

import "context"

// Request is one call a task asks the target to make.
type Request struct {
	// Endpoint is the index, in the scenario's Endpoints, the request counts under.
	Endpoint int
	Method   string
	// Path is the path and query, appended to the target's base path.
	Path string
	// Resource and PathParameters describe the route as API Gateway would
	// ("/products/{id}", {"id": "42"}); the Invoke target puts them in the proxy
	// event, the HTTP target ignores them.
	Resource       string
	PathParameters map[string]string
	// Body, when not nil, is sent as application/json.
	Body []byte
	// WantBody keeps the response body in Outcome.Body (otherwise it is read and
	// discarded, only counted).
	WantBody bool
}

// Target makes requests: an HTTP base URL or a Lambda function.
type Target interface {
	// NewSession opens one user's (or one open-model worker's) own channel to
	// the target: a keep-alive connection for HTTP. Sessions are not shared.
	NewSession() (Session, error)
	// Describe names the target for reports ("http://127.0.0.1:8080", "lambda:fn").
	Describe() string
}

// Session makes one request at a time for its user.
type Session interface {
	// Do sends req and fills out's Status, Size, Err, Throttled, Server and, when
	// asked, Body. It does not measure latency; the engine does.
	Do(ctx context.Context, req *Request, out *Outcome)
	// Abort makes a Do in progress return at once; safe from any goroutine.
	// The engine calls it when the run stops.
	Abort()
	// Close releases the session's connection.
	Close()
}
