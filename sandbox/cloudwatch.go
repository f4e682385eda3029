package sandbox

import (
	"net/http"

	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

// cloudWatch is the sandbox's CloudWatch: the AWS/Lambda metrics the
// execution model produces, recorded into a metric store and served on the
// sandbox's AWS endpoint through GetMetricData and ListMetrics, in every
// protocol the clients send (sandbox/metrics).
type cloudWatch struct {
	store    *metrics.Store
	recorder *metrics.LambdaRecorder
	handler  http.Handler
}

func newCloudWatch(cfg Config) *cloudWatch {
	opts := cfg.Metrics
	opts.Clock = cfg.Clock
	store := metrics.NewStore(opts)
	return &cloudWatch{store: store, recorder: metrics.NewLambdaRecorder(store), handler: metrics.NewHandler(store, cfg.Clock)}
}

// route sends CloudWatch's requests to the metrics handler and everything
// else to the Lambda API, as one AWS endpoint.
func (cw *cloudWatch) route(lambda http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if metrics.IsCloudWatchRequest(r) {
			cw.handler.ServeHTTP(w, r)
			return
		}
		lambda.ServeHTTP(w, r)
	})
}

// Invoked records Invocations, Errors, Duration and the provisioned
// invocation counts, keyed by the invocation's start, and a cold start's
// Init Duration as Lambda Insights' init_duration.
func (cw *cloudWatch) Invoked(rec InvocationRecord) {
	cw.recorder.Invocation(metrics.Invocation{
		Start:           rec.Start,
		FunctionName:    rec.Function,
		Qualifier:       rec.Resource,
		ExecutedVersion: rec.ExecutedVersion,
		Duration:        rec.Duration,
		FunctionError:   rec.FunctionError != "",
		Provisioned:     rec.Provisioned,
		Spillover:       rec.Spillover,
	})
	if rec.ColdStart {
		cw.recorder.ColdStart(rec.Start, rec.Function, rec.ExecutedVersion, rec.InitDuration)
	}
}

// Throttled records one Throttles datapoint.
func (cw *cloudWatch) Throttled(rec ThrottleRecord) {
	cw.recorder.Throttle(rec.Time, rec.Function, rec.Resource)
}

// ConcurrencyChanged reports the new levels to the concurrency gauges.
func (cw *cloudWatch) ConcurrencyChanged(rec ConcurrencyRecord) {
	cw.recorder.FunctionConcurrency(rec.Time, rec.Function, rec.FunctionConcurrency)
	if rec.Resource != "" {
		cw.recorder.QualifierConcurrency(rec.Time, rec.Function, rec.Resource, rec.ResourceConcurrency)
		if rec.ProvisionedAllocated > 0 {
			cw.recorder.ProvisionedConcurrency(rec.Time, rec.Function, rec.Resource, rec.ProvisionedConcurrency, rec.ProvisionedAllocated)
		}
	}
	cw.recorder.AccountConcurrency(rec.Time, rec.AccountConcurrency, rec.UnreservedConcurrency, rec.ClaimedAccountConcurrency)
}

// observers fans the model's events out to several observers.
type observers []Observer

func (o observers) Invoked(rec InvocationRecord) {
	for _, x := range o {
		x.Invoked(rec)
	}
}

func (o observers) Throttled(rec ThrottleRecord) {
	for _, x := range o {
		x.Throttled(rec)
	}
}

func (o observers) ConcurrencyChanged(rec ConcurrencyRecord) {
	for _, x := range o {
		x.ConcurrencyChanged(rec)
	}
}
