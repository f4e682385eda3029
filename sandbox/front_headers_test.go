package sandbox

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

var traceIDPattern = regexp.MustCompile(`^Root=1-[0-9a-f]{8}-[0-9a-f]{24}(;.*)?$`)

// API Gateway's 5XX answers say InternalServerErrorException in
// x-amzn-ErrorType; the function's own answers carry no error type.
func TestFrontServerErrorsCarryTheErrorType(t *testing.T) {
	fx := newFixture(t, testConfig())
	product := fx.sb.ProductFunctionName()
	errorType := func(r frontResponse) string { return r.header.Get("X-Amzn-Errortype") }

	ok := fx.call("GET", "/products", "")
	missing := fx.call("GET", "/products/no-such-id", "")
	fx.reserve(product, 0)
	throttled := fx.call("GET", "/products", "")
	_, err := fx.client.DeleteFunctionConcurrency(fx.ctx, &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String(product)})
	mustNoErr(t, err, "DeleteFunctionConcurrency")
	image := fx.functionOfKind(imageKind)
	fx.sb.mu.Lock()
	fx.sb.front.function = image
	fx.sb.mu.Unlock()
	badGateway := fx.call("GET", "/products", "")
	fx.configure(&lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(image), MemorySize: aws.Int32(128), Timeout: aws.Int32(60)})
	timedOut := fx.call("POST", "/products", `{"width":4000,"height":3000}`)

	for what, tc := range map[string]struct {
		r      frontResponse
		status int
		want   string
	}{
		"200": {ok, http.StatusOK, ""}, "404 from the function": {missing, http.StatusNotFound, ""},
		"500": {throttled, http.StatusInternalServerError, gatewayServerError},
		"502": {badGateway, http.StatusBadGateway, gatewayServerError},
		"504": {timedOut, http.StatusGatewayTimeout, gatewayServerError},
	} {
		tc.r.expect(t, tc.status, "")
		if got := errorType(tc.r); got != tc.want {
			t.Errorf("%s: x-amzn-ErrorType = %q, want %q", what, got, tc.want)
		}
	}
}

// Every answer of the front carries a trace id, its own answers too; a
// caller's own trace is kept.
func TestFrontAnswersCarryATraceID(t *testing.T) {
	fx := newFixture(t, testConfig())
	seen := map[string]bool{}
	headers := []http.Header{fx.call("GET", "/products", "").header, fx.call("GET", "/orders", "").header}
	tooLarge := httptest.NewRecorder()
	big := httptest.NewRequest(http.MethodPost, "/"+frontStage+"/products", strings.NewReader(strings.Repeat("x", maxFrontPayload+1)))
	big.Host = "127.0.0.1" // the guard answers only loopback names
	fx.sb.APIHandler().ServeHTTP(tooLarge, big)
	if tooLarge.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized request answered %d", tooLarge.Code)
	}
	headers = append(headers, tooLarge.Header())
	for i, h := range headers {
		id := h.Get(traceHeader)
		if !traceIDPattern.MatchString(id) || seen[id] {
			t.Errorf("answer %d: %s = %q (repeated: %t)", i, traceHeader, id, seen[id])
		}
		seen[id] = true
	}
	req, _ := http.NewRequest(http.MethodGet, fx.apiURL+"/orders", nil)
	req.Header.Set(traceHeader, "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")
	resp, err := http.DefaultClient.Do(req)
	mustNoErr(t, err, "GET with a trace")
	_ = resp.Body.Close()
	if got := resp.Header.Get(traceHeader); got != "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1" {
		t.Errorf("the caller's trace became %q", got)
	}
}
