package tune

import (
	"strings"
	"time"
)

// SweepStep is one memory size measured: the run's client latency, the
// function's own duration, cold starts, failures and cost.
type SweepStep struct {
	Index        int    `json:"index"`
	MemoryMB     int32  `json:"memory_mb"`
	Architecture string `json:"architecture"`
	// RunID is the step's run in the journal (0 when there is none).
	RunID     int64         `json:"run_id,omitempty"`
	Started   time.Time     `json:"started"`
	Elapsed   time.Duration `json:"elapsed_ns"`
	Requests  uint64        `json:"requests"`
	Failures  uint64        `json:"failures"`
	Throttles uint64        `json:"throttles"`
	Timeouts  uint64        `json:"timeouts"`
	// Client latency (the engine's HDR histogram) and requests per second.
	P50 time.Duration `json:"p50_ns"`
	P95 time.Duration `json:"p95_ns"`
	P99 time.Duration `json:"p99_ns"`
	Max time.Duration `json:"max_ns"`
	RPS float64       `json:"rps"`
	// The function's own numbers: REPORT lines for Invokes, CloudWatch for
	// HTTP runs (DurationSource says which).
	DurationAverage time.Duration `json:"duration_average_ns"`
	DurationSource  string        `json:"duration_source,omitempty"`
	BilledAverage   time.Duration `json:"billed_average_ns"`
	InitAverage     time.Duration `json:"init_average_ns"`
	InitMax         time.Duration `json:"init_max_ns"`
	ColdStarts      Count         `json:"cold_starts"`
	// Cost from the billed duration, memory and architecture.
	CostKnown     bool    `json:"cost_known"`
	PerInvocation float64 `json:"per_invocation_usd"`
	PerMillion    float64 `json:"per_million_usd"`
	// Errors counts failures by their description; Error says why the step
	// could not be measured at all.
	Errors map[string]uint64 `json:"errors,omitempty"`
	Error  string            `json:"error,omitempty"`
}

// SweepEnd is how the sweep left the function.
type SweepEnd struct {
	// Restored: back at the original memory; Applied: at the chosen one.
	Restored bool `json:"restored"`
	Applied  bool `json:"applied"`
	// MemoryMB is the memory as last read back (0 when it could not be read).
	MemoryMB int32 `json:"memory_mb"`
	// What says it in a sentence; Error why it could not be done.
	What  string `json:"what"`
	Error string `json:"error,omitempty"`
}

// SweepResult is a whole sweep: its steps, the choice and how it ended.
type SweepResult struct {
	Function string `json:"function"`
	Where    string `json:"where"`
	Sandbox  bool   `json:"sandbox"`
	// ModelNotes name the sandbox's modelled effects the numbers show.
	ModelNotes []string `json:"model_notes,omitempty"`
	Workload   string   `json:"workload"`
	ColdStarts bool     `json:"cold_starts"`
	// ColdStartMethod says how a new environment was forced, in cold-start mode.
	ColdStartMethod string         `json:"cold_start_method,omitempty"`
	Original        FunctionConfig `json:"original"`
	Untouched       []string       `json:"untouched,omitempty"`
	Options         ChoiceOptions  `json:"choice_options"`
	Steps           []SweepStep    `json:"steps"`
	Choice          Choice         `json:"choice"`
	End             SweepEnd       `json:"end"`
	// Interrupted is true when the user stopped the sweep; Stopped says why
	// it stopped early otherwise.
	Interrupted bool      `json:"interrupted"`
	Stopped     string    `json:"stopped,omitempty"`
	Started     time.Time `json:"started"`
	Ended       time.Time `json:"ended"`
}

// Chosen is the chosen step, when there is one.
func (r SweepResult) Chosen() (SweepStep, bool) {
	if !r.Choice.Found() || r.Choice.Index >= len(r.Steps) {
		return SweepStep{}, false
	}
	return r.Steps[r.Choice.Index], true
}

// SandboxModelNotes are the modelled effects a sandbox sweep shows
// (docs/sandbox-model.md; [S1], [S10]).
var SandboxModelNotes = []string{
	"CPU share ∝ memory: the handler runs at min(memory/1769 MB, 1) of a vCPU (one vCPU at 1,769 MB) [S1]",
	"init at a full vCPU: an on-demand cold start's Init Duration does not depend on memory [S10]",
}

// stepOf takes a step's numbers out of its run's record.
func stepOf(i int, mb int32, arch string, rec RunRecord, prices Prices) SweepStep {
	t := rec.Total
	st := SweepStep{Index: i, MemoryMB: mb, Architecture: arch, RunID: rec.ID, Started: rec.Started, Elapsed: rec.Elapsed,
		Requests: t.Requests, Failures: t.Failures, Throttles: t.Throttles,
		P50: t.P50, P95: t.P95, P99: t.P99, Max: t.Max, Errors: t.Errors, ColdStarts: rec.ColdStarts()}
	if secs := rec.Elapsed.Seconds(); secs > 0 {
		st.RPS = float64(t.Requests) / secs
	}
	for text, n := range t.Errors {
		if containsTimeout(text) {
			st.Timeouts += n
		}
	}
	if s := t.Server; s != nil && s.Invocations > 0 {
		st.DurationAverage, st.DurationSource = s.AverageDuration, SourceReport
		st.InitAverage, st.InitMax = s.AverageInit, s.MaxInit
	} else if cw := rec.CloudWatch; cw != nil && cw.DurationAverageMs != nil {
		st.DurationAverage = time.Duration(*cw.DurationAverageMs * float64(time.Millisecond))
		st.DurationSource = SourceCloudWatch
		if cw.InitDurationAverageMs != nil {
			st.InitAverage = time.Duration(*cw.InitDurationAverageMs * float64(time.Millisecond))
		}
	}
	billed := rec.BilledDuration()
	if billed.Source != "" {
		st.BilledAverage, st.CostKnown = billed.Average, true
		st.PerInvocation = prices.PerInvocation(float64(billed.Average)/float64(time.Millisecond), mb, arch)
		st.PerMillion = 1e6 * st.PerInvocation
	}
	return st
}

// containsTimeout recognises the failure texts of a timeout: the
// function's own (Lambda's "Task timed out") and the client's.
func containsTimeout(text string) bool { return strings.Contains(text, "timed out") }
