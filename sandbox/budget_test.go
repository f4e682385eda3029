package sandbox

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMemoryBudgetWaitsForRoom(t *testing.T) {
	b := newMemoryBudget(100)
	ctx := t.Context()
	mustNoErr(t, b.take(ctx, 60, false), "take 60")
	got := make(chan error, 1)
	go func() { got <- b.take(ctx, 60, false) }()
	select {
	case <-got:
		t.Fatal("took 60 more of 100 with 60 in use")
	case <-time.After(20 * time.Millisecond):
	}
	mustNoErr(t, b.take(ctx, 50, true), "a forced take")
	b.give(60)
	b.give(50)
	mustNoErr(t, <-got, "take once room came back")
	short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	if err := b.take(short, 41, false); err == nil {
		t.Fatal("took 41 more with 60 of 100 in use")
	}
	b.give(60)
	mustNoErr(t, b.take(ctx, 500, false), "more than the whole budget, once it is empty")
	if used, peak := b.usage(); used != 500 || peak != 500 {
		t.Fatalf("used %d, peak %d", used, peak)
	}
}

// A request may hold freeAllowance of each half without waiting; beyond
// it, it waits.
func TestRequestMemoryFreeAllowance(t *testing.T) {
	sm := newSandboxMemory(2 * freeAllowance)
	mustNoErr(t, sm.bodies.take(t.Context(), freeAllowance, false), "fill the bodies half")
	m := &requestMemory{budget: sm}
	mustNoErr(t, m.reserveBody(t.Context(), freeAllowance), "within the allowance of a full half")
	short, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	if m.reserveBody(short, 1) == nil {
		t.Fatal("reserved past the allowance of a full half")
	}
	mustNoErr(t, m.built(t.Context(), freeAllowance), "an answer within the allowance")
	m.done()
	if used, _ := sm.bodies.usage(); used != freeAllowance {
		t.Fatalf("done left %d in use, want the %d taken outside", used, freeAllowance)
	}
	if used, _ := sm.answers.usage(); used != 0 {
		t.Fatalf("done left %d of the answers half in use", used)
	}
}

// Clients that declare large bodies and trickle them hold the bodies half;
// answers and small bodies are still served meanwhile.
func TestAnswersDoNotWaitBehindBodies(t *testing.T) {
	cfg := testConfig()
	cfg.MemoryBudget = 2 << 20
	cfg.ZeroLatency = true
	fx := newFixture(t, cfg)
	for range 3 {
		conn := dial(t, hostOf(fx.apiURL))
		fmt.Fprintf(conn, "POST /Prod/products HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n{", conn.RemoteAddr(), 900<<10)
	}
	waitFor(t, "the trickled bodies to fill the bodies half", func() bool { used, _ := fx.sb.budget.bodies.usage(); return used >= 900<<10 })
	fx.fillTable(3, 390<<10)
	client := &http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(fx.apiURL + "/products")
	mustNoErr(t, err, "a 1.2 MB list page")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(body) < 1<<20 {
		t.Fatalf("list: %d, %d bytes", resp.StatusCode, len(body))
	}
	resp, err = client.Post(fx.apiURL+"/products", "application/json", strings.NewReader(`{"name":"lamp"}`))
	mustNoErr(t, err, "a small POST")
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("small POST: %d", resp.StatusCode)
	}
}

// Under a budget far smaller than what clients send at once — twelve
// bodies of 1 MB, then twelve list pages of 1.2 MB held through their
// modelled latency — every request is served, the budget is never
// overdrawn beyond the free allowances, and it is whole again at the end.
func TestMemoryBudgetUnderLargeRequests(t *testing.T) {
	cfg := testConfig()
	cfg.MemoryBudget = 3 << 20
	fx := newFixture(t, cfg)
	const clients = 12
	big := `{"name":"` + strings.Repeat("x", 1<<20) + `"}`
	statuses := fx.concurrently(clients, func() (*http.Response, error) {
		return http.Post(fx.apiURL+"/products", "application/json", strings.NewReader(big))
	})
	fx.fillTable(3, 390<<10)
	statuses = append(statuses, fx.concurrently(clients, func() (*http.Response, error) { return http.Get(fx.apiURL + "/products") })...)
	for i, status := range statuses {
		if want := []int{http.StatusBadRequest, http.StatusOK}[i/clients]; status != want {
			t.Fatalf("request %d answered %d, want %d", i, status, want)
		}
	}
	for name, half := range map[string]*memoryBudget{"bodies": fx.sb.budget.bodies, "answers": fx.sb.budget.answers} {
		used, peak := half.usage()
		if used != 0 || peak > half.capacity+clients*freeAllowance {
			t.Fatalf("%s: %d in use at the end, peak %d of %d", name, used, peak, half.capacity)
		}
		t.Logf("%s: peak %d of %d", name, peak, half.capacity)
	}
}

// concurrently runs n copies of call at once, driving the clock, and
// returns their statuses.
func (fx *fixture) concurrently(n int, call func() (*http.Response, error)) []int {
	statuses := make([]int, n)
	fx.drive(func() {
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				resp, err := call()
				if err != nil {
					fx.t.Errorf("request %d: %v", i, err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				statuses[i] = resp.StatusCode
			})
		}
		wg.Wait()
	})
	return statuses
}

// fillTable puts n products of about size bytes first in the scan order.
func (fx *fixture) fillTable(n, size int) {
	table := newProductTable()
	for i := range n {
		id := fmt.Sprintf("big-%d", i)
		table.put(id, fmt.Sprintf(`{"id":%q,"name":%q}`, id, strings.Repeat("y", size)))
	}
	fx.sb.products.table = table
}
