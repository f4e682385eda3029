package tui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/NimbleMarkets/ntcharts/v2/canvas"
	"github.com/NimbleMarkets/ntcharts/v2/linechart"

	"github.com/lambdatune/lambdatune/tune"
)

func (s sweepScreen) View() string {
	st := s.c.styles
	w := s.c.width
	lines := []string{st.title.Render(fit("Sweep of "+printable(s.detail.Name), w, false))}
	if s.c.where.Sandbox {
		lines = append(lines, st.sandbox.Render(fit("SANDBOX: the numbers come from lambdatune's model ("+modelWords()+")", w, false)))
	}
	switch s.phase {
	case sweepForm:
		lines = append(lines, "", st.muted.Render(fit(fmt.Sprintf("now %d MB · %s · restored when the sweep ends", s.detail.MemoryMB, s.detail.Architecture), w, false)), "")
		lines = append(lines, s.form.lines(st, w)...)
	case sweepPreparing:
		lines = append(lines, "", "reading the function…")
	default:
		lines = append(lines, s.progressLine())
		lines = append(lines, s.tableLines()...)
		lines = append(lines, s.chartLines(max(6, s.c.bodyHeight()-len(lines)-len(s.endLines())-1))...)
		lines = append(lines, s.endLines()...)
	}
	if s.err != nil {
		lines = append(lines, st.errorLine.Render(fit("✗ "+explainSweep(s.err), w, false)))
	}
	return padLines(strings.Join(lines, "\n"), s.c.bodyHeight())
}

func modelWords() string {
	return "CPU share ∝ memory, one vCPU at 1769 MB; init at a full vCPU"
}

func explainSweep(err error) string { return strings.TrimPrefix(err.Error(), "sweep: ") }

func (s sweepScreen) progressLine() string {
	st := s.c.styles
	if s.phase == sweepDone {
		return st.muted.Render(fit(fmt.Sprintf("done: %d steps · function now at %d MB", len(s.steps), s.memory), s.c.width, false))
	}
	p := s.now
	text := fmt.Sprintf("step %d of %d (%d MB): %s", p.Step, p.Steps, p.MemoryMB, p.Phase)
	if p.Step == 0 {
		text = p.Phase
	}
	if s.stopped {
		text = "stopping, then restoring: " + text
	}
	return fit(text, s.c.width, false)
}

func (s sweepScreen) tableLines() []string {
	st := s.c.styles
	out := []string{st.tableHeader.Render(fit(tune.SweepTableHeader, s.c.width, false))}
	for i, step := range s.steps {
		chosen := s.result != nil && s.result.Choice.Found() && s.result.Choice.Index == i
		line := fit("  "+tune.SweepRow(step, false), s.c.width, false)
		if chosen {
			line = st.okLine.Render(fit("▸ "+tune.SweepRow(step, false), s.c.width, false))
		}
		out = append(out, line)
	}
	return out
}

// endLines are the choice and why, and how the function was left.
func (s sweepScreen) endLines() []string {
	if s.result == nil {
		return nil
	}
	st, w, r := s.c.styles, s.c.width, s.result
	out := []string{fit(fmt.Sprintf("choice (%s, %s): %s", r.Options.Strategy, r.Options.Percentile, r.Choice.Why), w, false)}
	end := st.okLine
	if !r.End.Restored && !r.End.Applied {
		end = st.errorLine
	}
	out = append(out, end.Render(fit("end: "+r.End.What, w, false)))
	if r.Stopped != "" {
		out = append(out, st.warn.Render(fit("stopped early: "+r.Stopped, w, false)))
	}
	return out
}

// chartLines draw cost per 1M against latency at the strategy's
// percentile, one point per memory size, numbered in the table's order.
func (s sweepScreen) chartLines(height int) []string {
	st := s.c.styles
	steps := s.steps
	if len(steps) == 0 {
		return []string{st.muted.Render("the chart of cost against latency fills as steps complete")}
	}
	percentile := tune.DefaultPercentile
	if s.prep != nil {
		percentile = s.prep.Plan.Choice.Percentile
	}
	pts := make([]canvas.Float64Point, len(steps))
	maxX, maxY := 1.0, 0.01
	for i, step := range steps {
		pts[i] = canvas.Float64Point{X: millis(stepLatency(step, percentile)), Y: step.PerMillion}
		maxX, maxY = math.Max(maxX, pts[i].X), math.Max(maxY, pts[i].Y)
	}
	width := max(30, min(s.c.width-2, 90))
	chart := linechart.New(width, max(5, height-1), 0, maxX*1.1, 0, maxY*1.15,
		linechart.WithStyles(st.muted, st.muted, st.header),
		linechart.WithYLabelFormatter(func(_ int, v float64) string { return fmt.Sprintf("$%.2f", v) }),
		linechart.WithXLabelFormatter(func(_ int, v float64) string { return fmt.Sprintf("%.0f", v) }))
	chart.DrawXYAxisAndLabel()
	for i := 1; i < len(pts); i++ {
		chart.DrawBrailleLineWithStyle(pts[i-1], pts[i], st.muted)
	}
	var legend []string
	for i, p := range pts {
		mark := rune('1' + i%9)
		chart.DrawRuneWithStyle(p, mark, st.header)
		legend = append(legend, fmt.Sprintf("%c=%d MB", mark, steps[i].MemoryMB))
	}
	title := fmt.Sprintf("$/1M invocations (up) against %s latency in ms (right): %s", percentile, strings.Join(legend, " "))
	return append([]string{st.section.Render(fit(title, s.c.width, false))}, strings.Split(chart.View(), "\n")...)
}

func stepLatency(s tune.SweepStep, percentile string) time.Duration {
	switch percentile {
	case "p50":
		return s.P50
	case "p99":
		return s.P99
	}
	return s.P95
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
