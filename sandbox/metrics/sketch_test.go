package metrics

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSketchQuantilesWithinRelativeAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, gen := range []struct {
		name string
		draw func() float64
	}{
		{"lognormal ms", func() float64 { return math.Exp(4 + rng.NormFloat64()) }},
		{"uniform 0..1", func() float64 { return rng.Float64() }},
		{"mixed signs", func() float64 { return rng.NormFloat64() * 100 }},
	} {
		var s sketch
		values := make([]float64, 5000)
		for i := range values {
			values[i] = gen.draw()
			s.add(values[i])
		}
		slices.Sort(values)
		for _, q := range []float64{0.01, 0.5, 0.9, 0.99, 0.999, 1} {
			want := values[int(math.Ceil(q*float64(len(values))))-1]
			got, ok := s.quantile(q)
			if !ok || math.Abs(got-want) > RelativeAccuracy*math.Abs(want)+1e-12 {
				t.Errorf("%s q=%v: got %v, want %v ±%v%%", gen.name, q, got, want, RelativeAccuracy*100)
			}
		}
	}
}

func TestSketchZerosAndMerge(t *testing.T) {
	var a, b sketch
	for range 3 {
		a.add(0)
	}
	b.add(5)
	b.addN(-2, 2)
	a.merge(&b)
	if a.count() != 6 {
		t.Fatalf("count %d, want 6", a.count())
	}
	for q, want := range map[float64]float64{0.1: -2, 0.5: 0, 1: 5} {
		if got, _ := a.quantile(q); math.Abs(got-want) > RelativeAccuracy*math.Abs(want) {
			t.Errorf("q=%v: got %v, want %v", q, got, want)
		}
	}
	var empty sketch
	if _, ok := empty.quantile(0.5); ok {
		t.Error("an empty sketch has no quantile")
	}
}

func TestNonFiniteValuesAreDropped(t *testing.T) {
	s := newSeries(MetricID{MetricName: "x"}, UnitNone, kindDistribution, retention{highResolution: 3600, minute: 86400})
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 2} {
		s.record(100, v, 100)
	}
	var acc aggregate
	s.accumulate(0, 200, 200, &acc)
	if acc.samples != 1 || acc.sum != 2 {
		t.Fatalf("samples %d sum %v, want only the finite 2", acc.samples, acc.sum)
	}
}
