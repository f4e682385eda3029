package load

import (
	"encoding/json"
	"io"
	"strconv"
	"time"
)

// RunInfo says what a run was asked to do, for reports.
type RunInfo struct {
	Target    string    `json:"target"`
	Scenario  string    `json:"scenario"`
	Model     string    `json:"model"` // "closed" or "open"
	Users     int       `json:"users"`
	SpawnRate float64   `json:"spawn_rate,omitempty"`
	Wait      string    `json:"wait_time,omitempty"`
	Rate      string    `json:"rate,omitempty"`
	Started   time.Time `json:"started_at"`
	// Adjustments are the users or rate changed while the run went on.
	Adjustments []Adjustment `json:"adjustments,omitempty"`
}

// Info describes the run.
func (r *Run) Info() RunInfo {
	info := RunInfo{
		Target: r.cfg.Target.Describe(), Scenario: r.cfg.Scenario.Name(), Model: "closed",
		Users: r.cfg.Users, SpawnRate: r.cfg.SpawnRate, Wait: r.cfg.Wait.String(), Started: r.begin,
	}
	if r.cfg.Pacer != nil {
		info.Model, info.SpawnRate, info.Wait = "open", 0, ""
		if s, ok := r.cfg.Pacer.(interface{ String() string }); ok {
			info.Rate = s.String()
		}
	}
	info.Adjustments = r.Adjustments()
	return info
}

// JSONReport is the machine-readable result of `lambdatune load --json`.
// Times are in milliseconds.
type JSONReport struct {
	RunInfo
	ElapsedSeconds float64    `json:"elapsed_s"`
	StopReason     StopReason `json:"stop_reason"`
	// Unreachable: requests failed to connect and none ever connected.
	Unreachable bool            `json:"unreachable"`
	Total       JSONEndpoint    `json:"total"`
	Endpoints   []JSONEndpoint  `json:"endpoints"`
	Open        *OpenStats      `json:"open_model,omitempty"`
	Thresholds  []JSONThreshold `json:"thresholds,omitempty"`
	Windows     []JSONWindow    `json:"per_second"`
}

// JSONEndpoint is one row of the results.
type JSONEndpoint struct {
	Method    string `json:"method,omitempty"`
	Name      string `json:"name"`
	Requests  uint64 `json:"requests"`
	Failures  uint64 `json:"failures"`
	Throttles uint64 `json:"throttles"`
	// InFlightAtStop: sent, cut off by the stop, never timed, in no other count.
	InFlightAtStop uint64             `json:"in_flight_at_stop"`
	FailRatio      float64            `json:"fail_ratio"`
	AvgMs          float64            `json:"avg_ms"`
	MinMs          float64            `json:"min_ms"`
	MaxMs          float64            `json:"max_ms"`
	Percentiles    map[string]float64 `json:"percentiles_ms"`
	AvgSize        float64            `json:"avg_size_bytes"`
	RPS            float64            `json:"rps"`
	FailuresPS     float64            `json:"failures_per_s"`
	StatusCodes    map[string]uint64  `json:"status_codes"`
	Errors         map[string]uint64  `json:"errors"`
	Server         *JSONServer        `json:"server,omitempty"`
}

// JSONServer is the function's own timing (Invoke target).
type JSONServer struct {
	Invocations   uint64  `json:"invocations"`
	ColdStarts    uint64  `json:"cold_starts"`
	AvgMs         float64 `json:"avg_duration_ms"`
	P50Ms         float64 `json:"p50_duration_ms"`
	P99Ms         float64 `json:"p99_duration_ms"`
	AvgBilledMs   float64 `json:"avg_billed_ms"`
	AvgInitMs     float64 `json:"avg_init_ms"`
	MaxInitMs     float64 `json:"max_init_ms"`
	MaxMemoryUsed int     `json:"max_memory_used_mb"`
}

// JSONThreshold is one `--fail-if` and what it found.
type JSONThreshold struct {
	Condition string  `json:"condition"`
	Value     float64 `json:"value"`
	Breached  bool    `json:"breached"`
}

// JSONWindow is one second of the run.
type JSONWindow struct {
	StartS     float64 `json:"start_s"`
	Requests   uint64  `json:"requests"`
	Failures   uint64  `json:"failures"`
	Throttles  uint64  `json:"throttles"`
	ColdStarts uint64  `json:"cold_starts"`
	RPS        float64 `json:"rps"`
	P50Ms      float64 `json:"p50_ms"`
	P95Ms      float64 `json:"p95_ms"`
	MaxMs      float64 `json:"max_ms"`
	InFlight   int     `json:"in_flight"`
	Users      int     `json:"users"`
}

// NewJSONReport assembles the report from a final snapshot and the full
// per-second series.
func NewJSONReport(info RunInfo, snap Snapshot, windows []Window, thresholds []ThresholdResult) JSONReport {
	rep := JSONReport{
		RunInfo: info, ElapsedSeconds: snap.Elapsed.Seconds(), StopReason: snap.Reason, Unreachable: snap.Unreachable,
		Total: jsonEndpoint(snap.Total), Windows: make([]JSONWindow, len(windows)),
	}
	for _, e := range snap.Endpoints {
		rep.Endpoints = append(rep.Endpoints, jsonEndpoint(e))
	}
	if info.Model == "open" {
		rep.Open = &snap.Open
	}
	for _, t := range thresholds {
		rep.Thresholds = append(rep.Thresholds, JSONThreshold{Condition: t.Raw, Value: t.Value, Breached: t.Breached})
	}
	for i, w := range windows {
		rep.Windows[i] = JSONWindow{
			StartS: w.Start.Seconds(), Requests: w.Requests, Failures: w.Failures, Throttles: w.Throttles,
			ColdStarts: w.ColdStarts, RPS: w.RPS, P50Ms: ms(w.P50), P95Ms: ms(w.P95), MaxMs: ms(w.Max),
			InFlight: w.InFlight, Users: w.Users,
		}
	}
	return rep
}

func jsonEndpoint(e EndpointStats) JSONEndpoint {
	j := JSONEndpoint{
		Method: e.Method, Name: e.Name, Requests: e.Requests, Failures: e.Failures, Throttles: e.Throttles,
		InFlightAtStop: e.InFlightAtStop,
		FailRatio:      e.FailRatio(), AvgMs: ms(e.Average), MinMs: ms(e.Min), MaxMs: ms(e.Max),
		AvgSize: e.AverageSize, RPS: e.TotalRPS, FailuresPS: e.TotalFailuresPerSec,
		Percentiles: map[string]float64{}, StatusCodes: map[string]uint64{}, Errors: e.Errors,
	}
	for _, p := range []float64{50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100} {
		j.Percentiles["p"+strconv.FormatFloat(p, 'f', -1, 64)] = ms(e.Percentile(p))
	}
	for code, n := range e.StatusCodes {
		j.StatusCodes[strconv.Itoa(code)] = n
	}
	if e.Errors == nil {
		j.Errors = map[string]uint64{}
	}
	if s := e.Server; s.Invocations > 0 {
		j.Server = &JSONServer{
			Invocations: s.Invocations, ColdStarts: s.ColdStarts, AvgMs: ms(s.AverageDuration),
			P50Ms: ms(s.P50), P99Ms: ms(s.P99), AvgBilledMs: ms(s.AverageBilledDuration),
			AvgInitMs: ms(s.AverageInitDuration), MaxInitMs: ms(s.MaxInitTime), MaxMemoryUsed: s.MaxMemoryUsedMB,
		}
	}
	return j
}

// WriteJSON writes the report, indented.
func WriteJSON(w io.Writer, rep JSONReport) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
