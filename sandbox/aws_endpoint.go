package sandbox

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

// The sandbox's AWS endpoint serves three services from one root, told apart
// as their clients address them:
//
//   - AWS Query (a form POST, or a GET with Action=, to /): CloudFormation
//     when its Version is 2010-05-15, CloudWatch otherwise (2010-08-01). The
//     AWS SDK for Go v2 and both AWS CLIs send CloudFormation's DescribeStacks
//     as a form POST with Action=DescribeStacks&Version=2010-05-15.
//   - CloudWatch's other protocols: the RPC v2 CBOR path, or an X-Amz-Target
//     naming CloudWatch (sandbox/metrics).
//   - Lambda's REST API under its dated paths: everything else.

// cloudFormationVersion is CloudFormation's API version, the Version= of its
// Query requests.
const cloudFormationVersion = "2010-05-15"

// awsEndpoint dispatches the AWS endpoint's requests to their service.
func (s *Sandbox) awsEndpoint(lambda http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case isQueryRequest(r):
			s.serveQuery(w, r)
		case metrics.IsCloudWatchRequest(r):
			s.cloudWatch.serve(w, r)
		default:
			lambda.ServeHTTP(w, r)
		}
	})
}

// isQueryRequest tells an AWS Query request: to the root, a form POST or a
// GET naming an Action.
func isQueryRequest(r *http.Request) bool {
	if r.URL.Path != "/" && r.URL.Path != "" {
		return false
	}
	switch r.Method {
	case http.MethodPost:
		return r.Header.Get("X-Amz-Target") == "" &&
			strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded")
	case http.MethodGet:
		return r.URL.Query().Get("Action") != ""
	}
	return false
}

// serveQuery reads a Query request's body once, within the memory budget,
// and hands it to the service its Version names.
func (s *Sandbox) serveQuery(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r, cloudWatchMaxBody)
	params := queryParameters(r, body)
	if err == nil && params.Get("Version") == cloudFormationVersion {
		s.serveCloudFormation(w, r, params, len(body) > maxRequestBody)
		return
	}
	s.cloudWatch.serveRead(w, r, body, err)
}

// queryParameters are a Query request's parameters: its URL query and, for
// a POST, its form body. A body that is not a form yields none of its own:
// the service that gets it says what is wrong.
func queryParameters(r *http.Request, body []byte) url.Values {
	params := r.URL.Query()
	if r.Method != http.MethodPost {
		return params
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return params
	}
	for k, v := range form {
		params[k] = append(params[k], v...)
	}
	return params
}
