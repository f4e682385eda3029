// Package load is lambdatune's load engine: Locust-style closed-model users with
// a spawn rate and wait times, and wrk2/vegeta-style open-model fixed arrival
// rates, the products scenario, HTTP and Lambda-Invoke targets, and HDR-histogram
// statistics that a UI samples on a tick.
//
// The engine is a library and `lambdatune load` a thin shell over it:
//
//	target, _ := load.NewHTTPTarget("http://127.0.0.1:8080", load.HTTPOptions{})
//	run, err := load.Start(ctx, load.Config{
//		Target: target, Scenario: load.NewProductsScenario(load.DefaultProductWeights),
//		Users: 100, SpawnRate: 3, Wait: load.Between{Min: time.Second, Max: 2 * time.Second},
//		RunTime: 5 * time.Minute,
//	})
//	...
//	final := run.Wait()
//
// # Models
//
// Closed (Config.Pacer nil): Users start on a SpawnSchedule (Rate per second,
// evenly spaced, as Locust does); each repeats pick-a-weighted-task, run it, wait
// (WaitTime: Constant, Between, ConstantPacing). Open (Config.Pacer set): a
// Pacer says when each request is due; idle workers take them and new workers
// start, up to Users, when none is idle. Latency counts from the due time, so a
// stalled target shows in the tail instead of silently slowing the load
// (coordinated omission); requests sent more than LateAfter past their due time
// are counted as late, and requests that fell due but were never sent as dropped.
//
// # Reading a run while it goes: the snapshot API
//
// A UI never receives per-request events. It pulls, on its own tick (about four
// a second), copies it may keep:
//
//	func (r *Run) Snapshot() Snapshot          // totals, per-endpoint rows, last 300 windows
//	func (r *Run) Windows(from int) []Window   // the per-second series from index from
//	func (r *Run) Info() RunInfo               // what the run was asked to do
//	func (r *Run) Done() <-chan struct{}       // closed when the results are final
//	func (r *Run) Stop()                       // as Ctrl-C: ends within milliseconds
//
// Snapshot carries Locust's rows (EndpointStats: requests, failures, throttles,
// average, min, max, Percentile(p) from the HDR histogram, average size, total
// and current RPS and failures/s, status codes, errors, the requests cut off in
// flight by the stop, and ServerStats from the REPORT lines of the Invoke
// target), the run's Users and InFlight, Unreachable, and Windows:
// one per second with RPS, failures/s, throttles, cold starts, p50/p95/max
// latency, in-flight requests and users at its end. A TUI keeps its own series
// by asking Windows(len(seen)) for the new ones.
//
// Recording never waits on a reader: workers record into a few mutex-guarded
// shards of HDR histograms (hdrhistogram-go is not safe for concurrent use), and
// Snapshot merges them, locking each shard only while it copies it. Memory is
// bounded whatever the request count: ten million requests grow the heap by
// about 5 MB (BenchmarkRecord10M).
//
// # Targets
//
// HTTPTarget speaks HTTP/1.1 with its own small keep-alive client (one
// connection per user, no allocation per request, TLS for https through
// crypto/tls, caller headers on every request); see httpclient.go for why not
// net/http. It never sends a request twice unless the request provably never
// left and is replayable (httpsession.go). Targets mark requests that could
// not connect (Outcome.ConnectFailed): closed-model users back off on them,
// and a run where nothing ever connected stops as StopUnreachable (reach.go). InvokeTarget calls a
// Lambda function through aws.Client.Invoke with API Gateway proxy events and
// LogType=Tail, so each call also yields the function's own Duration, Billed
// Duration, Init Duration (cold start) and Max Memory Used; throttles
// (TooManyRequestsException) are counted apart and never retried.
//
// # Output
//
// WriteTable prints Locust's final tables; WriteLocustCSV writes Locust
// 2.12-compatible CSV files; NewJSONReport and WriteJSON the machine-readable
// result; ParseThreshold and Threshold.Check evaluate `--fail-if` conditions.
//
// Time goes through internal/clock wherever behaviour depends on it (spawn
// schedule, wait times, pacing, windows), so the schedules are tested in
// simulated time.
//
// Dependency rule (one way, no cycles): tui → tune → aws, load; load → aws only for
// its Invoke target. load imports no Charm package and never imports sandbox, tune
// or tui.
package load
