package tune

import (
	"fmt"
	"time"
)

// RunCost is what a run's traffic would cost on Lambda at the rate the run
// observed: per million requests and per 730-hour month, from the billed
// duration × memory × the architecture's price, the request charge, and
// provisioned concurrency while it is configured (with its lower duration
// price for the invocations that ran on it). docs/cost.md has the sources.
type RunCost struct {
	Known bool `json:"known"`
	// Why says what is missing when the cost is not known.
	Why string `json:"why,omitempty"`
	// RatePerSecond is the invocations per second the run observed.
	RatePerSecond float64       `json:"rate_per_s"`
	BilledAverage time.Duration `json:"billed_average_ns"`
	BilledSource  string        `json:"billed_source,omitempty"`
	// PerInvocation is the request and duration charge of one invocation.
	PerInvocation float64 `json:"per_invocation_usd"`
	// ProvisionedPerHour is the capacity charge of all the provisioned
	// concurrency configured, used or not.
	ProvisionedPerHour float64 `json:"provisioned_per_hour_usd"`
	// PerMillion is a million requests, the capacity charge included at the
	// observed rate; PerMonth a month at the observed rate.
	PerMillion float64  `json:"per_million_usd"`
	PerMonth   float64  `json:"per_month_usd"`
	Notes      []string `json:"notes,omitempty"`
}

const secondsPerMonth = HoursPerMonth * 3600

// Cost prices the run with p, with notes on where its numbers came from.
func (s RunSummary) Cost(p Prices) RunCost {
	c := s.price(p)
	if c.Known {
		c.Notes = s.costNotes(p)
	}
	return c
}

// price is Cost without the notes, for comparisons that need only numbers.
func (s RunSummary) price(p Prices) RunCost {
	c := RunCost{BilledAverage: s.Billed.Average, BilledSource: s.Billed.Source}
	switch {
	case !s.Config.Known:
		c.Why = "the configuration it ran under is not known"
		return c
	case s.Billed.Source == "":
		c.Why = "no billed duration: neither REPORT lines nor CloudWatch's Duration for its window"
		return c
	}
	c.Known = true
	invocations := s.Requests - min(s.Throttles, s.Requests)
	if secs := s.Elapsed.Seconds(); secs > 0 {
		c.RatePerSecond = float64(invocations) / secs
	}
	c.PerInvocation = s.perInvocation(p)
	c.ProvisionedPerHour = p.ProvisionedPerHour(s.Config.ProvisionedTotal, s.Config.MemoryMB, s.Config.Architecture)
	c.PerMillion = 1e6 * c.PerInvocation
	if c.RatePerSecond > 0 {
		c.PerMillion += c.ProvisionedPerHour / (c.RatePerSecond * 3600) * 1e6
	}
	c.PerMonth = c.PerInvocation*c.RatePerSecond*secondsPerMonth + c.ProvisionedPerHour*HoursPerMonth
	return c
}

// perInvocation blends the on-demand and provisioned duration prices by the
// share of invocations that ran on provisioned concurrency.
func (s RunSummary) perInvocation(p Prices) float64 {
	billedMs := float64(s.Billed.Average) / float64(time.Millisecond)
	onDemand := p.PerInvocation(billedMs, s.Config.MemoryMB, s.Config.Architecture)
	onProvisioned := p.PerInvocationProvisioned(billedMs, s.Config.MemoryMB, s.Config.Architecture)
	share := s.Config.ProvisionedShare
	return (1-share)*onDemand + share*onProvisioned
}

func (s RunSummary) costNotes(p Prices) []string {
	notes := []string{"billed duration from " + s.Billed.Source}
	if s.Billed.Source == SourceCloudWatch {
		notes = append(notes, "CloudWatch's Duration is before rounding up to the millisecond and leaves out INIT billed on cold starts: a little low")
	}
	if s.Config.Provisioned > 0 {
		notes = append(notes, fmt.Sprintf("%.0f%% of invocations on provisioned concurrency (%s)", 100*s.Config.ProvisionedShare, s.Config.ShareSource))
	}
	if _, known := PricesFor(p.Region); !known {
		notes = append(notes, "no price table for "+p.Region+": us-east-1 prices")
	}
	return notes
}
