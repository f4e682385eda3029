package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// Fuzz targets for every decoder of outside input on the execution side:
// the API front's request routing and event building (with the products
// code behind it), the front's whole HTTP handling (guard, limits, memory
// budget), and Invoke's name, header and payload checks (with the
// functions' code behind them). Run by hand, e.g.
//
//	go test ./sandbox -run '^$' -fuzz FuzzFrontRequest -fuzztime 1m
//	go test ./sandbox -run '^$' -fuzz FuzzFrontHTTP -fuzztime 1m
//	go test ./sandbox -run '^$' -fuzz FuzzInvokeRequest -fuzztime 1m
//
// Seeds are in testdata/fuzz/<target>/.

func FuzzFrontRequest(f *testing.F) {
	f.Add("GET", "/Prod/products", "limit=5", "", "")
	f.Add("POST", "/Prod/products", "", `{"name":"lamp","price":3}`, "application/json")
	f.Add("DELETE", "/Prod/products/%2Fx%20y", "", "", "")
	f.Add("GET", "/Prod/products/", "nextToken=zz&limit=100&limit=1", "", "")
	sb, err := New(testConfig())
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(sb.Close)
	code := &productsHandler{table: newProductTable()}
	f.Fuzz(func(t *testing.T, method, path, query, body, contentType string) {
		header := http.Header{"Content-Type": {contentType}}
		req, answer := parseFrontRequest(method, path, query, header, "127.0.0.1:4567", "127.0.0.1:1234", []byte(body))
		if answer != nil {
			if answer.status != http.StatusForbidden && answer.status != http.StatusRequestEntityTooLarge {
				t.Fatalf("the front answered %d by itself", answer.status)
			}
			return
		}
		if !slices.Contains(frontResources[req.resource], method) || !strings.HasPrefix(path, "/"+frontStage+"/") {
			t.Fatalf("routed %s %s to %s", method, path, req.resource)
		}
		ev := sb.front.event(req, "00000000-0000-4000-8000-000000000000", epoch)
		checkEventRoundTrip(t, ev)
		out := code.handle(&handlerInput{proxy: ev, ctx: lambdaContext{now: epoch, requestID: "r", random: [2]uint64{uint64(len(body)), 7}}, wantLogs: true})
		checkProxyOutput(t, out)
	})
}

// checkEventRoundTrip: the event serialises, and the products code reading
// it from JSON (a direct Invoke) sees the same request.
func checkEventRoundTrip(t *testing.T, ev *proxyEvent) {
	data, err := json.Marshal(ev)
	if err != nil {
		t.Fatalf("event does not serialise: %v", err)
	}
	var back proxyEvent
	if err := json.Unmarshal(data, &back); err != nil || back.HTTPMethod != ev.HTTPMethod || back.Resource != ev.Resource {
		t.Fatalf("event does not round-trip: %v", err)
	}
}

func checkProxyOutput(t *testing.T, out handlerOutput) {
	if out.err != nil || out.proxy == nil {
		t.Fatalf("the products code failed on a routed request: %+v", out.err)
	}
	switch out.proxy.StatusCode {
	case 200, 201, 204, 400, 404, 503:
	default:
		t.Fatalf("status %d", out.proxy.StatusCode)
	}
	if out.proxy.Body != "" && !json.Valid([]byte(out.proxy.Body)) {
		t.Fatalf("body is not JSON: %q", out.proxy.Body)
	}
	if out.work.cpu <= 0 {
		t.Fatal("no modelled work")
	}
}

func FuzzInvokeRequest(f *testing.F) {
	f.Add("my-function", "", "", "", []byte(`{"width":10}`))
	f.Add("arn:aws:lambda:us-east-1:123456789012:function:f:live", "live", "Event", "Tail", []byte(`[1,2`))
	f.Add("f", "$LATEST", "DryRun", "None", []byte(`{"a":1 "b":2}`))
	f.Add("f:1", "2", "RequestResponse", "Tail", []byte("\n\n tru"))
	families := []string{"python", "node", "java", "dotnet", "provided", "ruby"}
	products := &productsHandler{table: newProductTable()}
	f.Fuzz(func(t *testing.T, name, qualifier, invocationType, logType string, payload []byte) {
		call, err := decodeInvoke(name, qualifier, invocationType, logType, payload)
		if err != nil {
			checkInvokeError(t, err)
			return
		}
		if len(payload) > 0 && !json.Valid(payload) {
			t.Fatalf("accepted a payload that is not JSON: %q", payload)
		}
		if call.req.ref.name == "" {
			t.Fatalf("accepted the name %q", name)
		}
		ctx := lambdaContext{now: epoch.Add(time.Duration(len(payload))), requestID: "r"}
		checkFunctionOutput(t, products.handle(&handlerInput{payload: payload, ctx: ctx, wantLogs: true}))
		for _, family := range families {
			for _, kind := range []genericKind{apiKind, batchKind, imageKind} {
				checkFunctionOutput(t, genericHandler{kind: kind, family: family}.handle(&handlerInput{payload: payload, ctx: ctx}))
			}
		}
	})
}

func checkInvokeError(t *testing.T, err *apiError) {
	switch {
	case err.status == 400 && (err.code == "ValidationException" || err.code == "InvalidRequestContentException" || err.code == "InvalidParameterValueException"):
	case err.status == 413 && err.code == "RequestEntityTooLargeException":
	default:
		t.Fatalf("unexpected error %d %s", err.status, err.code)
	}
	if err.message == "" {
		t.Fatal("an error without words")
	}
}

// checkFunctionOutput: whatever the event, the code answers JSON or fails
// with a JSON error, as a runtime serialises it.
func checkFunctionOutput(t *testing.T, out handlerOutput) {
	payload := out.responsePayload()
	if !json.Valid(payload) {
		t.Fatalf("the function answered %q", payload)
	}
	if out.err != nil && out.err.errorType == "" {
		t.Fatal("an error without a type")
	}
}
