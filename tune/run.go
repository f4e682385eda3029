package tune

import (
	"time"

	"github.com/lambdatune/lambdatune/load"
)

// RunRecord is one finished load test as the journal keeps it: the load it
// drove, its full statistics (per endpoint and aggregate, with the HDR
// histograms), its per-second series, the configuration it ran under and, when
// they could be read, CloudWatch's numbers for its window. It holds no
// secrets: request headers are kept by name only, and FunctionConfig has no
// environment variables.
type RunRecord struct {
	// ID is the journal's number for the run (0 until it is recorded); runs
	// and changes share one sequence, so an ID names either.
	ID        int64  `json:"id"`
	Scope     string `json:"scope"`
	Function  string `json:"function"`
	Qualifier string `json:"qualifier,omitempty"`
	// Path is where the run was started from: console, cli, lab, sweep.
	Path       string        `json:"path"`
	Settings   RunSettings   `json:"settings"`
	Started    time.Time     `json:"started"`
	Ended      time.Time     `json:"ended"`
	Elapsed    time.Duration `json:"elapsed_ns"`
	StopReason string        `json:"stop_reason"`
	// Config is the function's configuration when the run started; ConfigKnown
	// is false when it could not be read (the run is then never paired as if
	// it ran under a known configuration).
	Config      FunctionConfig   `json:"config"`
	ConfigKnown bool             `json:"config_known"`
	Total       EndpointRecord   `json:"total"`
	Endpoints   []EndpointRecord `json:"endpoints"`
	Windows     []WindowRecord   `json:"windows"`
	Open        *load.OpenStats  `json:"open_model,omitempty"`
	CloudWatch  *CloudWatchView  `json:"cloudwatch,omitempty"`
}

// EndpointRecord is one row of the run's statistics (or the aggregate).
type EndpointRecord struct {
	Method    string `json:"method,omitempty"`
	Name      string `json:"name"`
	Requests  uint64 `json:"requests"`
	Failures  uint64 `json:"failures"`
	Throttles uint64 `json:"throttles"`
	// The latencies are the client's, from send (or due time) to answer.
	Average     time.Duration     `json:"average_ns"`
	Min         time.Duration     `json:"min_ns"`
	Max         time.Duration     `json:"max_ns"`
	P50         time.Duration     `json:"p50_ns"`
	P90         time.Duration     `json:"p90_ns"`
	P95         time.Duration     `json:"p95_ns"`
	P99         time.Duration     `json:"p99_ns"`
	AverageSize float64           `json:"average_size_bytes"`
	RPS         float64           `json:"rps"`
	FailuresPS  float64           `json:"failures_per_s"`
	StatusCodes map[int]uint64    `json:"status_codes,omitempty"`
	Errors      map[string]uint64 `json:"errors,omitempty"`
	Server      *ServerRecord     `json:"server,omitempty"`
	Latency     *Histogram        `json:"latency_histogram,omitempty"`
}

// FailurePercent is failures as a percentage of requests.
func (e EndpointRecord) FailurePercent() float64 {
	if e.Requests == 0 {
		return 0
	}
	return 100 * float64(e.Failures) / float64(e.Requests)
}

// ServerRecord is what the function's REPORT lines said (Invoke runs).
type ServerRecord struct {
	Invocations     uint64        `json:"invocations"`
	ColdStarts      uint64        `json:"cold_starts"`
	AverageDuration time.Duration `json:"average_duration_ns"`
	P50             time.Duration `json:"p50_duration_ns"`
	P99             time.Duration `json:"p99_duration_ns"`
	AverageBilled   time.Duration `json:"average_billed_ns"`
	AverageInit     time.Duration `json:"average_init_ns"`
	MaxInit         time.Duration `json:"max_init_ns"`
	MaxMemoryUsedMB int           `json:"max_memory_used_mb"`
}

// WindowRecord is one second of the run.
type WindowRecord struct {
	Start      time.Duration `json:"start_ns"`
	Length     time.Duration `json:"length_ns"`
	Requests   uint64        `json:"requests"`
	Failures   uint64        `json:"failures"`
	Throttles  uint64        `json:"throttles"`
	ColdStarts uint64        `json:"cold_starts"`
	RPS        float64       `json:"rps"`
	P50        time.Duration `json:"p50_ns"`
	P95        time.Duration `json:"p95_ns"`
	Max        time.Duration `json:"max_ns"`
	InFlight   int           `json:"in_flight"`
	Users      int           `json:"users"`
}

// CloudWatchView is what CloudWatch recorded for the minutes a run touched
// (one period covering them, so other traffic in those minutes counts too).
// A nil value is "no data", never zero.
type CloudWatchView struct {
	Start  time.Time     `json:"start"`
	Period time.Duration `json:"period_ns"`
	// Complete is false when CloudWatch had not published every minute yet
	// when the view was read (AWS publishes a minute 1–2 minutes after it ends).
	Complete             bool     `json:"complete"`
	Invocations          *float64 `json:"invocations,omitempty"`
	Errors               *float64 `json:"errors,omitempty"`
	Throttles            *float64 `json:"throttles,omitempty"`
	DurationAverageMs    *float64 `json:"duration_average_ms,omitempty"`
	DurationP99Ms        *float64 `json:"duration_p99_ms,omitempty"`
	DurationMaxMs        *float64 `json:"duration_max_ms,omitempty"`
	ConcurrentMax        *float64 `json:"concurrent_executions_max,omitempty"`
	SpilloverInvocations *float64 `json:"provisioned_spillover_invocations,omitempty"`
	// ColdStarts and InitDurationAverageMs come from Lambda Insights'
	// init_duration (one sample per cold start); nil when it has no data.
	ColdStarts            *float64 `json:"cold_starts,omitempty"`
	InitDurationAverageMs *float64 `json:"init_duration_average_ms,omitempty"`
	// Error says why the view could not be read, when it could not.
	Error string `json:"error,omitempty"`
}

// Requests is how many requests the run completed.
func (r RunRecord) Requests() uint64 { return r.Total.Requests }

// Invocations is the requests that reached the function: throttled requests
// are refused before it runs, and are not billed.
func (r RunRecord) Invocations() uint64 {
	return r.Total.Requests - min(r.Total.Throttles, r.Total.Requests)
}
