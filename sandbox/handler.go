package sandbox

import (
	"encoding/json"
	"time"
)

// handler is a function's code as the sandbox runs it: real logic over the
// sandbox's own data (the products table), returning its real answer and the
// work it did, which the execution model turns into time. Handlers run outside
// Sandbox.mu and may run concurrently; they must not touch the execution
// state.
type handler interface {
	handle(in *handlerInput) handlerOutput
}

// handlerInput is one invocation as the code sees it.
type handlerInput struct {
	// payload is the event as JSON.
	payload []byte
	// proxy is set instead of payload when the API front invokes: the same
	// API Gateway event, already built, saving a JSON round trip.
	proxy *proxyEvent
	ctx   lambdaContext
	// wantLogs tells the code someone reads its log (LogType Tail), so it
	// writes its log lines only then.
	wantLogs bool
}

// lambdaContext is what the runtime hands the code: the context object and
// the environment Lambda sets.
type lambdaContext struct {
	functionName    string
	functionVersion string
	memoryMB        int
	requestID       string
	// initializationType is AWS_LAMBDA_INITIALIZATION_TYPE:
	// "on-demand" or "provisioned-concurrency". (D) [S33]
	initializationType string
	// coldStart is true for the first invocation of an environment.
	coldStart bool
	now       time.Time
	// random is a draw from the sandbox's seeded source, for IDs the code
	// makes, so a seeded run makes the same IDs.
	random [2]uint64
}

// handlerOutput is what the code returned and what it cost.
type handlerOutput struct {
	// payload is the returned JSON; nil when proxy carries the answer.
	payload []byte
	// proxy is an API Gateway proxy response, set by code written for the
	// API front; payload() serialises it for callers of Invoke.
	proxy *proxyResponse
	// err is an unhandled error: the invocation fails with
	// X-Amz-Function-Error: Unhandled and err.payload as its answer.
	err  *functionError
	work work
	// failedInit: the runtime could not load the code; the environment is
	// reset, so the next invocation initialises again (code_entry.go).
	failedInit bool
	// extraMemoryMB is what this invocation used on top of the runtime's base.
	extraMemoryMB int
	logs          []string
}

// work is the modelled cost of one invocation.
type work struct {
	// cpu is vCPU time at one full vCPU; it takes cpu / s(m) and varies by
	// LN(0, 0.2) (I) (docs/sandbox-model.md#cpu-share).
	cpu time.Duration
	// io is time spent waiting on other services; it does not scale with
	// memory.
	io logNormal
	// network is fixed round-trip time on top of io.
	network time.Duration
}

// functionError is an error the code raised, as its runtime serialises it.
type functionError struct {
	errorType string
	message   string
	payload   []byte
	// logLine is what the runtime writes to the log for it.
	logLine string
}

// responsePayload is the answer as Invoke returns it.
func (o handlerOutput) responsePayload() []byte {
	switch {
	case o.err != nil:
		return o.err.payload
	case o.proxy != nil:
		data, _ := json.Marshal(o.proxy)
		return data
	}
	return o.payload
}
