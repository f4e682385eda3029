package tune

import (
	"testing"
	"time"
)

func reportRun(memory int32, arch string, billed time.Duration, invocations uint64, elapsed time.Duration) RunRecord {
	return RunRecord{
		Elapsed: elapsed, ConfigKnown: true, Config: FunctionConfig{MemoryMB: memory, Architecture: arch},
		Total: EndpointRecord{Requests: invocations, Server: &ServerRecord{Invocations: invocations, AverageBilled: billed}},
	}
}

// The lab's hour at 128 MB, by hand: one invocation is $0.20/1M +
// 0.091 s × 0.125 GB × $0.0000166667 = $0.0000002 + $0.00000018958 =
// $0.00000038958, so $0.38958 per 1M; at 200/s a 730-hour month is
// 525,600,000 invocations, $204.765.
func TestRunCostOnDemandByHand(t *testing.T) {
	c := reportRun(128, ArchX86, 91*time.Millisecond, 720_000, time.Hour).Summary().Cost(DefaultPrices())
	if !c.Known || c.BilledSource != SourceReport {
		t.Fatalf("cost = %+v", c)
	}
	near(t, "rate", c.RatePerSecond, 200, 1e-9)
	near(t, "per invocation", c.PerInvocation, 3.8958370e-7, 1e-13)
	near(t, "per 1M", c.PerMillion, 0.3895837, 1e-6)
	near(t, "per month", c.PerMonth, 204.76519, 1e-4)
	near(t, "no provisioned capacity", c.ProvisionedPerHour, 0, 0)
}

// Provisioned concurrency 40 on live at 128 MB, every invocation on it: one
// invocation is $0.0000002 + 0.011375 GB-s × $0.0000097222 = $0.00000031059;
// the capacity is 40 × 0.125 GB × 3,600 s × $0.0000041667 = $0.0750006 an
// hour, which at 720,000 invocations an hour adds $0.104168 per 1M:
// $0.414758 per 1M; a month is $163.246 + $54.750 = $217.997.
func TestRunCostProvisionedByHand(t *testing.T) {
	rec := reportRun(128, ArchX86, 91*time.Millisecond, 720_000, time.Hour)
	rec.Config.Provisioned = []ProvisionedConfig{{Qualifier: "live", Requested: 40}}
	s := rec.Summary()
	if s.Config.Provisioned != 40 || s.Config.ProvisionedShare != 1 || s.Config.ShareSource != ShareAssumedAll {
		t.Fatalf("config = %+v (the only alias with provisioned concurrency stands for an unknown qualifier)", s.Config)
	}
	c := s.Cost(DefaultPrices())
	near(t, "per invocation", c.PerInvocation, 3.1059003e-7, 1e-13)
	near(t, "capacity per hour", c.ProvisionedPerHour, 0.0750006, 1e-7)
	near(t, "per 1M", c.PerMillion, 0.4147575, 1e-6)
	near(t, "per month", c.PerMonth, 217.99650, 1e-4)
}

// arm64 at 1,024 MB (1 GB), 50 ms from CloudWatch's average Duration, 1,100
// requests of which 100 throttled in 10 s (100 invocations/s), a quarter of
// them spilling over provisioned concurrency 10: on demand one is $0.0000002 +
// 0.05 × $0.0000133334 = $0.00000086667, on provisioned $0.0000002 + 0.05 ×
// $0.0000077778 = $0.00000058889; blended ¼ and ¾: $0.000000658335. Capacity
// 10 × 1 GB × 3,600 × $0.0000033334 = $0.1200024 an hour, $0.33334 per 1M at
// 360,000 an hour: $0.991675 per 1M.
func TestRunCostSpilloverAndThrottlesByHand(t *testing.T) {
	ms, inv, spill := 50.0, 1000.0, 250.0
	rec := RunRecord{
		Elapsed: 10 * time.Second, Qualifier: "live", ConfigKnown: true,
		Config:     FunctionConfig{MemoryMB: 1024, Architecture: ArchARM, Provisioned: []ProvisionedConfig{{Qualifier: "live", Requested: 10}}},
		Total:      EndpointRecord{Requests: 1100, Throttles: 100},
		CloudWatch: &CloudWatchView{DurationAverageMs: &ms, Invocations: &inv, SpilloverInvocations: &spill},
	}
	c := rec.Summary().Cost(DefaultPrices())
	if c.BilledSource != SourceCloudWatch {
		t.Errorf("billed source = %q", c.BilledSource)
	}
	near(t, "rate (throttles are not invocations)", c.RatePerSecond, 100, 1e-9)
	near(t, "blended per invocation", c.PerInvocation, 6.58335e-7, 1e-13)
	near(t, "capacity per hour", c.ProvisionedPerHour, 0.1200024, 1e-7)
	near(t, "per 1M", c.PerMillion, 0.991675, 1e-6)
}

func TestRunCostUnknownWithoutBilledDurationOrConfig(t *testing.T) {
	rec := RunRecord{Elapsed: time.Second, ConfigKnown: true, Config: FunctionConfig{MemoryMB: 128}, Total: EndpointRecord{Requests: 10}}
	if c := rec.Summary().Cost(DefaultPrices()); c.Known || c.Why == "" {
		t.Errorf("no billed duration: cost = %+v", c)
	}
	rec = reportRun(128, ArchX86, time.Millisecond, 10, time.Second)
	rec.ConfigKnown = false
	if c := rec.Summary().Cost(DefaultPrices()); c.Known {
		t.Errorf("no configuration: cost = %+v", c)
	}
}

func TestRunCostUsesOverriddenPrices(t *testing.T) {
	p, err := DefaultPrices().Override("requests=1,duration=0.00002")
	if err != nil {
		t.Fatal(err)
	}
	// $1/1M + 1e6 × 0.1 s × 0.5 GB × $0.00002 = $1 + $1 = $2 per 1M.
	c := reportRun(512, ArchX86, 100*time.Millisecond, 1000, time.Second).Summary().Cost(p)
	near(t, "per 1M", c.PerMillion, 2, 1e-9)
}
