package metrics_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

func TestIsCloudWatchRequestLeavesLambdaPathsAlone(t *testing.T) {
	for _, c := range []struct {
		method, path, target, contentType string
		want                              bool
	}{
		{"POST", "/service/GraniteServiceVersion20100801/operation/GetMetricData", "", "application/cbor", true},
		{"POST", "/", "GraniteServiceVersion20100801.GetMetricData", "application/x-amz-json-1.0", true},
		{"POST", "/", "", "application/x-www-form-urlencoded; charset=utf-8", true},
		{"GET", "/?Action=ListMetrics&Version=2010-08-01", "", "", true},
		{"POST", "/", "AWSLambda.Invoke", "application/x-amz-json-1.1", false},
		{"GET", "/", "", "", false},
		{"POST", "/2015-03-31/functions/products/invocations", "", "application/json", false},
		{"PUT", "/2017-10-31/functions/products/concurrency", "", "application/json", false},
		{"GET", "/2016-08-19/account-settings/", "", "", false},
		{"GET", "/service/GraniteServiceVersion20100801/operation/GetMetricData", "", "", false},
	} {
		r := httptest.NewRequest(c.method, c.path, strings.NewReader(""))
		if c.target != "" {
			r.Header.Set("X-Amz-Target", c.target)
		}
		if c.contentType != "" {
			r.Header.Set("Content-Type", c.contentType)
		}
		if got := metrics.IsCloudWatchRequest(r); got != c.want {
			t.Errorf("%s %s (%s, %s): %v, want %v", c.method, c.path, c.target, c.contentType, got, c.want)
		}
	}
}
