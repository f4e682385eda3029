package sandbox

import (
	"bytes"
	"io"
	"net/http"
	"time"

	"github.com/lambdatune/lambdatune/sandbox/metrics"
)

// cloudWatch is the sandbox's CloudWatch: the AWS/Lambda metrics the
// execution model produces, recorded into a metric store and served on the
// sandbox's AWS endpoint through GetMetricData, GetMetricStatistics and
// ListMetrics, in every protocol the clients send (sandbox/metrics).
type cloudWatch struct {
	store    *metrics.Store
	recorder *metrics.LambdaRecorder
	handler  http.Handler
	// lag is Lambdatune/Sandbox SchedulingLag.
	lag *metrics.Series
}

func newCloudWatch(cfg Config) *cloudWatch {
	opts := cfg.Metrics
	opts.Clock = cfg.Clock
	store := metrics.NewStore(opts)
	return &cloudWatch{store: store, recorder: metrics.NewLambdaRecorder(store), handler: metrics.NewHandler(store, cfg.Clock),
		lag: store.Series(metrics.SchedulingLagID, metrics.UnitMilliseconds)}
}

// schedulingLag records one SchedulingLag sample, in milliseconds, at the
// time it was taken.
func (cw *cloudWatch) schedulingLag(at time.Time, lag time.Duration) {
	cw.lag.Record(at, float64(lag)/float64(time.Millisecond))
}

// cloudWatchMaxBody is the largest body the metrics handler reads (its own
// limit, 4 MB); one byte more tells it a body is too large.
const cloudWatchMaxBody = 4 << 20

// serve reads a CloudWatch request's body within the memory budget, then
// lets the metrics handler build its answer in a build slot (budget.go).
func (cw *cloudWatch) serve(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r, cloudWatchMaxBody)
	cw.serveRead(w, r, body, err)
}

// serveRead serves a request whose body was read already (as far as err).
func (cw *cloudWatch) serveRead(w http.ResponseWriter, r *http.Request, body []byte, err error) {
	r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errorReader{err}))
	if memoryOf(r.Context()).enterBuild(r.Context()) != nil {
		return // the client went away
	}
	cw.handler.ServeHTTP(w, r)
}

// errorReader reads as err, or as the end when err is nil.
type errorReader struct{ err error }

func (e errorReader) Read([]byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	return 0, io.EOF
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
