package load

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// proxyEvent is the API Gateway REST API (v1) proxy integration event.
//
// Twin of the sandbox's proxyEvent (sandbox/proxy_event.go, built by
// sandbox/front_event.go): the sandbox must read every member sent here, and
// both must describe a request alike. The sandbox's
// TestProxyEventTwinOfTheLoadEngine holds the two equal.
type proxyEvent struct {
	Resource                        string              `json:"resource"`
	Path                            string              `json:"path"`
	HTTPMethod                      string              `json:"httpMethod"`
	Headers                         map[string]string   `json:"headers"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters"`
	PathParameters                  map[string]string   `json:"pathParameters"`
	StageVariables                  map[string]string   `json:"stageVariables"`
	RequestContext                  proxyRequestContext `json:"requestContext"`
	Body                            *string             `json:"body"`
	IsBase64Encoded                 bool                `json:"isBase64Encoded"`
}

type proxyRequestContext struct {
	ResourcePath string        `json:"resourcePath"`
	HTTPMethod   string        `json:"httpMethod"`
	Path         string        `json:"path"`
	Stage        string        `json:"stage"`
	RequestID    string        `json:"requestId"`
	Protocol     string        `json:"protocol"`
	Identity     proxyIdentity `json:"identity"`
}

type proxyIdentity struct {
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent"`
}

// buildProxyEvent turns a request into the event API Gateway would send the
// function for it.
func buildProxyEvent(req *Request, stage, requestID string) ([]byte, error) {
	path, query, _ := strings.Cut(req.Path, "?")
	if path == "" || path[0] != '/' {
		path = "/" + path
	}
	headers := map[string]string{"Accept": "*/*", "User-Agent": "lambdatune"}
	if req.Body != nil {
		headers["Content-Type"] = "application/json"
	}
	ev := proxyEvent{
		Resource: req.Resource, Path: path, HTTPMethod: req.Method,
		Headers: headers, MultiValueHeaders: multiValue(headers),
		PathParameters: req.PathParameters,
		RequestContext: proxyRequestContext{
			ResourcePath: req.Resource, HTTPMethod: req.Method, Path: "/" + stage + path,
			Stage: stage, RequestID: requestID, Protocol: "HTTP/1.1",
			Identity: proxyIdentity{SourceIP: "127.0.0.1", UserAgent: "lambdatune"},
		},
	}
	if ev.Resource == "" {
		ev.Resource, ev.RequestContext.ResourcePath = path, path
	}
	if err := ev.setQuery(query); err != nil {
		return nil, err
	}
	if req.Body != nil {
		body := string(req.Body)
		ev.Body = &body
	}
	return json.Marshal(ev)
}

func (ev *proxyEvent) setQuery(raw string) error {
	if raw == "" {
		return nil
	}
	values, err := url.ParseQuery(raw)
	if err != nil {
		return fmt.Errorf("query %q: %w", raw, err)
	}
	ev.QueryStringParameters = map[string]string{}
	ev.MultiValueQueryStringParameters = map[string][]string(values)
	for k, v := range values {
		ev.QueryStringParameters[k] = v[len(v)-1]
	}
	return nil
}

func multiValue(m map[string]string) map[string][]string {
	out := make(map[string][]string, len(m))
	for k, v := range m {
		out[k] = []string{v}
	}
	return out
}

// errMalformedProxy is what API Gateway reports (as a 502) when a function's
// answer is not a proxy response.
var errMalformedProxy = errors.New("malformed Lambda proxy response")

// parseProxyResponse reads {"statusCode": 200, "body": "...", ...}.
func parseProxyResponse(payload []byte) (status int, body []byte, err error) {
	var resp struct {
		StatusCode      *int    `json:"statusCode"`
		Body            *string `json:"body"`
		IsBase64Encoded bool    `json:"isBase64Encoded"`
	}
	if err := json.Unmarshal(payload, &resp); err != nil || resp.StatusCode == nil {
		return 0, nil, errMalformedProxy
	}
	if *resp.StatusCode < 100 || *resp.StatusCode > 599 {
		return 0, nil, fmt.Errorf("%w: statusCode %d", errMalformedProxy, *resp.StatusCode)
	}
	if resp.Body == nil {
		return *resp.StatusCode, nil, nil
	}
	if !resp.IsBase64Encoded {
		return *resp.StatusCode, []byte(*resp.Body), nil
	}
	decoded, err := base64.StdEncoding.DecodeString(*resp.Body)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: body is not base64", errMalformedProxy)
	}
	return *resp.StatusCode, decoded, nil
}
