package tune

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// SweepTableHeader is the steps table's header line.
const SweepTableHeader = "  Memory      p50      p95      p99      max   req/s  Duration   Billed  Cold  Init avg  Errors  Thr  T/O      $/1M"

// SweepRow is one step as a line of the table, "← chosen" after the chosen one.
func SweepRow(s SweepStep, chosen bool) string {
	cost := "?"
	if s.CostKnown {
		cost = fmt.Sprintf("$%.4f", s.PerMillion)
	}
	line := fmt.Sprintf("%5d MB %8s %8s %8s %8s %7.1f %9s %8s %5s %9s %7d %4d %4d %9s",
		s.MemoryMB, msCell(s.P50), msCell(s.P95), msCell(s.P99), msCell(s.Max), s.RPS, msCell(s.DurationAverage), msCell(s.BilledAverage),
		s.ColdStarts.String(), msCell(s.InitAverage), s.Failures, s.Throttles, s.Timeouts, cost)
	if chosen {
		line += "  ← chosen"
	}
	if s.Error != "" {
		line += "  (" + s.Error + ")"
	}
	return line
}

func msCell(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond))
}

// WriteTable prints the result: where, the workload, the steps, the choice
// and why, how the function was left, and the sandbox's modelled effects.
func (r SweepResult) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "sweep of %s · %s\n", r.Function, r.Where)
	fmt.Fprintf(w, "workload: %s\n", r.Workload)
	if r.ColdStarts {
		fmt.Fprintf(w, "cold starts only: %s\n", r.ColdStartMethod)
	}
	fmt.Fprintln(w, "latency is the client's (ms); Duration and Billed the function's average (ms); Cold the cold starts; T/O timeouts")
	fmt.Fprintln(w, SweepTableHeader)
	for i, s := range r.Steps {
		fmt.Fprintln(w, "  "+SweepRow(s, r.Choice.Found() && i == r.Choice.Index))
	}
	fmt.Fprintf(w, "choice (%s, %s): %s\n", r.Options.Strategy, r.Options.Percentile, r.Choice.Why)
	if r.Stopped != "" {
		fmt.Fprintf(w, "stopped early: %s\n", r.Stopped)
	}
	if r.Interrupted {
		fmt.Fprintln(w, "interrupted")
	}
	fmt.Fprintf(w, "end: %s\n", r.End.What)
	for _, u := range r.Untouched {
		fmt.Fprintf(w, "not touched: %s\n", u)
	}
	if len(r.ModelNotes) > 0 {
		fmt.Fprintf(w, "SANDBOX: these numbers come from lambdatune's model, not AWS; it models %s\n", strings.Join(r.ModelNotes, "; "))
	}
}
