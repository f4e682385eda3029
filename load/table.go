package load

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// WriteTable prints the final results the way Locust does at the end of a
// headless run — its stats table and its percentile table — followed by the
// status and error breakdown, the function's own timings (Invoke target) and,
// in the open model, how well the schedule was kept.
func WriteTable(w io.Writer, snap Snapshot) {
	rows := append(append([]EndpointStats(nil), snap.Endpoints...), snap.Total)
	width := nameWidth(rows)
	writeStatsTable(w, rows, width)
	fmt.Fprintln(w)
	writePercentileTable(w, rows, width)
	writeStatusBreakdown(w, snap.Endpoints)
	writeServerTable(w, rows, width)
	writeOpenModel(w, snap.Open)
	if line := InFlightAtStopLine(snap); line != "" {
		fmt.Fprintf(w, "\n%s\n", line)
	}
}

// InFlightAtStopLine says how many requests the stop cut off, per endpoint:
// "3 requests in flight at stop, not timed (in none of the counts above):
// GET /products/[id] 2, POST /products 1"; empty when there were none.
func InFlightAtStopLine(snap Snapshot) string {
	n := snap.Total.InFlightAtStop
	if n == 0 {
		return ""
	}
	var parts []string
	for _, e := range snap.Endpoints {
		if e.InFlightAtStop > 0 {
			parts = append(parts, fmt.Sprintf("%s %s %d", e.Method, e.Name, e.InFlightAtStop))
		}
	}
	return fmt.Sprintf("%d %s in flight at stop, not timed (in none of the counts above): %s",
		n, plural(n, "request", "requests"), strings.Join(parts, ", "))
}

func plural(n uint64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func nameWidth(rows []EndpointStats) int {
	width := 24
	for _, r := range rows {
		width = max(width, len(r.Name)+2)
	}
	return width
}

func writeStatsTable(w io.Writer, rows []EndpointStats, width int) {
	head := fmt.Sprintf("%%-8s %%-%ds %%7s %%12s |%%7s %%7s %%7s %%7s | %%7s %%11s %%9s\n", width)
	fmt.Fprintf(w, head, "Type", "Name", "# reqs", "# fails", "Avg", "Min", "Max", "Med", "req/s", "failures/s", "Avg size")
	sep := fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n", dashes(8), dashes(width+1), dashes(7), dashes(13), dashes(7), dashes(7), dashes(7), dashes(7), dashes(8), dashes(11), dashes(9))
	line := fmt.Sprintf("%%-8s %%-%ds %%7d %%12s |%%7s %%7s %%7s %%7s | %%7.2f %%11.2f %%9.0f\n", width)
	for i, r := range rows {
		if i == 0 || i == len(rows)-1 {
			fmt.Fprint(w, sep)
		}
		fails := fmt.Sprintf("%d(%.2f%%)", r.Failures, r.FailRatio()*100)
		fmt.Fprintf(w, line, r.Method, r.Name, r.Requests, fails, msText(r.Average), msText(r.Min), msText(r.Max), msText(r.Median()), r.TotalRPS, r.TotalFailuresPerSec, r.AverageSize)
	}
}

func writePercentileTable(w io.Writer, rows []EndpointStats, width int) {
	fmt.Fprintln(w, "Response time percentiles (HDR histogram, 0.1% resolution)")
	headers := percentileHeaders()
	fmt.Fprintf(w, "%-8s %-*s %s %6s\n", "Type", width, "Name", padAll(headers, 7), "# reqs")
	sep := dashes(8) + "|" + dashes(width+1) + "|" + strings.Repeat(dashes(7)+"|", len(headers)) + dashes(7) + "\n"
	for i, r := range rows {
		if i == 0 || i == len(rows)-1 {
			fmt.Fprint(w, sep)
		}
		values := make([]string, len(ReportedPercentiles))
		for j, p := range ReportedPercentiles {
			values[j] = msText(r.Percentile(p * 100))
		}
		if r.Requests == 0 {
			values = repeat("N/A", len(values))
		}
		fmt.Fprintf(w, "%-8s %-*s %s %6d\n", r.Method, width, r.Name, padAll(values, 7), r.Requests)
	}
}

func writeStatusBreakdown(w io.Writer, rows []EndpointStats) {
	var lines []string
	for _, r := range rows {
		if len(r.StatusCodes) > 0 {
			lines = append(lines, fmt.Sprintf("  %-8s %-24s %s", r.Method, r.Name, statusList(r.StatusCodes)))
		}
	}
	if len(lines) > 0 {
		fmt.Fprintln(w, "\nStatus codes")
		fmt.Fprintln(w, strings.Join(lines, "\n"))
	}
	writeErrors(w, rows)
}

func statusList(codes map[int]uint64) string {
	keys := make([]int, 0, len(codes))
	for code := range codes {
		keys = append(keys, code)
	}
	sort.Ints(keys)
	parts := make([]string, len(keys))
	for i, code := range keys {
		parts[i] = fmt.Sprintf("%d×%d", code, codes[code])
	}
	return strings.Join(parts, "  ")
}

func writeErrors(w io.Writer, rows []EndpointStats) {
	var lines []string
	for _, r := range rows {
		for text, n := range r.Errors {
			lines = append(lines, fmt.Sprintf("%-18d %s %s: %s", n, r.Method, r.Name, text))
		}
	}
	if len(lines) == 0 {
		return
	}
	sort.Strings(lines)
	fmt.Fprintln(w, "\nError report")
	fmt.Fprintf(w, "%-18s %s\n%s\n%s\n", "# occurrences", "Error", dashes(18)+"|"+dashes(60), strings.Join(lines, "\n"))
}

func writeServerTable(w io.Writer, rows []EndpointStats, width int) {
	if rows[len(rows)-1].Server.Invocations == 0 {
		return
	}
	fmt.Fprintln(w, "\nFunction's own timing (REPORT lines; client latency above includes the network and Lambda's front end)")
	fmt.Fprintf(w, "%-8s %-*s %7s %7s %7s %7s %7s %6s %9s %9s %7s\n", "Type", width, "Name", "# calls", "Avg", "Med", "99%", "Billed", "Cold", "Init avg", "Init max", "Max MB")
	for _, r := range rows {
		s := r.Server
		if s.Invocations == 0 {
			continue
		}
		fmt.Fprintf(w, "%-8s %-*s %7d %7s %7s %7s %7s %6d %9s %9s %7d\n", r.Method, width, r.Name, s.Invocations,
			msText(s.AverageDuration), msText(s.P50), msText(s.P99), msText(s.AverageBilledDuration), s.ColdStarts,
			msText(s.AverageInitDuration), msText(s.MaxInitTime), s.MaxMemoryUsedMB)
	}
}

func writeOpenModel(w io.Writer, open OpenStats) {
	if open.Sent == 0 && open.Dropped == 0 {
		return
	}
	fmt.Fprintf(w, "\nArrival schedule: %d sent, %d late (sent over %v after their due time; latency counted from it), %d dropped (due but never sent: all workers busy)\n",
		open.Sent, open.Late, open.LateAfter, open.Dropped)
}

// msText prints milliseconds with the precision a reader needs: 0.42, 12.3, 250.
func msText(d time.Duration) string {
	v := ms(d)
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f", v)
	case v < 100:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.0f", v)
	}
}

func dashes(n int) string { return strings.Repeat("-", n) }

func padAll(values []string, width int) string {
	padded := make([]string, len(values))
	for i, v := range values {
		padded[i] = fmt.Sprintf("%*s", width, v)
	}
	return strings.Join(padded, "")
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}
