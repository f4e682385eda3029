package load

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"
)

// BenchmarkRecord10M records ten million requests the way a run does — four
// endpoints, several workers on their shards, a mix of statuses and errors, a
// window closed every 30,000 requests (one second at 30k req/s) — and reports
// how much the heap grew. The design bound is 50 MB; the test fails above it.
//
//	go test ./load -run '^$' -bench Record10M -benchtime 1x
func BenchmarkRecord10M(b *testing.B) {
	const total, workers, perWindow = 10_000_000, 8, 30_000
	for b.Loop() {
		before := heapInUse()
		c := newCollector(NewProductsScenario(DefaultProductWeights).Endpoints())
		recordConcurrently(c, total, workers, perWindow)
		rows, agg := c.totals(time.Minute)
		after := heapInUse()
		grown := float64(after-before) / (1 << 20)
		b.ReportMetric(grown, "heap-MB")
		b.ReportMetric(float64(len(c.windowsFrom(0))), "windows")
		if agg.Requests != total || len(rows) != 4 {
			b.Fatalf("recorded %d requests in %d rows", agg.Requests, len(rows))
		}
		if grown >= 50 {
			b.Fatalf("heap grew %.1f MB for %d requests, want < 50 MB", grown, total)
		}
		runtime.KeepAlive(c)
	}
}

func recordConcurrently(c *collector, total, workers, perWindow int) {
	var wg sync.WaitGroup
	var windowMu sync.Mutex
	recorded, elapsed := 0, time.Duration(0)
	errRefused := errors.New("dial: connection refused")
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := c.shardFor()
			out := Outcome{}
			for i := w; i < total; i += workers {
				out = Outcome{Endpoint: i % 4, Latency: time.Duration(1000+i%250_000) * time.Microsecond, Status: 200, Size: 120}
				switch i % 1000 {
				case 1:
					out.Status = http.StatusNotFound
				case 2:
					out.Status, out.Err = 0, errRefused
				case 3:
					out.Status = http.StatusTooManyRequests
				}
				s.record(&out)
				if i%perWindow == 0 {
					windowMu.Lock()
					recorded++
					elapsed += time.Second
					c.closeWindow(elapsed, workers, workers)
					windowMu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	_ = recorded
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkUserDo measures one request through the whole engine path — the
// lean client, timing, in-flight count and recording — against a loopback
// server, and reports allocations per request (the client allocates none).
//
//	go test ./load -run '^$' -bench UserDo -benchmem
func BenchmarkUserDo(b *testing.B) {
	url := startServerB(b)
	target, err := NewHTTPTarget(url+"/products/42", HTTPOptions{})
	if err != nil {
		b.Fatal(err)
	}
	run, err := Start(context.Background(), Config{Target: target, Scenario: GetScenario{}, Users: 1, Wait: Constant(time.Hour), RunTime: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	defer run.Stop()
	u, err := run.newUser(1000)
	if err != nil {
		b.Fatal(err)
	}
	req := &Request{Method: "GET"}
	b.ReportAllocs()
	for b.Loop() {
		if out := u.Do(context.Background(), req); out == nil || out.Failed() {
			b.Fatalf("request failed: %+v", out)
		}
	}
}

// BenchmarkNetHTTPGet is the same request through the standard net/http
// client (what hey uses), against the same in-process server: the difference
// with BenchmarkUserDo is the cost the lean client saves per request.
//
//	go test ./load -run '^$' -bench 'UserDo|NetHTTPGet' -benchmem
func BenchmarkNetHTTPGet(b *testing.B) {
	url := startServerB(b) + "/products/42"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := client.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkClosedModelAgainst runs 50 users for 5 s against the server at
// $LOAD_BENCH_URL (a bench/server on another core), for CPU profiles of the
// engine alone:
//
//	taskset -c 0 go run ./bench/server &
//	LOAD_BENCH_URL=http://127.0.0.1:8089/products/42 taskset -c 1 \
//	    go test ./load -run '^$' -bench ClosedModelAgainst -benchtime 1x -cpuprofile cpu.out
func BenchmarkClosedModelAgainst(b *testing.B) {
	url := os.Getenv("LOAD_BENCH_URL")
	if url == "" {
		b.Skip("set LOAD_BENCH_URL to a loopback bench server")
	}
	target, err := NewHTTPTarget(url, HTTPOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		run, err := Start(context.Background(), Config{Target: target, Scenario: GetScenario{}, Users: 50, RunTime: 5 * time.Second})
		if err != nil {
			b.Fatal(err)
		}
		snap := run.Wait()
		b.ReportMetric(snap.Total.TotalRPS, "req/s")
	}
}
