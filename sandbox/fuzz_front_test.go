package sandbox

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzFrontHTTP sends raw HTTP requests through the front's whole handler —
// the guard (Host, Origin), the size limits, the memory budget, routing,
// the event, the products code and the answer mapping — and checks that
// every answer is one API Gateway gives, in its shape, and that each
// request gives back all it took of the budget.
func FuzzFrontHTTP(f *testing.F) {
	for _, seed := range []string{
		"GET /Prod/products?limit=2 HTTP/1.1\r\nHost: 127.0.0.1:4567\r\n\r\n",
		"POST /Prod/products HTTP/1.1\r\nHost: localhost\r\nContent-Length: 29\r\n\r\n{\"name\":\"lamp\",\"price\":12.5}",
		"POST /Prod/products HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"nam\r\n0\r\n\r\n",
		"POST /Prod/products HTTP/1.1\r\nHost: localhost\r\nContent-Length: 13\r\n\r\n{\"name\":\"\xff\"}",
		"DELETE /Prod/products/%2Fx HTTP/1.1\r\nHost: [::1]:4567\r\nOrigin: http://attacker.example\r\n\r\n",
		"GET /Prod/products/1 HTTP/1.1\r\nHost: attacker.example\r\n\r\n",
		"POST /Prod/products HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999\r\n\r\n",
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
	api := sb.APIHandler()
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
		if err != nil {
			return // not a request any server would hand to a handler
		}
		r.RemoteAddr = "127.0.0.1:1234"
		w := httptest.NewRecorder()
		api.ServeHTTP(w, r)
		checkFrontAnswer(t, w)
		checkBudgetWhole(t, sb)
	})
}

// frontStatuses are the statuses the front answers with: the products
// code's, and API Gateway's own.
var frontStatuses = []int{200, 201, 204, 400, 403, 404, 413, 500, 502, 503, 504}

func checkFrontAnswer(t *testing.T, w *httptest.ResponseRecorder) {
	if !slices.Contains(frontStatuses, w.Code) {
		t.Fatalf("the front answered %d", w.Code)
	}
	if w.Header().Get("X-Amzn-Requestid") == "" {
		t.Fatal("an answer without x-amzn-RequestId")
	}
	body := w.Body.Bytes()
	if strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") && len(body) > 0 && (!json.Valid(body) || !utf8.Valid(body)) {
		t.Fatalf("a JSON answer that is not JSON text: %.200q", body)
	}
}

func checkBudgetWhole(t *testing.T, sb *Sandbox) {
	if used, _ := sb.budget.bodies.usage(); used != 0 {
		t.Fatalf("%d bytes of the bodies half still taken after the request", used)
	}
	if used, _ := sb.budget.answers.usage(); used != 0 {
		t.Fatalf("%d bytes of the answers half still taken after the request", used)
	}
	if n := len(sb.budget.slots); n != 0 {
		t.Fatalf("%d build slots still held after the request", n)
	}
}
