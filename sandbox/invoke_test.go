package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// reportRE is the REPORT line's exact format (D) [S37], (C) [S9]: tab-separated
// fields, each followed by a tab; Init Duration only on a cold start.
var reportRE = regexp.MustCompile(`^REPORT RequestId: ([0-9a-f-]{36})\tDuration: (\d+\.\d\d) ms\tBilled Duration: (\d+) ms\tMemory Size: (\d+) MB\tMax Memory Used: (\d+) MB\t(Init Duration: (\d+\.\d\d) ms\t)?(Status: timeout\t)?$`)

// report is a parsed REPORT line.
type report struct {
	requestID                          string
	duration, billed, init             float64
	memorySize, maxMemoryUsed          int
	cold, timedOut                     bool
	startLine, endLine, userLines, raw string
}

// parseLog decodes X-Amz-Log-Result and checks its START/END/REPORT frame.
func parseLog(t *testing.T, logResult *string, version string) report {
	t.Helper()
	data, err := base64.StdEncoding.DecodeString(aws.ToString(logResult))
	mustNoErr(t, err, "decode LogResult")
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) < 3 {
		t.Fatalf("log has %d lines:\n%s", len(lines), data)
	}
	m := reportRE.FindStringSubmatch(lines[len(lines)-1])
	if m == nil {
		t.Fatalf("REPORT line %q does not match AWS's format", lines[len(lines)-1])
	}
	r := report{requestID: m[1], cold: m[6] != "", timedOut: m[8] != "", raw: string(data)}
	r.duration, _ = strconv.ParseFloat(m[2], 64)
	r.billed, _ = strconv.ParseFloat(m[3], 64)
	r.init, _ = strconv.ParseFloat(m[7], 64)
	r.memorySize, _ = strconv.Atoi(m[4])
	r.maxMemoryUsed, _ = strconv.Atoi(m[5])
	if want := "START RequestId: " + r.requestID + " Version: " + version; lines[0] != want {
		t.Fatalf("first line %q, want %q", lines[0], want)
	}
	if want := "END RequestId: " + r.requestID; lines[len(lines)-2] != want {
		t.Fatalf("END line %q, want %q", lines[len(lines)-2], want)
	}
	r.userLines = strings.Join(lines[1:len(lines)-2], "\n")
	return r
}

// proxyGet is an API Gateway event for GET on a path of the products API.
func proxyGet(resource, path string, params map[string]string) []byte {
	ev := proxyEvent{Resource: resource, Path: path, HTTPMethod: "GET", PathParameters: params,
		RequestContext: proxyRequestContext{Stage: frontStage, RequestID: "test"}}
	data, _ := json.Marshal(ev)
	return data
}

func TestInvokeReportLineColdThenWarm(t *testing.T) {
	fx := newFixture(t, testConfig())
	product := fx.sb.ProductFunctionName()
	in := &lambda.InvokeInput{FunctionName: aws.String(product), LogType: types.LogTypeTail,
		Payload: proxyGet("/products", "/products", nil)}

	cold, err := fx.invoke(in)
	mustNoErr(t, err, "Invoke")
	r := parseLog(t, cold.LogResult, "$LATEST")
	if cold.StatusCode != 200 || aws.ToString(cold.ExecutedVersion) != "$LATEST" || cold.FunctionError != nil {
		t.Fatalf("status %d version %v error %v", cold.StatusCode, aws.ToString(cold.ExecutedVersion), aws.ToString(cold.FunctionError))
	}
	if !r.cold || r.init < 250 || r.init > 700 || r.memorySize != 128 || r.maxMemoryUsed < 70 || r.maxMemoryUsed > 128 {
		t.Fatalf("cold REPORT %+v", r)
	}
	// Billed Duration = ceil(Duration + Init Duration) on an on-demand cold start.
	if want := math.Ceil(r.duration + r.init); r.billed != want {
		t.Fatalf("cold Billed Duration %v, want ceil(%v + %v) = %v", r.billed, r.duration, r.init, want)
	}
	// At 128 MB the first invoke pays 12 vCPU-ms / 0.0724 ≈ 166 ms on top of the Scan's ≈ 162 ms.
	if r.duration < 200 || r.duration > 700 {
		t.Fatalf("cold Duration %.2f ms, want the first-invoke penalty plus a Scan at 128 MB", r.duration)
	}
	if !strings.Contains(r.userLines, `"cold_start":true`) || !strings.Contains(r.userLines, `"initialization_type":"on-demand"`) {
		t.Fatalf("the function's log line does not say cold start on demand:\n%s", r.userLines)
	}
	var page struct {
		StatusCode int    `json:"statusCode"`
		Body       string `json:"body"`
	}
	mustNoErr(t, json.Unmarshal(cold.Payload, &page), "decode the proxy response")
	if page.StatusCode != 200 || !strings.Contains(page.Body, `"count":50`) {
		t.Fatalf("payload %s", cold.Payload)
	}

	warm, err := fx.invoke(in)
	mustNoErr(t, err, "second Invoke")
	w := parseLog(t, warm.LogResult, "$LATEST")
	if w.cold || w.requestID == r.requestID || w.billed != math.Ceil(w.duration) || w.duration > r.duration {
		t.Fatalf("warm REPORT %+v after cold %+v", w, r)
	}
	if !strings.Contains(w.userLines, `"cold_start":false`) {
		t.Fatalf("warm log line: %s", w.userLines)
	}
}

func TestInvokeFunctionErrorIsUnhandledWithStatus200(t *testing.T) {
	fx := newFixture(t, testConfig())
	out, err := fx.invoke(&lambda.InvokeInput{FunctionName: aws.String(fx.sb.ProductFunctionName()), Payload: []byte(`{}`), LogType: types.LogTypeTail})
	mustNoErr(t, err, "Invoke")
	var payload struct{ ErrorMessage, ErrorType, RequestID string }
	mustNoErr(t, json.Unmarshal(out.Payload, &payload), "decode error payload")
	if out.StatusCode != 200 || aws.ToString(out.FunctionError) != "Unhandled" || payload.ErrorType != "KeyError" || payload.ErrorMessage != "'httpMethod'" {
		t.Fatalf("status %d, X-Amz-Function-Error %q, payload %s", out.StatusCode, aws.ToString(out.FunctionError), out.Payload)
	}
	r := parseLog(t, out.LogResult, "$LATEST")
	if !strings.Contains(r.userLines, "[ERROR] KeyError: 'httpMethod'") {
		t.Fatalf("log does not show the error:\n%s", r.raw)
	}
}

// X-Amz-Log-Result carries only the last 4 KB of the log, REPORT included.
func TestLogTailIsTheLast4KB(t *testing.T) {
	fx := newFixture(t, testConfig())
	inv := fx.mustBegin(fx.plainFunction(), "")
	fx.end(inv)
	for i := range 100 {
		inv.out.logs = append(inv.out.logs, strings.Repeat(string(rune('a'+i%26)), 99))
	}
	data, err := base64.StdEncoding.DecodeString(inv.logTail())
	mustNoErr(t, err, "decode")
	full := inv.log()
	if len(data) != maxLogTail || !strings.HasSuffix(full, string(data)) || !strings.HasPrefix(string(data[len(data)-len(inv.reportLine())-1:]), "REPORT RequestId: ") {
		t.Fatalf("tail of %d bytes from a %d-byte log", len(data), len(full))
	}
}

// With ZeroLatency nobody waits: an Invoke returns without the clock moving,
// and its REPORT line still has the modelled durations.
func TestZeroLatencyWaitsForNothing(t *testing.T) {
	cfg := testConfig()
	cfg.ZeroLatency = true
	fx := newFixture(t, cfg)
	start := fx.clock.Now()
	out, err := fx.client.Invoke(fx.ctx, &lambda.InvokeInput{FunctionName: aws.String(fx.sb.ProductFunctionName()),
		LogType: types.LogTypeTail, Payload: proxyGet("/products", "/products", nil)})
	mustNoErr(t, err, "Invoke")
	if r := parseLog(t, out.LogResult, "$LATEST"); !r.cold || r.init < 200 || r.duration < 100 || !fx.clock.Now().Equal(start) {
		t.Fatalf("REPORT %+v; clock moved %v", r, fx.clock.Now().Sub(start))
	}
}
