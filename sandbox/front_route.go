package sandbox

import (
	"net/http"
	"net/url"
	"strings"
)

// The front's routing: what API Gateway does before it invokes anything.
// The API is deployed to one stage, Prod (SAM's default), so every path
// starts with /Prod, as on https://{api-id}.execute-api.{region}.amazonaws.com/Prod/.
// A path without the stage, an unknown resource, or a method the resource
// does not have gets API Gateway's 403 {"message":"Missing Authentication
// Token"} — it answers so for anything it has no route for, rather than 404.
// A single trailing slash is ignored. (D/M) AWS Knowledge Center
// "api-gateway-authentication-token-errors".

// frontStage is the stage the API is deployed to.
const frontStage = "Prod"

// frontResources are the API's resources and their methods.
var frontResources = map[string][]string{
	"/products":      {http.MethodGet, http.MethodPost},
	"/products/{id}": {http.MethodGet, http.MethodDelete},
}

// frontRequest is a request API Gateway has routed.
type frontRequest struct {
	method   string
	resource string // e.g. /products/{id}
	path     string // e.g. /products/42, without the stage
	params   map[string]string
	query    url.Values
	header   http.Header
	host     string
	sourceIP string
	body     []byte
}

// frontAnswer is a response of the front.
type frontAnswer struct {
	status int
	// errorType is API Gateway's x-amzn-ErrorType for its own errors.
	errorType string
	headers   map[string]string
	multi     map[string][]string
	body      string
}

// Answers API Gateway gives by itself. (D) [S41]; (M) [S42]. Its 5XX
// answers carry x-amzn-ErrorType: InternalServerErrorException, as real
// 502 and 504 answers show (docs/sandbox-model.md, "The products API front").
var (
	answerMissingToken  = frontAnswer{status: http.StatusForbidden, errorType: "MissingAuthenticationTokenException", body: `{"message":"Missing Authentication Token"}`}
	answerInternalError = frontAnswer{status: http.StatusInternalServerError, errorType: gatewayServerError, body: `{"message": "Internal server error"}`}
	answerBadGateway    = frontAnswer{status: http.StatusBadGateway, errorType: gatewayServerError, body: `{"message": "Internal server error"}`}
	answerTimedOut      = frontAnswer{status: http.StatusGatewayTimeout, errorType: gatewayServerError, body: `{"message": "Endpoint request timed out"}`}
)

// gatewayServerError is the x-amzn-ErrorType of API Gateway's 5XX answers.
const gatewayServerError = "InternalServerErrorException"

// parseFrontRequest routes a request as API Gateway would; a request it has
// no route for gets an answer instead. rawPath is the escaped path.
func parseFrontRequest(method, rawPath, rawQuery string, header http.Header, host, remoteAddr string, body []byte) (frontRequest, *frontAnswer) {
	if len(body) > maxFrontPayload {
		return frontRequest{}, &answerTooLarge
	}
	resource, path, params, ok := routeFront(method, rawPath)
	if !ok {
		return frontRequest{}, &answerMissingToken
	}
	query, err := url.ParseQuery(rawQuery)
	if err != nil {
		query = lenientQuery(rawQuery)
	}
	return frontRequest{
		method: method, resource: resource, path: path, params: params, query: query,
		header: header, host: host, sourceIP: hostOnly(remoteAddr), body: body,
	}, nil
}

// routeFront matches the stage, the resource and the method.
func routeFront(method, rawPath string) (resource, path string, params map[string]string, ok bool) {
	rest, found := strings.CutPrefix(rawPath, "/"+frontStage+"/")
	if !found {
		return "", "", nil, false
	}
	rest = strings.TrimSuffix(rest, "/")
	first, id, nested := strings.Cut(rest, "/")
	switch {
	case first != "products" || strings.Contains(id, "/"):
		return "", "", nil, false
	case !nested:
		resource = "/products"
	case id != "":
		if unescaped, err := url.PathUnescape(id); err == nil {
			id = unescaped
		}
		resource, params = "/products/{id}", map[string]string{"id": id}
	default:
		return "", "", nil, false
	}
	for _, m := range frontResources[resource] {
		if m == method {
			return resource, "/" + rest, params, true
		}
	}
	return "", "", nil, false
}

// lenientQuery keeps the well-formed pairs of a query string that Go's
// parser rejects as a whole (e.g. one with a stray %).
func lenientQuery(raw string) url.Values {
	out := url.Values{}
	for _, pair := range strings.Split(raw, "&") {
		key, value, _ := strings.Cut(pair, "=")
		k, err1 := url.QueryUnescape(key)
		v, err2 := url.QueryUnescape(value)
		if err1 == nil && err2 == nil && k != "" {
			out[k] = append(out[k], v)
		}
	}
	return out
}

func hostOnly(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i > 0 {
		return strings.Trim(addr[:i], "[]")
	}
	return addr
}
