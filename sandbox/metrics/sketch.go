package metrics

import (
	"math"
	"sort"
)

// RelativeAccuracy is the guaranteed relative error of every percentile the
// store returns: the value reported for pNN is within ±1% of the true
// nearest-rank sample (and never outside the exact minimum and maximum).
const RelativeAccuracy = 0.01

// The sketch is a log-bucketed histogram in the manner of DDSketch: a positive
// value v falls in bucket ceil(log_γ v) with γ = (1+α)/(1−α), and the bucket's
// representative 2γ^i/(γ+1) is within α of every value in it. Buckets are kept
// sparse (a sorted slice), so a second that saw one distinct duration costs one
// entry, and a busy second of Lambda durations between 1 ms and 15 min costs at
// most ~700 entries.
var (
	sketchGamma    = (1 + RelativeAccuracy) / (1 - RelativeAccuracy)
	sketchLogGamma = math.Log(sketchGamma)
)

// bucketCount is one occupied bucket of a sketch.
type bucketCount struct {
	index int32
	count uint32
}

// sketch holds a distribution with relative accuracy RelativeAccuracy. Values
// equal to zero are counted exactly; negative values use a mirrored store.
type sketch struct {
	positive []bucketCount
	negative []bucketCount
	zeros    uint64
}

func bucketIndex(magnitude float64) int32 {
	return int32(math.Ceil(math.Log(magnitude) / sketchLogGamma))
}

func bucketValue(index int32) float64 {
	return 2 * math.Pow(sketchGamma, float64(index)) / (sketchGamma + 1)
}

func (s *sketch) add(v float64) { s.addN(v, 1) }

func (s *sketch) addN(v float64, n uint64) {
	switch {
	case v > 0:
		s.positive = addToBuckets(s.positive, bucketIndex(v), uint32(n))
	case v < 0:
		s.negative = addToBuckets(s.negative, bucketIndex(-v), uint32(n))
	default:
		s.zeros += n
	}
}

// addToBuckets adds n to the bucket index of a slice sorted by index. The
// common case, a value in an existing bucket, is a binary search and no
// allocation.
func addToBuckets(buckets []bucketCount, index int32, n uint32) []bucketCount {
	i := sort.Search(len(buckets), func(i int) bool { return buckets[i].index >= index })
	if i < len(buckets) && buckets[i].index == index {
		buckets[i].count += n
		return buckets
	}
	buckets = append(buckets, bucketCount{})
	copy(buckets[i+1:], buckets[i:])
	buckets[i] = bucketCount{index: index, count: n}
	return buckets
}

func (s *sketch) merge(o *sketch) {
	for _, b := range o.positive {
		s.positive = addToBuckets(s.positive, b.index, b.count)
	}
	for _, b := range o.negative {
		s.negative = addToBuckets(s.negative, b.index, b.count)
	}
	s.zeros += o.zeros
}

func (s *sketch) count() uint64 {
	n := s.zeros
	for _, b := range s.positive {
		n += uint64(b.count)
	}
	for _, b := range s.negative {
		n += uint64(b.count)
	}
	return n
}

// quantile returns the nearest-rank q-quantile (0 ≤ q ≤ 1): the value of the
// sample at rank ceil(q·n), counted from the smallest, within the sketch's
// relative accuracy. ok is false for an empty sketch.
func (s *sketch) quantile(q float64) (value float64, ok bool) {
	n := s.count()
	if n == 0 {
		return 0, false
	}
	rank := uint64(math.Ceil(q * float64(n)))
	if rank < 1 {
		rank = 1
	}
	// Negative values, most negative first: largest index first.
	for i := len(s.negative) - 1; i >= 0; i-- {
		if rank <= uint64(s.negative[i].count) {
			return -bucketValue(s.negative[i].index), true
		}
		rank -= uint64(s.negative[i].count)
	}
	if rank <= s.zeros {
		return 0, true
	}
	rank -= s.zeros
	for _, b := range s.positive {
		if rank <= uint64(b.count) {
			return bucketValue(b.index), true
		}
		rank -= uint64(b.count)
	}
	return bucketValue(s.positive[len(s.positive)-1].index), true
}

// entries is the number of occupied buckets, for memory accounting.
func (s *sketch) entries() int { return len(s.positive) + len(s.negative) }

// compact drops the spare capacity append left behind, once a bucket is
// unlikely to grow: a finished second of a busy distribution holds ~25% less.
func (s *sketch) compact() {
	s.positive = clipBuckets(s.positive)
	s.negative = clipBuckets(s.negative)
}

func clipBuckets(b []bucketCount) []bucketCount {
	if cap(b) == len(b) {
		return b
	}
	if len(b) == 0 {
		return nil
	}
	return append([]bucketCount(nil), b...)
}
