package sandbox

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkFrontGetProduct is one GET /Prod/products/{id} through the front's
// HTTP handler with zero latency, without the network: the sandbox's own cost
// per request (bench/sandbox.sh measures it over loopback).
func BenchmarkFrontGetProduct(b *testing.B) {
	cfg := testConfig()
	cfg.ZeroLatency, cfg.AccountConcurrency = true, 100_000
	sb, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer sb.Close()
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:4567/Prod/products/"+sb.products.table.ids()[0], nil)
	h := sb.APIHandler()
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
