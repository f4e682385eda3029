package sandbox

import "time"

// event builds the API Gateway proxy event (payload format 1.0) of a routed
// request, with the headers API Gateway adds. Twin of load's buildProxyEvent
// (load/proxyevent.go); see proxyEvent.
func (fr *front) event(req frontRequest, requestID string, now time.Time) *proxyEvent {
	headers, multi := eventHeaders(req)
	ev := &proxyEvent{
		Resource: req.resource, Path: req.path, HTTPMethod: req.method,
		Headers: headers, MultiValueHeaders: multi, PathParameters: req.params,
		RequestContext: proxyRequestContext{
			AccountID: fr.s.acct.id, APIID: fr.apiID,
			DomainName:   fr.apiID + ".execute-api." + fr.s.acct.region + ".amazonaws.com",
			DomainPrefix: fr.apiID, ExtendedRequestID: apigwID(requestID), HTTPMethod: req.method,
			Identity: proxyIdentity{SourceIP: req.sourceIP, UserAgent: req.header.Get("User-Agent")},
			Path:     "/" + frontStage + req.path, Protocol: "HTTP/1.1", RequestID: requestID,
			RequestTime: now.UTC().Format("02/Jan/2006:15:04:05 -0700"), RequestTimeEpoch: now.UnixMilli(),
			ResourceID: resourceID(req.resource), ResourcePath: req.resource, Stage: frontStage,
		},
	}
	if len(req.query) > 0 {
		ev.QueryStringParameters = make(map[string]string, len(req.query))
		ev.MultiValueQueryStringParameters = req.query
		for k, vs := range req.query {
			ev.QueryStringParameters[k] = vs[len(vs)-1]
		}
	}
	if len(req.body) > 0 {
		body := string(req.body)
		ev.Body = &body
	}
	return ev
}

// eventHeaders are the request's headers as the event carries them: the last
// value of each in headers, all of them in multiValueHeaders, plus Host and
// the X-Forwarded-* headers API Gateway sets.
func eventHeaders(req frontRequest) (map[string]string, map[string][]string) {
	headers := make(map[string]string, len(req.header)+3)
	multi := make(map[string][]string, len(req.header)+3)
	for k, vs := range req.header {
		if len(vs) > 0 {
			headers[k], multi[k] = vs[len(vs)-1], vs
		}
	}
	headers["Host"], multi["Host"] = req.host, []string{req.host}
	headers["X-Forwarded-For"], multi["X-Forwarded-For"] = req.sourceIP, []string{req.sourceIP}
	headers["X-Forwarded-Proto"], multi["X-Forwarded-Proto"] = "http", forwardedProto
	return headers, multi
}

// forwardedProto is X-Forwarded-Proto's value list; shared, never modified.
var forwardedProto = []string{"http"}

// resourceID is a stable 6-character id per resource, like API Gateway's.
func resourceID(resource string) string {
	if resource == "/products" {
		return "pr0dct"
	}
	return "pr0did"
}
