package tui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/NimbleMarkets/ntcharts/v2/linechart/timeserieslinechart"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/load"
)

// chartView is which charts the running test shows; v cycles through them.
type chartView int

const (
	viewOverview chartView = iota
	viewLatency
	viewConcurrency
	viewDistribution
	viewCodes
	chartViews
)

func (v chartView) String() string {
	return [...]string{"overview", "latency", "concurrency", "latency distribution", "status codes"}[v]
}

// chartLine is one data set of a chart.
type chartLine struct {
	name   string
	style  lipgloss.Style
	points []timeserieslinechart.TimePoint
}

// epochOf maps a run's elapsed time onto the chart's time axis.
func epochOf(d time.Duration) time.Time { return time.Unix(0, 0).Add(d) }

// chartSpec is one chart: a title, its lines, the y axis' unit, and the
// changes made during the run, drawn as vertical rules.
type chartSpec struct {
	title  string
	lines  []chartLine
	marks  []chartMark
	span   time.Duration
	format func(float64) string
}

// draw renders the chart in width × height cells (the title line included).
func (c chartSpec) draw(st styles, width, height int) []string {
	out := []string{fit(st.section.Render(c.title)+" "+c.legend(st), width, false)}
	if height < 3 || !c.hasData() {
		return append(out, st.muted.Render(fit("waiting for the first second…", width, false)))
	}
	top := 1.0
	for _, l := range c.lines {
		for _, p := range l.points {
			top = math.Max(top, p.Value)
		}
	}
	top *= 1.1
	span := max(c.span, 10*time.Second)
	chart := timeserieslinechart.New(width, height-1,
		timeserieslinechart.WithXYSteps(3, 2),
		timeserieslinechart.WithAxesStyles(st.muted, st.muted),
		timeserieslinechart.WithXLabelFormatter(func(_ int, v float64) string { return clockText(time.Duration(v) * time.Second) }),
		timeserieslinechart.WithYLabelFormatter(func(_ int, v float64) string { return c.format(v) }))
	chart.SetTimeRange(epochOf(0), epochOf(span))
	chart.SetViewTimeRange(epochOf(0), epochOf(span))
	chart.SetYRange(0, top)
	chart.SetViewYRange(0, top)
	names := c.push(&chart, st, top)
	chart.DrawBrailleDataSets(names)
	return append(out, strings.Split(chart.View(), "\n")...)
}

func (c chartSpec) hasData() bool {
	for _, l := range c.lines {
		if len(l.points) > 1 {
			return true
		}
	}
	return false
}

func (c chartSpec) push(chart *timeserieslinechart.Model, st styles, top float64) []string {
	var names []string
	for _, l := range c.lines {
		chart.SetDataSetStyle(l.name, l.style)
		for _, p := range l.points {
			chart.PushDataSet(l.name, p)
		}
		names = append(names, l.name)
	}
	for i, m := range c.marks {
		name := fmt.Sprintf("change %d", i+1)
		chart.SetDataSetStyle(name, st.warn)
		chart.PushDataSet(name, timeserieslinechart.TimePoint{Time: epochOf(m.at), Value: 0})
		chart.PushDataSet(name, timeserieslinechart.TimePoint{Time: epochOf(m.at), Value: top})
		names = append(names, name)
	}
	return names
}

// legend names each line with its latest value, in its colour.
func (c chartSpec) legend(st styles) string {
	var parts []string
	for _, l := range c.lines {
		text := l.name
		if n := len(l.points); n > 0 {
			text += " " + c.format(l.points[n-1].Value)
		}
		parts = append(parts, l.style.Render("━ "+text))
	}
	for i, m := range c.marks {
		parts = append(parts, st.warn.Render(fmt.Sprintf("┃ %d at %s", i+1, clockText(m.at))))
	}
	return strings.Join(parts, " ")
}

// windowLine turns the engine's per-second windows into a chart line.
func windowLine(name string, style lipgloss.Style, windows []load.Window, value func(load.Window) float64) chartLine {
	l := chartLine{name: name, style: style, points: make([]timeserieslinechart.TimePoint, 0, len(windows))}
	for _, w := range windows {
		l.points = append(l.points, timeserieslinechart.TimePoint{Time: epochOf(w.Start + w.Length), Value: value(w)})
	}
	return l
}

// seriesLine turns a CloudWatch series into a chart line on the run's axis.
func seriesLine(name string, style lipgloss.Style, s aws.Series, started time.Time) chartLine {
	l := chartLine{name: name, style: style}
	for i, p := range s.Points {
		v, ok := s.Value(i)
		if at := p.Time.Sub(started); at >= 0 && ok {
			l.points = append(l.points, timeserieslinechart.TimePoint{Time: epochOf(at), Value: v})
		}
	}
	return l
}

func levelLine(name string, style lipgloss.Style, value float64, span time.Duration) chartLine {
	return chartLine{name: name, style: style, points: []timeserieslinechart.TimePoint{
		{Time: epochOf(0), Value: value}, {Time: epochOf(max(span, 10*time.Second)), Value: value}}}
}

func millisOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// clockText writes an elapsed time as m:ss.
func clockText(d time.Duration) string {
	d = d.Round(time.Second)
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

func countText(v float64) string {
	if v >= 1000 {
		return fmt.Sprintf("%.1fk", v/1000)
	}
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

func msText(v float64) string { return formatMillis(v) }
