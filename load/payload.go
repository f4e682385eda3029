package load

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lambdatune/lambdatune/aws"
)

// PayloadTarget invokes a Lambda function with one fixed payload, as AWS
// Lambda Power Tuning does with its `payload` (docs/sweep.md), and reads
// each call's REPORT line. The answer is the function's own, not an API
// Gateway proxy response: an invocation succeeds unless Lambda refuses it
// or the function fails (a timeout is a function error too).
type PayloadTarget struct {
	client    Invoker
	function  string
	qualifier string
	payload   []byte
}

// NewPayloadTarget invokes function (at qualifier, "" for $LATEST) with payload.
func NewPayloadTarget(client Invoker, function, qualifier string, payload []byte) *PayloadTarget {
	return &PayloadTarget{client: client, function: function, qualifier: qualifier, payload: payload}
}

// PayloadEndpoint is the one endpoint a payload run counts under.
var PayloadEndpoint = Endpoint{Method: "INVOKE", Name: "payload"}

// Describe implements Target.
func (t *PayloadTarget) Describe() string {
	if t.qualifier == "" {
		return "lambda:" + t.function
	}
	return "lambda:" + t.function + ":" + t.qualifier
}

// NewSession implements Target.
func (t *PayloadTarget) NewSession() (Session, error) { return payloadSession{t}, nil }

type payloadSession struct{ target *PayloadTarget }

// Do implements Session.
func (s payloadSession) Do(ctx context.Context, _ *Request, out *Outcome) {
	t := s.target
	res, err := t.client.Invoke(ctx, aws.InvokeInput{FunctionName: t.function, Qualifier: t.qualifier, Payload: t.payload})
	if err != nil {
		readInvoke(res, err, false, out)
		return
	}
	if res.HasReport {
		out.Server = serverTiming(res.Report)
	}
	out.Status, out.Size = res.StatusCode, int64(len(res.Payload))
	if res.FunctionError != "" {
		out.Status = 502
		out.Err = fmt.Errorf("%w (%s)%s", errFunctionError, res.FunctionError, timedOut(res.Payload))
	}
}

// Abort implements Session.
func (payloadSession) Abort() {}

// Close implements Session.
func (payloadSession) Close() {}

// timedOut says ": timed out" when the function's error is Lambda's timeout
// ("Task timed out after 3.00 seconds"), so runs count timeouts apart.
func timedOut(payload []byte) string {
	var e struct {
		ErrorMessage string `json:"errorMessage"`
	}
	if json.Unmarshal(payload, &e) == nil && strings.Contains(e.ErrorMessage, "timed out") {
		return ": " + FunctionTimeout
	}
	return ""
}

// FunctionTimeout ends the failure text of an invocation the function's
// own timeout ended.
const FunctionTimeout = "function timed out"

// PayloadScenario invokes the payload over and over: the one task of a
// payload run.
type PayloadScenario struct{}

// Name implements Scenario.
func (PayloadScenario) Name() string { return "payload" }

// Endpoints implements Scenario.
func (PayloadScenario) Endpoints() []Endpoint { return []Endpoint{PayloadEndpoint} }

// Tasks implements Scenario.
func (PayloadScenario) Tasks() []Task {
	req := &Request{Method: PayloadEndpoint.Method, Resource: PayloadEndpoint.Name}
	return []Task{{Name: "invoke", Weight: 1, Run: func(ctx context.Context, u *User) { u.Do(ctx, req) }}}
}
