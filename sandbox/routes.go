package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/lambdatune/lambdatune/internal/uuid"
)

// routes registers every Lambda operation on the mux, dispatched on method
// and path, with the API date each operation was introduced under; the
// catch-all answers what Lambda has no route for. CloudWatch and
// CloudFormation are not on the mux: Handler wraps it in awsEndpoint
// (aws_endpoint.go), which takes their requests (Query by Version=, the RPC
// v2 path, X-Amz-Target) before they reach it.
func (s *Sandbox) routes() {
	for _, p := range []string{"GET /2015-03-31/functions", "GET /2015-03-31/functions/{$}"} {
		s.lambdaOp(p, s.controlPlane, s.listFunctions)
	}
	s.lambdaOp("GET /2015-03-31/functions/{name}", s.getFunction, s.getFunctionOp)
	s.lambdaOp("GET /2015-03-31/functions/{name}/configuration", s.controlPlane, s.getFunctionConfiguration)
	s.lambdaOp("PUT /2015-03-31/functions/{name}/configuration", s.controlPlane, s.updateFunctionConfiguration)
	s.lambdaOp("DELETE /2015-03-31/functions/{name}", s.controlPlane, s.deleteFunction)

	s.lambdaOp("GET /2017-03-31/tags/{arn}", s.controlPlane, s.listTags)
	s.lambdaOp("POST /2017-03-31/tags/{arn}", s.controlPlane, s.tagResource)
	s.lambdaOp("DELETE /2017-03-31/tags/{arn}", s.controlPlane, s.untagResource)

	s.lambdaOp("GET /2021-10-31/functions/{name}/url", s.controlPlane, s.getFunctionURLConfig)

	s.lambdaOp("PUT /2017-10-31/functions/{name}/concurrency", s.controlPlane, s.putFunctionConcurrency)
	s.lambdaOp("DELETE /2017-10-31/functions/{name}/concurrency", s.controlPlane, s.deleteFunctionConcurrency)
	s.lambdaOp("GET /2019-09-30/functions/{name}/concurrency", s.controlPlane, s.getFunctionConcurrency)

	s.lambdaOp("POST /2015-03-31/functions/{name}/versions", s.controlPlane, s.publishVersion)
	s.lambdaOp("GET /2015-03-31/functions/{name}/versions", s.controlPlane, s.listVersionsByFunction)

	s.lambdaOp("POST /2015-03-31/functions/{name}/aliases", s.controlPlane, s.createAlias)
	s.lambdaOp("GET /2015-03-31/functions/{name}/aliases", s.controlPlane, s.listAliases)
	s.lambdaOp("GET /2015-03-31/functions/{name}/aliases/{alias}", s.controlPlane, s.getAlias)
	s.lambdaOp("PUT /2015-03-31/functions/{name}/aliases/{alias}", s.controlPlane, s.updateAlias)
	s.lambdaOp("DELETE /2015-03-31/functions/{name}/aliases/{alias}", s.controlPlane, s.deleteAlias)

	s.lambdaOp("PUT /2019-09-30/functions/{name}/provisioned-concurrency", s.controlPlane, s.putProvisionedConcurrency)
	s.lambdaOp("GET /2019-09-30/functions/{name}/provisioned-concurrency", s.controlPlane, s.getOrListProvisionedConcurrency)
	s.lambdaOp("DELETE /2019-09-30/functions/{name}/provisioned-concurrency", s.controlPlane, s.deleteProvisionedConcurrency)

	for _, p := range []string{"GET /2016-08-19/account-settings", "GET /2016-08-19/account-settings/{$}"} {
		s.lambdaOp(p, s.controlPlane, s.getAccountSettings)
	}

	// Invoke is data plane: no control-plane quota, its own limits.
	s.mux.HandleFunc("POST /2015-03-31/functions/{name}/invocations", s.invokeOp)

	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		setRequestID(w)
		errUnknownOperation(r).write(w)
	})
}

// request is what an operation gets: the HTTP request, its body already read,
// and the time the sandbox received it.
type request struct {
	*http.Request
	body []byte
	now  time.Time
}

// response is what an operation answers on success.
type response struct {
	status int
	body   any // nil for no body (204)
}

func ok(body any) (response, *apiError) { return response{http.StatusOK, body}, nil }

// operation is one API operation. It runs with Sandbox.mu held.
type operation func(req request) (response, *apiError)

// maxRequestBody bounds what a control-plane request may send; Lambda's
// largest configuration (4 KB of environment) fits many times over.
const maxRequestBody = 1 << 20

// lambdaOp registers op under pattern behind the given rate quota.
func (s *Sandbox) lambdaOp(pattern string, quota *tokenBucket, op operation) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		setRequestID(w)
		resp, err := s.run(r, quota, op)
		if err != nil {
			err.write(w)
			return
		}
		writeJSON(w, resp)
	})
}

func (s *Sandbox) run(r *http.Request, quota *tokenBucket, op operation) (response, *apiError) {
	now := s.clock.Now()
	if allowed, retryAfter := quota.take(now); !allowed {
		return response{}, errRateExceeded(retryAfter)
	}
	body, err := readBody(r, maxRequestBody)
	if err != nil {
		return response{}, errBadRequestBody(err)
	}
	if len(body) > maxRequestBody {
		return response{}, errRequestTooLarge(r)
	}
	if err := memoryOf(r.Context()).enterBuild(r.Context()); err != nil {
		return response{}, errBadRequestBody(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acct.unreservedCacheValid = false // the operation may change reserved or provisioned concurrency
	return op(request{Request: r, body: body, now: now})
}

func writeJSON(w http.ResponseWriter, resp response) {
	if resp.body == nil {
		w.WriteHeader(resp.status)
		return
	}
	data, err := json.Marshal(resp.body)
	if err != nil {
		newAPIError(http.StatusInternalServerError, "ServiceException", "encode response: %v", err).write(w)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.status)
	_, _ = w.Write(data)
}

// decode reads the JSON body into v; an empty body leaves v as it is.
func (req request) decode(v any) *apiError {
	if len(bytes.TrimSpace(req.body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(req.body, v); err != nil {
		return errUnparsableBody(req.Request, req.body, err)
	}
	return nil
}

func setRequestID(w http.ResponseWriter) {
	w.Header().Set("X-Amzn-RequestId", uuid.New())
}
