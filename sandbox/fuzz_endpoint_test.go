package sandbox

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzAWSEndpointHTTP sends raw HTTP requests through the AWS endpoint's
// whole handler — the guard, the Query dispatch between CloudFormation and
// CloudWatch, the tag operations' ARN parsing — and checks that every answer
// is well-formed XML or JSON with a request id, and that each request gives
// back all it took of the memory budget.
func FuzzAWSEndpointHTTP(f *testing.F) {
	for _, seed := range []string{
		"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 64\r\n\r\nAction=DescribeStacks&Version=2010-05-15&StackName=product-api&x",
		"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 40\r\n\r\nAction=ListMetrics&Version=2010-08-01&%zz",
		"GET /?Action=DescribeStacks&Version=2010-05-15&StackName=%3C%26%3E HTTP/1.1\r\nHost: localhost\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n8\r\nAction=D\r\n0\r\n\r\n",
		"GET /2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af%3A1 HTTP/1.1\r\nHost: localhost\r\n\r\n",
		"POST /2017-03-31/tags/arn:aws:lambda:us-east-1:123456789012:function:f HTTP/1.1\r\nHost: localhost\r\nContent-Length: 21\r\n\r\n{\"Tags\":{\"aws:a\":\"\"}}",
		"DELETE /2017-03-31/tags/arn:aws:lambda:us-east-1:123456789012:capacity-provider:x?tagKeys=a HTTP/1.1\r\nHost: localhost\r\n\r\n",
		"GET /2021-10-31/functions/f/url?Qualifier=%00 HTTP/1.1\r\nHost: localhost\r\n\r\n",
	} {
		f.Add([]byte(seed))
	}
	cfg := testConfig()
	cfg.ZeroLatency = true
	sb, err := New(cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(sb.Close)
	endpoint := sb.Handler()
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
		switch {
		case err != nil, !strings.HasPrefix(r.URL.Path, "/"):
			return // not a request a server hands on to a handler's routes (ServeMux itself answers "*")
		case r.Method == http.MethodDelete && strings.HasPrefix(r.URL.Path, "/2015-03-31/functions/"):
			return // it would empty the account the next inputs run against
		}
		r.RemoteAddr = "127.0.0.1:1234"
		w := httptest.NewRecorder()
		endpoint.ServeHTTP(w, r)
		checkEndpointAnswer(t, w)
		checkBudgetWhole(t, sb)
	})
}

func checkEndpointAnswer(t *testing.T, w *httptest.ResponseRecorder) {
	redirect := w.Code >= 300 && w.Code < 400 // ServeMux's own, to a cleaned path
	if !redirect && w.Header().Get("X-Amzn-Requestid") == "" {
		t.Fatalf("an answer (%d) without x-amzn-RequestId", w.Code)
	}
	body := w.Body.Bytes()
	switch ct := w.Header().Get("Content-Type"); {
	case len(body) == 0:
	case strings.HasPrefix(ct, "application/json"):
		if !json.Valid(body) {
			t.Fatalf("a JSON answer that is not JSON: %.200q", body)
		}
	case strings.HasPrefix(ct, "text/xml"):
		if err := xml.Unmarshal(body, new(struct{})); err != nil {
			t.Fatalf("an XML answer that is not XML (%v): %.200q", err, body)
		}
	}
}
