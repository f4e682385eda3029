package sandbox

import (
	"encoding/json"
	"net/http"
)

// The front's size limits, as API Gateway and Lambda apply them to a REST
// API with a Lambda proxy integration (docs/sandbox-model.md gives the
// sources):
//
//   - a body over API Gateway's 10 MB payload quota gets 413 with API
//     Gateway's text "HTTP content length exceeded 10485760 bytes.";
//   - a request whose proxy event is over Lambda's 6 MB synchronous request
//     limit never reaches the function: 413 {"message": "Request Too Long"}
//     (x-amzn-ErrorType BadRequestException);
//   - an answer over Lambda's 6 MB response limit is a function error
//     (Function.ResponseSizeTooLarge), which the front turns into 502 like
//     any other.
//
// A body declared too large by its Content-Length is refused unread.

var (
	answerTooLarge = frontAnswer{status: http.StatusRequestEntityTooLarge,
		headers: map[string]string{"Content-Type": "text; charset=utf-8"}, body: "HTTP content length exceeded 10485760 bytes."}
	answerRequestTooLong = frontAnswer{status: http.StatusRequestEntityTooLarge, errorType: "BadRequestException",
		body: `{"message": "Request Too Long"}`}
	answerUnreadable = frontAnswer{status: http.StatusBadRequest, body: `{"message":"Could not read the request body"}`}
)

// declaredTooLarge is the answer for a body whose declared length is over a
// limit, or nil.
func declaredTooLarge(contentLength int64) *frontAnswer {
	switch {
	case contentLength > maxFrontPayload:
		return &answerTooLarge
	case contentLength > maxSyncPayload:
		return &answerRequestTooLong // the body alone is over Lambda's request limit
	}
	return nil
}

// eventTooLarge tells whether the event, as JSON, is over Lambda's
// synchronous request limit. Only a large body can make it so: the rest of
// the event copies the request line and headers (at most maxHeaderBytes)
// four times at most, each byte escaped to at most six.
func eventTooLarge(ev *proxyEvent) bool {
	if ev.Body == nil || len(*ev.Body) < (maxSyncPayload-32*maxHeaderBytes)/6 {
		return false // even six bytes per body byte (\u00XX) cannot reach it
	}
	body := ev.Body
	ev.Body = nil
	envelope, _ := json.Marshal(ev)
	ev.Body = body
	return len(envelope)-len("null")+jsonStringLen(*body) > maxSyncPayload
}

// answerBytes is what the client's answer holds while it waits out its
// modelled latency: the function's answer body.
func (c *frontCall) answerBytes() int64 {
	if c.inv == nil || c.inv.out.proxy == nil {
		return int64(len(c.answer.body))
	}
	return int64(len(c.inv.out.proxy.Body))
}
