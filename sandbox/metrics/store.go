package metrics

import (
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lambdatune/lambdatune/internal/clock"
)

// Dimension is one name/value pair of a metric's identity.
type Dimension struct {
	Name  string
	Value string
}

// MetricID names a metric: namespace, metric name and dimension set. Two IDs
// with the same dimensions in another order are the same metric.
type MetricID struct {
	Namespace  string
	MetricName string
	Dimensions []Dimension
}

// Unit is a CloudWatch StandardUnit.
type Unit string

// The units the Lambda metrics use.
const (
	UnitCount        Unit = "Count"
	UnitMilliseconds Unit = "Milliseconds"
	UnitNone         Unit = "None"
)

// Defaults of Options.
const (
	DefaultHighResolutionRetention = 3 * time.Hour
	DefaultMinuteRetention         = 15 * 24 * time.Hour
	DefaultPublishInterval         = time.Second
)

// Options configure a Store. The zero value is the sandbox default: the wall
// clock, no publication delay, and CloudWatch's retention.
type Options struct {
	// Clock is the time source; defaults to the wall clock.
	Clock clock.Clock
	// PublishDelay is how long after its publication interval ends a sample
	// becomes visible to GetMetricData, GetMetricStatistics and ListMetrics.
	// AWS publishes Lambda's 1-minute data 60–120 s after the minute ends; the
	// sandbox default is 0 so the 1-second live view stays live.
	PublishDelay time.Duration
	// PublishInterval is the granularity of publication, a whole number of
	// seconds: 1 s by default; 60 s imitates AWS, which publishes whole minutes.
	PublishInterval time.Duration
	// HighResolutionRetention is how long 1-second data is kept (default 3 h,
	// like CloudWatch's high-resolution data); periods under 60 s need it.
	HighResolutionRetention time.Duration
	// MinuteRetention is how long 60-second rollups are kept (default 15 days,
	// like CloudWatch); older periods return no data.
	MinuteRetention time.Duration
}

func (o Options) withDefaults() Options {
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.PublishInterval < time.Second {
		o.PublishInterval = DefaultPublishInterval
	}
	o.PublishInterval = o.PublishInterval.Truncate(time.Second)
	if o.HighResolutionRetention <= 0 {
		o.HighResolutionRetention = DefaultHighResolutionRetention
	}
	if o.MinuteRetention <= 0 {
		o.MinuteRetention = DefaultMinuteRetention
	}
	return o
}

// Store keeps the sandbox's metrics as CloudWatch does: per series, 1-second
// aggregates for the high-resolution retention rolled into 60-second
// aggregates kept for the minute retention. It is safe for concurrent use;
// recording locks only the series written to.
type Store struct {
	opts      Options
	retention retention
	mu        sync.RWMutex
	series    map[string]*series
}

// NewStore returns an empty store.
func NewStore(opts Options) *Store {
	opts = opts.withDefaults()
	return &Store{
		opts: opts,
		retention: retention{
			highResolution: int64(opts.HighResolutionRetention / time.Second),
			minute:         int64(opts.MinuteRetention / time.Second),
		},
		series: map[string]*series{},
	}
}

// Clock is the store's time source.
func (s *Store) Clock() clock.Clock { return s.opts.Clock }

// Series is a handle on one counter or distribution metric (Invocations,
// Duration, …): every recorded value is a sample. Keep the handle to record
// without a lookup.
type Series struct {
	store *Store
	s     *series
}

// Gauge is a handle on one level metric (ConcurrentExecutions, …).
type Gauge struct {
	store *Store
	s     *series
}

// Series returns the handle of the counter or distribution metric id with
// unit, creating it on first use. It panics if id was created as a gauge:
// that is a programming error in the caller.
func (s *Store) Series(id MetricID, unit Unit) *Series {
	return &Series{store: s, s: s.lookup(id, unit, kindDistribution)}
}

// Gauge returns the handle of the gauge metric id with unit, creating it on
// first use. It panics if id was created as a Series.
func (s *Store) Gauge(id MetricID, unit Unit) *Gauge {
	return &Gauge{store: s, s: s.lookup(id, unit, kindGauge)}
}

// Record adds the sample value at time at (for Lambda, the invocation's start)
// to metric id. It is the convenience form of Series(id, unit).Record.
func (s *Store) Record(id MetricID, unit Unit, at time.Time, value float64) {
	s.Series(id, unit).Record(at, value)
}

// Observe sets gauge id to level at time at. It is the convenience form of
// Gauge(id, unit).Observe.
func (s *Store) Observe(id MetricID, unit Unit, at time.Time, level float64) {
	s.Gauge(id, unit).Observe(at, level)
}

// Record adds one sample at time at. Samples are bucketed by the second of at;
// NaN, ±Inf and samples older than the minute retention are dropped.
func (h *Series) Record(at time.Time, value float64) {
	h.s.record(unixSecond(at), value, h.store.nowSecond())
}

// Observe reports the gauge's level at time at. Each second's sample is the
// highest level observed in it; a level above zero is carried forward, one
// sample per second, until the next observation, so callers report changes
// only (e.g. at every invocation start and end). A level of zero ends the
// carry: an idle function has no datapoints, as on AWS.
func (h *Gauge) Observe(at time.Time, level float64) {
	h.s.observe(unixSecond(at), level, h.store.nowSecond())
}

func (s *Store) nowSecond() int64 { return unixSecond(s.opts.Clock.Now()) }

func (s *Store) lookup(id MetricID, unit Unit, kind seriesKind) *series {
	id = canonical(id)
	key := seriesKey(id)
	s.mu.RLock()
	sr := s.series[key]
	s.mu.RUnlock()
	if sr == nil {
		s.mu.Lock()
		if sr = s.series[key]; sr == nil {
			sr = newSeries(id, unit, kind, s.retention)
			s.series[key] = sr
		}
		s.mu.Unlock()
	}
	if sr.kind != kind {
		panic("metrics: " + id.MetricName + " is recorded both as a gauge and as a series")
	}
	return sr
}

// find returns the series of id, or nil.
func (s *Store) find(id MetricID) *series {
	key := seriesKey(canonical(id))
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.series[key]
}

// canonical sorts the dimensions by name (then value) on a copy.
func canonical(id MetricID) MetricID {
	dims := append([]Dimension(nil), id.Dimensions...)
	sort.Slice(dims, func(i, j int) bool {
		if dims[i].Name != dims[j].Name {
			return dims[i].Name < dims[j].Name
		}
		return dims[i].Value < dims[j].Value
	})
	id.Dimensions = dims
	return id
}

func seriesKey(id MetricID) string {
	var b strings.Builder
	b.WriteString(id.Namespace)
	b.WriteByte(0)
	b.WriteString(id.MetricName)
	for _, d := range id.Dimensions {
		b.WriteByte(0)
		b.WriteString(d.Name)
		b.WriteByte(1)
		b.WriteString(d.Value)
	}
	return b.String()
}

// horizon is the first unix second not yet published at now: samples before it
// are visible to queries.
func (s *Store) horizon(now time.Time) int64 {
	interval := int64(s.opts.PublishInterval / time.Second)
	return floorTo(unixSecond(now.Add(-s.opts.PublishDelay)), interval)
}
