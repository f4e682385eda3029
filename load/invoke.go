package load

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/lambdatune/lambdatune/aws"
)

// Invoker is the part of *aws.Client the Invoke target needs.
type Invoker interface {
	Invoke(ctx context.Context, in aws.InvokeInput) (aws.InvokeOutput, error)
}

// InvokeTarget calls a Lambda function directly with API Gateway (REST API,
// proxy integration) events, so the function sees what it would behind API
// Gateway, and reads each call's REPORT line: the function's own duration,
// billed duration, memory and cold starts beside the client's latency.
type InvokeTarget struct {
	client    Invoker
	function  string
	qualifier string
	stage     string
	requests  atomic.Uint64 // numbers the events' request ids
}

// NewInvokeTarget invokes function (at qualifier, "" for $LATEST) through client.
func NewInvokeTarget(client Invoker, function, qualifier string) *InvokeTarget {
	// Prod is the stage SAM deploys to by default, as the lab's stack does
	// (its ProductApiUrl ends in /Prod), and the sandbox's front uses.
	return &InvokeTarget{client: client, function: function, qualifier: qualifier, stage: "Prod"}
}

// Describe implements Target.
func (t *InvokeTarget) Describe() string {
	if t.qualifier == "" {
		return "lambda:" + t.function
	}
	return "lambda:" + t.function + ":" + t.qualifier
}

// NewSession implements Target. The SDK client is shared and safe for
// concurrent use, so a session is only a handle.
func (t *InvokeTarget) NewSession() (Session, error) { return invokeSession{t}, nil }

type invokeSession struct{ target *InvokeTarget }

// Do implements Session: build the event, invoke, and read the proxy answer.
func (s invokeSession) Do(ctx context.Context, req *Request, out *Outcome) {
	t := s.target
	event, err := buildProxyEvent(req, t.stage, t.requestID())
	if err != nil {
		out.Err = err
		return
	}
	res, err := t.client.Invoke(ctx, aws.InvokeInput{FunctionName: t.function, Qualifier: t.qualifier, Payload: event})
	readInvoke(res, err, req.WantBody, out)
}

// Abort implements Session; the run's context cancels the SDK call.
func (invokeSession) Abort() {}

// Close implements Session.
func (invokeSession) Close() {}

func (t *InvokeTarget) requestID() string {
	n := t.requests.Add(1)
	return fmt.Sprintf("lambdatune-%012d", n)
}

// errFunctionError is counted when the function itself failed (API Gateway
// answers 502 then).
var errFunctionError = errors.New("function error")

// readInvoke turns one Invoke result into an outcome, as API Gateway would
// see it: a throttle is a 429-class failure counted apart, a function error
// or a malformed proxy answer a 502.
func readInvoke(res aws.InvokeOutput, err error, wantBody bool, out *Outcome) {
	if err != nil {
		if aws.IsThrottle(err) {
			out.Throttled = true
			out.Err = fmt.Errorf("throttled: TooManyRequestsException (%s)", aws.ThrottleReason(err))
			return
		}
		out.Err = err
		return
	}
	if res.HasReport {
		out.Server = serverTiming(res.Report)
	}
	if res.FunctionError != "" {
		out.Status = 502
		out.Err = fmt.Errorf("%w (%s)", errFunctionError, res.FunctionError)
		return
	}
	status, body, perr := parseProxyResponse(res.Payload)
	if perr != nil {
		out.Status, out.Err = 502, perr
		return
	}
	out.Status, out.Size = status, int64(len(body))
	if wantBody {
		out.Body = body
	}
}

func serverTiming(r aws.Report) ServerTiming {
	return ServerTiming{
		Known: true, Duration: r.Duration, BilledDuration: r.BilledDuration,
		InitDuration: r.InitDuration, MaxMemoryMB: r.MaxMemoryMB,
	}
}
