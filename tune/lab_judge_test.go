package tune

import (
	"strings"
	"testing"
	"time"
)

const ms = time.Millisecond

func f64(v float64) *float64 { return &v }

// labRun is a hand-made step result: the client's average and maximum, and
// CloudWatch's peak concurrency, throttles and spill-over (negative: unknown).
func labRun(step int, avg, maxLatency time.Duration, peak, throttles, spill float64, lag time.Duration) LabResult {
	cw := &CloudWatchView{}
	if peak >= 0 {
		cw.ConcurrentMax = f64(peak)
	}
	if throttles >= 0 {
		cw.Throttles = f64(throttles)
	}
	if spill >= 0 {
		cw.SpilloverInvocations = f64(spill)
	}
	return LabResult{Step: step, Run: RunRecord{Total: EndpointRecord{Requests: 1000, Average: avg, Max: maxLatency, P50: avg, P99: maxLatency / 2,
		StatusCodes: map[int]uint64{200: 1000}}, CloudWatch: cw}, LagP99: lag, LagKnown: lag >= 0}
}

func judged(n int, res, baseline LabResult, have bool) LabResult {
	res.Checks = judgeStep(n, res, baseline, have)
	return res
}

func TestLabJudgesTheBaseline(t *testing.T) {
	met := judged(1, labRun(1, 104*ms, 967*ms, 40, 0, -1, ms/2), LabResult{}, false)
	if met.Verdict() != LabMet || met.Checks[0].Got != "average 104 ms" || met.Checks[1].Got != "maximum 967 ms" {
		t.Fatalf("baseline 104/967 ms: %+v", met.Checks)
	}
	missed := judged(1, labRun(1, 70*ms, 300*ms, 40, 0, -1, ms/2), LabResult{}, false)
	if missed.Verdict() != LabMissed || missed.Checks[0].Verdict != LabMissed || missed.Checks[1].Verdict != LabMissed {
		t.Fatalf("baseline 70/300 ms: %+v", missed.Checks)
	}
	if why := missed.Checks[1].Why; !strings.Contains(why, "maximum 300 ms < 700 ms") || !strings.Contains(why, "no request started cold") {
		t.Fatalf("miss explained as %q", why)
	}
	// 95 ms is 5 ms over the threshold: a lag p99 of 3 ms could account for it.
	busy := judged(1, labRun(1, 95*ms, 967*ms, 40, 0, -1, 3*ms), LabResult{}, false)
	if busy.Checks[0].Verdict != LabTooBusy || busy.Checks[0].Why != "the machine was too busy to judge this step (lag p99 3 ms)" ||
		busy.Checks[1].Verdict != LabMet || busy.Verdict() != LabTooBusy {
		t.Fatalf("baseline at 95 ms with 3 ms lag: %+v", busy.Checks)
	}
	// On AWS (lag unknown) the same numbers are judged.
	aws := judged(1, labRun(1, 95*ms, 967*ms, 40, 0, -1, -1), LabResult{}, false)
	if aws.Verdict() != LabMet {
		t.Fatalf("baseline without lag: %+v", aws.Checks)
	}
}

func TestLabJudgesMemoryAgainstTheBaseline(t *testing.T) {
	base := judged(1, labRun(1, 100*ms, 960*ms, 40, 0, -1, ms/2), LabResult{}, false)
	met := judged(2, labRun(2, 29*ms, 555*ms, 15, 0, -1, ms/2), base, true)
	if met.Verdict() != LabMet || met.Checks[0].Got != "average 29 ms (29 % of step 1's 100 ms)" {
		t.Fatalf("3008 MB at 29 ms: %+v", met.Checks)
	}
	missed := judged(2, labRun(2, 80*ms, 555*ms, 15, 0, -1, ms/2), base, true)
	if c := missed.Checks[0]; c.Verdict != LabMissed || !strings.Contains(c.Why, "average 80 ms > 60 ms") {
		t.Fatalf("3008 MB at 80 ms: %+v", c)
	}
	// The busy machine of the issue: step 2 at 418 ms p99, the sandbox late by 40 ms.
	busy := judged(2, labRun(2, 70*ms, 900*ms, 85, 0, -1, 40*ms), base, true)
	if c := busy.Checks[0]; c.Verdict != LabTooBusy || !strings.Contains(c.Why, "lag p99 40 ms") {
		t.Fatalf("3008 MB on a busy machine: %+v", c)
	}
	// The baseline's own lag counts too: it set the threshold.
	busyBase := base
	busyBase.LagP99 = 20 * ms
	if c := judged(2, labRun(2, 29*ms, 555*ms, 15, 0, -1, ms/2), busyBase, true).Checks[0]; c.Verdict != LabTooBusy {
		t.Fatalf("3008 MB against a busy baseline: %+v", c)
	}
	none := judged(2, labRun(2, 29*ms, 555*ms, 15, 0, -1, ms/2), LabResult{}, false)
	if c := none.Checks[0]; c.Verdict != LabNoData || !strings.Contains(c.Why, "step 1 has no result") || none.Verdict() != LabNoData {
		t.Fatalf("3008 MB without a baseline: %+v", c)
	}
}

func TestLabJudgesProvisionedAndExplainsSpillover(t *testing.T) {
	base := judged(1, labRun(1, 100*ms, 960*ms, 40, 0, -1, ms/2), LabResult{}, false)
	met := judged(3, labRun(3, 97*ms, 366*ms, 32, 0, 0, ms/2), base, true)
	if met.Verdict() != LabMet || met.Checks[0].Got != "maximum 366 ms (38 % of step 1's 960 ms)" {
		t.Fatalf("provisioned at 366 ms: %+v", met.Checks)
	}
	spilled := judged(3, labRun(3, 97*ms, 920*ms, 44, 0, 4, ms/2), base, true)
	want := "concurrency reached 44 > 40 provisioned: 4 requests spilled over to on-demand and started cold"
	if c := spilled.Checks[0]; c.Verdict != LabMissed || !strings.HasSuffix(c.Why, want) {
		t.Fatalf("provisioned with spill-over: %+v", c)
	}
	unknownSpill := judged(3, labRun(3, 97*ms, 920*ms, 44, 0, -1, ms/2), base, true)
	if c := unknownSpill.Checks[0]; !strings.Contains(c.Why, "concurrency reached 44 > 40 provisioned: requests beyond 40 spilled over") {
		t.Fatalf("spill-over without the metric: %+v", c)
	}
	warm := judged(3, labRun(3, 97*ms, 600*ms, 30, 0, 0, ms/2), base, true)
	if c := warm.Checks[0]; c.Verdict != LabMissed || !strings.Contains(c.Why, "concurrency stayed at 30 ≤ 40 provisioned") {
		t.Fatalf("provisioned, slow but warm: %+v", c)
	}
}

func TestLabJudgesReservedConcurrency(t *testing.T) {
	met := judged(4, labRun(4, 92*ms, 826*ms, 20, 1432, -1, ms/2), LabResult{}, false)
	met.Run.Total.StatusCodes[500] = 1432
	met.Checks = judgeStep(4, met, LabResult{}, false)
	if met.Verdict() != LabMet || met.Checks[0].Got != "peak concurrency 20" || met.Checks[1].Got != "throttles 1432 (CloudWatch), HTTP 500×1432" {
		t.Fatalf("reserved 20: %+v", met.Checks)
	}
	missed := judged(4, labRun(4, 92*ms, 826*ms, 17, 0, -1, ms/2), LabResult{}, false)
	if c := missed.Checks[1]; c.Verdict != LabMissed || !strings.Contains(c.Why, "concurrency peaked at 17") {
		t.Fatalf("reserved 20 never reached: %+v", c)
	}
	over := judged(4, labRun(4, 92*ms, 826*ms, 25, 10, -1, ms/2), LabResult{}, false)
	if c := over.Checks[0]; c.Verdict != LabMissed || !strings.Contains(c.Why, "concurrency reached 25 > 20 reserved") {
		t.Fatalf("reserved 20 exceeded: %+v", c)
	}
	busy := judged(4, labRun(4, 92*ms, 826*ms, 20, 10, -1, 30*ms), LabResult{}, false)
	if busy.Verdict() != LabTooBusy {
		t.Fatalf("reserved 20 on a busy machine: %+v", busy.Checks)
	}
	noCW := judged(4, labRun(4, 92*ms, 826*ms, -1, -1, -1, ms/2), LabResult{}, false)
	if c := noCW.Checks[0]; c.Verdict != LabNoData || !strings.Contains(c.Why, "CloudWatch has no ConcurrentExecutions") {
		t.Fatalf("reserved 20 without CloudWatch: %+v", c)
	}
}

func TestLabVerdictOrder(t *testing.T) {
	r := LabResult{Checks: []LabCheck{{Verdict: LabMet}, {Verdict: LabTooBusy}, {Verdict: LabNoData}}}
	if r.Verdict() != LabTooBusy {
		t.Fatalf("too busy and no data: %s", r.Verdict())
	}
	r.Checks = append(r.Checks, LabCheck{Verdict: LabMissed})
	if r.Verdict() != LabMissed {
		t.Fatalf("with a miss: %s", r.Verdict())
	}
	if (LabResult{Problem: "unreachable"}).Verdict() != LabNoData || (LabResult{}).Verdict() != LabNoData {
		t.Fatal("a result with nothing judged is no data")
	}
	if (LabResult{Checks: []LabCheck{{Verdict: LabMet}}}).Verdict() != LabMet {
		t.Fatal("all met is met")
	}
}

func TestLabTableRows(t *testing.T) {
	base := judged(1, labRun(1, 98*ms, 967*ms, 34, 0, -1, ms/2), LabResult{}, false)
	base.Run.Total.RPS = 173
	table := LabTable([]LabResult{base, {Step: 2, Problem: "the load test could not reach the API: all 10 requests failed"}})
	for _, want := range []string{
		"| step | requests | req/s | avg ms | p50 | p99 | max ms | peak concurrency | throttles | lag p99 | verdict |",
		"| 1. Baseline: 128 MB | 1000 | 173 | 98 | 98 | 484 | 967 | 34 | 0 | 0.5 ms | met |",
		"1. Baseline: 128 MB: " + expectAverage128 + " — average 98 ms: met",
		"2. Memory 3008 MB: no data — the load test could not reach the API",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
}
