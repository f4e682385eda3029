package tune

import (
	"fmt"
	"math"
	"time"
)

// Strategy is how a sweep picks its setting, as AWS Lambda Power Tuning's
// strategy input does [S97].
type Strategy string

// The strategies.
const (
	StrategyCost     Strategy = "cost"
	StrategySpeed    Strategy = "speed"
	StrategyBalanced Strategy = "balanced"
)

// DefaultPercentile is the latency percentile speed is judged by.
const DefaultPercentile = "p95"

// ChoiceOptions say how to choose.
type ChoiceOptions struct {
	Strategy Strategy `json:"strategy"`
	// Percentile is p50, p95 or p99 of the client's latency.
	Percentile string `json:"percentile"`
	// Weight is balanced's weight of cost, 0 to 1: 0 chooses as speed does,
	// 1 as cost does (Power Tuning's balancedWeight [S97]).
	Weight float64 `json:"weight"`
}

// DefaultChoice is cost at p95 with an even balance.
func DefaultChoice() ChoiceOptions {
	return ChoiceOptions{Strategy: StrategyCost, Percentile: DefaultPercentile, Weight: 0.5}
}

// Validate checks the options in words.
func (o ChoiceOptions) Validate() error {
	switch o.Strategy {
	case StrategyCost, StrategySpeed, StrategyBalanced:
	default:
		return fmt.Errorf("%w: strategy %q: choose cost, speed or balanced", ErrBadSweep, o.Strategy)
	}
	switch o.Percentile {
	case "p50", "p95", "p99":
	default:
		return fmt.Errorf("%w: percentile %q: choose p50, p95 or p99", ErrBadSweep, o.Percentile)
	}
	if o.Weight < 0 || o.Weight > 1 || math.IsNaN(o.Weight) {
		return fmt.Errorf("%w: weight %g: it is between 0 (speed only) and 1 (cost only)", ErrBadSweep, o.Weight)
	}
	return nil
}

// Choice is the setting a sweep picked, and why.
type Choice struct {
	// Index is the chosen step, -1 when none could be chosen.
	Index        int    `json:"index"`
	MemoryMB     int32  `json:"memory_mb,omitempty"`
	Architecture string `json:"architecture,omitempty"`
	Why          string `json:"why"`
}

// Found reports whether a step was chosen.
func (c Choice) Found() bool { return c.Index >= 0 }

// latency is the step's client latency at the percentile.
func (s SweepStep) latency(percentile string) time.Duration {
	switch percentile {
	case "p50":
		return s.P50
	case "p99":
		return s.P99
	}
	return s.P95
}

// Eligible reports whether a step may be chosen: it completed requests,
// none failed or was throttled, and its cost is known. A step with errors
// is never chosen, by any strategy.
func (s SweepStep) Eligible() bool {
	return s.Requests > 0 && s.Failures == 0 && s.Throttles == 0 && s.CostKnown && s.Error == ""
}

// Choose picks a step by the options: the cheapest per 1M invocations
// (cost), the lowest latency at the percentile (speed), or the lowest
// weighted sum of both, each divided by its largest value among the
// eligible steps (balanced). Ties go to the lower memory.
func Choose(steps []SweepStep, o ChoiceOptions) Choice {
	score, unit := o.scorer(steps)
	best, excluded := -1, 0
	for i, s := range steps {
		if !s.Eligible() {
			excluded++
			continue
		}
		if best < 0 || score(s) < score(steps[best]) ||
			(score(s) == score(steps[best]) && s.MemoryMB < steps[best].MemoryMB) {
			best = i
		}
	}
	if best < 0 {
		return Choice{Index: -1, Why: "no step can be chosen: every step had errors, throttles or no completed requests"}
	}
	s := steps[best]
	why := fmt.Sprintf("%s: %d MB has the lowest %s", o.Strategy, s.MemoryMB, unit(s))
	if excluded > 0 {
		why += fmt.Sprintf("; %d step(s) with errors or throttles were not considered", excluded)
	}
	return Choice{Index: best, MemoryMB: s.MemoryMB, Architecture: s.Architecture, Why: why}
}

// scorer returns the number a strategy minimises and how to say it.
func (o ChoiceOptions) scorer(steps []SweepStep) (func(SweepStep) float64, func(SweepStep) string) {
	cost := func(s SweepStep) float64 { return roundTo(s.PerMillion, 1e-6) }
	latency := func(s SweepStep) float64 { return float64(s.latency(o.Percentile).Round(time.Microsecond)) }
	switch o.Strategy {
	case StrategySpeed:
		return latency, func(s SweepStep) string {
			return fmt.Sprintf("%s latency (%s)", o.Percentile, fmtMillis(s.latency(o.Percentile)))
		}
	case StrategyBalanced:
		maxCost, maxLatency := 0.0, 0.0
		for _, s := range steps {
			if s.Eligible() {
				maxCost, maxLatency = math.Max(maxCost, cost(s)), math.Max(maxLatency, latency(s))
			}
		}
		score := func(s SweepStep) float64 {
			return roundTo(o.Weight*ratio(cost(s), maxCost)+(1-o.Weight)*ratio(latency(s), maxLatency), 1e-9)
		}
		return score, func(s SweepStep) string {
			return fmt.Sprintf("weighted score %.3f (cost weight %g: %s per 1M, %s %s; each divided by the largest among the steps)",
				score(s), o.Weight, Dollars(s.PerMillion), o.Percentile, fmtMillis(s.latency(o.Percentile)))
		}
	}
	return cost, func(s SweepStep) string { return fmt.Sprintf("cost per 1M invocations (%s)", Dollars(s.PerMillion)) }
}

func ratio(v, largest float64) float64 {
	if largest <= 0 {
		return 0
	}
	return v / largest
}

func roundTo(v, unit float64) float64 { return math.Round(v/unit) * unit }

func fmtMillis(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}
