package tune

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lambdatune/lambdatune/load"
)

// RunMeta is what the caller knows about a run beyond the engine: where it
// belongs, which function it measured, and the configuration it ran under.
type RunMeta struct {
	Scope     Scope
	Function  string
	Qualifier string
	Path      string
	// Config is the function's configuration read when the run started.
	Config      FunctionConfig
	ConfigKnown bool
	// HeaderNames are the names of the headers the run sent (never values).
	HeaderNames []string
}

// ErrRunNotDone is returned for a run that has not finished.
var ErrRunNotDone = errors.New("the run has not finished")

// NewRunRecord builds the record of a finished run from the engine's own
// account of it (Info, Limits, the final Snapshot and every window), so the
// console and `lambdatune load` record runs the same way.
func NewRunRecord(run *load.Run, meta RunMeta) (RunRecord, error) {
	select {
	case <-run.Done():
	default:
		return RunRecord{}, ErrRunNotDone
	}
	return runRecordOf(run.Info(), run.Limits(), run.Snapshot(), run.Windows(0), meta), nil
}

func runRecordOf(info load.RunInfo, limits load.RunLimits, snap load.Snapshot, windows []load.Window, meta RunMeta) RunRecord {
	rec := RunRecord{
		Scope: meta.Scope.Key(), Function: meta.Function, Qualifier: meta.Qualifier, Path: meta.Path,
		Settings: settingsOf(info, limits, meta), Started: info.Started.UTC(), Elapsed: snap.Elapsed,
		Ended: info.Started.Add(snap.Elapsed).UTC(), StopReason: string(snap.Reason),
		Config: meta.Config, ConfigKnown: meta.ConfigKnown,
		Total: endpointRecordOf(snap.Total),
	}
	for _, e := range snap.Endpoints {
		rec.Endpoints = append(rec.Endpoints, endpointRecordOf(e))
	}
	for _, w := range windows {
		rec.Windows = append(rec.Windows, windowRecordOf(w))
	}
	if info.Model == "open" {
		open := snap.Open
		rec.Open = &open
	}
	return rec
}

func settingsOf(info load.RunInfo, limits load.RunLimits, meta RunMeta) RunSettings {
	target := info.Target
	if meta.Scope.Sandbox {
		target = SandboxTarget(target)
	}
	return RunSettings{
		Target: target, Scenario: info.Scenario, Model: info.Model, Users: info.Users,
		SpawnRate: info.SpawnRate, Wait: info.Wait, Rate: info.Rate,
		RunTime: limits.RunTime, MaxRequests: limits.MaxRequests, Seed: limits.Seed,
		HeaderNames: append([]string(nil), meta.HeaderNames...), Adjusted: adjustedText(info.Adjustments),
	}
}

// adjustedText writes a run's mid-run changes of load: "users 110 at 0:42".
func adjustedText(adjustments []load.Adjustment) string {
	parts := make([]string, len(adjustments))
	for i, a := range adjustments {
		at := a.At.Round(time.Second)
		what := fmt.Sprintf("users %d", a.Users)
		if a.Rate > 0 {
			what = fmt.Sprintf("rate %g/s", a.Rate)
		}
		parts[i] = fmt.Sprintf("%s at %d:%02d", what, int(at.Minutes()), int(at.Seconds())%60)
	}
	return strings.Join(parts, "; ")
}

func endpointRecordOf(e load.EndpointStats) EndpointRecord {
	rec := EndpointRecord{
		Method: e.Method, Name: e.Name, Requests: e.Requests, Failures: e.Failures, Throttles: e.Throttles,
		Average: e.Average, Min: e.Min, Max: e.Max,
		P50: e.Percentile(50), P90: e.Percentile(90), P95: e.Percentile(95), P99: e.Percentile(99),
		AverageSize: e.AverageSize, RPS: e.TotalRPS, FailuresPS: e.TotalFailuresPerSec,
		StatusCodes: e.StatusCodes, Errors: e.Errors, Latency: HistogramOf(e.LatencyHistogram()),
	}
	if s := e.Server; s.Invocations > 0 {
		rec.Server = &ServerRecord{
			Invocations: s.Invocations, ColdStarts: s.ColdStarts, AverageDuration: s.AverageDuration,
			P50: s.P50, P99: s.P99, AverageBilled: s.AverageBilledDuration,
			AverageInit: s.AverageInitDuration, MaxInit: s.MaxInitTime, MaxMemoryUsedMB: s.MaxMemoryUsedMB,
		}
	}
	return rec
}

func windowRecordOf(w load.Window) WindowRecord {
	return WindowRecord{
		Start: w.Start, Length: w.Length, Requests: w.Requests, Failures: w.Failures, Throttles: w.Throttles,
		ColdStarts: w.ColdStarts, RPS: w.RPS, P50: w.P50, P95: w.P95, Max: w.Max, InFlight: w.InFlight, Users: w.Users,
	}
}
