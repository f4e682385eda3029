package tune

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/load"
)

// TargetKind is how a load test reaches the function.
type TargetKind string

// The ways a load test reaches a function.
const (
	TargetHTTP   TargetKind = "http"   // an HTTP API in front of it (API Gateway, a function URL, the sandbox front)
	TargetInvoke TargetKind = "invoke" // Lambda Invoke with API Gateway proxy events
	// TargetPayload is Lambda Invoke with one fixed payload (a sweep's
	// --invokes --payload), the function's own answer read as is.
	TargetPayload TargetKind = "payload"
)

// LoadTarget is where a load test sends its requests, and why there.
type LoadTarget struct {
	Kind      TargetKind
	URL       string // TargetHTTP
	Function  string // TargetInvoke
	Qualifier string // TargetInvoke: alias or version, "" for $LATEST
	// Payload is what TargetPayload sends with every Invoke (a string so
	// that targets compare).
	Payload string
	// Source says how lambdatune found it ("the stack's ProductApiUrl output").
	Source string
}

// String is the target as the load form shows it and the user types it: a
// URL, or "invoke:FUNCTION[:QUALIFIER]".
func (t LoadTarget) String() string {
	if t.Kind == TargetHTTP {
		return t.URL
	}
	prefix := "invoke:"
	if t.Kind == TargetPayload {
		prefix = "payload:"
	}
	s := prefix + t.Function
	if t.Qualifier != "" {
		s += ":" + t.Qualifier
	}
	return s
}

// ParseLoadTarget reads a target the user typed: an http(s) URL, or
// invoke:FUNCTION[:QUALIFIER].
func ParseLoadTarget(s string) (LoadTarget, error) {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "invoke:"); ok {
		name, qualifier, _ := strings.Cut(rest, ":")
		if name == "" {
			return LoadTarget{}, errors.New("invoke: needs a function name, e.g. invoke:my-function:live")
		}
		return LoadTarget{Kind: TargetInvoke, Function: name, Qualifier: qualifier, Source: "typed"}, nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return LoadTarget{}, fmt.Errorf("%q is neither an http(s) URL nor invoke:FUNCTION[:QUALIFIER]", s)
	}
	return LoadTarget{Kind: TargetHTTP, URL: s, Source: "typed"}, nil
}

// FindLoadTarget finds where to load a function, as a user would look: in the
// sandbox the products API in front of the lab's function; on an account the
// function's URL if it has one, else the API URL among the outputs of the
// CloudFormation stack the function belongs to (its aws:cloudformation:
// stack-name tag), else Invoke straight at the function (through its live
// alias when it has one, as the lab's API does).
func (s *Session) FindLoadTarget(ctx context.Context, d aws.FunctionDetail) LoadTarget {
	if s.where.ProductsAPI != "" && d.Name == s.where.ProductsFunction {
		return LoadTarget{Kind: TargetHTTP, URL: s.where.ProductsAPI, Source: "the lab stack's ProductApiUrl"}
	}
	if u, err := s.client.FunctionURL(ctx, d.Name); err == nil && u != "" {
		return LoadTarget{Kind: TargetHTTP, URL: u, Source: "the function URL"}
	}
	if t, ok := s.stackAPI(ctx, d); ok {
		return t
	}
	t := LoadTarget{Kind: TargetInvoke, Function: d.Name, Source: "no API found in front of it: Invoke with API Gateway proxy events"}
	if _, ok := ConfigOf(d).AliasVersion(DefaultAlias); ok {
		t.Qualifier = DefaultAlias
	}
	return t
}

func (s *Session) stackAPI(ctx context.Context, d aws.FunctionDetail) (LoadTarget, bool) {
	tags, err := s.client.Tags(ctx, d.ARN)
	stack := tags[aws.StackTag]
	if err != nil || stack == "" {
		return LoadTarget{}, false
	}
	outputs, err := s.client.StackOutputs(ctx, stack)
	if err != nil {
		return LoadTarget{}, false
	}
	o, ok := aws.APIURLOutput(outputs)
	if !ok {
		return LoadTarget{}, false
	}
	return LoadTarget{Kind: TargetHTTP, URL: o.Value, Source: fmt.Sprintf("stack %s's %s output", stack, o.Key)}, true
}

// Load-test defaults: the lab's Locust run (100 users, spawn rate 3/s, about
// 200 requests/s), bounded in time and requests like `lambdatune load`.
const (
	DefaultUsers       = 100
	DefaultSpawnRate   = 3
	DefaultWait        = "between(0.25s,0.55s)"
	DefaultRunTime     = 3 * time.Minute
	DefaultMaxRequests = 10_000_000
	DefaultRequestWait = 30 * time.Second
)

// LoadSettings is a load test as the console's form asks for it.
type LoadSettings struct {
	Target LoadTarget
	// Scenario is "products" (the lab's CRUD mix) or "get" (GET the URL).
	Scenario string
	// Users, SpawnRate and Wait are the closed model (like Locust).
	Users     int
	SpawnRate float64
	Wait      string
	// Rate, when above 0, selects the open model: that many requests per
	// second whatever the answers take; Users then caps the connections.
	Rate        float64
	RunTime     time.Duration
	MaxRequests uint64
	Seed        uint64
}

// DefaultLoadSettings is the lab's load test against target.
func DefaultLoadSettings(target LoadTarget) LoadSettings {
	return LoadSettings{Target: target, Scenario: "products", Users: DefaultUsers, SpawnRate: DefaultSpawnRate,
		Wait: DefaultWait, RunTime: DefaultRunTime, MaxRequests: DefaultMaxRequests}
}

// ErrBadSettings wraps every load-test setting refused.
var ErrBadSettings = errors.New("load test")

// Validate checks the settings in words a user understands.
func (ls LoadSettings) Validate() error {
	checks := []struct {
		bad bool
		msg string
	}{
		{ls.Users < 1 || ls.Users > load.MaxUsers, fmt.Sprintf("users must be between 1 and %d", load.MaxUsers)},
		{ls.Rate == 0 && (ls.SpawnRate <= 0 || math.IsNaN(ls.SpawnRate)), "spawn rate must be a positive number of users per second"},
		{ls.Rate < 0 || ls.Rate > load.MaxRate || math.IsNaN(ls.Rate), fmt.Sprintf("rate must be between 0 (closed model) and %g requests/s", load.MaxRate)},
		{ls.RunTime <= 0 || ls.RunTime > load.MaxRunTime, fmt.Sprintf("run time must be between 1s and %v", load.MaxRunTime)},
		{ls.Scenario != "products" && ls.Scenario != "get" && (ls.Scenario != "payload" || ls.Target.Kind != TargetPayload), "scenario must be products or get"},
	}
	for _, c := range checks {
		if c.bad {
			return fmt.Errorf("%w: %s", ErrBadSettings, c.msg)
		}
	}
	if ls.Rate == 0 {
		if _, err := load.ParseWaitTime(ls.Wait); err != nil {
			return fmt.Errorf("%w: wait %w", ErrBadSettings, err)
		}
	}
	return nil
}

// Config turns the settings into the engine's configuration, with the
// session's client behind an Invoke target.
func (s *Session) LoadConfig(ls LoadSettings) (load.Config, error) {
	if err := ls.Validate(); err != nil {
		return load.Config{}, err
	}
	cfg := load.Config{Users: ls.Users, SpawnRate: ls.SpawnRate, RunTime: ls.RunTime, MaxRequests: ls.MaxRequests, Seed: ls.Seed}
	if cfg.MaxRequests == 0 {
		cfg.MaxRequests = DefaultMaxRequests
	}
	if cfg.Seed == 0 {
		cfg.Seed = uint64(s.clock.Now().UnixNano())
	}
	if ls.Rate > 0 {
		cfg.Pacer = load.ConstantRate{Freq: int(math.Round(ls.Rate * 1000)), Per: 1000 * time.Second}
	} else {
		cfg.Wait, _ = load.ParseWaitTime(ls.Wait)
	}
	target, label, err := s.loadTarget(ls.Target)
	if err != nil {
		return cfg, err
	}
	cfg.Target = target
	cfg.Scenario = load.NewProductsScenario(load.DefaultProductWeights)
	switch ls.Scenario {
	case "get":
		cfg.Scenario = load.GetScenario{Label: label}
	case "payload":
		cfg.Scenario = load.PayloadScenario{}
	}
	return cfg, nil
}

func (s *Session) loadTarget(t LoadTarget) (load.Target, string, error) {
	switch t.Kind {
	case TargetInvoke:
		return load.NewInvokeTarget(s.client, t.Function, t.Qualifier), "/", nil
	case TargetPayload:
		return load.NewPayloadTarget(s.client, t.Function, t.Qualifier, []byte(t.Payload)), "payload", nil
	}
	target, err := load.NewHTTPTarget(t.URL, load.HTTPOptions{Timeout: DefaultRequestWait})
	if err != nil {
		return nil, "", fmt.Errorf("%w: target %w", ErrBadSettings, err)
	}
	return target, target.Path(), nil
}

// ParseRunTime reads a run time as Locust's -t does: 90s, 5m, 1h30m, or seconds.
func ParseRunTime(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		return time.Duration(secs * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration (try 90s, 5m or 1h30m)", s)
	}
	return d, nil
}
