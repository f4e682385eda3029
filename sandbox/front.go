package sandbox

import (
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/lambdatune/lambdatune/internal/uuid"
)

// front is the products API: the sandbox's stand-in for the API Gateway REST
// API of the lab's stack, with a Lambda proxy integration to the product
// function — through its alias "live" when there is one, else $LATEST. It
// adds API Gateway's own latency, answers a refused invocation (a throttle)
// with 500 and a failed one or a malformed proxy response with 502, both
// {"message": "Internal server error"}, and gives up after the 29-second
// integration timeout with 504 (D) [S41], (B) [S78]. Like the execution
// model it is time-explicit: begin and end take the time, and only the HTTP
// handler waits.
type front struct {
	s     *Sandbox
	apiID string
	// function is the integration's function: the lab's product function.
	// Guarded by Sandbox.mu.
	function string
}

func newFront(s *Sandbox) *front {
	id := make([]byte, 10)
	for i := range id {
		id[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[s.rng.IntN(36)]
	}
	return &front{s: s, apiID: string(id), function: s.productFunction}
}

// frontCall is one request through the front.
type frontCall struct {
	requestID string
	// overhead is API Gateway's own latency, added to the response.
	overhead time.Duration
	// inv is the invocation; nil when the front answered by itself.
	inv *invocation
	// integrationTimedOut: the function runs longer than the integration
	// timeout; the client gets 504 after it, the function runs on.
	integrationTimedOut bool
	answer              frontAnswer
}

// lambdaWait is how long the front waits for the function.
func (c *frontCall) lambdaWait() time.Duration {
	if c.inv == nil {
		return 0
	}
	return min(c.inv.latency(), integrationTimeout)
}

// latency is what the client sees: the function's time and the gateway's.
func (c *frontCall) latency() time.Duration { return c.lambdaWait() + c.overhead }

// begin takes a routed request at now and invokes the function.
func (fr *front) begin(now time.Time, req frontRequest) *frontCall {
	s := fr.s
	s.mu.Lock()
	call := &frontCall{requestID: s.newUUID(), overhead: restAPIOverhead.at(s.rng.NormFloat64())}
	ref := functionRef{name: fr.function}
	if f := s.acct.functions[ref.name]; f != nil && f.aliases["live"] != nil {
		ref.qualifier = "live"
	}
	s.mu.Unlock()
	ev := fr.event(req, call.requestID, now)
	if eventTooLarge(ev) {
		call.answer = answerRequestTooLong
		return call
	}
	inv, err := s.beginInvoke(now, invokeRequest{ref: ref, proxy: ev})
	if err != nil {
		call.answer = answerInternalError
		return call
	}
	call.inv = inv
	if inv.latency() > integrationTimeout {
		call.integrationTimedOut, call.answer = true, answerTimedOut
	}
	return call
}

// end finishes the invocation at now and maps its result; after an
// integration timeout the invocation still ends at its own time.
func (fr *front) end(now time.Time, call *frontCall) {
	if call.inv == nil {
		return
	}
	fr.s.endInvoke(now, call.inv)
	if !call.integrationTimedOut {
		call.answer = proxyAnswer(call.inv)
	}
}

// proxyAnswer is API Gateway's answer for what the function returned.
func proxyAnswer(inv *invocation) frontAnswer {
	if inv.failed() {
		return answerBadGateway
	}
	resp := inv.out.proxy
	if resp == nil {
		parsed, err := parseProxyResponse(inv.out.payload)
		if err != nil {
			return answerBadGateway
		}
		resp = parsed
	}
	body := resp.Body
	if resp.IsBase64Encoded {
		data, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return answerBadGateway
		}
		body = string(data)
	}
	return frontAnswer{status: resp.StatusCode, headers: resp.Headers, multi: resp.MultiValueHeaders, body: body}
}

// APIHandler is the products API front, to be served on its own listener
// (Start does); its URL with the stage, e.g. http://127.0.0.1:4567/Prod, is
// the sandbox's equivalent of the stack output ProductApiUrl.
// It is guarded like the AWS endpoint (guard.go).
func (s *Sandbox) APIHandler() http.Handler { return s.guard(s.front, s.cfg.Front, refuseFront) }

func (fr *front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fr.trace(w, r)
	req, answer := fr.route(r)
	if answer != nil {
		writeFrontAnswer(w, uuid.New(), *answer)
		return
	}
	s, mem := fr.s, memoryOf(r.Context())
	if mem.enterBuild(r.Context()) != nil {
		return // the client went away before anything ran
	}
	call := fr.begin(s.clock.Now(), req)
	_ = mem.built(s.lifetime, call.answerBytes()) // counted until the request ends (budget.go)
	s.wait(s.lifetime, call.lambdaWait())
	if call.integrationTimedOut {
		go fr.finishLate(call)
	} else {
		fr.end(s.clock.Now(), call)
	}
	s.wait(s.lifetime, call.overhead)
	extendWriteDeadline(w, s.cfg.Front.WriteTimeout)
	writeFrontAnswer(w, call.requestID, call.answer)
}

// route reads the body, within the limits (front_limits.go) and the memory
// budget, and routes the request; an answer when the front answers by
// itself.
func (fr *front) route(r *http.Request) (frontRequest, *frontAnswer) {
	if answer := declaredTooLarge(r.ContentLength); answer != nil {
		return frontRequest{}, answer
	}
	body, err := readBody(r, maxFrontPayload)
	if err != nil {
		return frontRequest{}, &answerUnreadable
	}
	return parseFrontRequest(r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header, r.Host, r.RemoteAddr, body)
}

// finishLate waits out a function that outlived the integration timeout.
// The client has had its 504, so the function's answer is dropped at once:
// nobody will read it, and the memory budget no longer counts it.
func (fr *front) finishLate(call *frontCall) {
	call.inv.out.proxy, call.inv.out.payload = nil, nil
	fr.s.wait(fr.s.lifetime, call.inv.latency()-integrationTimeout)
	fr.end(fr.s.clock.Now(), call)
}

// writeFrontAnswer writes an answer with the headers API Gateway adds.
func writeFrontAnswer(w http.ResponseWriter, requestID string, a frontAnswer) {
	h := w.Header()
	for k, vs := range a.multi {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	for k, v := range a.headers {
		h.Set(k, v)
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	h.Set("X-Amzn-Requestid", requestID)
	h.Set("X-Amz-Apigw-Id", apigwID(requestID))
	if a.errorType != "" {
		h.Set("X-Amzn-Errortype", a.errorType)
	}
	if a.status != http.StatusNoContent && a.status != http.StatusNotModified {
		h.Set("Content-Length", strconv.Itoa(len(a.body)))
	}
	w.WriteHeader(a.status)
	_, _ = io.WriteString(w, a.body)
}

// apigwID is an x-amz-apigw-id, derived from the request id.
func apigwID(requestID string) string {
	if len(requestID) < 12 {
		return requestID
	}
	return base64.RawStdEncoding.EncodeToString([]byte(requestID[:12])) + "="
}
