package metrics_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"

	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

// The fuzz targets send arbitrary bodies through the whole handler (decode,
// validate, query) and require a well-formed answer: 200, or a 4xx in the
// protocol's error shape, never a 5xx or a panic. Seeds: testdata/fuzz and the
// captured requests. Run one for a minute with, e.g.,
//
//	go test ./sandbox/metrics -run '^$' -fuzz '^FuzzCBORRequest$' -fuzztime 1m

func fuzzHandler() http.Handler {
	clk := clock.NewManual(captureStart)
	store := metrics.NewStore(metrics.Options{Clock: clk})
	rec := metrics.NewLambdaRecorder(store)
	for i := range 120 {
		rec.Invocation(metrics.Invocation{Start: captureStart.Add(time.Duration(i) * time.Second),
			FunctionName: "products", Qualifier: "live", ExecutedVersion: "3", Duration: time.Duration(i+1) * time.Millisecond})
	}
	clk.Set(captureStart.Add(30 * time.Minute))
	return metrics.NewHandler(store, clk)
}

func serve(h http.Handler, path string, header map[string]string, body []byte) *httptest.ResponseRecorder {
	// The path is set after parsing so that fuzzed operation names with any
	// bytes reach the handler, as they can over a raw connection.
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.URL.Path = path
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder, decode func([]byte) error) {
	if rec.Code != 200 && (rec.Code < 400 || rec.Code > 499) {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.Bytes())
	}
	if err := decode(rec.Body.Bytes()); err != nil {
		t.Fatalf("status %d, undecodable answer (%v): %q", rec.Code, err, rec.Body.Bytes())
	}
}

func FuzzCBORRequest(f *testing.F) {
	f.Add("GetMetricData", capturedSeed(f, "cbor-GetMetricData"))
	f.Add("ListMetrics", capturedSeed(f, "cbor-ListMetrics"))
	h := fuzzHandler()
	headers := map[string]string{"Content-Type": "application/cbor", "Smithy-Protocol": "rpc-v2-cbor"}
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		rec := serve(h, "/service/GraniteServiceVersion20100801/operation/"+op, headers, body)
		checkAnswer(t, rec, func(b []byte) error { _, err := cbor.Decode(b); return err })
	})
}

func FuzzJSONRequest(f *testing.F) {
	f.Add("GetMetricData", capturedSeed(f, "json-GetMetricData"))
	f.Add("ListMetrics", capturedSeed(f, "json-ListMetrics"))
	h := fuzzHandler()
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		rec := serve(h, "/", jsonHeaders(op), body)
		checkAnswer(t, rec, func(b []byte) error { var v any; return json.Unmarshal(b, &v) })
	})
}

func FuzzQueryRequest(f *testing.F) {
	f.Add(capturedSeed(f, "query-GetMetricData"))
	f.Add(capturedSeed(f, "query-ListMetrics"))
	h := fuzzHandler()
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := serve(h, "/", queryHeaders, body)
		checkAnswer(t, rec, func(b []byte) error { var v any; return xml.Unmarshal(b, &v) })
	})
}

func capturedSeed(f *testing.F, name string) []byte {
	f.Helper()
	b, err := os.ReadFile("testdata/captured/" + name + ".body")
	if err != nil {
		f.Fatal(err)
	}
	return b
}
