package tune

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lambdatune/lambdatune/aws"
)

// FunctionConfig is the part of a function's configuration that tuning
// changes and that decides its latency and cost: what a change record keeps
// before and after, and what a run ran under. It holds no environment
// variables, names or values: those are secrets and never leave aws.
type FunctionConfig struct {
	MemoryMB     int32  `json:"memory_mb"`
	Architecture string `json:"architecture"`
	TimeoutSec   int32  `json:"timeout_sec"`
	Runtime      string `json:"runtime"`
	// Reserved is nil when the function draws on the unreserved pool.
	Reserved    *int32              `json:"reserved,omitempty"`
	Provisioned []ProvisionedConfig `json:"provisioned,omitempty"`
	Aliases     []AliasConfig       `json:"aliases,omitempty"`
}

// ProvisionedConfig is provisioned concurrency requested on one qualifier.
type ProvisionedConfig struct {
	Qualifier string `json:"qualifier"`
	Requested int32  `json:"requested"`
	Status    string `json:"status,omitempty"`
}

// AliasConfig is an alias and the version it points at.
type AliasConfig struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// ConfigOf takes the tuning configuration out of a function's detail.
func ConfigOf(d aws.FunctionDetail) FunctionConfig {
	cfg := FunctionConfig{
		MemoryMB: d.MemoryMB, Architecture: d.Architecture, TimeoutSec: d.TimeoutSec, Runtime: d.Runtime,
	}
	if r := d.Concurrency.Reserved; r != nil {
		v := *r
		cfg.Reserved = &v
	}
	for _, p := range d.Concurrency.Provisioned {
		cfg.Provisioned = append(cfg.Provisioned, ProvisionedConfig{Qualifier: p.Qualifier, Requested: p.Requested, Status: p.Status})
	}
	for _, a := range d.Aliases {
		cfg.Aliases = append(cfg.Aliases, AliasConfig{Name: a.Name, Version: a.Version})
	}
	slices.SortFunc(cfg.Provisioned, func(a, b ProvisionedConfig) int { return strings.Compare(a.Qualifier, b.Qualifier) })
	slices.SortFunc(cfg.Aliases, func(a, b AliasConfig) int { return strings.Compare(a.Name, b.Name) })
	return cfg
}

// ProvisionedOn is the provisioned concurrency requested on qualifier (0 when none).
func (c FunctionConfig) ProvisionedOn(qualifier string) int32 {
	for _, p := range c.Provisioned {
		if p.Qualifier == qualifier {
			return p.Requested
		}
	}
	return 0
}

// ProvisionedTotal is the provisioned concurrency over every qualifier.
func (c FunctionConfig) ProvisionedTotal() int32 {
	var n int32
	for _, p := range c.Provisioned {
		n += p.Requested
	}
	return n
}

// AliasVersion is the version alias points at, and whether the alias exists.
func (c FunctionConfig) AliasVersion(alias string) (string, bool) {
	for _, a := range c.Aliases {
		if a.Name == alias {
			return a.Version, true
		}
	}
	return "", false
}

// ReservedText is the reserved concurrency as the screens write it.
func (c FunctionConfig) ReservedText() string {
	if c.Reserved == nil {
		return "none"
	}
	return strconv.Itoa(int(*c.Reserved))
}

// Summary is the configuration in one line: "128 MB · x86_64 · reserved none · provisioned 40 on live".
func (c FunctionConfig) Summary() string {
	parts := []string{fmt.Sprintf("%d MB", c.MemoryMB), c.Architecture, "reserved " + c.ReservedText()}
	if len(c.Provisioned) == 0 {
		parts = append(parts, "provisioned none")
	}
	for _, p := range c.Provisioned {
		parts = append(parts, fmt.Sprintf("provisioned %d on %s", p.Requested, p.Qualifier))
	}
	return strings.Join(parts, " · ")
}

// Diff lists what differs from c to next, one "field old → new" line each.
func (c FunctionConfig) Diff(next FunctionConfig) []string {
	var out []string
	if c.MemoryMB != next.MemoryMB {
		out = append(out, fmt.Sprintf("memory %d MB → %d MB", c.MemoryMB, next.MemoryMB))
	}
	if c.Architecture != next.Architecture {
		out = append(out, fmt.Sprintf("architecture %s → %s", c.Architecture, next.Architecture))
	}
	if c.ReservedText() != next.ReservedText() {
		out = append(out, fmt.Sprintf("reserved concurrency %s → %s", c.ReservedText(), next.ReservedText()))
	}
	for _, q := range qualifiers(c, next) {
		if a, b := c.ProvisionedOn(q), next.ProvisionedOn(q); a != b {
			out = append(out, fmt.Sprintf("provisioned concurrency on %s %s → %s", q, countOrNone(a), countOrNone(b)))
		}
	}
	for _, name := range aliasNames(c, next) {
		a, _ := c.AliasVersion(name)
		b, _ := next.AliasVersion(name)
		if a != b {
			out = append(out, fmt.Sprintf("alias %s %s → %s", name, versionOrNone(a), versionOrNone(b)))
		}
	}
	return out
}

func qualifiers(configs ...FunctionConfig) []string {
	return namesOf(configs, func(c FunctionConfig) []string {
		out := make([]string, len(c.Provisioned))
		for i, p := range c.Provisioned {
			out[i] = p.Qualifier
		}
		return out
	})
}

func aliasNames(configs ...FunctionConfig) []string {
	return namesOf(configs, func(c FunctionConfig) []string {
		out := make([]string, len(c.Aliases))
		for i, a := range c.Aliases {
			out[i] = a.Name
		}
		return out
	})
}

// namesOf is the sorted union of the names each configuration has.
func namesOf(configs []FunctionConfig, names func(FunctionConfig) []string) []string {
	var out []string
	for _, c := range configs {
		for _, n := range names(c) {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	slices.Sort(out)
	return out
}

func countOrNone(n int32) string {
	if n == 0 {
		return "none"
	}
	return strconv.Itoa(int(n))
}

func versionOrNone(v string) string {
	if v == "" {
		return "none"
	}
	return "version " + v
}
