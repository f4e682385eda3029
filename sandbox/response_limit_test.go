package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// sizedCode is function code whose answer is exactly size bytes as Invoke
// sends it: a JSON string, or with proxy an API Gateway proxy response.
type sizedCode struct {
	size  int
	proxy bool
}

func (c sizedCode) handle(*handlerInput) handlerOutput {
	w := work{cpu: time.Millisecond}
	if !c.proxy {
		return handlerOutput{payload: []byte(`"` + strings.Repeat("a", c.size-2) + `"`), work: w}
	}
	resp := &proxyResponse{StatusCode: 200, Headers: jsonHeaders}
	envelope, _ := json.Marshal(resp)
	resp.Body = strings.Repeat("<", (c.size-len(envelope))/6) // each < is sent as \u003c
	return handlerOutput{proxy: resp, work: w}
}

// replaceCode makes function name's $LATEST run code.
func (fx *fixture) replaceCode(name string, code handler) {
	fx.t.Helper()
	fx.sb.mu.Lock()
	defer fx.sb.mu.Unlock()
	t, err := fx.sb.resolve(fx.clock.Now(), functionRef{name: name})
	if err != nil {
		fx.t.Fatal(err)
	}
	fx.sb.pool(t.f, t.version, t.config).profile.handler = code
}

// Lambda's 6 MB response limit is 6,291,556 bytes of the payload as sent: up
// to it Invoke answers; above it Invoke still answers 200, with the function
// error Function.ResponseSizeTooLarge, and an Event invocation is not
// affected.
func TestInvokeResponseSizeLimit(t *testing.T) {
	fx := newFixture(t, testConfig())
	name := fx.plainFunction()
	for _, tc := range []struct {
		size    int
		tooLong bool
	}{{maxSyncResponse, false}, {maxSyncResponse + 1, true}, {8_380_765, true}} {
		fx.replaceCode(name, sizedCode{size: tc.size})
		out, err := fx.invoke(&lambda.InvokeInput{FunctionName: aws.String(name)})
		mustNoErr(t, err, "Invoke")
		if !tc.tooLong {
			if out.FunctionError != nil || len(out.Payload) != tc.size {
				t.Fatalf("%d bytes: function error %v, %d bytes back", tc.size, aws.ToString(out.FunctionError), len(out.Payload))
			}
			continue
		}
		want := `{"errorType":"Function.ResponseSizeTooLarge","errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes)."}`
		if aws.ToString(out.FunctionError) != "Unhandled" || string(out.Payload) != want || out.StatusCode != http.StatusOK {
			t.Fatalf("%d bytes: %d %v %.200s", tc.size, out.StatusCode, aws.ToString(out.FunctionError), out.Payload)
		}
	}
	out, err := fx.invoke(&lambda.InvokeInput{FunctionName: aws.String(name), InvocationType: types.InvocationTypeEvent})
	mustNoErr(t, err, "Invoke Event")
	if out.StatusCode != http.StatusAccepted || out.FunctionError != nil {
		t.Fatalf("Event: %d %v", out.StatusCode, aws.ToString(out.FunctionError))
	}
}

// A proxy response over the limit, counted as sent (escapes included),
// reaches the front's client as API Gateway's 502.
func TestFrontBadGatewayForAnOversizedAnswer(t *testing.T) {
	fx := newFixture(t, testConfig())
	fx.replaceCode(fx.sb.ProductFunctionName(), sizedCode{size: maxSyncResponse + 6, proxy: true})
	fx.call("GET", "/products", "").expect(t, http.StatusBadGateway, `{"message": "Internal server error"}`)
	fx.replaceCode(fx.sb.ProductFunctionName(), sizedCode{size: maxSyncResponse - 6, proxy: true})
	if resp := fx.call("GET", "/products", ""); resp.status != http.StatusOK || len(resp.body) < 1_000_000 {
		t.Fatalf("under the limit: %d, %d bytes", resp.status, len(resp.body))
	}
}

func FuzzJSONStringLen(f *testing.F) {
	for _, s := range []string{"", "plain", `"\\`, "<a href='x'>&amp;</a>", "\x00\x1f\x7f\b\f\n\r\t", "\u2028\u2029é😀", "\xff\xfe\xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		data, _ := json.Marshal(s)
		if got := jsonStringLen(s); got != len(data) {
			t.Fatalf("jsonStringLen(%q) = %d, json.Marshal writes %d bytes: %s", s, got, len(data), data)
		}
	})
}
