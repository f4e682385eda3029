package metrics

import (
	"math"
	"sort"
	"sync"
	"time"
)

// minuteBlock holds one minute of one series: 60 one-second buckets while
// high-resolution data is retained, and the minute's rollup after that.
type minuteBlock struct {
	start   int64          // unix seconds, a multiple of 60
	seconds *[60]aggregate // counters and distributions; nil once expired
	gauges  *[60]gauge     // gauges; nil once expired
	minute  aggregate      // rollup: kept up to date for counters, frozen for gauges on expiry
	frozen  bool           // gauges only: minute holds the final rollup
}

type seriesKind uint8

const (
	kindDistribution seriesKind = iota // Record: every value is a sample
	kindGauge                          // Observe: the highest level per second is the sample
)

// series is the storage of one metric (namespace, name, dimension set). Blocks
// are sorted by start; recording is almost always into the newest one.
type series struct {
	mu        sync.Mutex
	id        MetricID
	unit      Unit
	kind      seriesKind
	retention retention
	blocks    []*minuteBlock
	first     int64 // earliest second with a sample (unix), for ListMetrics
	last      int64 // latest second with a sample (unix)
	hasData   bool
	// Gauges carry their level forward: a level above zero holds until the next
	// observation, so an unchanged concurrency still yields one sample a second.
	gaugeLevel float64
	gaugeAt    int64
}

type retention struct {
	highResolution int64 // seconds of 1-second data kept
	minute         int64 // seconds of 60-second rollups kept
}

func newSeries(id MetricID, unit Unit, kind seriesKind, r retention) *series {
	return &series{id: id, unit: unit, kind: kind, retention: r}
}

// block returns the block for the minute starting at start, creating it (and
// pruning expired data) when needed. now is the store's clock reading.
func (s *series) block(start, now int64) *minuteBlock {
	n := len(s.blocks)
	if n > 0 && s.blocks[n-1].start == start {
		return s.blocks[n-1]
	}
	i := sort.Search(n, func(i int) bool { return s.blocks[i].start >= start })
	if i < n && s.blocks[i].start == start {
		return s.blocks[i]
	}
	b := &minuteBlock{start: start}
	if s.kind == kindGauge {
		b.gauges = new([60]gauge)
	} else {
		b.seconds = new([60]aggregate)
	}
	s.blocks = append(s.blocks, nil)
	copy(s.blocks[i+1:], s.blocks[i:])
	s.blocks[i] = b
	if i > 0 {
		s.blocks[i-1].compact()
	}
	s.prune(now)
	return b
}

// prune drops one-second detail older than the high-resolution retention and
// whole minutes older than the minute retention.
func (s *series) prune(now int64) {
	dropBefore := now - s.retention.minute
	k := 0
	for k < len(s.blocks) && s.blocks[k].start+60 <= dropBefore {
		k++
	}
	if k > 0 {
		s.blocks = append(s.blocks[:0], s.blocks[k:]...)
	}
	detailBefore := now - s.retention.highResolution
	for _, b := range s.blocks {
		if b.start+60 > detailBefore {
			break
		}
		s.expireDetail(b)
	}
}

// compact trims the histograms of a minute that has just been followed by a
// newer one.
func (b *minuteBlock) compact() {
	if b.seconds != nil {
		for k := range b.seconds {
			b.seconds[k].dist.compact()
		}
	}
	b.minute.dist.compact()
}

func (s *series) expireDetail(b *minuteBlock) {
	if b.gauges != nil {
		b.minute = gaugeMinute(b.gauges)
		b.frozen = true
	}
	b.seconds, b.gauges = nil, nil
}

func gaugeMinute(g *[60]gauge) aggregate {
	var a aggregate
	for _, sec := range g {
		if sec.seen {
			a.add(sec.level)
		}
	}
	return a
}

func (s *series) noteSample(sec int64) {
	if !s.hasData || sec < s.first {
		s.first = sec
	}
	if !s.hasData || sec > s.last {
		s.last = sec
	}
	s.hasData = true
}

// record adds one sample at unix second sec.
func (s *series) record(sec int64, v float64, now int64) {
	if !finiteValue(v) || sec < now-s.retention.minute {
		return // older than anything kept; CloudWatch also rejects such data
	}
	s.mu.Lock()
	b := s.block(floorTo(sec, 60), now)
	if b.seconds != nil {
		b.seconds[sec-b.start].add(v)
	}
	b.minute.add(v)
	s.noteSample(sec)
	s.mu.Unlock()
}

// maxCarrySeconds bounds how far a gauge level is carried forward between two
// observations (and past the last one): the high-resolution retention.
func (s *series) maxCarrySeconds() int64 { return s.retention.highResolution }

// observe sets the gauge level at unix second sec.
func (s *series) observe(sec int64, level float64, now int64) {
	if !finiteValue(level) || sec < now-s.retention.highResolution {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hasData && sec > s.gaugeAt {
		s.carryForward(sec, now)
	}
	s.observeSecond(sec, level, now)
	if !s.hasData || sec >= s.gaugeAt {
		s.gaugeLevel, s.gaugeAt = level, sec
	}
	s.noteSample(sec)
}

func (s *series) observeSecond(sec int64, level float64, now int64) {
	b := s.block(floorTo(sec, 60), now)
	if b.gauges != nil {
		b.gauges[sec-b.start].observe(level)
	}
}

// carryForward fills the seconds after the last observation and before sec
// with the last level, when that level was above zero.
func (s *series) carryForward(sec, now int64) {
	if s.gaugeLevel <= 0 {
		return
	}
	from := s.gaugeAt + 1
	if lim := sec - s.maxCarrySeconds(); from < lim {
		from = lim
	}
	for t := from; t < sec; t++ {
		s.observeSecond(t, s.gaugeLevel, now)
	}
	if sec-1 >= from {
		s.noteSample(sec - 1)
	}
}

// finiteValue: CloudWatch rejects NaN and ±Inf, and so does the store.
func finiteValue(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func floorTo(sec, step int64) int64 {
	r := sec % step
	if r < 0 {
		r += step
	}
	return sec - r
}

func unixSecond(t time.Time) int64 { return floorTo(t.Unix(), 1) }

// accumulate merges the samples of the seconds [from, to) that are published
// (before horizon) into acc. Periods of a minute or more that start on a
// minute read the minute rollups, so they work after the 1-second data expired.
func (s *series) accumulate(from, to, horizon int64, acc *aggregate) {
	to = min(to, horizon)
	if from >= to {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := sort.Search(len(s.blocks), func(i int) bool { return s.blocks[i].start+60 > from })
	for ; i < len(s.blocks) && s.blocks[i].start < to; i++ {
		s.accumulateBlock(s.blocks[i], from, to, acc)
	}
	if s.kind == kindGauge {
		s.accumulateTail(from, to, acc)
	}
}

func (s *series) accumulateBlock(b *minuteBlock, from, to int64, acc *aggregate) {
	lo, hi := max(from, b.start)-b.start, min(to, b.start+60)-b.start
	whole := lo == 0 && hi == 60
	switch {
	case b.seconds == nil && b.gauges == nil:
		if whole {
			acc.merge(&b.minute)
		}
	case whole && s.kind == kindDistribution:
		acc.merge(&b.minute)
	case s.kind == kindDistribution:
		for k := lo; k < hi; k++ {
			acc.merge(&b.seconds[k])
		}
	default:
		for k := lo; k < hi; k++ {
			if g := b.gauges[k]; g.seen {
				acc.add(g.level)
			}
		}
	}
}

// accumulateTail adds the carried-forward level for the seconds after the last
// observation: a function that keeps 40 executions in flight without change
// still reports 40 every second.
func (s *series) accumulateTail(from, to int64, acc *aggregate) {
	if !s.hasData || s.gaugeLevel <= 0 {
		return
	}
	start := max(from, s.gaugeAt+1)
	end := min(to, s.gaugeAt+1+s.maxCarrySeconds())
	if end > start {
		acc.addN(s.gaugeLevel, uint64(end-start))
	}
}

// activity reports the first and last seconds with a sample; an open gauge
// (level above zero) counts as active up to now.
func (s *series) activity(now int64) (first, last int64, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	last = s.last
	if s.kind == kindGauge && s.gaugeLevel > 0 {
		last = max(last, min(now, s.gaugeAt+s.maxCarrySeconds()))
	}
	return s.first, last, s.hasData
}
