package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// memory is a process's resident set now and at its highest.
type memory struct{ current, peak int64 }

// rss reads VmRSS and VmHWM from /proc/PID/status, in bytes.
func rss(pid int) memory {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memory{}
	}
	defer f.Close()
	var m memory
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		fields := strings.Fields(lines.Text())
		if len(fields) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(fields[1], 10, 64)
		switch fields[0] {
		case "VmRSS:":
			m.current = kb << 10
		case "VmHWM:":
			m.peak = kb << 10
		}
	}
	return m
}

func mb(bytes int64) string { return fmt.Sprintf("%.0f MB", float64(bytes)/(1<<20)) }

// rssWatch samples a process's RSS every 20 ms and keeps the highest.
type rssWatch struct {
	done chan struct{}
	peak chan int64
}

func watchRSS(pid int) *rssWatch {
	w := &rssWatch{done: make(chan struct{}), peak: make(chan int64)}
	go func() {
		var peak int64
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, rss(pid).current)
			select {
			case <-w.done:
				w.peak <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return w
}

func (w *rssWatch) stop() int64 {
	close(w.done)
	return <-w.peak
}

// outcome counts the answers of an attack by status, and the errors.
type outcome struct {
	mu       sync.Mutex
	statuses map[int]int
	errors   map[string]int
	note     string
}

func newOutcome() *outcome { return &outcome{statuses: map[int]int{}, errors: map[string]int{}} }

func (o *outcome) add(resp *http.Response, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err != nil {
		o.errors[shortError(err)]++
		return
	}
	o.statuses[resp.StatusCode]++
}

func (o *outcome) String() string {
	var parts []string
	for status, n := range o.statuses {
		parts = append(parts, fmt.Sprintf("%d×%d", n, status))
	}
	for e, n := range o.errors {
		parts = append(parts, fmt.Sprintf("%d×%s", n, e))
	}
	sort.Strings(parts)
	if o.note != "" {
		parts = append(parts, o.note)
	}
	return strings.Join(parts, " ")
}

func shortError(err error) string {
	s := err.Error()
	for _, known := range []string{"connection reset", "broken pipe", "EOF", "timeout", "refused"} {
		if strings.Contains(s, known) {
			return strings.ReplaceAll(known, " ", "-")
		}
	}
	return "error"
}

// drain reads and closes an answer's body.
func drain(resp *http.Response, err error) (*http.Response, error) {
	if err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return resp, err
}

// normalClient is a well-behaved client in steady use: a GET through the
// front and GetAccountSettings on the endpoint, every 200 ms, on kept-alive
// connections it opened before the attack began; each request must succeed
// within 5 s.
type normalClient struct {
	done    chan struct{}
	result  chan servedCount
	product string
}

type servedCount struct {
	ok, failed int
	slowest    time.Duration
	// why holds the first failure, for the report.
	why string
}

func startNormalClient(o options) *normalClient {
	c := &normalClient{done: make(chan struct{}), result: make(chan servedCount)}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 2}}
	urls := []string{o.api + "/products?limit=1", o.endpoint + "/2016-08-19/account-settings"}
	for i := range 4 { // connect, and use each connection twice, before the attack
		_, _ = drain(client.Get(urls[i%2]))
	}
	go func() {
		var s servedCount
		for i := 0; ; i++ {
			start := time.Now()
			resp, err := drain(client.Get(urls[i%2]))
			switch {
			case err == nil && resp.StatusCode == http.StatusOK:
				s.ok++
			case s.failed == 0 && err != nil:
				s.failed, s.why = 1, err.Error()
			case s.failed == 0:
				s.failed, s.why = 1, fmt.Sprintf("%s answered %d", urls[i%2], resp.StatusCode)
			default:
				s.failed++
			}
			s.slowest = max(s.slowest, time.Since(start))
			select {
			case <-c.done:
				c.result <- s
				return
			case <-time.After(200 * time.Millisecond):
			}
		}
	}()
	return c
}

func (c *normalClient) stop() servedCount {
	close(c.done)
	return <-c.result
}
