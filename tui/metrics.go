package tui

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/NimbleMarkets/ntcharts/v2/linechart/timeserieslinechart"
	"github.com/NimbleMarkets/ntcharts/v2/sparkline"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/tune"
)

// describeView says what the panel shows, e.g. "1-s periods over the last 3 min".
func describeView(v tune.MetricsView) string {
	if v.Period == time.Second {
		return fmt.Sprintf("1-s periods over the last %s", shortDuration(v.Window))
	}
	return fmt.Sprintf("%s periods over the last %s", shortDuration(v.Period), shortDuration(v.Window))
}

// metricsTickMsg asks one panel to refresh. panel identifies the panel, so a
// tick meant for a closed Function screen never reaches a newer one.
type metricsTickMsg struct{ panel int }

// metricsMsg is one refresh of a panel.
type metricsMsg struct {
	panel   int
	metrics aws.FunctionMetrics
	at      time.Time
	err     error
}

// metricsPanel is the Function screen's live CloudWatch view: invocations,
// errors, throttles, duration and concurrency with the reserved and
// provisioned levels drawn in, refreshed on a tick without blocking the UI.
type metricsPanel struct {
	c           *common
	id          int
	view        tune.MetricsView
	function    string
	qualifier   string // alias or version whose provisioned series are shown
	reserved    *int32
	provisioned int32
	data        *aws.FunctionMetrics
	updated     time.Time
	err         error
	fetching    bool
}

func newMetricsPanel(c *common, function string) metricsPanel {
	return metricsPanel{c: c, id: c.newID(), view: tune.ViewFor(c.where.Sandbox), function: function}
}

// setConcurrency records the levels drawn on the concurrency chart and the
// qualifier whose provisioned concurrency is shown.
func (p metricsPanel) setConcurrency(d aws.FunctionDetail) metricsPanel {
	p.reserved = d.Concurrency.Reserved
	p.provisioned, p.qualifier = 0, ""
	for _, pc := range d.Concurrency.Provisioned {
		p.provisioned += pc.Requested
		if p.qualifier == "" {
			p.qualifier = pc.Qualifier
		}
	}
	return p
}

// refresh starts one read unless one is already under way.
func (p metricsPanel) refresh() (metricsPanel, tea.Cmd) {
	if p.fetching {
		return p, nil
	}
	p.fetching = true
	now := p.c.clock.Now()
	q := aws.FunctionMetricsQuery{FunctionName: p.function, ProvisionedQualifier: p.qualifier,
		Window: aws.MetricWindow{Start: now.Add(-p.view.Window), End: now, Period: p.view.Period, PendingHorizon: p.view.Pending}}
	session, ctx, id := p.c.session, p.c.ctx, p.id
	return p, func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		m, err := session.FunctionMetrics(ctx, q)
		return metricsMsg{panel: id, metrics: m, at: now, err: err}
	}
}

func (p metricsPanel) tick() tea.Cmd {
	id := p.id
	return tea.Tick(p.view.Every, func(time.Time) tea.Msg { return metricsTickMsg{panel: id} })
}

func (p metricsPanel) Update(msg tea.Msg) (metricsPanel, tea.Cmd) {
	switch msg := msg.(type) {
	case metricsTickMsg:
		if msg.panel != p.id {
			return p, nil
		}
		var cmd tea.Cmd
		p, cmd = p.refresh()
		return p, tea.Batch(cmd, p.tick())
	case metricsMsg:
		if msg.panel != p.id {
			return p, nil
		}
		switch {
		case msg.err != nil && p.err == nil:
			p.c.log.Warn("metrics read failed", "function", p.function, "err", msg.err)
		case msg.err == nil && p.err != nil:
			p.c.log.Info("metrics read recovered", "function", p.function)
		}
		p.fetching, p.err = false, msg.err
		if msg.err == nil {
			p.data, p.updated = &msg.metrics, msg.at
		}
	}
	return p, nil
}

// averageDuration is the function's invocation-weighted average Duration
// over the panel's window (0 before data arrives), the basis of the edit
// dialogs' cost per 1M requests.
func (p metricsPanel) averageDuration() float64 {
	if p.data == nil {
		return 0
	}
	return tune.WeightedAverage(p.data.DurationAverage, p.data.Invocations)
}

// valueWidth is the column of current values right of the sparklines.
const (
	labelWidth  = 13
	valueWidth  = 34
	chartHeight = 6
)

func (p metricsPanel) View(width int) string {
	st := p.c.styles
	title := st.section.Render("Live metrics") + st.muted.Render(" · AWS/Lambda · "+describeView(p.view))
	if !p.updated.IsZero() {
		title += st.muted.Render(" · updated " + p.updated.Format("15:04:05"))
	}
	lines := []string{title}
	switch {
	case p.err != nil:
		lines = append(lines, st.errorLine.Render(fit("✗ metrics unavailable: "+printable(aws.Explain(p.err)), width, false)))
	case p.data == nil:
		lines = append(lines, st.muted.Render("reading CloudWatch…"))
	case !anyValue(p.data.Invocations, p.data.Throttles, p.data.ConcurrentExecutions):
		lines = append(lines, st.muted.Render("no data: no invocations in the last "+shortDuration(p.view.Window)))
	default:
		lines = append(lines, p.rows(width)...)
	}
	return strings.Join(lines, "\n")
}

func (p metricsPanel) rows(width int) []string {
	d := p.data
	sparkWidth := max(10, width-labelWidth-valueWidth-2)
	perPeriod := "/s"
	if p.view.Period != time.Second {
		perPeriod = "/" + shortDuration(p.view.Period)
	}
	rows := []string{
		p.row("invocations", d.InvocationsPerSecond, sparkWidth, formatCount(d.InvocationsPerSecond, "%.1f/s")),
		p.row("errors", d.Errors, sparkWidth, formatCount(d.Errors, "%.0f"+perPeriod)),
		p.row("throttles", d.Throttles, sparkWidth, formatCount(d.Throttles, "%.0f"+perPeriod)),
		p.row("duration avg", d.DurationAverage, sparkWidth, p.durationText()),
		p.row("duration max", d.DurationMaximum, sparkWidth, formatDuration(d.DurationMaximum)),
		p.row("cold starts", d.ColdStarts, sparkWidth, p.coldStartText()),
	}
	rows = append(rows, p.concurrencyRows(width-valueWidth-1)...)
	if p.qualifier != "" {
		rows = append(rows, p.row("provisioned", d.ProvisionedConcurrencyUtilization, sparkWidth, p.provisionedText()))
	}
	return rows
}

// row is one metric: label, sparkline, current value.
func (p metricsPanel) row(label string, s aws.Series, width int, value string) string {
	st := p.c.styles
	graph := st.muted.Render(fit("no data", width, false))
	if anyValue(s) {
		graph = p.sparkline(s, width)
	}
	return st.label.Render(fit(label, labelWidth, false)) + " " + graph + " " + st.value.Render(fit(value, valueWidth, false))
}

func (p metricsPanel) sparkline(s aws.Series, width int) string {
	sl := sparkline.New(width, 1, sparkline.WithStyle(lipgloss.NewStyle().Foreground(p.c.styles.section.GetForeground())))
	n := len(published(s.Points))
	// A gap (a duration in a period without invocations) draws as an empty
	// column: a sparkline has no glyph below its lowest bar.
	for i := max(0, n-width); i < n; i++ {
		v, _ := s.Value(i)
		sl.Push(v)
	}
	sl.Draw()
	return sl.View()
}

// concurrencyRows draws concurrent executions as a chart with the reserved and
// provisioned levels as reference lines.
func (p metricsPanel) concurrencyRows(width int) []string {
	st := p.c.styles
	d := p.data
	chart := timeserieslinechart.New(max(20, width-labelWidth-1), chartHeight,
		timeserieslinechart.WithXYSteps(0, 2),
		timeserieslinechart.WithAxesStyles(st.muted, st.muted),
		timeserieslinechart.WithStyle(lipgloss.NewStyle().Foreground(st.section.GetForeground())))
	// The chart spans the same trailing periods as the sparklines above it.
	points := published(d.ConcurrentExecutions.Points)
	if n := width - labelWidth - 1; len(points) > n {
		points = points[len(points)-n:]
	}
	if len(points) < 2 {
		return nil
	}
	first, last := points[0].Time, points[len(points)-1].Time
	top := math.Max(1, seriesMax(d.ConcurrentExecutions))
	for _, level := range p.levels() {
		top = math.Max(top, float64(level.value))
	}
	chart.SetTimeRange(first, last)
	chart.SetViewTimeRange(first, last)
	chart.SetYRange(0, top*1.1)
	chart.SetViewYRange(0, top*1.1)
	offset := len(published(d.ConcurrentExecutions.Points)) - len(points)
	for i, pt := range points {
		if v, ok := d.ConcurrentExecutions.Value(offset + i); ok {
			chart.Push(timeserieslinechart.TimePoint{Time: pt.Time, Value: v})
		}
	}
	names := []string{timeserieslinechart.DefaultDataSetName}
	for _, level := range p.levels() {
		chart.SetDataSetStyle(level.name, level.style)
		chart.PushDataSet(level.name, timeserieslinechart.TimePoint{Time: first, Value: float64(level.value)})
		chart.PushDataSet(level.name, timeserieslinechart.TimePoint{Time: last, Value: float64(level.value)})
		names = append(names, level.name)
	}
	chart.DrawDataSets(names)
	chartLines := strings.Split(chart.View(), "\n")
	legend := p.concurrencyLegend()
	out := make([]string, len(chartLines))
	for i, line := range chartLines {
		label := ""
		if i == 0 {
			label = "concurrency"
		}
		value := ""
		if i < len(legend) {
			value = legend[i]
		}
		out[i] = st.label.Render(fit(label, labelWidth, false)) + " " + line + " " + value
	}
	return out
}

type level struct {
	name  string
	value int32
	style lipgloss.Style
}

// levels are the reference lines on the concurrency chart.
func (p metricsPanel) levels() []level {
	var out []level
	if p.reserved != nil {
		out = append(out, level{"reserved", *p.reserved, p.c.styles.errorLine})
	}
	if p.provisioned > 0 {
		out = append(out, level{"provisioned", p.provisioned, p.c.styles.okLine})
	}
	return out
}

func (p metricsPanel) concurrencyLegend() []string {
	st := p.c.styles
	legend := []string{st.value.Render(formatCount(p.data.ConcurrentExecutions, "%.0f now")) +
		st.muted.Render(fmt.Sprintf(" · peak %.0f", seriesMax(p.data.ConcurrentExecutions)))}
	if p.reserved != nil {
		legend = append(legend, st.errorLine.Render(fmt.Sprintf("── reserved %d", *p.reserved)))
	}
	if p.provisioned > 0 {
		legend = append(legend, st.okLine.Render(fmt.Sprintf("── provisioned %d", p.provisioned)))
	}
	return legend
}

// coldStartText counts the window's cold starts and their Init Duration,
// which Lambda's Duration leaves out: a client sees init + duration.
func (p metricsPanel) coldStartText() string {
	d := p.data
	n, sum, weight := 0.0, 0.0, 0.0
	for i := range d.ColdStarts.Points {
		if c, ok := d.ColdStarts.Value(i); ok {
			n += c
			if avg, ok := d.InitDurationAverage.Value(i); ok {
				sum, weight = sum+avg*c, weight+c
			}
		}
	}
	switch {
	case n > 0 && weight > 0:
		return fmt.Sprintf("%.0f · init %s, not in Duration", n, formatMillis(sum/weight))
	case p.c.where.Sandbox:
		return "none in the window"
	}
	return "unknown: needs Lambda Insights"
}

func (p metricsPanel) durationText() string {
	d := p.data
	return formatDuration(d.DurationAverage) + " · p99 " + formatDuration(d.DurationP99)
}

func (p metricsPanel) provisionedText() string {
	d := p.data
	util := formatCount(d.ProvisionedConcurrencyUtilization, "%.0f%%", 100)
	return fmt.Sprintf("%s used on %s · spillover %s", util, p.qualifier, formatCount(d.SpilloverInvocations, "%.0f"))
}

// anyValue reports whether any of the series has a datapoint in the window.
func anyValue(series ...aws.Series) bool {
	for _, s := range series {
		for _, pt := range s.Points {
			if pt.State == aws.PointValue {
				return true
			}
		}
	}
	return false
}

func seriesMax(s aws.Series) float64 {
	top := 0.0
	for _, pt := range s.Points {
		if pt.State == aws.PointValue {
			top = math.Max(top, pt.Value)
		}
	}
	return top
}

// published drops the trailing periods CloudWatch has not published yet, so
// the graphs do not dip to zero at their right edge.
func published(points []aws.Point) []aws.Point {
	n := len(points)
	for n > 0 && points[n-1].State == aws.PointPending {
		n--
	}
	return points[:n]
}

// valueOrZero is a count's value in a period: on Lambda's count metrics no
// datapoint means nothing happened (statistics of values use Series.Value,
// which leaves a gap).
func valueOrZero(pt aws.Point) float64 {
	if pt.State == aws.PointValue {
		return pt.Value
	}
	return 0
}

// current is the newest period CloudWatch has published, skipping the
// pending ones; ok is false when the window has none.
func current(s aws.Series) (aws.Point, bool) {
	for i := len(s.Points) - 1; i >= 0; i-- {
		if s.Points[i].State != aws.PointPending {
			return s.Points[i], true
		}
	}
	return aws.Point{}, false
}

// formatCount renders the current value of a count or level (no datapoint
// there means zero), scaled by the optional factor, noting how many newer
// periods are still pending.
func formatCount(s aws.Series, format string, scale ...float64) string {
	pt, ok := current(s)
	if !ok {
		return "—" + pendingNote(s)
	}
	v := valueOrZero(pt)
	for _, f := range scale {
		v *= f
	}
	return fmt.Sprintf(format, v) + pendingNote(s)
}

// formatDuration renders the current value of a duration statistic, which
// has no value at all in a period without invocations.
func formatDuration(s aws.Series) string {
	pt, ok := current(s)
	if !ok || pt.State != aws.PointValue {
		return "—"
	}
	return formatMillis(pt.Value)
}

// pendingNote says how much of the newest data CloudWatch has not published yet.
func pendingNote(s aws.Series) string {
	n := 0
	for i := len(s.Points) - 1; i >= 0 && s.Points[i].State == aws.PointPending; i-- {
		n++
	}
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(" (%d pending)", n)
}

func formatMillis(ms float64) string {
	if ms >= 1000 {
		return fmt.Sprintf("%.2f s", ms/1000)
	}
	if ms >= 100 {
		return fmt.Sprintf("%.0f ms", ms)
	}
	return fmt.Sprintf("%.1f ms", ms)
}

func shortDuration(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%d h", d/time.Hour)
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return d.String()
}
