// Command server is the benchmarks' minimal HTTP server: it answers every GET
// with a small product JSON, optionally after a fixed delay, optionally
// freezing once, and records how long it spent on each request so that a
// load tool's numbers can be checked against the server's own.
//
//	GET  /__stats  the server's own record: count and handling-time percentiles (JSON)
//	POST /__reset  clears the record
//
// It listens on loopback only.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8089", "loopback address to listen on")
	delay := flag.Duration("delay", 0, "answer every request after this long (e.g. 50ms)")
	stallAfter := flag.Duration("stall-after", 0, "freeze the whole server once, this long after the first request")
	stall := flag.Duration("stall", 0, "how long the one freeze lasts (e.g. 1s)")
	flag.Parse()
	host, _, err := net.SplitHostPort(*addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		log.Fatalf("bench server: -addr must be a loopback address, got %q", *addr)
	}
	s := &server{delay: *delay, stallAfter: *stallAfter, stall: *stall, hist: newHist()}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /__stats", s.stats)
	mux.HandleFunc("POST /__reset", s.reset)
	mux.HandleFunc("/", s.product)
	fmt.Fprintf(os.Stderr, "bench server on http://%s (delay %v, stall %v after %v)\n", *addr, *delay, *stall, *stallAfter)
	log.Fatal(http.ListenAndServe(*addr, mux))
}

func newHist() *hdrhistogram.Histogram {
	return hdrhistogram.New(1, int64(time.Hour/time.Microsecond), 3)
}

type server struct {
	delay, stallAfter, stall time.Duration

	mu       sync.Mutex
	hist     *hdrhistogram.Histogram
	sum      time.Duration
	first    time.Time
	stallEnd time.Time
}

var productJSON = []byte(`{"id":"42","name":"Ergonomic Steel Lamp","price":42.5,"category":"home"}`)

func (s *server) product(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if wait := time.Until(s.stallEndFor(start)); wait > 0 {
		time.Sleep(wait)
	}
	if s.delay > 0 {
		waitPrecisely(start.Add(s.delay))
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(productJSON)
	s.record(time.Since(start))
}

// waitPrecisely sleeps until deadline to within a few microseconds: a plain
// time.Sleep oversleeps by a few hundred microseconds, which would blur the
// accuracy comparison, so the last stretch is spent yielding instead. At most
// one request per core spins at a time; the others just sleep (less precisely)
// so that many concurrent delayed requests cannot starve the server.
func waitPrecisely(deadline time.Time) {
	const spin = 600 * time.Microsecond
	if d := time.Until(deadline) - spin; d > 0 {
		time.Sleep(d)
	}
	if spinners.Add(1) > int32(runtime.NumCPU()) {
		spinners.Add(-1)
		time.Sleep(time.Until(deadline))
		return
	}
	defer spinners.Add(-1)
	for time.Now().Before(deadline) {
		runtime.Gosched()
	}
}

var spinners atomic.Int32

// stallEndFor starts the one freeze when its time has come and says until
// when requests must wait.
func (s *server) stallEndFor(now time.Time) time.Time {
	if s.stall <= 0 {
		return time.Time{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.first.IsZero() {
		s.first = now
	}
	if s.stallEnd.IsZero() && now.Sub(s.first) >= s.stallAfter {
		s.stallEnd = now.Add(s.stall)
	}
	return s.stallEnd
}

func (s *server) record(d time.Duration) {
	s.mu.Lock()
	s.hist.RecordValue(max(int64(d/time.Microsecond), 1))
	s.sum += d
	s.mu.Unlock()
}

func (s *server) stats(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	n := s.hist.TotalCount()
	out := map[string]float64{"count": float64(n)}
	if n > 0 {
		out["avg_ms"] = float64(s.sum) / float64(n) / 1e6
		for _, p := range []float64{50, 90, 95, 99, 100} {
			out[fmt.Sprintf("p%g_ms", p)] = float64(s.hist.ValueAtQuantile(p)) / 1e3
		}
	}
	s.mu.Unlock()
	json.NewEncoder(w).Encode(out)
}

func (s *server) reset(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.hist.Reset()
	s.sum, s.first, s.stallEnd = 0, time.Time{}, time.Time{}
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}
