package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/NimbleMarkets/ntcharts/v2/linechart/timeserieslinechart"

	"github.com/lambdatune/lambdatune/tune"
)

// comparisonScreen is one snapshot in full: its changes, every endpoint
// before and after, both latency distributions side by side, and both runs'
// per-second latency and throughput on one time axis.
type comparisonScreen struct {
	c             *common
	id            int
	keys          keyMap
	snap          tune.Snapshot
	before, after *tune.RunRecord
	loaded        bool
	err           error
	back          key.Binding
}

type comparisonMsg struct {
	id            int
	before, after *tune.RunRecord
	err           error
}

func newComparisonScreen(c *common, snap tune.Snapshot) (comparisonScreen, tea.Cmd) {
	back := backKey("back")
	s := comparisonScreen{c: c, id: c.newID(), snap: snap, back: back,
		keys: keyMap{short: []key.Binding{back}, full: [][]key.Binding{{back}}}}
	session, ctx, id := c.session, c.ctx, s.id
	return s, func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		before, after, err := session.SnapshotRuns(ctx, snap)
		return comparisonMsg{id: id, before: before, after: after, err: err}
	}
}

func (s comparisonScreen) Title() string     { return fmt.Sprintf("Snapshot %d", s.snap.ID) }
func (s comparisonScreen) Capturing() bool   { return false }
func (s comparisonScreen) Keys() help.KeyMap { return s.keys }

func (s comparisonScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case comparisonMsg:
		if msg.id == s.id {
			s.before, s.after, s.err, s.loaded = msg.before, msg.after, msg.err, true
		}
	case tea.KeyPressMsg:
		if key.Matches(msg, s.back) {
			s.c.pop()
		}
	}
	return s, nil
}

func (s comparisonScreen) View() string {
	st := s.c.styles
	lines := []string{st.title.Render(fit(printable(fmt.Sprintf("%s %d · %s · %s", s.snap.Kind, s.snap.ID, s.snap.Function, s.snap.Title())), s.c.width, false))}
	for _, c := range s.snap.Changes {
		lines = append(lines, fit(fmt.Sprintf("  change %d %s: %s → %s (%s)", c.ID, c.Requested.Local().Format("15:04:05"),
			printable(c.BeforeSummary), printable(c.AfterSummary), c.Status), s.c.width, false))
	}
	for _, n := range s.snap.Notes {
		lines = append(lines, st.warn.Render(fit("! "+printable(n), s.c.width, false)))
	}
	switch {
	case s.err != nil:
		lines = append(lines, st.errorLine.Render(fit("✗ "+printable(s.err.Error()), s.c.width, false)))
	case !s.loaded:
		lines = append(lines, st.muted.Render("reading both runs…"))
	default:
		lines = append(lines, s.endpoints()...)
		lines = append(lines, "")
		lines = append(lines, s.distributions()...)
		lines = append(lines, s.charts(s.c.bodyHeight()-len(lines)-1)...)
	}
	return padLines(strings.Join(lines, "\n"), s.c.bodyHeight())
}

var comparisonColumns = []column{
	{title: "ENDPOINT", width: 14, flex: true},
	{title: "AVG", width: 17, right: true},
	{title: "P95", width: 17, right: true},
	{title: "P99", width: 17, right: true, optional: true},
	{title: "MAX", width: 17, right: true, optional: true},
	{title: "FAIL%", width: 11, right: true, optional: true},
}

// endpoints is one row per endpoint with both runs' numbers.
func (s comparisonScreen) endpoints() []string {
	st := s.c.styles
	cols, widths := layoutColumns(comparisonColumns, s.c.width)
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	lines := []string{st.tableHeader.Render(renderRow(cols, widths, titles))}
	for _, name := range s.endpointNames() {
		b, a := endpointOf(s.before, name), endpointOf(s.after, name)
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = comparisonCell(c.title, name, b, a)
		}
		lines = append(lines, renderRow(cols, widths, cells))
	}
	return lines
}

// endpointNames lists the endpoints of either run, then the aggregate.
func (s comparisonScreen) endpointNames() []string {
	var names []string
	seen := map[string]bool{}
	for _, r := range []*tune.RunRecord{s.before, s.after} {
		if r == nil {
			continue
		}
		for _, e := range r.Endpoints {
			if label := endpointLabel(e); !seen[label] {
				seen[label] = true
				names = append(names, label)
			}
		}
	}
	return append(names, "Aggregated")
}

func endpointLabel(e tune.EndpointRecord) string { return strings.TrimSpace(e.Method + " " + e.Name) }

func endpointOf(r *tune.RunRecord, label string) *tune.EndpointRecord {
	if r == nil {
		return nil
	}
	if label == "Aggregated" {
		return &r.Total
	}
	for i := range r.Endpoints {
		if endpointLabel(r.Endpoints[i]) == label {
			return &r.Endpoints[i]
		}
	}
	return nil
}

func comparisonCell(title, name string, b, a *tune.EndpointRecord) string {
	pick := func(f func(tune.EndpointRecord) string) string {
		side := func(e *tune.EndpointRecord) string {
			if e == nil {
				return "—"
			}
			return f(*e)
		}
		return side(b) + " → " + side(a)
	}
	switch title {
	case "ENDPOINT":
		return name
	case "AVG":
		return pick(func(e tune.EndpointRecord) string { return durText(e.Average) })
	case "P95":
		return pick(func(e tune.EndpointRecord) string { return durText(e.P95) })
	case "P99":
		return pick(func(e tune.EndpointRecord) string { return durText(e.P99) })
	case "MAX":
		return pick(func(e tune.EndpointRecord) string { return durText(e.Max) })
	case "FAIL%":
		return pick(func(e tune.EndpointRecord) string { return fmt.Sprintf("%.1f", e.FailurePercent()) })
	}
	return ""
}

// distributionRungs are the percentiles the two distributions are drawn at.
var distributionRungs = []float64{50, 75, 90, 95, 99, 99.9, 100}

// distributions draws both runs' latency distributions side by side, on one
// scale, from their HDR histograms.
func (s comparisonScreen) distributions() []string {
	st := s.c.styles
	half := s.c.width/2 - 1
	left := s.distribution("before", s.before, half)
	right := s.distribution("after", s.after, half)
	out := make([]string, len(distributionRungs)+1)
	for i := range out {
		out[i] = fit(left[i], half, false) + "  " + fit(right[i], half, false)
	}
	out[0] = st.section.Render(fit("latency before", half, false)) + "  " + st.section.Render(fit("latency after", half, false))
	return out
}

func (s comparisonScreen) distribution(label string, r *tune.RunRecord, width int) []string {
	st := s.c.styles
	out := []string{label}
	top := max(maxLatency(s.before), maxLatency(s.after))
	for _, p := range distributionRungs {
		if r == nil || r.Total.Requests == 0 {
			out = append(out, st.muted.Render(fmt.Sprintf("p%-5g —", p)))
			continue
		}
		v := r.Total.Latency.Quantile(p, r.Total.Min, r.Total.Max)
		bar := max(1, int(float64(width-18)*float64(v)/float64(max(top, 1))))
		out = append(out, fmt.Sprintf("p%-5g %9s ", p, durText(v))+st.section.Render(strings.Repeat("█", bar)))
	}
	return out
}

func maxLatency(r *tune.RunRecord) time.Duration {
	if r == nil {
		return 0
	}
	return r.Total.Max
}

// charts draws both runs' per-second p95 latency and requests/s on one
// elapsed-time axis.
func (s comparisonScreen) charts(height int) []string {
	st := s.c.styles
	if height < 6 {
		return nil
	}
	span := max(runSpan(s.before), runSpan(s.after))
	latency := chartSpec{title: "p95 latency per second", span: span, format: msText, lines: []chartLine{
		recordLine("before", st.muted, s.before, func(w tune.WindowRecord) float64 { return millisOf(w.P95) }),
		recordLine("after", st.section, s.after, func(w tune.WindowRecord) float64 { return millisOf(w.P95) }),
	}}
	rps := chartSpec{title: "requests/s", span: span, format: countText, lines: []chartLine{
		recordLine("before", st.muted, s.before, func(w tune.WindowRecord) float64 { return w.RPS }),
		recordLine("after", st.section, s.after, func(w tune.WindowRecord) float64 { return w.RPS }),
	}}
	half := s.c.width/2 - 1
	l := strings.Split(padLines(strings.Join(latency.draw(st, half, height), "\n"), height), "\n")
	r := strings.Split(padLines(strings.Join(rps.draw(st, half, height), "\n"), height), "\n")
	out := make([]string, height)
	for i := range out {
		out[i] = fit(l[i], half, false) + "  " + fit(r[i], half, false)
	}
	return out
}

func runSpan(r *tune.RunRecord) time.Duration {
	if r == nil || len(r.Windows) == 0 {
		return 0
	}
	last := r.Windows[len(r.Windows)-1]
	return last.Start + last.Length
}

func recordLine(name string, style lipgloss.Style, r *tune.RunRecord, value func(tune.WindowRecord) float64) chartLine {
	l := chartLine{name: name, style: style}
	if r == nil {
		return l
	}
	for _, w := range r.Windows {
		l.points = append(l.points, timeserieslinechart.TimePoint{Time: epochOf(w.Start + w.Length), Value: value(w)})
	}
	return l
}
