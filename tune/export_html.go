package tune

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"time"
)

//go:embed report.html
var reportTemplateText string

var reportTemplate = template.Must(template.New("report").Parse(reportTemplateText))

// WriteHTML writes a self-contained HTML report: no script, no link to
// anything, the charts inlined as SVG, so the file opens offline and can be
// mailed.
func (r Report) WriteHTML(w io.Writer) error {
	page := htmlPage{Title: r.Title(), Generated: r.Generated.Format(time.RFC1123), Region: r.Region}
	for _, item := range r.Items {
		section, err := r.htmlSection(item)
		if err != nil {
			return err
		}
		page.Items = append(page.Items, section)
	}
	sweeps, err := r.htmlSweeps()
	if err != nil {
		return err
	}
	page.Sweeps = sweeps
	return reportTemplate.Execute(w, page)
}

type htmlPage struct {
	Title, Generated, Region string
	Items                    []htmlSection
	Sweeps                   []htmlSweep
}

type htmlSection struct {
	ID        int64
	Title     string
	Changes   []htmlChange
	Runs      []htmlRun
	Load      string
	Notes     []string
	Deltas    []htmlDelta
	Numbers   [][]string
	Endpoints [][]string
	Costs     [][]string
	Charts    []htmlChart
}

type htmlChange struct {
	ID                               int64
	Status, When, Path, Title, Error string
}

type htmlRun struct {
	Side                 string
	ID                   int64
	When, Length, Config string
}

type htmlDelta struct{ Metric, Before, After, Change, Verdict string }

type htmlChart struct {
	SVG     template.HTML // drawn by gonum/plot from numbers, never from user text
	Caption string
}

func (r Report) htmlSection(item ReportItem) (htmlSection, error) {
	s := item.Snapshot
	sec := htmlSection{ID: s.ID, Title: s.Title(), Notes: s.Notes}
	for _, c := range item.Changes {
		sec.Changes = append(sec.Changes, htmlChange{ID: c.ID, Status: c.Status, When: c.Requested.Format(time.DateTime + " MST"),
			Path: c.Path, Title: c.Title, Error: c.Error})
	}
	for _, run := range []*RunRecord{item.Before, item.After} {
		if run != nil {
			sec.Runs = append(sec.Runs, htmlRun{Side: runSide(s, run), ID: run.ID, When: run.Started.Format(time.DateTime + " MST"),
				Length: run.Elapsed.Round(time.Second).String(), Config: run.Config.Summary()})
		}
	}
	if run := firstRun(item); run != nil {
		sec.Load = run.Settings.Describe()
	}
	sec.Deltas = htmlDeltas(item.Deltas)
	if len(item.Deltas) > 0 {
		sec.Endpoints = htmlEndpoints(item)
	} else if item.After != nil {
		sec.Numbers = runNumbers(item.After.Summary(), r.Costs[item.After.ID])
	}
	sec.Costs = r.htmlCosts(item)
	charts, err := htmlCharts(item)
	sec.Charts = charts
	return sec, err
}

func htmlDeltas(deltas []Delta) []htmlDelta {
	var out []htmlDelta
	for _, d := range deltas {
		row := htmlDelta{Metric: d.Metric, Before: "unknown", After: "unknown", Change: d.ChangeText(), Verdict: string(d.Verdict)}
		if d.Known {
			row.Before, row.After = formatValue(d.Before, d.Unit), formatValue(d.After, d.Unit)
		}
		out = append(out, row)
	}
	return out
}

func htmlEndpoints(item ReportItem) [][]string {
	var rows [][]string
	for _, p := range pairEndpoints(item.Before, item.After) {
		rows = append(rows, []string{p.label(),
			p.text(func(e EndpointRecord) string { return fmt.Sprint(e.Requests) }),
			p.text(func(e EndpointRecord) string { return fmtMs(e.Average) }),
			p.text(func(e EndpointRecord) string { return fmtMs(e.P95) }),
			p.text(func(e EndpointRecord) string { return fmtMs(e.P99) }),
			p.text(func(e EndpointRecord) string { return fmtMs(e.Max) }),
			p.text(func(e EndpointRecord) string { return fmt.Sprint(e.Failures) })})
	}
	return rows
}

func (r Report) htmlCosts(item ReportItem) [][]string {
	var rows [][]string
	for _, run := range []*RunRecord{item.Before, item.After} {
		if run == nil {
			continue
		}
		c := r.Costs[run.ID]
		rows = append(rows, []string{fmt.Sprint(run.ID), fmt.Sprintf("%d MB %s", run.Config.MemoryMB, run.Config.Architecture),
			billedText(c), costText(c, c.PerMillion), costText(c, c.PerMonth), costSource(c)})
	}
	return rows
}

func htmlCharts(item ReportItem) ([]htmlChart, error) {
	if item.Before == nil && item.After == nil {
		return nil, nil
	}
	charts := []struct {
		draw    func(before, after *RunRecord) (string, error)
		caption string
	}{
		{LatencyChart, "p50 and p95 latency per second; the run before dashed, the run after solid."},
		{DistributionChart, "The two latency distributions, from the runs' HDR histograms."},
		{ConcurrencyChart, "Requests in flight at the end of each second."},
	}
	var out []htmlChart
	for _, c := range charts {
		svg, err := c.draw(item.Before, item.After)
		if err != nil {
			return nil, err
		}
		out = append(out, htmlChart{SVG: template.HTML(svg), Caption: c.caption}) //nolint:gosec // our own SVG
	}
	return out, nil
}
