package tune_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/tune"
)

func handStep(mb int32, p95ms float64, perMillion float64) tune.SweepStep {
	d := time.Duration(p95ms * float64(time.Millisecond))
	return tune.SweepStep{MemoryMB: mb, Architecture: "x86_64", Requests: 100, P50: d / 2, P95: d, P99: d * 2,
		CostKnown: true, PerMillion: perMillion}
}

func TestChooseByStrategy(t *testing.T) {
	steps := []tune.SweepStep{
		handStep(128, 90, 0.40), handStep(512, 25, 0.60), handStep(1024, 14, 0.70), handStep(2048, 12, 1.10),
	}
	cases := []struct {
		opts tune.ChoiceOptions
		want int32
	}{
		{tune.ChoiceOptions{Strategy: tune.StrategyCost, Percentile: "p95"}, 128},
		{tune.ChoiceOptions{Strategy: tune.StrategySpeed, Percentile: "p95"}, 2048},
		// cost weight 0.5: 128 → 0.5·0.40/1.10+0.5·90/90 = 0.68; 512 → 0.41; 1024 → 0.40; 2048 → 0.57
		{tune.ChoiceOptions{Strategy: tune.StrategyBalanced, Percentile: "p95", Weight: 0.5}, 1024},
		{tune.ChoiceOptions{Strategy: tune.StrategyBalanced, Percentile: "p95", Weight: 1}, 128},
		{tune.ChoiceOptions{Strategy: tune.StrategyBalanced, Percentile: "p95", Weight: 0}, 2048},
	}
	for _, c := range cases {
		got := tune.Choose(steps, c.opts)
		if !got.Found() || got.MemoryMB != c.want {
			t.Errorf("%s weight %g: chose %d MB (%s), want %d MB", c.opts.Strategy, c.opts.Weight, got.MemoryMB, got.Why, c.want)
		}
		if !strings.Contains(got.Why, string(c.opts.Strategy)) {
			t.Errorf("why %q does not name the strategy", got.Why)
		}
	}
}

// A step with errors is never chosen by speed, however fast it was.
func TestChooseSpeedNeverPicksAStepWithErrors(t *testing.T) {
	fastButFailing := handStep(3008, 5, 1.5)
	fastButFailing.Failures = 1
	throttled := handStep(2048, 6, 1.2)
	throttled.Throttles = 3
	steps := []tune.SweepStep{handStep(128, 90, 0.4), handStep(1024, 14, 0.7), throttled, fastButFailing}
	got := tune.Choose(steps, tune.ChoiceOptions{Strategy: tune.StrategySpeed, Percentile: "p95"})
	if got.MemoryMB != 1024 {
		t.Fatalf("speed chose %d MB (%s), want 1024 MB: 2048 was throttled and 3008 had an error", got.MemoryMB, got.Why)
	}
	if !strings.Contains(got.Why, "2 step(s) with errors") {
		t.Fatalf("why %q does not say steps were left out", got.Why)
	}
}

// Ties go to the lower memory, whatever the order of the steps.
func TestChooseTiesGoToTheLowerMemory(t *testing.T) {
	steps := []tune.SweepStep{handStep(1536, 12, 0.9), handStep(1024, 12, 0.9), handStep(2048, 12, 0.9)}
	for _, s := range []tune.Strategy{tune.StrategyCost, tune.StrategySpeed, tune.StrategyBalanced} {
		got := tune.Choose(steps, tune.ChoiceOptions{Strategy: s, Percentile: "p95", Weight: 0.5})
		if got.MemoryMB != 1024 {
			t.Errorf("%s chose %d MB on a tie, want 1024", s, got.MemoryMB)
		}
	}
}

func TestChooseByTheAskedPercentile(t *testing.T) {
	a, b := handStep(512, 20, 0.5), handStep(1024, 30, 0.7)
	a.P99, b.P99 = 200*time.Millisecond, 40*time.Millisecond // a has a long tail
	steps := []tune.SweepStep{a, b}
	if got := tune.Choose(steps, tune.ChoiceOptions{Strategy: tune.StrategySpeed, Percentile: "p95"}); got.MemoryMB != 512 {
		t.Fatalf("p95 chose %d", got.MemoryMB)
	}
	if got := tune.Choose(steps, tune.ChoiceOptions{Strategy: tune.StrategySpeed, Percentile: "p99"}); got.MemoryMB != 1024 {
		t.Fatalf("p99 chose %d", got.MemoryMB)
	}
}

func TestChooseNothingWhenEveryStepFailed(t *testing.T) {
	s := handStep(128, 10, 0.1)
	s.Failures = 100
	got := tune.Choose([]tune.SweepStep{s}, tune.DefaultChoice())
	if got.Found() || !strings.Contains(got.Why, "no step") {
		t.Fatalf("chose %+v", got)
	}
}

func TestParseMemoryListRefusesInWords(t *testing.T) {
	cases := map[string]string{
		"128,64":    "128",
		"128,abc":   "whole number",
		"128,128":   "twice",
		"":          "empty",
		"256,10241": "10240",
		"128.5,256": "whole number",
	}
	for in, word := range cases {
		_, err := tune.ParseMemoryList(in)
		if err == nil || !errors.Is(err, tune.ErrBadSweep) || !strings.Contains(err.Error(), word) {
			t.Errorf("ParseMemoryList(%q) = %v, want an error saying %q", in, err, word)
		}
	}
	got, err := tune.ParseMemoryList("128, 256MB,3008")
	if err != nil || len(got) != 3 || got[1] != 256 {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestChoiceOptionsValidate(t *testing.T) {
	bad := []tune.ChoiceOptions{
		{Strategy: "cheap", Percentile: "p95"},
		{Strategy: tune.StrategyCost, Percentile: "p90"},
		{Strategy: tune.StrategyBalanced, Percentile: "p95", Weight: 1.5},
	}
	for _, o := range bad {
		if err := o.Validate(); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}
