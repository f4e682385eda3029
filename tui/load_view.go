package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/lambdatune/lambdatune/load"
)

func (s loadScreen) View() string {
	var lines []string
	switch s.phase {
	case phaseForm:
		lines = s.formView()
	case phaseRunning:
		lines = s.runningView()
	default:
		lines = s.finishedView()
	}
	return padLines(strings.Join(lines, "\n"), s.c.bodyHeight())
}

func (s loadScreen) formView() []string {
	st := s.c.styles
	lines := []string{st.title.Render("New load test") + st.muted.Render(" · "+printable(s.detail.Name)), ""}
	lines = append(lines, s.form.lines(st, s.c.width)...)
	lines = append(lines, "", st.muted.Render("The lab's Locust run: 100 users started at 3/s, about 200 requests/s. Every test is bounded by its run time."))
	if s.err != nil {
		lines = append(lines, st.errorLine.Render(fit("✗ "+printable(s.err.Error()), s.c.width, false)))
	}
	return lines
}

func (s loadScreen) runningView() []string {
	lines := append([]string{s.progressLine(), s.problemLine()}, s.table()...)
	return append(lines, s.charts(s.c.bodyHeight()-len(lines))...)
}

// progressLine is where the run is: elapsed of run time, users, rate, failures.
func (s loadScreen) progressLine() string {
	st := s.c.styles
	snap := s.sample.snap
	total := snap.Total
	line := fmt.Sprintf("▶ %s / %s · %s · %.1f req/s · %.2f%% failed · in flight %d",
		clockText(snap.Elapsed), clockText(s.runTime()), s.usersText(), total.CurrentRPS, total.FailRatio()*100, snap.InFlight)
	if d := s.panel.data; d != nil {
		if pt, ok := current(d.ConcurrentExecutions); ok {
			line += fmt.Sprintf(" · concurrency %s", countText(valueOrZero(pt)))
		}
	}
	return fit(st.value.Render(line), s.c.width, false)
}

func (s loadScreen) runTime() time.Duration {
	settings, err := s.form.settings()
	if err != nil {
		return 0
	}
	return settings.RunTime
}

func (s loadScreen) usersText() string {
	users, rate := s.run.Target()
	if s.info.Model == "open" {
		return fmt.Sprintf("open model %g/s, %d connections", rate, s.sample.snap.Users)
	}
	return fmt.Sprintf("users %d/%d", s.sample.snap.Users, users)
}

// problemLine says, in a word, why requests fail right now (the endpoint
// gone, throttles...), or which target the run loads.
func (s loadScreen) problemLine() string {
	st := s.c.styles
	w := s.lastWindow()
	if w != nil && w.Failures > 0 {
		share := float64(w.Failures) / float64(max(1, w.Requests)) * 100
		return fit(st.errorLine.Render(fmt.Sprintf("✗ %.0f%% of requests failed in the last second: %s", share,
			printable(topError(s.sample.snap.Total.Errors)))), s.c.width, false)
	}
	return fit(st.muted.Render("→ "+printable(s.info.Target)+" · "+s.info.Scenario+" scenario"), s.c.width, false)
}

func (s loadScreen) lastWindow() *load.Window {
	if n := len(s.sample.windows); n > 0 {
		return &s.sample.windows[n-1]
	}
	return nil
}

// topError is the most frequent failure so far.
func topError(errs map[string]uint64) string {
	best, n := "", uint64(0)
	for text, count := range errs {
		if count > n || (count == n && text < best) {
			best, n = text, count
		}
	}
	if best == "" {
		return "see the status codes (v)"
	}
	return best
}

var statsColumns = []column{
	{title: "TYPE", width: 6},
	{title: "NAME", width: 12, flex: true},
	{title: "REQS", width: 7, right: true},
	{title: "FAILS", width: 6, right: true},
	{title: "AVG", width: 7, right: true},
	{title: "MIN", width: 7, right: true, optional: true},
	{title: "MED", width: 7, right: true},
	{title: "P95", width: 7, right: true},
	{title: "P99", width: 7, right: true},
	{title: "MAX", width: 7, right: true},
	{title: "RPS", width: 6, right: true},
	{title: "FAIL/S", width: 6, right: true, optional: true},
	{title: "SIZE", width: 6, right: true, optional: true},
}

// table is Locust's statistics: one row per endpoint and the aggregate.
func (s loadScreen) table() []string {
	st := s.c.styles
	cols, widths := layoutColumns(statsColumns, s.c.width)
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	lines := []string{st.tableHeader.Render(renderRow(cols, widths, titles))}
	snap := s.sample.snap
	for _, e := range snap.Endpoints {
		lines = append(lines, renderRow(cols, widths, statsCells(e, cols)))
	}
	total := snap.Total
	total.Method, total.Name = "", "Aggregated"
	return append(lines, st.title.Render(renderRow(cols, widths, statsCells(total, cols))))
}

func statsCells(e load.EndpointStats, cols []column) []string {
	cells := make([]string, len(cols))
	for i, c := range cols {
		cells[i] = statsCell(&e, c.title)
	}
	return cells
}

func statsCell(e *load.EndpointStats, title string) string {
	switch title {
	case "TYPE":
		return e.Method
	case "NAME":
		return e.Name
	case "REQS":
		return strconv.FormatUint(e.Requests, 10)
	case "FAILS":
		return strconv.FormatUint(e.Failures, 10)
	case "AVG":
		return durText(e.Average)
	case "MIN":
		return durText(e.Min)
	case "MED":
		return durText(e.Median())
	case "P95":
		return durText(e.Percentile(95))
	case "P99":
		return durText(e.Percentile(99))
	case "MAX":
		return durText(e.Max)
	case "RPS":
		return fmt.Sprintf("%.1f", e.CurrentRPS)
	case "FAIL/S":
		return fmt.Sprintf("%.1f", e.CurrentFailuresPerSec)
	case "SIZE":
		return fmt.Sprintf("%.0f", e.AverageSize)
	}
	return ""
}

func durText(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return formatMillis(millisOf(d))
}

// charts draws the view chosen with v in the height left, again only when
// what it shows has changed.
func (s loadScreen) charts(height int) []string {
	key := fmt.Sprintf("%d/%d/%d/%d/%d/%v/%d", height, s.c.width, s.view, len(s.sample.windows), len(s.marks), s.panel.updated, s.sample.snap.Total.Requests)
	if s.view != viewDistribution && s.view != viewCodes {
		key = fmt.Sprintf("%d/%d/%d/%d/%d/%v", height, s.c.width, s.view, len(s.sample.windows), len(s.marks), s.panel.updated)
	}
	if s.chartMemo != nil && s.chartMemo.key == key {
		return s.chartMemo.lines
	}
	lines := s.drawCharts(height)
	if s.chartMemo != nil {
		s.chartMemo.key, s.chartMemo.lines = key, lines
	}
	return lines
}

func (s loadScreen) drawCharts(height int) []string {
	st := s.c.styles
	head := st.muted.Render(fmt.Sprintf("view: %s (v for next)", s.view)) + s.marksText()
	height--
	if height < 4 {
		return []string{head}
	}
	var body []string
	switch s.view {
	case viewOverview:
		body = s.grid(height, s.rpsChart(), s.latencyChart(), s.failuresChart(), s.concurrencyChart())
	case viewLatency:
		body = s.latencyChart().draw(st, s.c.width, height)
	case viewConcurrency:
		body = s.concurrencyChart().draw(st, s.c.width, height)
	case viewDistribution:
		body = s.distribution(height)
	case viewCodes:
		body = s.codes(height)
	}
	return append([]string{head}, body...)
}

// grid lays four charts out two by two, or stacks two when the terminal is
// narrow.
func (s loadScreen) grid(height int, charts ...chartSpec) []string {
	st := s.c.styles
	if s.c.width < 100 && height < 16 {
		half := height / 2
		return append(charts[0].draw(st, s.c.width/2-1, half), charts[1].draw(st, s.c.width/2-1, half)...)
	}
	colWidth := s.c.width/2 - 1
	rowHeight := height / 2
	var out []string
	for row := 0; row < 2; row++ {
		left := padLines(strings.Join(charts[2*row].draw(st, colWidth, rowHeight), "\n"), rowHeight)
		right := padLines(strings.Join(charts[2*row+1].draw(st, colWidth, rowHeight), "\n"), rowHeight)
		l, r := strings.Split(left, "\n"), strings.Split(right, "\n")
		for i := range l {
			out = append(out, fit(l[i], colWidth, false)+"  "+fit(r[i], colWidth, false))
		}
	}
	return out
}

func (s loadScreen) span() time.Duration { return s.sample.at }

// marksText names the rules on the charts: what changed, and when.
func (s loadScreen) marksText() string {
	var parts []string
	for i, m := range s.marks {
		parts = append(parts, fmt.Sprintf("┃%d %s %s", i+1, clockText(m.at), printable(m.label)))
	}
	if len(parts) == 0 {
		return ""
	}
	return "  " + s.c.styles.warn.Render(fit(strings.Join(parts, " · "), max(10, s.c.width-30), false))
}

func (s loadScreen) rpsChart() chartSpec {
	st := s.c.styles
	return chartSpec{title: "requests/s", span: s.span(), marks: s.marks, format: countText,
		lines: []chartLine{windowLine("req/s", st.section, s.sample.windows, func(w load.Window) float64 { return w.RPS })}}
}

func (s loadScreen) latencyChart() chartSpec {
	st := s.c.styles
	w := s.sample.windows
	return chartSpec{title: "latency", span: s.span(), marks: s.marks, format: msText, lines: []chartLine{
		windowLine("p50", st.okLine, w, func(w load.Window) float64 { return millisOf(w.P50) }),
		windowLine("p95", st.section, w, func(w load.Window) float64 { return millisOf(w.P95) }),
		windowLine("max", st.errorLine, w, func(w load.Window) float64 { return millisOf(w.Max) }),
	}}
}

func (s loadScreen) failuresChart() chartSpec {
	st := s.c.styles
	w := s.sample.windows
	return chartSpec{title: "failures/s", span: s.span(), marks: s.marks, format: countText, lines: []chartLine{
		windowLine("failures", st.errorLine, w, func(w load.Window) float64 { return w.FailuresPerSec }),
		windowLine("throttles", st.warn, w, func(w load.Window) float64 { return float64(w.Throttles) / max(w.Length.Seconds(), 0.001) }),
	}}
}

// concurrencyChart is the engine's requests in flight and the function's
// ConcurrentExecutions from CloudWatch, with its reserved and provisioned levels.
func (s loadScreen) concurrencyChart() chartSpec {
	st := s.c.styles
	lines := []chartLine{windowLine("in flight", st.section, s.sample.windows, func(w load.Window) float64 { return float64(w.InFlight) })}
	if d := s.panel.data; d != nil {
		lines = append(lines, seriesLine("function", st.okLine, d.ConcurrentExecutions, s.started))
	}
	for _, l := range s.panel.levels() {
		lines = append(lines, levelLine(l.name, l.style, float64(l.value), s.span()))
	}
	return chartSpec{title: "concurrency", span: s.span(), marks: s.marks, format: countText, lines: lines}
}

// distributionPercentiles are the rungs of the latency distribution.
var distributionPercentiles = []float64{10, 25, 50, 75, 90, 95, 99, 99.9, 100}

// distribution draws the aggregate latency distribution as bars, one per
// percentile, from the run's HDR histogram.
func (s loadScreen) distribution(height int) []string {
	st := s.c.styles
	total := s.sample.snap.Total
	if total.Requests == 0 {
		return []string{st.muted.Render("no requests yet")}
	}
	top := millisOf(total.Max)
	barWidth := max(10, s.c.width-24)
	var out []string
	for _, p := range distributionPercentiles[:min(len(distributionPercentiles), height)] {
		v := millisOf(total.Percentile(p))
		n := int(float64(barWidth) * v / max(top, 1))
		out = append(out, fmt.Sprintf("%-7s %9s ", "p"+strconv.FormatFloat(p, 'f', -1, 64), msText(v))+st.section.Render(strings.Repeat("█", max(1, n))))
	}
	return out
}

// codes lists the responses by status code and the failures by kind.
func (s loadScreen) codes(height int) []string {
	st := s.c.styles
	counts := map[int]uint64{}
	for _, e := range s.sample.snap.Endpoints {
		for code, n := range e.StatusCodes {
			counts[code] += n
		}
	}
	var codes []int
	for code := range counts {
		codes = append(codes, code)
	}
	sort.Ints(codes)
	out := []string{st.label.Render("status codes")}
	for _, code := range codes {
		out = append(out, fmt.Sprintf("  %3d  %d", code, counts[code]))
	}
	errs := s.sample.snap.Total.Errors
	if len(errs) > 0 {
		out = append(out, st.label.Render("failures"))
		var texts []string
		for text := range errs {
			texts = append(texts, text)
		}
		sort.Slice(texts, func(i, j int) bool { return errs[texts[i]] > errs[texts[j]] })
		for _, t := range texts {
			out = append(out, fit(fmt.Sprintf("  %6d  %s", errs[t], printable(t)), s.c.width, false))
		}
	}
	if len(out) > height {
		out = out[:height]
	}
	return out
}

// finishedView is the summary of what matters, then the table and charts.
func (s loadScreen) finishedView() []string {
	st := s.c.styles
	snap := s.sample.snap
	t := snap.Total
	lines := []string{
		st.title.Render(fmt.Sprintf("Finished: %s after %s · %d requests", snap.Reason, clockText(snap.Elapsed), t.Requests)),
		fit(fmt.Sprintf("average %s · p50 %s · p95 %s · p99 %s · max %s · %.2f%% failed · %.1f req/s",
			durText(t.Average), durText(t.Median()), durText(t.Percentile(95)), durText(t.Percentile(99)), durText(t.Max),
			t.FailRatio()*100, t.TotalRPS), s.c.width, false),
	}
	if snap.Unreachable {
		lines = append(lines, fit(st.errorLine.Render("✗ nothing is listening at "+printable(s.info.Target)+": every attempt to connect failed"), s.c.width, false))
	}
	if cut := load.InFlightAtStopLine(snap); cut != "" {
		lines = append(lines, fit(st.muted.Render(cut), s.c.width, false))
	}
	if server := s.serverLine(); server != "" {
		lines = append(lines, fit(server, s.c.width, false))
	}
	lines = append(lines, s.exportLine())
	lines = append(lines, s.journalLines()...)
	lines = append(lines, s.table()...)
	return append(lines, s.charts(s.c.bodyHeight()-len(lines))...)
}

// serverLine is what the function itself reported (Invoke's REPORT lines):
// cold starts, their Init Duration, and billed duration.
func (s loadScreen) serverLine() string {
	sv := s.sample.snap.Total.Server
	if sv.Invocations == 0 {
		return s.insightsLine()
	}
	line := fmt.Sprintf("function: %d cold starts", sv.ColdStarts)
	if sv.ColdStarts > 0 {
		line += fmt.Sprintf(" (Init Duration avg %s, max %s)", durText(sv.AverageInitDuration), durText(sv.MaxInitTime))
	}
	return line + fmt.Sprintf(" · Duration avg %s, p99 %s · billed avg %s", durText(sv.AverageDuration), durText(sv.P99), durText(sv.AverageBilledDuration))
}

// journalLines say where the run is kept and, when it follows a change, how
// the numbers moved: the new snapshot's deltas.
func (s loadScreen) journalLines() []string {
	st := s.c.styles
	r := s.recorded
	switch {
	case s.c.session.Journal() == nil:
		return nil
	case r == nil:
		return []string{st.muted.Render("keeping the run in the journal…")}
	case r.err != nil:
		return []string{fit(st.errorLine.Render("✗ not journalled: "+printable(r.err.Error())), s.c.width, false)}
	case r.snapshot == nil:
		return []string{st.muted.Render(fmt.Sprintf("journalled as run %d (s on the function: snapshots)", r.id))}
	}
	head := fmt.Sprintf("journalled as run %d: after %s", r.id, printable(r.snapshot.Title()))
	if !r.snapshot.Comparable {
		head += " — " + strings.Join(r.snapshot.Notes, "; ")
	}
	return []string{fit(st.section.Render(head), s.c.width, false), fit(deltaLine(st, r.snapshot.Deltas(s.c.session.Prices())), s.c.width, false)}
}

// insightsLine is an HTTP run's cold starts as CloudWatch counted them
// (Lambda Insights' init_duration), once the run is journalled: the client
// saw them as its slowest requests, though Duration leaves the init out.
func (s loadScreen) insightsLine() string {
	r := s.recorded
	if r == nil || r.err != nil || !r.coldStarts.Known {
		return ""
	}
	line := fmt.Sprintf("function: %d cold starts in the run's window (%s)", r.coldStarts.Value, r.coldStarts.Source)
	if r.initMs != nil && r.coldStarts.Value > 0 {
		line += fmt.Sprintf(", Init Duration avg %s — not counted in Lambda's Duration, seen by the client", formatMillis(*r.initMs))
	}
	return line
}

func (s loadScreen) exportLine() string {
	st := s.c.styles
	switch {
	case s.err != nil:
		return fit(st.errorLine.Render("✗ export: "+printable(s.err.Error())), s.c.width, false)
	case len(s.saved) > 0:
		return fit(st.okLine.Render("saved "+strings.Join(s.saved, ", ")), s.c.width, false)
	}
	return st.muted.Render("e saves Locust's CSV files and the JSON report, as lambdatune load --csv --json writes them")
}

// exportCmd writes the run's CSV files and JSON report, off the UI's goroutine.
func (s loadScreen) exportCmd() tea.Cmd {
	run, id, dir := s.run, s.id, s.c.exportDir
	name := fmt.Sprintf("lambdatune-%s-%s", safeFileName(s.detail.Name), s.info.Started.UTC().Format("20060102T150405Z"))
	return func() tea.Msg {
		files, err := exportRun(context.Background(), run, filepath.Join(dir, name))
		return loadExportMsg{id: id, files: files, err: err}
	}
}

func exportRun(_ context.Context, run *load.Run, prefix string) ([]string, error) {
	snap := run.Snapshot()
	windows := run.Windows(0)
	info := run.Info()
	if err := load.WriteLocustCSV(prefix, snap, windows, info.Started); err != nil {
		return nil, err
	}
	f, err := os.Create(prefix + ".json")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := load.WriteJSON(f, load.NewJSONReport(info, snap, windows, nil)); err != nil {
		return nil, err
	}
	return []string{prefix + "_stats.csv", prefix + "_stats_history.csv", prefix + "_failures.csv", prefix + ".json"}, f.Close()
}

func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			return r
		}
		return '_'
	}, s)
}
