package metrics_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"

	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

// The bodies under testdata/captured were captured on the wire from each
// client (see docs/metrics.md): aws-cli 1.45 (JSON 1.0), aws-cli 2.9 (Query)
// and aws-sdk-go-v2 cloudwatch v1.75 (CBOR). Their GetMetricData asks for
// Invocations of products:live, p99.9, period 60, 2026-01-01 00:00–01:00,
// ascending, at most 10 datapoints, plus a metric-math query "e1".

var captureStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newRawServer(t *testing.T) *httptest.Server {
	t.Helper()
	clk := clock.NewManual(captureStart)
	store := metrics.NewStore(metrics.Options{Clock: clk})
	rec := metrics.NewLambdaRecorder(store)
	for _, sec := range []int{10, 20, 70} {
		rec.Invocation(metrics.Invocation{Start: captureStart.Add(time.Duration(sec) * time.Second),
			FunctionName: "products", Qualifier: "live", ExecutedVersion: "3", Duration: 25 * time.Millisecond})
	}
	clk.Set(captureStart.Add(2 * time.Hour))
	srv := httptest.NewServer(metrics.NewHandler(store, clk))
	t.Cleanup(srv.Close)
	return srv
}

func captured(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/captured/" + name + ".body")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func post(t *testing.T, url string, header map[string]string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

var jsonHeaders = func(op string) map[string]string {
	return map[string]string{"Content-Type": "application/x-amz-json-1.0",
		"X-Amz-Target": "GraniteServiceVersion20100801." + op, "X-Amzn-Query-Mode": "true"}
}

var queryHeaders = map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}

func TestJSONCapturedGetMetricData(t *testing.T) {
	srv := newRawServer(t)
	var body map[string]any
	if err := json.Unmarshal(captured(t, "json-GetMetricData"), &body); err != nil {
		t.Fatal(err)
	}
	resp, raw := post(t, srv.URL+"/", jsonHeaders("GetMetricData"), captured(t, "json-GetMetricData"))
	assertJSONError(t, resp, raw, "com.amazonaws.cloudwatch#InvalidParameterValueException", "InvalidParameterValue;Sender",
		"The parameter MetricDataQueries.member.2.Expression is not supported")

	body["MetricDataQueries"] = body["MetricDataQueries"].([]any)[:1] // without the math query
	edited, _ := json.Marshal(body)
	resp, raw = post(t, srv.URL+"/", jsonHeaders("GetMetricData"), edited)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/x-amz-json-1.0" {
		t.Fatalf("status %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), raw)
	}
	want := `{"MetricDataResults":[{"Id":"inv","Label":"my label","Timestamps":[1767225600,1767225660],"Values":[1,1],"StatusCode":"Complete","Messages":[]}],"Messages":[]}`
	if string(raw) != want {
		t.Fatalf("body\n%s\nwant\n%s", raw, want)
	}
}

func TestJSONCapturedListMetrics(t *testing.T) {
	srv := newRawServer(t)
	// The capture filters on RecentlyActive=PT3H; the data is 2 h old.
	resp, raw := post(t, srv.URL+"/", jsonHeaders("ListMetrics"), captured(t, "json-ListMetrics"))
	want := `{"Metrics":[` +
		`{"Namespace":"AWS/Lambda","MetricName":"Invocations","Dimensions":[{"Name":"ExecutedVersion","Value":"3"},{"Name":"FunctionName","Value":"products"},{"Name":"Resource","Value":"products:live"}]},` +
		`{"Namespace":"AWS/Lambda","MetricName":"Invocations","Dimensions":[{"Name":"FunctionName","Value":"products"},{"Name":"Resource","Value":"products:live"}]}]}`
	if resp.StatusCode != 200 || string(raw) != want {
		t.Fatalf("status %d body\n%s\nwant\n%s", resp.StatusCode, raw, want)
	}
}

type xmlGetMetricData struct {
	Results []struct {
		ID         string   `xml:"Id"`
		Label      string   `xml:"Label"`
		Timestamps []string `xml:"Timestamps>member"`
		Values     []string `xml:"Values>member"`
		StatusCode string   `xml:"StatusCode"`
	} `xml:"GetMetricDataResult>MetricDataResults>member"`
	RequestID string `xml:"ResponseMetadata>RequestId"`
}

func TestQueryCapturedGetMetricData(t *testing.T) {
	srv := newRawServer(t)
	resp, raw := post(t, srv.URL+"/", queryHeaders, captured(t, "query-GetMetricData"))
	assertXMLError(t, resp, raw, "InvalidParameterValue", "The parameter MetricDataQueries.member.2.Expression is not supported")

	form, err := url.ParseQuery(string(captured(t, "query-GetMetricData")))
	if err != nil {
		t.Fatal(err)
	}
	for k := range form {
		if strings.HasPrefix(k, "MetricDataQueries.member.2.") {
			delete(form, k)
		}
	}
	resp, raw = post(t, srv.URL+"/", queryHeaders, []byte(form.Encode()))
	var got xmlGetMetricData
	if err := xml.Unmarshal(raw, &got); err != nil || resp.StatusCode != 200 || len(got.Results) != 1 {
		t.Fatalf("status %d (%v): %s", resp.StatusCode, err, raw)
	}
	r := got.Results[0]
	if r.ID != "inv" || r.Label != "my label" || r.StatusCode != "Complete" || got.RequestID == "" ||
		strings.Join(r.Timestamps, ",") != "2026-01-01T00:00:00Z,2026-01-01T00:01:00Z" || strings.Join(r.Values, ",") != "1,1" {
		t.Fatalf("result %+v from\n%s", got, raw)
	}
}

func TestQueryCapturedListMetrics(t *testing.T) {
	srv := newRawServer(t)
	resp, raw := post(t, srv.URL+"/", queryHeaders, captured(t, "query-ListMetrics"))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/xml" {
		t.Fatalf("status %d: %s", resp.StatusCode, raw)
	}
	var got struct {
		Metrics []struct {
			Name string   `xml:"MetricName"`
			Dims []string `xml:"Dimensions>member>Value"`
		} `xml:"ListMetricsResult>Metrics>member"`
	}
	if err := xml.Unmarshal(raw, &got); err != nil || len(got.Metrics) != 2 ||
		strings.Join(got.Metrics[1].Dims, ",") != "products,products:live" {
		t.Fatalf("(%v) %+v from\n%s", err, got, raw)
	}
}

func TestCBORCapturedRequestsDecode(t *testing.T) {
	srv := newRawServer(t)
	headers := map[string]string{"Content-Type": "application/cbor", "Smithy-Protocol": "rpc-v2-cbor", "Accept": "application/cbor"}
	// The capture carries NextToken "tok" from no earlier call, and the math query.
	resp, raw := post(t, srv.URL+"/service/GraniteServiceVersion20100801/operation/GetMetricData", headers, captured(t, "cbor-GetMetricData"))
	assertCBORError(t, resp, raw, "com.amazonaws.cloudwatch#InvalidParameterValueException", "The parameter MetricDataQueries.member.2.Expression is not supported")
	resp, raw = post(t, srv.URL+"/service/GraniteServiceVersion20100801/operation/ListMetrics", headers, captured(t, "cbor-ListMetrics"))
	assertCBORError(t, resp, raw, "com.amazonaws.cloudwatch#InvalidParameterValueException", "The value for parameter NextToken is not valid")
}

func assertJSONError(t *testing.T, resp *http.Response, raw []byte, typ, queryError, message string) {
	t.Helper()
	var body struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(raw, &body); err != nil || resp.StatusCode != 400 {
		t.Fatalf("status %d (%v): %s", resp.StatusCode, err, raw)
	}
	if body.Type != typ || resp.Header.Get("X-Amzn-Query-Error") != queryError || !strings.HasPrefix(body.Message, message) {
		t.Fatalf("error %+v, query error %q; want %s %s %q", body, resp.Header.Get("X-Amzn-Query-Error"), typ, queryError, message)
	}
}

func assertXMLError(t *testing.T, resp *http.Response, raw []byte, code, message string) {
	t.Helper()
	var body struct {
		XMLName   xml.Name `xml:"ErrorResponse"`
		Type      string   `xml:"Error>Type"`
		Code      string   `xml:"Error>Code"`
		Message   string   `xml:"Error>Message"`
		RequestID string   `xml:"RequestId"`
	}
	if err := xml.Unmarshal(raw, &body); err != nil || resp.StatusCode != 400 {
		t.Fatalf("status %d (%v): %s", resp.StatusCode, err, raw)
	}
	if body.Type != "Sender" || body.Code != code || !strings.HasPrefix(body.Message, message) || body.RequestID == "" {
		t.Fatalf("error %+v, want %s %q", body, code, message)
	}
}

func assertCBORError(t *testing.T, resp *http.Response, raw []byte, typ, message string) {
	t.Helper()
	if resp.StatusCode != 400 || resp.Header.Get("Smithy-Protocol") != "rpc-v2-cbor" || resp.Header.Get("Content-Type") != "application/cbor" {
		t.Fatalf("status %d, headers %v", resp.StatusCode, resp.Header)
	}
	v, err := cbor.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := v.(cbor.Map)
	gotType, _ := m["__type"].(cbor.String)
	gotMessage, _ := m["message"].(cbor.String)
	if string(gotType) != typ || !strings.HasPrefix(string(gotMessage), message) {
		t.Fatalf("error %v, want %s %q", m, typ, message)
	}
}
