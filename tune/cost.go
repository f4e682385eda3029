package tune

import (
	"fmt"
	"strconv"
	"strings"
)

// Prices is Lambda's price list for one region, in US dollars. The defaults
// are AWS's published on-demand prices for us-east-1 and us-west-2 (first
// duration tier), sourced in docs/cost.md; a user can override any of them.
type Prices struct {
	Region string
	// RequestsPerMillion is the charge per million requests.
	RequestsPerMillion float64
	// Duration is the on-demand charge per GB-second, by architecture.
	Duration map[string]float64
	// Provisioned is the charge per GB-second of provisioned concurrency
	// configured, whether used or not.
	Provisioned map[string]float64
	// ProvisionedDuration is the (lower) duration charge per GB-second of
	// invocations that run on provisioned concurrency.
	ProvisionedDuration map[string]float64
}

// Architectures Lambda offers, as the API names them.
const (
	ArchX86 = "x86_64"
	ArchARM = "arm64"
)

// HoursPerMonth is the month AWS's pricing examples and calculator use.
const HoursPerMonth = 730

// DefaultPrices is the us-east-1 price list (us-west-2 is the same).
func DefaultPrices() Prices {
	return Prices{
		Region:              "us-east-1",
		RequestsPerMillion:  0.20,
		Duration:            map[string]float64{ArchX86: 0.0000166667, ArchARM: 0.0000133334},
		Provisioned:         map[string]float64{ArchX86: 0.0000041667, ArchARM: 0.0000033334},
		ProvisionedDuration: map[string]float64{ArchX86: 0.0000097222, ArchARM: 0.0000077778},
	}
}

// PricesFor returns the price list for region; known is false when lambdatune
// has no table for it and the us-east-1 prices stand in.
func PricesFor(region string) (p Prices, known bool) {
	p = DefaultPrices()
	switch region {
	case "us-east-1", "us-west-2", "":
		if region != "" {
			p.Region = region
		}
		return p, true
	}
	return p, false
}

// GBSeconds is the compute a duration uses at a memory size: Lambda bills
// memory in GB of 1,024 MB.
func GBSeconds(billedMillis float64, memoryMB int32) float64 {
	return billedMillis / 1000 * float64(memoryMB) / 1024
}

// PerInvocation is the cost of one on-demand invocation billed for billedMillis.
func (p Prices) PerInvocation(billedMillis float64, memoryMB int32, arch string) float64 {
	return p.RequestsPerMillion/1e6 + GBSeconds(billedMillis, memoryMB)*p.rate(p.Duration, arch)
}

// PerInvocationProvisioned is the cost of one invocation that ran on
// provisioned concurrency (the capacity itself is charged apart).
func (p Prices) PerInvocationProvisioned(billedMillis float64, memoryMB int32, arch string) float64 {
	return p.RequestsPerMillion/1e6 + GBSeconds(billedMillis, memoryMB)*p.rate(p.ProvisionedDuration, arch)
}

// PerMillion is the cost of a million on-demand invocations of that duration.
func (p Prices) PerMillion(billedMillis float64, memoryMB int32, arch string) float64 {
	return 1e6 * p.PerInvocation(billedMillis, memoryMB, arch)
}

// ProvisionedPerHour is the charge for keeping n environments of memoryMB
// provisioned for an hour, used or not.
func (p Prices) ProvisionedPerHour(n int32, memoryMB int32, arch string) float64 {
	return float64(n) * float64(memoryMB) / 1024 * 3600 * p.rate(p.Provisioned, arch)
}

// ProvisionedPerMonth is ProvisionedPerHour over a 730-hour month.
func (p Prices) ProvisionedPerMonth(n int32, memoryMB int32, arch string) float64 {
	return p.ProvisionedPerHour(n, memoryMB, arch) * HoursPerMonth
}

// rate reads a per-architecture price; an unknown architecture is priced as x86_64.
func (p Prices) rate(table map[string]float64, arch string) float64 {
	if v, ok := table[arch]; ok {
		return v
	}
	return table[ArchX86]
}

// priceKeys are the names Override accepts, each with the table and
// architecture it sets.
var priceKeys = []string{"requests", "duration", "duration-arm64", "provisioned", "provisioned-arm64",
	"provisioned-duration", "provisioned-duration-arm64"}

// Override returns p with prices replaced from spec, a comma-separated list of
// key=value (USD): requests (per 1M), duration, provisioned and
// provisioned-duration (per GB-second, x86_64), each with an -arm64 twin.
func (p Prices) Override(spec string) (Prices, error) {
	out := p.clone()
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		key, value, ok := strings.Cut(item, "=")
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if !ok || err != nil || v < 0 {
			return p, fmt.Errorf("price %q: want key=dollars with a number ≥ 0, e.g. duration=0.0000166667", item)
		}
		if !out.set(strings.TrimSpace(key), v) {
			return p, fmt.Errorf("price %q: unknown key %q (known: %s)", item, key, strings.Join(priceKeys, ", "))
		}
	}
	return out, nil
}

func (p *Prices) set(key string, v float64) bool {
	arch := ArchX86
	if base, ok := strings.CutSuffix(key, "-arm64"); ok {
		key, arch = base, ArchARM
	}
	switch key {
	case "requests":
		if arch != ArchX86 {
			return false
		}
		p.RequestsPerMillion = v
	case "duration":
		p.Duration[arch] = v
	case "provisioned":
		p.Provisioned[arch] = v
	case "provisioned-duration":
		p.ProvisionedDuration[arch] = v
	default:
		return false
	}
	return true
}

func (p Prices) clone() Prices {
	cp := p
	cp.Duration, cp.Provisioned, cp.ProvisionedDuration = cloneMap(p.Duration), cloneMap(p.Provisioned), cloneMap(p.ProvisionedDuration)
	return cp
}

func cloneMap(m map[string]float64) map[string]float64 {
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Dollars writes an amount the way the screens show money: enough digits to
// tell small amounts apart, no more.
func Dollars(v float64) string {
	switch {
	case v == 0:
		return "$0"
	case v < 0.01:
		return fmt.Sprintf("$%.4f", v)
	case v < 100:
		return fmt.Sprintf("$%.2f", v)
	}
	return fmt.Sprintf("$%.0f", v)
}
