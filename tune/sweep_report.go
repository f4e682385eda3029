package tune

import (
	"fmt"
	"html/template"
	"time"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// SweepSeries is one sweep as the journal keeps it: its steps are runs of
// path sweep, one after the other, with the same load, each at another
// memory size.
type SweepSeries struct {
	Function string       `json:"function"`
	Started  time.Time    `json:"started"`
	Load     string       `json:"load"`
	Points   []SweepPoint `json:"points"`
}

// SweepPoint is one step of a journalled sweep.
type SweepPoint struct {
	RunID        int64         `json:"run_id"`
	MemoryMB     int32         `json:"memory_mb"`
	Architecture string        `json:"architecture"`
	P95          time.Duration `json:"p95_ns"`
	PerMillion   float64       `json:"per_million_usd"`
	CostKnown    bool          `json:"cost_known"`
	Failures     uint64        `json:"failures"`
}

// SweepsOf finds the sweeps among runs (in time order): consecutive runs of
// path sweep with the same load; a size seen again starts a new sweep.
func SweepsOf(runs []RunSummary, p Prices) []SweepSeries {
	var out []SweepSeries
	var cur *SweepSeries
	var settings RunSettings
	seen := map[int32]bool{}
	for _, r := range runs {
		if r.Path != PathSweep || !r.Config.Known {
			cur = nil
			continue
		}
		if cur == nil || !settings.Comparable(r.Settings) || seen[r.Config.MemoryMB] {
			out = append(out, SweepSeries{Function: r.Function, Started: r.Started, Load: r.Settings.Describe()})
			cur, settings, seen = &out[len(out)-1], r.Settings, map[int32]bool{}
		}
		seen[r.Config.MemoryMB] = true
		cost := r.price(p)
		perMillion := 1e6 * p.PerInvocation(float64(r.Billed.Average)/float64(time.Millisecond), r.Config.MemoryMB, r.Config.Architecture)
		cur.Points = append(cur.Points, SweepPoint{RunID: r.ID, MemoryMB: r.Config.MemoryMB, Architecture: r.Config.Architecture,
			P95: r.P95, PerMillion: perMillion, CostKnown: cost.Known, Failures: r.Failures})
	}
	return out
}

// SweepChart draws a sweep's cost per 1M invocations against its p95
// latency, one labelled point per memory size, joined in the order measured.
func SweepChart(s SweepSeries) (string, error) {
	p := newPlot(fmt.Sprintf("Sweep of %s: cost against latency", s.Function), "p95 latency (ms)", "USD per 1M invocations")
	var xys plotter.XYs
	var labels []string
	for _, pt := range s.Points {
		if !pt.CostKnown {
			continue
		}
		xys = append(xys, plotter.XY{X: float64(pt.P95) / float64(time.Millisecond), Y: pt.PerMillion})
		labels = append(labels, fmt.Sprintf("%d MB", pt.MemoryMB))
	}
	if len(xys) == 0 {
		return "", nil
	}
	line, points, err := plotter.NewLinePoints(xys)
	if err != nil {
		return "", fmt.Errorf("sweep chart: %w", err)
	}
	line.Color, points.Color = colorMax, colorP95
	points.Radius = vg.Points(3)
	names, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return "", fmt.Errorf("sweep chart: %w", err)
	}
	for i := range names.TextStyle {
		names.TextStyle[i].Font.Variant = "Sans"
		names.Offset = vg.Point{X: vg.Points(4), Y: vg.Points(4)}
	}
	p.Add(line, points, names)
	p.X.Min, p.Y.Min = 0, 0
	return renderSVG(p)
}

// htmlSweeps are the report's sweep sections: a table and the chart each.
func (r Report) htmlSweeps() ([]htmlSweep, error) {
	var out []htmlSweep
	for _, s := range r.Sweeps {
		svg, err := SweepChart(s)
		if err != nil {
			return nil, err
		}
		sec := htmlSweep{Started: s.Started.Format(time.DateTime + " MST"), Load: s.Load, Chart: template.HTML(svg)}
		for _, pt := range s.Points {
			cost := "unknown"
			if pt.CostKnown {
				cost = fmt.Sprintf("$%.4f", pt.PerMillion)
			}
			sec.Rows = append(sec.Rows, []string{fmt.Sprint(pt.RunID), fmt.Sprintf("%d MB %s", pt.MemoryMB, pt.Architecture),
				fmtMs(pt.P95), cost, fmt.Sprint(pt.Failures)})
		}
		out = append(out, sec)
	}
	return out, nil
}

type htmlSweep struct {
	Started, Load string
	Rows          [][]string
	Chart         template.HTML // drawn by gonum/plot from numbers, never from user text
}
