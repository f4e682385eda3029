package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fanOut sends n requests from conns connections at once.
func fanOut(n, conns int, send func(client *http.Client) (*http.Response, error)) *outcome {
	out := newOutcome()
	client := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				out.add(drain(send(client)))
			}
		})
	}
	wg.Wait()
	return out
}

// listAttack fills the table with 100 products of 390 KB, then lists them
// 200 times from 50 connections through the front, and 200 times through
// Invoke, the way the issue measured 4.0 GB.
func listAttack(o options) *outcome {
	item := []byte(`{"name":"` + strings.Repeat("x", 390<<10) + `"}`)
	created := fanOut(100, 10, func(c *http.Client) (*http.Response, error) {
		return c.Post(o.api+"/products", "application/json", bytes.NewReader(item))
	})
	front := fanOut(200, 50, func(c *http.Client) (*http.Response, error) { return c.Get(o.api + "/products?limit=100") })
	event := []byte(`{"resource":"/products","path":"/products","httpMethod":"GET","queryStringParameters":{"limit":"100"},"requestContext":{"stage":"Prod"}}`)
	invoke := fanOut(200, 50, func(c *http.Client) (*http.Response, error) {
		return c.Post(o.endpoint+"/2015-03-31/functions/"+url.PathEscape(o.function)+"/invocations", "application/json", bytes.NewReader(event))
	})
	out := newOutcome()
	out.note = fmt.Sprintf("(create %s; front %s; invoke %s)", created, front, invoke)
	return out
}

// postAttack POSTs 100 bodies of size bytes from 50 connections.
func postAttack(o options, size int) *outcome {
	body := []byte(`{"name":"` + strings.Repeat("x", size-12) + `"}`)
	return fanOut(100, 50, func(c *http.Client) (*http.Response, error) {
		return c.Post(o.api+"/products", "application/json", bytes.NewReader(body))
	})
}

// The kinds of slow connection.
const (
	silent   = iota // opens and sends nothing
	kept            // sends one request, then stays open and idle
	trickler        // sends a POST body a byte a second
)

// slowAttack holds, on each listener, o.trickle connections trickling a
// body and o.idle idle ones (half silent since they opened, half kept open
// after one request), redialling whatever the sandbox closes, for
// o.slowFor; it reports how many connections the sandbox closed.
func slowAttack(o options) *outcome {
	var closed atomic.Int64
	stop := time.Now().Add(o.slowFor)
	var wg sync.WaitGroup
	for _, base := range []string{o.api, o.endpoint} {
		host := hostOf(base)
		for i := range o.idle + o.trickle {
			kind := []int{silent, kept}[i%2]
			if i < o.trickle {
				kind = trickler
			}
			wg.Go(func() { holdConnection(host, kind, stop, &closed) })
		}
	}
	wg.Wait()
	out := newOutcome()
	out.note = fmt.Sprintf("%d trickling and %d idle connections per listener for %v: the sandbox closed %d",
		o.trickle, o.idle, o.slowFor, closed.Load())
	return out
}

func hostOf(base string) string {
	u, _ := url.Parse(base)
	return u.Host
}

// holdConnection keeps one slow connection of a kind open until stop,
// opening a new one each time the sandbox closes it.
func holdConnection(host string, kind int, stop time.Time, closed *atomic.Int64) {
	for time.Now().Before(stop) {
		conn, err := net.DialTimeout("tcp", host, 5*time.Second)
		if err != nil {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		switch kind {
		case trickler:
			fmt.Fprintf(conn, "POST /Prod/products HTTP/1.1\r\nHost: %s\r\nContent-Length: 100000\r\n\r\n{", host)
		case kept:
			fmt.Fprintf(conn, "GET /Prod/products?limit=1 HTTP/1.1\r\nHost: %s\r\n\r\n", host)
		}
		if waitClosed(conn, kind == trickler, stop) {
			closed.Add(1)
		}
		conn.Close()
	}
}

// waitClosed trickles (or stays silent) until the sandbox closes conn (true)
// or stop comes (false).
func waitClosed(conn net.Conn, trickle bool, stop time.Time) bool {
	gone := make(chan struct{})
	go func() {
		buf := make([]byte, 512)
		_ = conn.SetReadDeadline(stop)
		for {
			if _, err := conn.Read(buf); err != nil {
				close(gone)
				return
			}
		}
	}()
	for {
		select {
		case <-gone:
			return time.Now().Before(stop)
		case <-time.After(time.Second):
			if trickle {
				_, _ = conn.Write([]byte{' '})
			}
		}
	}
}
