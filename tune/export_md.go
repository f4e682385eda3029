package tune

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteMarkdown writes a report a trainee can hand in: per snapshot the
// change, the load, the before/after table with deltas, the per-endpoint
// numbers and the cost, as Markdown tables.
func (r Report) WriteMarkdown(w io.Writer) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "# %s\n\n", mdEscape(r.Title()))
	fmt.Fprintf(b, "Generated %s by lambdatune. Costs use the %s price list (AWS list prices; no free tier).\n\n",
		r.Generated.Format(time.RFC1123), r.Region)
	for _, item := range r.Items {
		r.markdownItem(b, item)
	}
	return b.Flush()
}

func (r Report) markdownItem(b *bufio.Writer, item ReportItem) {
	s := item.Snapshot
	fmt.Fprintf(b, "## Snapshot %d: %s\n\n", s.ID, mdEscape(s.Title()))
	for _, c := range item.Changes {
		fmt.Fprintf(b, "- **Change %d** (%s, %s through %s): %s\n", c.ID, c.Status, c.Requested.Format(time.DateTime+" MST"), c.Path, mdEscape(c.Title))
		if c.Error != "" {
			fmt.Fprintf(b, "  - %s\n", mdEscape(c.Error))
		}
	}
	for _, run := range []*RunRecord{item.Before, item.After} {
		if run != nil {
			fmt.Fprintf(b, "- **%s run %d** %s, %s: %s\n", runSide(s, run), run.ID, run.Started.Format(time.DateTime+" MST"),
				run.Elapsed.Round(time.Second), mdEscape(run.Config.Summary()))
		}
	}
	if run := firstRun(item); run != nil {
		fmt.Fprintf(b, "- **Load**: %s\n", mdEscape(run.Settings.Describe()))
	}
	for _, note := range s.Notes {
		fmt.Fprintf(b, "- *Note*: %s\n", mdEscape(note))
	}
	b.WriteString("\n")
	if len(item.Deltas) > 0 {
		markdownDeltas(b, item.Deltas)
		r.markdownEndpoints(b, item)
	} else if item.After != nil {
		markdownRunTable(b, item.After.Summary(), r.Costs[item.After.ID])
	}
	r.markdownCost(b, item)
}

func runSide(s Snapshot, run *RunRecord) string {
	switch {
	case s.Kind == KindBaseline:
		return "Baseline"
	case s.Before != nil && run.ID == s.Before.ID:
		return "Before:"
	}
	return "After:"
}

func firstRun(item ReportItem) *RunRecord {
	if item.After != nil {
		return item.After
	}
	return item.Before
}

func markdownDeltas(b *bufio.Writer, deltas []Delta) {
	b.WriteString("| metric | before | after | change | verdict |\n|---|---:|---:|---:|---|\n")
	for _, d := range deltas {
		before, after := "unknown", "unknown"
		if d.Known {
			before, after = formatValue(d.Before, d.Unit), formatValue(d.After, d.Unit)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", d.Metric, before, after, d.ChangeText(), d.Verdict)
	}
	b.WriteString("\nWithin 2% (and half a millisecond, 0.1 percentage point of failures) counts as the same.\n\n")
}

func markdownRunTable(b *bufio.Writer, s RunSummary, c RunCost) {
	b.WriteString("| metric | value |\n|---|---:|\n")
	for _, row := range runNumbers(s, c) {
		fmt.Fprintf(b, "| %s | %s |\n", row[0], row[1])
	}
	b.WriteString("\n")
}

// runNumbers are the numbers of a run on its own (a baseline).
func runNumbers(s RunSummary, c RunCost) [][]string {
	return [][]string{
		{"requests", fmt.Sprint(s.Requests)}, {"average", fmtMs(s.Average)}, {"p50", fmtMs(s.P50)}, {"p95", fmtMs(s.P95)},
		{"p99", fmtMs(s.P99)}, {"max", fmtMs(s.Max)}, {"failure %", formatValue(s.failurePercent(), "%")},
		{"requests/s", formatValue(s.RPS, "req/s")}, {"cold starts", s.ColdStarts.String()}, {"cost per 1M", costText(c, c.PerMillion)},
	}
}

func (r Report) markdownEndpoints(b *bufio.Writer, item ReportItem) {
	b.WriteString("Per endpoint (before → after):\n\n| endpoint | requests | average | p95 | p99 | max | failures |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, pair := range pairEndpoints(item.Before, item.After) {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", mdEscape(pair.label()),
			pair.text(func(e EndpointRecord) string { return fmt.Sprint(e.Requests) }),
			pair.text(func(e EndpointRecord) string { return fmtMs(e.Average) }),
			pair.text(func(e EndpointRecord) string { return fmtMs(e.P95) }),
			pair.text(func(e EndpointRecord) string { return fmtMs(e.P99) }),
			pair.text(func(e EndpointRecord) string { return fmtMs(e.Max) }),
			pair.text(func(e EndpointRecord) string { return fmt.Sprint(e.Failures) }))
	}
	b.WriteString("\n")
}

func (r Report) markdownCost(b *bufio.Writer, item ReportItem) {
	runs := []*RunRecord{item.Before, item.After}
	if item.Snapshot.Kind == KindBaseline || item.Before == nil {
		runs = []*RunRecord{item.After}
	}
	if item.After == nil {
		runs = []*RunRecord{item.Before}
	}
	b.WriteString("Cost at each run's observed rate:\n\n| run | memory | billed duration | per 1M requests | per month | from |\n|---|---:|---:|---:|---:|---|\n")
	for _, run := range runs {
		if run == nil {
			continue
		}
		c := r.Costs[run.ID]
		fmt.Fprintf(b, "| %d | %d MB %s | %s | %s | %s | %s |\n", run.ID, run.Config.MemoryMB, run.Config.Architecture,
			billedText(c), costText(c, c.PerMillion), costText(c, c.PerMonth), mdEscape(costSource(c)))
	}
	b.WriteString("\n")
}

// costText writes one of a run's costs, "unknown" when it is not known.
func costText(c RunCost, dollars float64) string {
	if !c.Known {
		return "unknown"
	}
	return Dollars(dollars)
}

func billedText(c RunCost) string {
	if c.BilledSource == "" {
		return "unknown"
	}
	return fmtMs(c.BilledAverage)
}

func costSource(c RunCost) string {
	if !c.Known {
		return c.Why
	}
	return strings.Join(c.Notes, "; ")
}

func fmtMs(d time.Duration) string { return fmt.Sprintf("%.1f ms", msOf(d)) }

// mdEscape keeps a value from breaking a table or turning into markup.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", "\n", " ").Replace(s)
}

// endpointPair is one endpoint in the before and after runs.
type endpointPair struct {
	method, name  string
	before, after *EndpointRecord
}

func (p endpointPair) label() string { return strings.TrimSpace(p.method + " " + p.name) }

func (p endpointPair) text(f func(EndpointRecord) string) string {
	side := func(e *EndpointRecord) string {
		if e == nil {
			return "–"
		}
		return f(*e)
	}
	return side(p.before) + " → " + side(p.after)
}

func pairEndpoints(before, after *RunRecord) []endpointPair {
	var out []endpointPair
	index := map[string]int{}
	add := func(run *RunRecord, set func(*endpointPair, *EndpointRecord)) {
		if run == nil {
			return
		}
		for i := range run.Endpoints {
			e := &run.Endpoints[i]
			key := e.Method + " " + e.Name
			if _, ok := index[key]; !ok {
				index[key] = len(out)
				out = append(out, endpointPair{method: e.Method, name: e.Name})
			}
			set(&out[index[key]], e)
		}
	}
	add(before, func(p *endpointPair, e *EndpointRecord) { p.before = e })
	add(after, func(p *endpointPair, e *EndpointRecord) { p.after = e })
	return out
}
