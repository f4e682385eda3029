package tune

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// RunSettings is the load a run drove. Two runs are comparable when they
// drove the same load at the same target: every field but the seed and the
// header names agrees.
type RunSettings struct {
	Target    string  `json:"target"`
	Scenario  string  `json:"scenario"`
	Model     string  `json:"model"` // closed (users) or open (rate)
	Users     int     `json:"users"`
	SpawnRate float64 `json:"spawn_rate,omitempty"`
	Wait      string  `json:"wait,omitempty"`
	Rate      string  `json:"rate,omitempty"`
	// RunTime and MaxRequests are the run's bounds, not how long it ran.
	RunTime     time.Duration `json:"run_time_ns"`
	MaxRequests uint64        `json:"max_requests"`
	Seed        uint64        `json:"seed"`
	// HeaderNames are the names of the request headers sent; their values
	// (API keys, tokens) are never kept.
	HeaderNames []string `json:"header_names,omitempty"`
	// Adjusted lists the changes of users or rate made while the run went
	// on ("users 110 at 0:42"); a run adjusted mid-way drove another load.
	Adjusted string `json:"adjusted,omitempty"`
}

// settingField is one compared setting: its name and how it is written.
type settingField struct {
	name string
	text func(RunSettings) string
}

var comparedSettings = []settingField{
	{"target", func(s RunSettings) string { return s.Target }},
	{"scenario", func(s RunSettings) string { return s.Scenario }},
	{"model", func(s RunSettings) string { return s.Model }},
	{"users", func(s RunSettings) string { return strconv.Itoa(s.Users) }},
	{"spawn rate", func(s RunSettings) string { return strconv.FormatFloat(s.SpawnRate, 'g', -1, 64) + "/s" }},
	{"wait", func(s RunSettings) string { return s.Wait }},
	{"rate", func(s RunSettings) string { return s.Rate }},
	{"run time", func(s RunSettings) string { return s.RunTime.String() }},
	{"request cap", func(s RunSettings) string { return strconv.FormatUint(s.MaxRequests, 10) }},
	{"adjusted mid-run", func(s RunSettings) string { return s.Adjusted }},
}

// Differences lists how other's load differs from s's, "users 100 → 50" each.
func (s RunSettings) Differences(other RunSettings) []string {
	var out []string
	for _, f := range comparedSettings {
		if a, b := f.text(s), f.text(other); a != b {
			out = append(out, fmt.Sprintf("%s %s → %s", f.name, orNone(a), orNone(b)))
		}
	}
	return out
}

// Comparable reports whether the two runs drove the same load: the fields
// Differences compares, compared without writing them out (pairing asks
// this of every candidate pair).
func (s RunSettings) Comparable(other RunSettings) bool {
	return s.Target == other.Target && s.Scenario == other.Scenario && s.Model == other.Model &&
		s.Users == other.Users && s.SpawnRate == other.SpawnRate && s.Wait == other.Wait && s.Rate == other.Rate &&
		s.RunTime == other.RunTime && s.MaxRequests == other.MaxRequests && s.Adjusted == other.Adjusted
}

// Describe is the load in a line: "100 users (spawn 3/s, wait between(…)) for 3m0s → sandbox/Prod".
func (s RunSettings) Describe() string {
	spawn := fmt.Sprintf("spawn %g/s", s.SpawnRate)
	if s.SpawnRate == 0 {
		spawn = "all started at once"
	}
	model := fmt.Sprintf("%d users (%s, wait %s)", s.Users, spawn, orNone(s.Wait))
	if s.Model == "open" {
		model = fmt.Sprintf("open model at %s (up to %d connections)", s.Rate, s.Users)
	}
	return fmt.Sprintf("%s scenario, %s for %v → %s", s.Scenario, model, s.RunTime, s.Target)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// SandboxTarget names a URL of the embedded sandbox without its host and
// port, which change every time the sandbox starts: "sandbox/Prod". Runs on
// two sandbox sessions then compare as the same target. Any other target is
// returned as it is.
func SandboxTarget(target string) string {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return target
	}
	ip := net.ParseIP(u.Hostname())
	if u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return target
	}
	return "sandbox" + strings.TrimSuffix(u.EscapedPath(), "/")
}
