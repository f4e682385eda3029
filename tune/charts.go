package tune

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The report's charts, drawn with gonum.org/v1/plot and rendered to SVG to
// be inlined in the HTML report: latency percentiles per second, the two
// latency distributions, and the load's concurrency; the run before a
// change dashed, the run after solid.

// chartWidth and chartHeight are the size of each chart.
const (
	chartWidth  = 17 * vg.Centimeter
	chartHeight = 8 * vg.Centimeter
	// distributionBins is how many log-spaced bins a distribution is drawn in.
	distributionBins = 40
)

var (
	colorP50 = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	colorP95 = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	colorMax = color.RGBA{R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff}
	dashed   = []vg.Length{vg.Points(5), vg.Points(3)}
)

// chartRun is one run as a chart draws it; a chart of one series per run
// tells them apart by colour too.
type chartRun struct {
	label string
	run   *RunRecord
	dash  []vg.Length
	color color.Color
}

func chartRuns(before, after *RunRecord) []chartRun {
	var out []chartRun
	if before != nil {
		out = append(out, chartRun{label: fmt.Sprintf("before (run %d)", before.ID), run: before, dash: dashed, color: colorMax})
	}
	if after != nil {
		out = append(out, chartRun{label: fmt.Sprintf("after (run %d)", after.ID), run: after, color: colorP95})
	}
	return out
}

// LatencyChart draws p50 and p95 per second of each run.
func LatencyChart(before, after *RunRecord) (string, error) {
	p := newPlot("Latency per second", "seconds since the run started", "milliseconds")
	for _, r := range chartRuns(before, after) {
		for _, series := range []struct {
			name string
			c    color.Color
			get  func(WindowRecord) time.Duration
		}{
			{"p50", colorP50, func(w WindowRecord) time.Duration { return w.P50 }},
			{"p95", colorP95, func(w WindowRecord) time.Duration { return w.P95 }},
		} {
			if err := addLine(p, r, series.name, series.c, func(w WindowRecord) (float64, bool) {
				return msOf(series.get(w)), w.Requests > 0
			}); err != nil {
				return "", err
			}
		}
	}
	return renderSVG(p)
}

// ConcurrencyChart draws the requests in flight at the end of each second.
func ConcurrencyChart(before, after *RunRecord) (string, error) {
	p := newPlot("Concurrency (requests in flight)", "seconds since the run started", "requests in flight")
	for _, r := range chartRuns(before, after) {
		if err := addLine(p, r, "in flight", r.color, func(w WindowRecord) (float64, bool) { return float64(w.InFlight), true }); err != nil {
			return "", err
		}
	}
	return renderSVG(p)
}

// DistributionChart draws each run's latency distribution: the share of
// requests per log-spaced latency bin, from the HDR histograms.
func DistributionChart(before, after *RunRecord) (string, error) {
	p := newPlot("Latency distribution", "latency (milliseconds, log scale)", "% of requests")
	runs := chartRuns(before, after)
	edges := logBins(runs)
	if edges == nil {
		return renderSVG(p)
	}
	p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
	for _, r := range runs {
		line, err := plotter.NewLine(binShares(r.run.Total.Latency, edges))
		if err != nil {
			return "", err
		}
		line.StepStyle, line.Color, line.Dashes, line.Width = plotter.PreStep, r.color, r.dash, vg.Points(1.5)
		p.Add(line)
		p.Legend.Add(r.label, line)
	}
	return renderSVG(p)
}

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, x, y
	for _, style := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle,
		&p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		style.Font.Variant = "Sans" // the page's text is sans-serif too
	}
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	return p
}

// addLine adds one series of a run, skipping windows get says have no value.
func addLine(p *plot.Plot, r chartRun, name string, c color.Color, get func(WindowRecord) (float64, bool)) error {
	var xys plotter.XYs
	for _, w := range r.run.Windows {
		if v, ok := get(w); ok {
			xys = append(xys, plotter.XY{X: (w.Start + w.Length).Seconds(), Y: v})
		}
	}
	if len(xys) == 0 {
		return nil
	}
	line, err := plotter.NewLine(xys)
	if err != nil {
		return fmt.Errorf("%s of run %d: %w", name, r.run.ID, err)
	}
	line.Color, line.Dashes, line.Width = c, r.dash, vg.Points(1.2)
	p.Add(line)
	p.Legend.Add(name+" "+r.label, line)
	if len(xys) < 3 { // a line of one or two points hardly shows: mark them
		dots, err := plotter.NewScatter(xys)
		if err != nil {
			return err
		}
		dots.Color = c
		p.Add(dots)
	}
	return nil
}

// logBins spans every run's histogram with log-spaced bin edges, in ms.
func logBins(runs []chartRun) []float64 {
	lo, hi := math.Inf(1), 0.0
	for _, r := range runs {
		for _, b := range r.run.Total.Latency.Bars() {
			lo, hi = min(lo, max(msOf(b.From), 0.001)), max(hi, msOf(b.To))
		}
	}
	if hi <= 0 {
		return nil
	}
	hi = max(hi, lo*1.01)
	edges := make([]float64, distributionBins+1)
	for i := range edges {
		edges[i] = lo * math.Pow(hi/lo, float64(i)/distributionBins)
	}
	return edges
}

// binShares is the share of a histogram's requests in each bin, in percent.
func binShares(h *Histogram, edges []float64) plotter.XYs {
	counts := make([]float64, len(edges)-1)
	var total float64
	for _, b := range h.Bars() {
		i := binOf(msOf(b.To), edges)
		counts[i] += float64(b.Count)
		total += float64(b.Count)
	}
	xys := make(plotter.XYs, len(counts))
	for i, n := range counts {
		xys[i] = plotter.XY{X: edges[i+1], Y: 100 * n / max(total, 1)}
	}
	return xys
}

func binOf(v float64, edges []float64) int {
	for i := 1; i < len(edges)-1; i++ {
		if v <= edges[i] {
			return i - 1
		}
	}
	return len(edges) - 2
}

// renderSVG draws the plot as an SVG element, without the XML prolog, to
// inline in HTML.
func renderSVG(p *plot.Plot) (string, error) {
	c := vgsvg.New(chartWidth, chartHeight)
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return "", fmt.Errorf("render chart: %w", err)
	}
	svg := buf.String()
	if i := strings.Index(svg, "<svg"); i >= 0 {
		svg = svg[i:]
	}
	return svg, nil
}
