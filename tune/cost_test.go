package tune

import (
	"math"
	"testing"
)

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.10g, want %.10g (±%g)", what, got, want, tol)
	}
}

// The lab's worked example, computed by hand: one hour at 200 requests/s is
// 720,000 requests; at 128 MB and 91 ms billed that is 720,000 × 0.091 s ×
// 0.125 GB = 8,190 GB-s, × $0.0000166667 = $0.1365; requests $0.144.
func TestCostLabHourByHand(t *testing.T) {
	p := DefaultPrices()
	near(t, "GB-s of one 91 ms invocation at 128 MB", GBSeconds(91, 128), 0.011375, 1e-12)
	near(t, "hour of duration", 720000*GBSeconds(91, 128)*p.Duration[ArchX86], 0.13650027, 1e-6)
	near(t, "hour of requests", 720000*p.RequestsPerMillion/1e6, 0.144, 1e-12)
	// Per 1M: $0.20 + 1e6 × 0.011375 × 0.0000166667 = $0.20 + $0.18958 = $0.38958.
	near(t, "per 1M at 128 MB", p.PerMillion(91, 128, ArchX86), 0.3895837, 1e-6)
	// 3008 MB at 13 ms: 1e6 × 0.013 × 2.9375 = 38,187.5 GB-s × 0.0000166667 = $0.63646 + $0.20.
	near(t, "per 1M at 3008 MB", p.PerMillion(13, 3008, ArchX86), 0.8364596, 1e-6)
	// arm64 duration is $0.0000133334: 1e6 × 0.011375 × 0.0000133334 = $0.15167 + $0.20.
	near(t, "per 1M at 128 MB arm64", p.PerMillion(91, 128, ArchARM), 0.3516674, 1e-6)
}

// Provisioned concurrency 40 at 128 MB: 40 × 0.125 GB × 3,600 s = 18,000 GB-s
// an hour, × $0.0000041667 = $0.0750; a 730-hour month is $54.75.
func TestCostProvisionedByHand(t *testing.T) {
	p := DefaultPrices()
	near(t, "PC 40 per hour", p.ProvisionedPerHour(40, 128, ArchX86), 0.0750006, 1e-6)
	near(t, "PC 40 per month", p.ProvisionedPerMonth(40, 128, ArchX86), 54.750438, 1e-5)
	// An invocation on PC bills duration at $0.0000097222: 0.011375 × that + $0.0000002.
	near(t, "one 91 ms invocation on PC", p.PerInvocationProvisioned(91, 128, ArchX86), 3.10590e-7, 1e-11)
}

func TestPricesOverride(t *testing.T) {
	p, err := DefaultPrices().Override("duration=0.00002, requests=0.25,provisioned-arm64=0.000003")
	if err != nil {
		t.Fatal(err)
	}
	near(t, "overridden duration", p.Duration[ArchX86], 0.00002, 0)
	near(t, "overridden requests", p.RequestsPerMillion, 0.25, 0)
	near(t, "overridden arm64 PC", p.Provisioned[ArchARM], 0.000003, 0)
	near(t, "default kept", DefaultPrices().Duration[ArchX86], 0.0000166667, 0)
	for _, bad := range []string{"duration", "duration=abc", "duration=-1", "colour=1", "requests-arm64=1"} {
		if _, err := DefaultPrices().Override(bad); err == nil {
			t.Errorf("Override(%q) accepted", bad)
		}
	}
	if _, known := PricesFor("eu-west-1"); known {
		t.Error("eu-west-1 claimed known")
	}
}

func TestDollars(t *testing.T) {
	for v, want := range map[float64]string{0: "$0", 0.0042: "$0.0042", 0.39: "$0.39", 54.75: "$54.75", 1234.4: "$1234"} {
		if got := Dollars(v); got != want {
			t.Errorf("Dollars(%g) = %q, want %q", v, got, want)
		}
	}
}
