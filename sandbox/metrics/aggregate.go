package metrics

import "math"

// aggregate is what CloudWatch keeps for one series in one time bucket: the
// sample count, sum, minimum, maximum and a distribution for percentiles.
type aggregate struct {
	samples uint64
	sum     float64
	min     float64
	max     float64
	dist    sketch
}

func (a *aggregate) empty() bool { return a.samples == 0 }

func (a *aggregate) add(v float64) {
	if a.samples == 0 {
		a.min, a.max = v, v
	} else {
		a.min = math.Min(a.min, v)
		a.max = math.Max(a.max, v)
	}
	a.samples++
	a.sum += v
	a.dist.add(v)
}

// addN adds n samples of value v.
func (a *aggregate) addN(v float64, n uint64) {
	if n == 0 {
		return
	}
	var o aggregate
	o.samples, o.sum, o.min, o.max = n, v*float64(n), v, v
	o.dist.addN(v, n)
	a.merge(&o)
}

func (a *aggregate) merge(o *aggregate) {
	if o.samples == 0 {
		return
	}
	if a.samples == 0 {
		a.min, a.max = o.min, o.max
	} else {
		a.min = math.Min(a.min, o.min)
		a.max = math.Max(a.max, o.max)
	}
	a.samples += o.samples
	a.sum += o.sum
	a.dist.merge(&o.dist)
}

// gauge holds one second of a gauge series: the highest level seen in the
// second. It becomes a single sample of that level when read.
type gauge struct {
	seen  bool
	level float64
}

func (g *gauge) observe(v float64) {
	if !g.seen || v > g.level {
		g.level = v
	}
	g.seen = true
}

func (g gauge) aggregate() aggregate {
	var a aggregate
	if g.seen {
		a.add(g.level)
	}
	return a
}
