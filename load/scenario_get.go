package load

import "context"

// GetScenario sends GET to the target URL as given, over and over: the plain
// scenario (`--scenario get`) and the one the benchmarks use.
type GetScenario struct {
	// Path is appended to the target's base URL; empty sends to the URL itself.
	Path string
	// Label names the endpoint in the statistics; empty uses Path (or "/").
	Label string
}

// Name implements Scenario.
func (g GetScenario) Name() string { return "get" }

// Endpoints implements Scenario: one endpoint, named by its path as Locust does.
func (g GetScenario) Endpoints() []Endpoint {
	name := g.Label
	if name == "" {
		name = g.Path
	}
	if name == "" {
		name = "/"
	}
	return []Endpoint{{Method: "GET", Name: name}}
}

// Tasks implements Scenario. The request is built once and reused: the hot
// path of the benchmark allocates nothing.
func (g GetScenario) Tasks() []Task {
	req := &Request{Method: "GET", Path: g.Path, Resource: g.Endpoints()[0].Name}
	return []Task{{Name: "get", Weight: 1, Run: func(ctx context.Context, u *User) {
		u.Do(ctx, req)
	}}}
}
