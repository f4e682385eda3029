package metrics_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

// The execution model records through a LambdaRecorder; the sandbox router
// sends CloudWatch's requests to the handler.
func ExampleLambdaRecorder() {
	clk := clock.NewManual(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	store := metrics.NewStore(metrics.Options{Clock: clk})
	rec := metrics.NewLambdaRecorder(store)

	start := clk.Now()
	rec.FunctionConcurrency(start, "products", 1) // an invocation starts
	clk.Advance(80 * time.Millisecond)
	rec.FunctionConcurrency(clk.Now(), "products", 0) // … and ends
	rec.Invocation(metrics.Invocation{Start: start, FunctionName: "products", ExecutedVersion: "$LATEST",
		Duration: 80 * time.Millisecond})
	clk.Advance(time.Minute)

	cloudWatch := metrics.NewHandler(store, clk)
	lambdaAPI := http.NotFoundHandler() // the sandbox's Lambda routes
	router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if metrics.IsCloudWatchRequest(r) {
			cloudWatch.ServeHTTP(w, r)
			return
		}
		lambdaAPI.ServeHTTP(w, r)
	})

	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"MetricDataQueries":[
		{"Id":"d","MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"Duration",
		 "Dimensions":[{"Name":"FunctionName","Value":"products"}]},"Period":60,"Stat":"Maximum"}}],
		"StartTime":1767268800,"EndTime":1767268860}`))
	req.Header.Set("X-Amz-Target", "GraniteServiceVersion20100801.GetMetricData")
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	resp := httptest.NewRecorder()
	router.ServeHTTP(resp, req)
	fmt.Println(resp.Code, resp.Body.String())
	// Output: 200 {"MetricDataResults":[{"Id":"d","Label":"Duration","Timestamps":[1767268800],"Values":[80],"StatusCode":"Complete","Messages":[]}],"Messages":[]}
}
