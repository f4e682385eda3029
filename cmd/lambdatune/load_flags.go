package main

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/lambdatune/lambdatune/load"
)

// loadOptions are the flags of `lambdatune load`.
type loadOptions struct {
	url, host, function, qualifier       string
	profile, region, endpointURL         string
	users, exitCodeOnError               int
	spawnRate, rate, rampFrom            float64
	runTime                              secondsFlag
	ramp, timeout                        time.Duration
	wait, scenario, csvPrefix            string
	maxRequests, seed                    uint64
	jsonOut, sandbox, headless           bool
	failIf, headerLines                  []string
	thresholds                           []load.Threshold
	header                               http.Header
	usersSet, spawnSet, waitSet, rateSet bool
	journal                              loadJournal // load_journal.go
}

func addLoadFlags(cmd *cobra.Command, o *loadOptions) {
	f := cmd.Flags()
	f.StringVar(&o.url, "url", "", "base URL to load (http:// or https://)")
	f.StringVarP(&o.host, "host", "H", "", "Locust's name for --url")
	f.BoolVar(&o.sandbox, "sandbox", false, "start the embedded sandbox and load its products API (the lab's stack, at 128 MB)")
	f.StringVar(&o.function, "function", "", "Lambda function to Invoke directly (API Gateway proxy events)")
	f.StringVar(&o.qualifier, "qualifier", "", "version or alias to invoke (default $LATEST)")
	f.StringVar(&o.profile, "profile", "", "AWS shared-config profile (--function)")
	f.StringVar(&o.region, "region", "", "AWS region (--function)")
	f.StringVar(&o.endpointURL, "endpoint-url", "", "AWS-compatible endpoint, e.g. the sandbox (--function)")
	f.StringArrayVar(&o.headerLines, "header", nil, `header sent on every HTTP request, e.g. 'x-api-key: KEY' (repeatable; never written to any output)`)
	f.IntVarP(&o.users, "users", "u", 0, "number of users (closed model, default 1), or most connections (open model, default 100)")
	f.Float64VarP(&o.spawnRate, "spawn-rate", "r", 1, "users started per second (closed model)")
	f.VarP(&o.runTime, "run-time", "t", "how long to run: 90s, 5m, 1h30m, or seconds")
	f.StringVar(&o.wait, "wait", "0", `wait between a user's tasks: 0, 500ms, "between(1s,3s)", "pacing(1s)"`)
	f.Float64Var(&o.rate, "rate", 0, "open model: requests per second (fixed arrival rate)")
	f.DurationVar(&o.ramp, "ramp", 0, "open model: ramp the rate up over this long first")
	f.Float64Var(&o.rampFrom, "ramp-from", 0, "open model: rate at the start of --ramp")
	f.StringVar(&o.scenario, "scenario", "products", "products (CRUD on /products) or get (GET the URL as given)")
	f.Uint64Var(&o.maxRequests, "max-requests", defaultMaxRequests, "stop after this many requests")
	f.DurationVar(&o.timeout, "timeout", 60*time.Second, "per-request timeout")
	f.StringVar(&o.csvPrefix, "csv", "", "write Locust-compatible CSV files: PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv and PREFIX_exceptions.csv")
	f.BoolVar(&o.jsonOut, "json", false, "print the results as JSON on stdout (the table goes to stderr)")
	f.StringArrayVar(&o.failIf, "fail-if", nil, `exit 2 if a condition holds, e.g. 'p95>200ms', 'avg>100ms', 'fail-ratio>1%' (repeatable)`)
	f.IntVar(&o.exitCodeOnError, "exit-code-on-error", 1, "exit code when any request failed (0: failures alone do not fail the run)")
	f.BoolVar(&o.headless, "headless", false, "accepted for Locust command lines: lambdatune load is always headless")
	f.Uint64Var(&o.seed, "seed", 0, "random seed for task choice and generated products (0: from the clock)")
	o.journal.addFlags(f)
}

// secondsFlag is a duration that also accepts bare seconds, as Locust's -t does.
type secondsFlag time.Duration

func (s *secondsFlag) String() string { return time.Duration(*s).String() }
func (s *secondsFlag) Type() string   { return "duration" }
func (s *secondsFlag) Set(v string) error {
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		*s = secondsFlag(time.Duration(secs * float64(time.Second)))
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("%q is not a duration (try 90s, 5m or 1h30m)", v)
	}
	*s = secondsFlag(d)
	return nil
}

// parseHeaders reads every --header before anything starts. The errors name
// the header, never its value.
func (o *loadOptions) parseHeaders() error {
	if len(o.headerLines) > 0 && o.function != "" {
		return fmt.Errorf("%w: --header is sent with HTTP requests (--url, --sandbox); Invoke (--function) has none", errBadFlags)
	}
	o.header = http.Header{}
	for _, line := range o.headerLines {
		name, value, err := load.ParseHeader(line)
		if err != nil {
			return fmt.Errorf("%w: --header: %w", errBadFlags, err)
		}
		o.header.Add(name, value)
	}
	return nil
}
