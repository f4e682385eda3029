package load

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdatune/lambdatune/aws"
)

func TestBuildProxyEventForProducts(t *testing.T) {
	get := byIDRequest(productsGet, "GET", "p 1")
	raw, err := buildProxyEvent(&get, "prod", "req-1")
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"resource": "/products/{id}", "path": "/products/p%201", "httpMethod": "GET",
		"body": nil, "isBase64Encoded": false, "queryStringParameters": nil,
	}
	for k, v := range want {
		if ev[k] != v {
			t.Errorf("%s = %#v, want %#v", k, ev[k], v)
		}
	}
	if params := ev["pathParameters"].(map[string]any); params["id"] != "p 1" {
		t.Errorf("pathParameters = %v", params)
	}
	rc := ev["requestContext"].(map[string]any)
	if rc["resourcePath"] != "/products/{id}" || rc["stage"] != "prod" || rc["requestId"] != "req-1" || rc["path"] != "/prod/products/p%201" {
		t.Errorf("requestContext = %v", rc)
	}
}

func TestBuildProxyEventWithBodyAndQuery(t *testing.T) {
	req := Request{Method: "POST", Path: "/products?limit=5&tag=a&tag=b", Resource: "/products", Body: []byte(`{"name":"lamp"}`)}
	raw, err := buildProxyEvent(&req, "prod", "r")
	if err != nil {
		t.Fatal(err)
	}
	var ev proxyEvent
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Body == nil || *ev.Body != `{"name":"lamp"}` || ev.Headers["Content-Type"] != "application/json" || ev.Path != "/products" {
		t.Fatalf("event %+v", ev)
	}
	if ev.QueryStringParameters["limit"] != "5" || ev.QueryStringParameters["tag"] != "b" || len(ev.MultiValueQueryStringParameters["tag"]) != 2 {
		t.Fatalf("query %v %v", ev.QueryStringParameters, ev.MultiValueQueryStringParameters)
	}
	if ev.PathParameters != nil {
		t.Fatalf("pathParameters %v, want null", ev.PathParameters)
	}
	bad := Request{Method: "GET", Path: "/x?%zz"}
	if _, err := buildProxyEvent(&bad, "prod", "r"); err == nil {
		t.Fatal("a malformed query was accepted")
	}
}

func TestParseProxyResponse(t *testing.T) {
	tests := []struct {
		payload    string
		wantStatus int
		wantBody   string
		wantErr    bool
	}{
		{`{"statusCode":200,"headers":{"Content-Type":"application/json"},"body":"{\"id\":\"1\"}"}`, 200, `{"id":"1"}`, false},
		{`{"statusCode":404,"body":"not found"}`, 404, "not found", false},
		{`{"statusCode":204}`, 204, "", false},
		{`{"statusCode":200,"body":"aGk=","isBase64Encoded":true}`, 200, "hi", false},
		{`{"statusCode":200,"body":"!!","isBase64Encoded":true}`, 0, "", true},
		{`{"body":"no status"}`, 0, "", true},
		{`{"statusCode":99}`, 0, "", true},
		{`"just a string"`, 0, "", true},
		{``, 0, "", true},
	}
	for _, tt := range tests {
		status, body, err := parseProxyResponse([]byte(tt.payload))
		if status != tt.wantStatus || string(body) != tt.wantBody || (err != nil) != tt.wantErr {
			t.Errorf("parseProxyResponse(%s) = %d, %q, %v", tt.payload, status, body, err)
		}
		if err != nil && !errors.Is(err, errMalformedProxy) {
			t.Errorf("error %v is not errMalformedProxy", err)
		}
	}
}

func TestReadInvoke(t *testing.T) {
	report := aws.Report{Duration: 42 * time.Millisecond, BilledDuration: 43 * time.Millisecond, MemorySizeMB: 128, MaxMemoryMB: 70, InitDuration: 300 * time.Millisecond}
	tests := []struct {
		name      string
		res       aws.InvokeOutput
		err       error
		status    int
		throttled bool
		failed    bool
		errText   string
	}{
		{name: "ok with a cold start", res: aws.InvokeOutput{StatusCode: 200, Payload: []byte(`{"statusCode":201,"body":"{}"}`), Report: report, HasReport: true}, status: 201},
		{name: "proxy 404", res: aws.InvokeOutput{StatusCode: 200, Payload: []byte(`{"statusCode":404,"body":"nope"}`)}, status: 404, failed: true, errText: "HTTP 404 Not Found"},
		{name: "function error is a 502", res: aws.InvokeOutput{StatusCode: 200, FunctionError: "Unhandled", Payload: []byte(`{"errorMessage":"boom"}`)}, status: 502, failed: true, errText: "function error (Unhandled)"},
		{name: "malformed answer is a 502", res: aws.InvokeOutput{StatusCode: 200, Payload: []byte(`null`)}, status: 502, failed: true, errText: "malformed Lambda proxy response"},
		{
			name:      "throttle counted apart",
			err:       &types.TooManyRequestsException{Message: sdkaws.String("Rate Exceeded."), Reason: types.ThrottleReasonReservedFunctionConcurrentInvocationLimitExceeded},
			throttled: true, failed: true, errText: "throttled: TooManyRequestsException (ReservedFunctionConcurrentInvocationLimitExceeded)",
		},
		{name: "transport error", err: context.DeadlineExceeded, failed: true, errText: "context deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out Outcome
			readInvoke(tt.res, tt.err, true, &out)
			if out.Status != tt.status || out.Throttled != tt.throttled || out.Failed() != tt.failed {
				t.Fatalf("outcome %+v", out)
			}
			if tt.failed && !strings.Contains(out.FailureText(), tt.errText) {
				t.Fatalf("failure text %q, want %q", out.FailureText(), tt.errText)
			}
			if tt.res.HasReport && (!out.Server.Known || out.Server.InitDuration != report.InitDuration || out.Server.Duration != report.Duration) {
				t.Fatalf("server timing %+v", out.Server)
			}
		})
	}
}
