package tune

import (
	"fmt"
	"time"
)

// RunSummary is what lists and comparisons need of a run: the journal keeps
// it in columns beside the full record, so a list of thousands of runs is
// read without decoding a single record.
type RunSummary struct {
	ID         int64         `json:"id"`
	Function   string        `json:"function"`
	Qualifier  string        `json:"qualifier,omitempty"`
	Path       string        `json:"path"`
	Settings   RunSettings   `json:"settings"`
	Started    time.Time     `json:"started"`
	Ended      time.Time     `json:"ended"`
	Elapsed    time.Duration `json:"elapsed_ns"`
	StopReason string        `json:"stop_reason"`
	Requests   uint64        `json:"requests"`
	Failures   uint64        `json:"failures"`
	Throttles  uint64        `json:"throttles"`
	Average    time.Duration `json:"average_ns"`
	P50        time.Duration `json:"p50_ns"`
	P95        time.Duration `json:"p95_ns"`
	P99        time.Duration `json:"p99_ns"`
	Max        time.Duration `json:"max_ns"`
	RPS        float64       `json:"rps"`
	ColdStarts Count         `json:"cold_starts"`
	// Billed is the average billed duration and where it came from.
	Billed Billed     `json:"billed"`
	Config ConfigCost `json:"config"`
}

// Count is a number that may be unknown, with where it came from.
type Count struct {
	Value  uint64 `json:"value"`
	Known  bool   `json:"known"`
	Source string `json:"source,omitempty"`
}

func (c Count) String() string {
	if !c.Known {
		return "unknown"
	}
	return fmt.Sprint(c.Value)
}

// Billed is the average billed duration of a run's invocations; Source is
// empty when it is not known.
type Billed struct {
	Average time.Duration `json:"average_ns"`
	Source  string        `json:"source,omitempty"`
}

// Sources of cold starts and billed duration, as reports name them.
const (
	SourceReport     = "REPORT lines"
	SourceInsights   = "Lambda Insights init_duration"
	SourceCloudWatch = "CloudWatch average Duration"
	ShareSpillover   = "CloudWatch spillover count"
	ShareAssumedAll  = "assumed: every invocation (no spillover count)"
)

// ConfigCost is the part of the run's configuration its cost depends on.
type ConfigCost struct {
	Known        bool   `json:"known"`
	MemoryMB     int32  `json:"memory_mb"`
	Architecture string `json:"architecture"`
	Summary      string `json:"summary"`
	// Provisioned is the provisioned concurrency on the qualifier the run
	// invoked; ProvisionedTotal all the function has (all of it is charged).
	Provisioned      int32 `json:"provisioned"`
	ProvisionedTotal int32 `json:"provisioned_total"`
	// ProvisionedShare is the fraction of invocations that ran on
	// provisioned concurrency, and ShareSource how it is known.
	ProvisionedShare float64 `json:"provisioned_share"`
	ShareSource      string  `json:"provisioned_share_source,omitempty"`
}

// Summary derives the run's summary from its record.
func (r RunRecord) Summary() RunSummary {
	t := r.Total
	s := RunSummary{
		ID: r.ID, Function: r.Function, Qualifier: r.Qualifier, Path: r.Path, Settings: r.Settings,
		Started: r.Started, Ended: r.Ended, Elapsed: r.Elapsed, StopReason: r.StopReason,
		Requests: t.Requests, Failures: t.Failures, Throttles: t.Throttles,
		Average: t.Average, P50: t.P50, P95: t.P95, P99: t.P99, Max: t.Max, RPS: r.rps(),
		ColdStarts: r.ColdStarts(), Billed: r.BilledDuration(), Config: r.configCost(),
	}
	return s
}

func (r RunRecord) rps() float64 {
	if secs := r.Elapsed.Seconds(); secs > 0 {
		return float64(r.Total.Requests) / secs
	}
	return 0
}

// ColdStarts counts the run's cold starts: from the REPORT lines of an Invoke
// run, else from Lambda Insights' init_duration samples; unknown otherwise.
func (r RunRecord) ColdStarts() Count {
	if s := r.Total.Server; s != nil {
		return Count{Value: s.ColdStarts, Known: true, Source: SourceReport}
	}
	if cw := r.CloudWatch; cw != nil && cw.ColdStarts != nil {
		return Count{Value: uint64(*cw.ColdStarts), Known: true, Source: SourceInsights}
	}
	return Count{}
}

// BilledDuration is the average billed duration: the REPORT lines' Billed
// Duration of an Invoke run, else CloudWatch's average Duration for the
// run's window (which leaves out the rounding up to the millisecond and the
// INIT time billed on cold starts, so it is a little low).
func (r RunRecord) BilledDuration() Billed {
	if s := r.Total.Server; s != nil && s.Invocations > 0 {
		return Billed{Average: s.AverageBilled, Source: SourceReport}
	}
	if cw := r.CloudWatch; cw != nil && cw.DurationAverageMs != nil {
		return Billed{Average: time.Duration(*cw.DurationAverageMs * float64(time.Millisecond)), Source: SourceCloudWatch}
	}
	return Billed{}
}

func (r RunRecord) configCost() ConfigCost {
	c := ConfigCost{Known: r.ConfigKnown, MemoryMB: r.Config.MemoryMB, Architecture: r.Config.Architecture,
		Summary: r.Config.Summary(), ProvisionedTotal: r.Config.ProvisionedTotal()}
	if !r.ConfigKnown {
		c.Summary = "unknown"
		return c
	}
	c.Provisioned = r.Config.ProvisionedOn(r.invokedQualifier())
	if c.Provisioned == 0 {
		return c
	}
	c.ProvisionedShare, c.ShareSource = 1, ShareAssumedAll
	if cw := r.CloudWatch; cw != nil && cw.SpilloverInvocations != nil && cw.Invocations != nil && *cw.Invocations > 0 {
		c.ProvisionedShare = min(max(1 - *cw.SpilloverInvocations / *cw.Invocations, 0), 1)
		c.ShareSource = ShareSpillover
	}
	return c
}

// invokedQualifier is the alias or version the run's requests reached: the
// one recorded, else (an HTTP API in front, qualifier unknown) the only
// qualifier with provisioned concurrency, as the lab's API invokes its alias.
func (r RunRecord) invokedQualifier() string {
	if r.Qualifier != "" || len(r.Config.Provisioned) != 1 {
		return r.Qualifier
	}
	return r.Config.Provisioned[0].Qualifier
}
