// Command attack replays, against a standalone `lambdatune sandbox`, the
// memory and connection attacks of issue 13 and reports the sandbox
// process's peak RSS in each and whether a normal client was served
// throughout (see bench/attack.sh and docs/benchmarks.md):
//
//	list     100 products of 390 KB, then 200 list requests from 50 connections,
//	         through the products API and through Invoke
//	post9mb  100 POSTs of 9 MB bodies from 50 connections
//	post5mb  100 POSTs of 5.5 MB bodies (under every limit) from 50 connections
//	slow     200 connections trickling a body a byte a second and 5,000 idle
//	         connections on each listener, for -slow-for
//
// It sends traffic to loopback addresses only.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/url"
	"os"
	"strings"
	"time"
)

type options struct {
	api, endpoint, function string
	pid                     int
	slowFor                 time.Duration
	idle, trickle           int
}

func main() {
	var o options
	flag.StringVar(&o.api, "api", "", "the products API URL with its stage, e.g. http://127.0.0.1:4567/Prod")
	flag.StringVar(&o.endpoint, "endpoint", "", "the AWS endpoint, e.g. http://127.0.0.1:4566")
	flag.StringVar(&o.function, "function", "", "the lab function's name")
	flag.IntVar(&o.pid, "pid", 0, "the sandbox's process id, for its RSS")
	flag.DurationVar(&o.slowFor, "slow-for", 40*time.Second, "how long the slow-client flood lasts")
	flag.IntVar(&o.idle, "idle", 5000, "idle connections per listener in the slow-client flood")
	flag.IntVar(&o.trickle, "trickle", 200, "trickling connections per listener in the slow-client flood")
	phases := flag.String("phases", "list,post9mb,post5mb,slow", "the attacks to run, in order")
	flag.Parse()
	for _, u := range []string{o.api, o.endpoint} {
		if err := checkLoopback(u); err != nil {
			log.Fatalf("attack: %v", err)
		}
	}
	if o.pid == 0 || o.function == "" {
		log.Fatal("attack: -pid and -function are required")
	}
	run(o, strings.Split(*phases, ","))
}

// checkLoopback refuses a URL whose host is not a loopback address.
func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return fmt.Errorf("%q is not a URL", raw)
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%q is not on a loopback address", raw)
	}
	return nil
}

var attacks = map[string]func(options) *outcome{
	"list":    listAttack,
	"post9mb": func(o options) *outcome { return postAttack(o, 9<<20) },
	"post5mb": func(o options) *outcome { return postAttack(o, 5<<20+512<<10) },
	"slow":    slowAttack,
}

func run(o options, phases []string) {
	failed := 0
	fmt.Printf("sandbox pid %d: RSS %s at the start\n", o.pid, mb(rss(o.pid).current))
	fmt.Printf("%-8s %-52s %9s %10s %s\n", "attack", "answers", "time", "peak RSS", "normal client (ok/failed, slowest)")
	for _, name := range phases {
		attack := attacks[name]
		if attack == nil {
			log.Fatalf("attack: no attack %q", name)
		}
		watch := watchRSS(o.pid)
		normal := startNormalClient(o)
		start := time.Now()
		out := attack(o)
		took := time.Since(start)
		served := normal.stop()
		peak := watch.stop()
		fmt.Printf("%-8s %-52s %8.1fs %10s %d/%d, %v\n", name, out, took.Seconds(), mb(peak), served.ok, served.failed, served.slowest.Round(time.Millisecond))
		failed += served.failed
		if served.why != "" {
			fmt.Printf("         first failure of the normal client: %s\n", served.why)
		}
	}
	fmt.Printf("sandbox peak RSS over the whole run (VmHWM): %s\n", mb(rss(o.pid).peak))
	if failed > 0 {
		fmt.Printf("the normal client failed %d requests\n", failed)
		os.Exit(1)
	}
	fmt.Println("the normal client was served throughout")
}
