package tune

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// LabVerdict is how a lab expectation fared.
type LabVerdict string

// The verdicts.
const (
	LabMet     LabVerdict = "met"
	LabMissed  LabVerdict = "missed"
	LabTooBusy LabVerdict = "too busy"
	LabNoData  LabVerdict = "no data"
)

// LabCheck is one expectation judged on a run.
type LabCheck struct {
	Expect  string // "average ≥ 90 ms at 128 MB …"
	Got     string // "average 143 ms"
	Verdict LabVerdict
	// Why explains a miss, a too-busy or a no-data from the run itself, e.g.
	// "concurrency reached 44 > 40 provisioned: 4 requests spilled over to
	// on-demand and started cold".
	Why string
}

// LabResult is one step's run and its judged expectations.
type LabResult struct {
	Step  int
	RunID int64 // journal id, 0 without a journal
	Run   RunRecord
	// Checks are the step's expectations, judged, in LabStep.Expect's order.
	Checks []LabCheck
	// LagP99 is the sandbox's scheduling lag p99 over the run's minutes
	// (SandboxLag); LagKnown is false on AWS or when it could not be read.
	LagP99   time.Duration
	LagKnown bool
	// Problem is set when no numbers could be judged (the API could not be
	// reached, the load could not start).
	Problem string
}

// Verdict is the step's verdict: missed if any check missed; too busy if any
// was too busy and none missed; no data if there is nothing to judge or a
// check had no data; met otherwise.
func (r LabResult) Verdict() LabVerdict {
	if r.Problem != "" || len(r.Checks) == 0 {
		return LabNoData
	}
	has := func(v LabVerdict) bool {
		return slices.ContainsFunc(r.Checks, func(c LabCheck) bool { return c.Verdict == v })
	}
	switch {
	case has(LabMissed):
		return LabMissed
	case has(LabTooBusy):
		return LabTooBusy
	case has(LabNoData):
		return LabNoData
	}
	return LabMet
}

// The busy rule (docs/lab.md): every request through the sandbox's products
// API is two modelled waits (the function's latency, then API Gateway's
// overhead), and each can fire late by the scheduling lag. A latency check is too busy to judge when
// lagBusyFactor times the lag p99 reaches its margin — the distance between
// the number and the threshold — since the lag alone could then have moved
// the number across. Concurrency and throttles grow with latency (Little's
// law), so those checks are too busy when the lag p99 reaches
// lagBusyShare of the run's average latency.
const (
	lagBusyFactor = 2
	lagBusyShare  = 0.2
)

func busyWhy(lag time.Duration) string {
	return fmt.Sprintf("the machine was too busy to judge this step (lag p99 %s)", msText(lag))
}

// judge checks step's expectations against res (the step's run) and the
// earlier steps' results.
func (l *Lab) judge(step LabStep, res LabResult) []LabCheck {
	baseline, haveBaseline := l.Result(1)
	if haveBaseline && (baseline.Problem != "" || baseline.Run.Total.Requests == 0) {
		haveBaseline = false
	}
	return judgeStep(step.Number, res, baseline, haveBaseline)
}

// judgeStep judges step n's result against the lab's expectations; the
// baseline is step 1's result (have false when step 1 has none).
func judgeStep(n int, res LabResult, baseline LabResult, have bool) []LabCheck {
	t := res.Run.Total
	lag := lagOf(res)
	switch n {
	case 1:
		return []LabCheck{
			latencyAbove(expectAverage128, "average", t.Average, labAverage128Min, lag,
				"the handler's CPU share at 128 MB was enough to keep the average under the threshold"),
			latencyAbove(expectMax128, "maximum", t.Max, labMax128Min, lag, coldWhy(res)),
		}
	case 2:
		if !have {
			return []LabCheck{noBaseline(expectAverage3008, "average", t.Average)}
		}
		limit := time.Duration(float64(baseline.Run.Total.Average) * labAverageRatio)
		lag = max(lag, lagOf(baseline))
		c := latencyBelow(expectAverage3008, "average", t.Average, limit, lag,
			fmt.Sprintf("step 1 averaged %s; 60 %% of it is %s", msText(baseline.Run.Total.Average), msText(limit)))
		c.Got = fmt.Sprintf("average %s (%s of step 1's %s)", msText(t.Average), percentText(t.Average, baseline.Run.Total.Average), msText(baseline.Run.Total.Average))
		return []LabCheck{c}
	case 3:
		if !have {
			return []LabCheck{noBaseline(expectMaxCut, "maximum", t.Max)}
		}
		limit := time.Duration(float64(baseline.Run.Total.Max) * labMaxRatio)
		lag = max(lag, lagOf(baseline))
		c := latencyBelow(expectMaxCut, "maximum", t.Max, limit, lag, spilloverWhy(res, LabProvisioned))
		c.Got = fmt.Sprintf("maximum %s (%s of step 1's %s)", msText(t.Max), percentText(t.Max, baseline.Run.Total.Max), msText(baseline.Run.Total.Max))
		return []LabCheck{c}
	case 4:
		return []LabCheck{cappedCheck(res, LabReserved, lag), throttledCheck(res, lag)}
	}
	return nil
}

// lagOf is the result's lag, 0 when unknown (no busy judgement then).
func lagOf(r LabResult) time.Duration {
	if !r.LagKnown {
		return 0
	}
	return r.LagP99
}

func noBaseline(expect, what string, got time.Duration) LabCheck {
	return LabCheck{Expect: expect, Got: fmt.Sprintf("%s %s", what, msText(got)), Verdict: LabNoData,
		Why: "step 1 has no result: this step is judged against its baseline; run step 1 first"}
}

// latencyAbove expects got ≥ limit.
func latencyAbove(expect, what string, got, limit, lag time.Duration, missWhy string) LabCheck {
	c := LabCheck{Expect: expect, Got: fmt.Sprintf("%s %s", what, msText(got)), Verdict: LabMet}
	if got < limit {
		c.Verdict, c.Why = LabMissed, fmt.Sprintf("%s %s < %s: %s", what, msText(got), msText(limit), missWhy)
	}
	if lag > 0 && lagBusyFactor*lag >= absDuration(got-limit) {
		c.Verdict, c.Why = LabTooBusy, busyWhy(lag)
	}
	return c
}

// latencyBelow expects got ≤ limit.
func latencyBelow(expect, what string, got, limit, lag time.Duration, missWhy string) LabCheck {
	c := LabCheck{Expect: expect, Got: fmt.Sprintf("%s %s", what, msText(got)), Verdict: LabMet}
	if got > limit {
		c.Verdict, c.Why = LabMissed, fmt.Sprintf("%s %s > %s: %s", what, msText(got), msText(limit), missWhy)
	}
	if lag > 0 && lagBusyFactor*lag >= absDuration(got-limit) {
		c.Verdict, c.Why = LabTooBusy, busyWhy(lag)
	}
	return c
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// busyForLoad says whether the lag is large against the run's latency, which
// concurrency and throttles grow with.
func busyForLoad(res LabResult, lag time.Duration) bool {
	return lag > 0 && float64(lag) >= lagBusyShare*float64(res.Run.Total.Average)
}

func cappedCheck(res LabResult, limit int, lag time.Duration) LabCheck {
	c := LabCheck{Expect: expectCapped}
	peak, ok := peakConcurrency(res.Run)
	if !ok {
		c.Got, c.Verdict, c.Why = "peak concurrency unknown", LabNoData, cloudWatchWhy(res.Run)
		return c
	}
	c.Got, c.Verdict = fmt.Sprintf("peak concurrency %d", peak), LabMet
	if peak > limit {
		c.Verdict, c.Why = LabMissed, fmt.Sprintf("concurrency reached %d > %d reserved: the reservation did not cap the function", peak, limit)
	}
	if busyForLoad(res, lag) {
		c.Verdict, c.Why = LabTooBusy, busyWhy(lag)
	}
	return c
}

func throttledCheck(res LabResult, lag time.Duration) LabCheck {
	c := LabCheck{Expect: expectThrottled}
	n, source := throttles(res.Run)
	c.Got = fmt.Sprintf("throttles %d (%s)", n, source)
	if s500 := res.Run.Total.StatusCodes[500]; s500 > 0 {
		c.Got += fmt.Sprintf(", HTTP 500×%d", s500)
	}
	c.Verdict = LabMet
	if n == 0 {
		peak, _ := peakConcurrency(res.Run)
		c.Verdict, c.Why = LabMissed, fmt.Sprintf("concurrency peaked at %d, never above the 20 reserved: the load never needed more than the reservation", peak)
	}
	if busyForLoad(res, lag) {
		c.Verdict, c.Why = LabTooBusy, busyWhy(lag)
	}
	return c
}

// peakConcurrency is CloudWatch's ConcurrentExecutions maximum over the run,
// else the most requests the load had in flight in a second.
func peakConcurrency(r RunRecord) (int, bool) {
	if cw := r.CloudWatch; cw != nil && cw.ConcurrentMax != nil {
		return int(math.Round(*cw.ConcurrentMax)), true
	}
	return 0, false
}

// throttles counts the run's throttles: CloudWatch's Throttles when known,
// else the 429s the load saw.
func throttles(r RunRecord) (uint64, string) {
	if cw := r.CloudWatch; cw != nil && cw.Throttles != nil {
		return uint64(math.Round(*cw.Throttles)), "CloudWatch"
	}
	return r.Total.Throttles, "HTTP 429 seen by the load"
}

func cloudWatchWhy(r RunRecord) string {
	if r.CloudWatch != nil && r.CloudWatch.Error != "" {
		return "CloudWatch could not be read: " + r.CloudWatch.Error
	}
	return "CloudWatch has no ConcurrentExecutions for the run yet (AWS publishes a minute 1–2 minutes after it ends)"
}

// coldWhy explains a 128 MB maximum that stayed low.
func coldWhy(res LabResult) string {
	var cold uint64
	for _, w := range res.Run.Windows {
		cold += w.ColdStarts
	}
	if cw := res.Run.CloudWatch; cw != nil && cw.ColdStarts != nil {
		cold = uint64(math.Round(*cw.ColdStarts))
	}
	if cold == 0 {
		return "no request started cold (the environments were warm from an earlier run)"
	}
	return fmt.Sprintf("%d cold starts, none slow enough", cold)
}

// spilloverWhy explains a maximum that was not cut with provisioned
// concurrency: concurrency beyond it spilled over to on-demand.
func spilloverWhy(res LabResult, provisioned int) string {
	peak, ok := peakConcurrency(res.Run)
	var spill uint64
	if cw := res.Run.CloudWatch; cw != nil && cw.SpilloverInvocations != nil {
		spill = uint64(math.Round(*cw.SpilloverInvocations))
	}
	switch {
	case ok && peak > provisioned && spill > 0:
		return fmt.Sprintf("concurrency reached %d > %d provisioned: %d requests spilled over to on-demand and started cold", peak, provisioned, spill)
	case ok && peak > provisioned:
		return fmt.Sprintf("concurrency reached %d > %d provisioned: requests beyond %d spilled over to on-demand and started cold", peak, provisioned, provisioned)
	case spill > 0:
		return fmt.Sprintf("%d requests spilled over to on-demand (ProvisionedConcurrencySpilloverInvocations) and started cold", spill)
	case ok:
		return fmt.Sprintf("concurrency stayed at %d ≤ %d provisioned and nothing spilled over: the slowest requests were warm ones (the first invoke of a provisioned environment, or the Scan tail)", peak, provisioned)
	}
	return "CloudWatch's concurrency for the run is unknown, so the spill-over cannot be told"
}

func msText(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	if ms >= 10 || ms == 0 {
		return fmt.Sprintf("%.0f ms", ms)
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", ms), ".0") + " ms"
}

func percentText(a, b time.Duration) string {
	if b == 0 {
		return "?"
	}
	return fmt.Sprintf("%.0f %%", 100*float64(a)/float64(b))
}

// LabTable renders the headless table: one row per step with requests,
// req/s, avg, p50, p99, max, peak concurrency, throttles and lag p99, then
// each expectation met, missed or too busy, with why.
func LabTable(results []LabResult) string {
	var b strings.Builder
	b.WriteString("| step | requests | req/s | avg ms | p50 | p99 | max ms | peak concurrency | throttles | lag p99 | verdict |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
	titles := map[int]string{}
	for _, s := range LabSteps() {
		titles[s.Number] = s.Title
	}
	for _, r := range results {
		t := r.Run.Total
		peak := "?"
		if p, ok := peakConcurrency(r.Run); ok {
			peak = fmt.Sprint(p)
		}
		n, _ := throttles(r.Run)
		lag := "n/a"
		if r.LagKnown {
			lag = msText(r.LagP99)
		}
		fmt.Fprintf(&b, "| %d. %s | %d | %.0f | %s | %s | %s | %s | %s | %d | %s | %s |\n", r.Step, titles[r.Step],
			t.Requests, t.RPS, msNum(t.Average), msNum(t.P50), msNum(t.P99), msNum(t.Max), peak, n, lag, r.Verdict())
	}
	b.WriteString("\n")
	for _, r := range results {
		if r.Problem != "" {
			fmt.Fprintf(&b, "%d. %s: no data — %s\n", r.Step, titles[r.Step], r.Problem)
			continue
		}
		for _, c := range r.Checks {
			line := fmt.Sprintf("%d. %s: %s — %s: %s", r.Step, titles[r.Step], c.Expect, c.Got, c.Verdict)
			if c.Why != "" {
				line += " (" + c.Why + ")"
			}
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

func msNum(d time.Duration) string {
	return fmt.Sprintf("%.0f", float64(d)/float64(time.Millisecond))
}
