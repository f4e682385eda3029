package sandbox

import (
	"container/heap"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"
)

// A discrete-event simulation of the lab's load test, in simulated time: 100
// closed-loop users spawned at 3 per second, each sending one request, waiting
// for the answer, thinking 0.2–0.6 s and sending the next, with the lab's mix
// (get by id 50 %, list 20 %, create 25 %, delete 5 %), against the products
// API front. It drives the same code the HTTP handlers run — the front's
// parseFrontRequest, begin and end, and under them the execution model's
// beginInvoke and endInvoke — at the simulated times, in one goroutine, so a
// seeded run is deterministic and minutes pass in a fraction of a second.

// labLoad is the load profile.
type labLoad struct {
	users          int
	spawnPerSecond float64
	thinkMin       time.Duration
	thinkMax       time.Duration
	duration       time.Duration
}

var theLabLoad = labLoad{users: 100, spawnPerSecond: 3, thinkMin: 200 * time.Millisecond, thinkMax: 600 * time.Millisecond, duration: 5 * time.Minute}

// labResult is what one run measured.
type labResult struct {
	requests, errors5xx, throttles int
	avg, p50, p99, max             time.Duration
	rps                            float64
	coldStarts, rampColdStarts     int
	// coldStartsAtOrBelow40 counts cold starts that began while the
	// function's concurrency, counting them, was at most 40.
	coldStartsAtOrBelow40 int
	maxConcurrency        int
}

// labObserver records what the model reports.
type labObserver struct {
	throttles, coldStarts int
	concurrency           int // the product function's, after the last change
	maxConcurrency        int
}

func (o *labObserver) Invoked(r InvocationRecord) {
	if r.ColdStart {
		o.coldStarts++
	}
}
func (o *labObserver) Throttled(ThrottleRecord) { o.throttles++ }
func (o *labObserver) ConcurrencyChanged(c ConcurrencyRecord) {
	o.concurrency = c.FunctionConcurrency
	o.maxConcurrency = max(o.maxConcurrency, c.FunctionConcurrency)
}

// simEvent is a moment in the simulation.
type simEvent struct {
	at   time.Time
	seq  int
	user int
	kind int // send, lambdaEnd or respond
	call *frontCall
	req  frontRequest
}

const (
	eventSend = iota
	eventLambdaEnd
	eventRespond
)

type eventQueue []*simEvent

func (q eventQueue) Len() int { return len(q) }
func (q eventQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q eventQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *eventQueue) Push(x any)   { *q = append(*q, x.(*simEvent)) }
func (q *eventQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// labSim is one run.
type labSim struct {
	fx        *fixture
	obs       *labObserver
	load      labLoad
	rng       *rand.Rand
	queue     eventQueue
	seq       int
	start     time.Time
	seeded    []string   // product ids the table started with
	owned     [][]string // ids each user created
	latencies []time.Duration
	result    labResult
}

func runLab(fx *fixture, obs *labObserver, load labLoad, seed uint64) labResult {
	sim := &labSim{fx: fx, obs: obs, load: load, rng: rand.New(rand.NewPCG(seed, 42)), start: fx.clock.Now(),
		owned: make([][]string, load.users)}
	sim.seeded = fx.sb.products.table.ids()
	for u := range load.users {
		sim.schedule(sim.start.Add(time.Duration(float64(u)/load.spawnPerSecond*float64(time.Second))), &simEvent{user: u, kind: eventSend})
	}
	for sim.queue.Len() > 0 {
		e := heap.Pop(&sim.queue).(*simEvent)
		fx.clock.Set(e.at)
		sim.handle(e)
	}
	return sim.summary()
}

func (sim *labSim) schedule(at time.Time, e *simEvent) {
	e.at, e.seq = at, sim.seq
	sim.seq++
	heap.Push(&sim.queue, e)
}

func (sim *labSim) handle(e *simEvent) {
	switch e.kind {
	case eventSend:
		sim.send(e)
	case eventLambdaEnd:
		sim.fx.sb.front.end(e.at, e.call)
	case eventRespond:
		sim.respond(e)
	}
}

// send routes the user's next request and has the front begin it.
func (sim *labSim) send(e *simEvent) {
	method, path, body := sim.nextTask(e.user)
	req, answer := parseFrontRequest(method, path, "", http.Header{"User-Agent": {"locust/2.20"}}, "127.0.0.1:4567", "127.0.0.1:50000", body)
	if answer != nil {
		sim.fx.t.Fatalf("the front refused %s %s: %d", method, path, answer.status)
	}
	call := sim.fx.sb.front.begin(e.at, req)
	if call.inv != nil {
		if call.inv.cold && sim.obs.concurrency <= 40 {
			sim.result.coldStartsAtOrBelow40++
		}
		if call.inv.cold && e.at.Sub(sim.start) < sim.rampTime() {
			sim.result.rampColdStarts++
		}
		sim.schedule(e.at.Add(call.inv.latency()), &simEvent{kind: eventLambdaEnd, call: call})
	}
	sim.schedule(e.at.Add(call.latency()), &simEvent{user: e.user, kind: eventRespond, call: call, req: req})
}

func (sim *labSim) rampTime() time.Duration {
	return time.Duration(float64(sim.load.users) / sim.load.spawnPerSecond * float64(time.Second))
}

// respond records the answer and schedules the user's next request.
func (sim *labSim) respond(e *simEvent) {
	a := e.call.answer
	sim.latencies = append(sim.latencies, e.call.latency())
	if a.status >= 500 {
		sim.result.errors5xx++
	}
	if e.req.method == http.MethodPost && a.status == http.StatusCreated {
		var p struct{ ID string }
		if json.Unmarshal([]byte(a.body), &p) == nil {
			sim.owned[e.user] = append(sim.owned[e.user], p.ID)
		}
	}
	think := sim.load.thinkMin + time.Duration(sim.rng.Int64N(int64(sim.load.thinkMax-sim.load.thinkMin)))
	if next := e.at.Add(think); next.Sub(sim.start) < sim.load.duration {
		sim.schedule(next, &simEvent{user: e.user, kind: eventSend})
	}
}

// nextTask draws the user's next request with the lab's weights.
func (sim *labSim) nextTask(user int) (method, path string, body []byte) {
	owned := sim.owned[user]
	switch n := sim.rng.IntN(100); {
	case n < 50:
		id := sim.seeded[sim.rng.IntN(len(sim.seeded))]
		if len(owned) > 0 {
			id = owned[sim.rng.IntN(len(owned))]
		}
		return http.MethodGet, "/Prod/products/" + id, nil
	case n < 70:
		return http.MethodGet, "/Prod/products", nil
	case n < 95 || len(owned) == 0:
		body := fmt.Sprintf(`{"name":"Product %d-%d","description":"load test product","price":%d.99,"category":"home"}`, user, sim.seq, sim.rng.IntN(100))
		return http.MethodPost, "/Prod/products", []byte(body)
	}
	i := sim.rng.IntN(len(owned))
	id := owned[i]
	sim.owned[user] = append(owned[:i], owned[i+1:]...)
	return http.MethodDelete, "/Prod/products/" + id, nil
}

func (sim *labSim) summary() labResult {
	r := sim.result
	lat := sim.latencies
	slices.Sort(lat)
	var sum time.Duration
	for _, l := range lat {
		sum += l
	}
	r.requests = len(lat)
	r.avg = sum / time.Duration(len(lat))
	r.p50, r.p99, r.max = lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1]
	r.rps = float64(len(lat)) / sim.load.duration.Seconds()
	r.coldStarts, r.throttles, r.maxConcurrency = sim.obs.coldStarts, sim.obs.throttles, sim.obs.maxConcurrency
	return r
}

func (r labResult) row(name string) string {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.0f", float64(d)/float64(time.Millisecond)) }
	return fmt.Sprintf("| %s | %d | %.0f | %s | %s | %s | %s | %d (%d in ramp) | %d | %d |",
		name, r.requests, r.rps, ms(r.avg), ms(r.p50), ms(r.p99), ms(r.max), r.coldStarts, r.rampColdStarts, r.maxConcurrency, r.throttles)
}
