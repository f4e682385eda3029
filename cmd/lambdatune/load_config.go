package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/lambdatune/lambdatune/load"
)

// errBadFlags wraps every flag problem of `lambdatune load`; main prefixes
// "lambdatune: ", so the user reads "lambdatune: load: …".
var errBadFlags = errors.New("load")

// validate rejects absurd or contradictory flags in plain words. -H/--host,
// Locust's name for the URL, becomes --url here.
func (o *loadOptions) validate() error {
	if o.host != "" && o.url != "" && o.host != o.url {
		return fmt.Errorf("%w: -H/--host is Locust's name for --url: give one of them", errBadFlags)
	}
	if o.host != "" {
		o.url = o.host
	}
	runTime := time.Duration(o.runTime)
	checks := []struct {
		bad bool
		msg string
	}{
		{o.url == "" && o.function == "" && !o.sandbox, "say what to load: --url URL (or -H URL, as in Locust) for HTTP, --function NAME (Lambda Invoke) or --sandbox (the embedded sandbox's products API)"},
		{o.url != "" && o.function != "", "give either --url or --function, not both"},
		{o.sandbox && (o.url != "" || o.function != ""), "--sandbox loads the embedded sandbox's products API: leave out --url and --function (run `lambdatune sandbox` to Invoke its functions)"},
		{o.usersSet && o.users < 1, fmt.Sprintf("--users must be at least 1 (got %d)", o.users)},
		{o.users > load.MaxUsers, fmt.Sprintf("--users must be at most %d (got %d)", load.MaxUsers, o.users)},
		{o.spawnRate <= 0 || math.IsNaN(o.spawnRate), fmt.Sprintf("--spawn-rate must be a positive number of users per second (got %g)", o.spawnRate)},
		{o.rateSet && (o.rate <= 0 || math.IsNaN(o.rate)), fmt.Sprintf("--rate must be a positive number of requests per second (got %g)", o.rate)},
		{o.rate > load.MaxRate, fmt.Sprintf("--rate must be at most %g requests per second (got %g)", load.MaxRate, o.rate)},
		{o.rateSet && (o.spawnSet || o.waitSet), "--spawn-rate and --wait belong to the closed model; --rate selects the open model: use one or the other"},
		{!o.rateSet && (o.ramp != 0 || o.rampFrom != 0), "--ramp and --ramp-from need --rate"},
		{o.ramp < 0 || o.rampFrom < 0 || o.rampFrom > load.MaxRate, "--ramp and --ramp-from cannot be negative (or above the rate cap)"},
		{runTime <= 0, fmt.Sprintf("--run-time must be positive (got %v)", runTime)},
		{runTime > load.MaxRunTime, fmt.Sprintf("--run-time must be at most %v (got %v)", load.MaxRunTime, runTime)},
		{o.maxRequests < 1 || o.maxRequests > maxMaxRequests, fmt.Sprintf("--max-requests must be between 1 and %d (got %d)", uint64(maxMaxRequests), o.maxRequests)},
		{o.timeout <= 0 || o.timeout > time.Hour, fmt.Sprintf("--timeout must be between 1ms and 1h (got %v)", o.timeout)},
		{o.exitCodeOnError < 0 || o.exitCodeOnError > 255, fmt.Sprintf("--exit-code-on-error must be an exit code from 0 to 255 (got %d)", o.exitCodeOnError)},
		{o.scenario != "products" && o.scenario != "get", fmt.Sprintf("--scenario must be products or get (got %q)", o.scenario)},
		{o.function == "" && o.qualifier != "", "--qualifier applies to --function only"},
		{o.function == "" && o.journal.function == "" && (o.profile != "" || o.region != "" || o.endpointURL != ""), "--profile, --region and --endpoint-url apply to --function (or --journal-function) only"},
		{o.journal.function != "" && o.url == "", "--journal-function names the function behind --url: use it with --url"},
	}
	for _, c := range checks {
		if c.bad {
			return fmt.Errorf("%w: %s", errBadFlags, c.msg)
		}
	}
	return nil
}

// config turns the flags into an engine configuration.
func (o *loadOptions) config(ctx context.Context) (load.Config, error) {
	cfg := load.Config{
		Users: o.users, SpawnRate: o.spawnRate, RunTime: time.Duration(o.runTime),
		MaxRequests: o.maxRequests, Seed: o.seed,
	}
	if cfg.Seed == 0 {
		cfg.Seed = uint64(time.Now().UnixNano())
	}
	if err := o.setModel(&cfg); err != nil {
		return cfg, err
	}
	target, err := o.target(ctx, cfg.Users)
	if err != nil {
		return cfg, err
	}
	cfg.Target, cfg.Scenario = target, o.newScenario()
	return cfg, nil
}

func (o *loadOptions) setModel(cfg *load.Config) error {
	if !o.rateSet {
		if !o.usersSet {
			cfg.Users = 1
		}
		wait, err := load.ParseWaitTime(o.wait)
		if err != nil {
			return fmt.Errorf("%w: --wait %w", errBadFlags, err)
		}
		cfg.Wait = wait
		return nil
	}
	if !o.usersSet {
		cfg.Users = defaultOpenWorkers
	}
	cfg.Pacer = load.ConstantRate{Freq: int(math.Round(o.rate * 1000)), Per: 1000 * time.Second}
	if o.ramp > 0 {
		cfg.Pacer = load.LinearRate{Start: o.rampFrom, End: o.rate, Ramp: o.ramp}
	}
	return nil
}

func (o *loadOptions) target(ctx context.Context, connections int) (load.Target, error) {
	if o.url != "" {
		target, err := load.NewHTTPTarget(o.url, load.HTTPOptions{Timeout: o.timeout, Header: o.header})
		if err != nil {
			return nil, fmt.Errorf("%w: --url %w", errBadFlags, err)
		}
		return target, nil
	}
	client, err := newInvokeClient(ctx, o, connections)
	if err != nil {
		return nil, err
	}
	return load.NewInvokeTarget(client, o.function, o.qualifier), nil
}

func (o *loadOptions) newScenario() load.Scenario {
	if o.scenario == "get" {
		return load.GetScenario{Label: o.urlPath()}
	}
	return load.NewProductsScenario(load.DefaultProductWeights)
}

// urlPath names the get scenario's endpoint after the URL's path, as Locust does.
func (o *loadOptions) urlPath() string {
	if o.url == "" {
		return "/"
	}
	target, err := load.NewHTTPTarget(o.url, load.HTTPOptions{})
	if err != nil {
		return "/"
	}
	return target.Path()
}
