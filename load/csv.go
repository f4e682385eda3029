package load

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Column headers of Locust 2.12's CSV files, copied from the files Locust
// itself writes (testdata/locust-2.12), so tools that read Locust's CSV read ours.
var (
	statsColumns = append([]string{
		"Type", "Name", "Request Count", "Failure Count", "Median Response Time",
		"Average Response Time", "Min Response Time", "Max Response Time",
		"Average Content Size", "Requests/s", "Failures/s",
	}, percentileHeaders()...)
	historyColumns = append(append([]string{
		"Timestamp", "User Count", "Type", "Name", "Requests/s", "Failures/s",
	}, percentileHeaders()...),
		"Total Request Count", "Total Failure Count", "Total Median Response Time",
		"Total Average Response Time", "Total Min Response Time", "Total Max Response Time",
		"Total Average Content Size")
	failuresColumns   = []string{"Method", "Name", "Error", "Occurrences"}
	exceptionsColumns = []string{"Count", "Message", "Traceback", "Nodes"}
)

// percentileHeaders renders ReportedPercentiles as Locust does: "50%", "99.9%", "100%".
func percentileHeaders() []string {
	headers := make([]string, len(ReportedPercentiles))
	for i, p := range ReportedPercentiles {
		headers[i] = strconv.FormatFloat(math.Round(p*100*1e6)/1e6, 'f', -1, 64) + "%"
	}
	return headers
}

// WriteLocustCSV writes PREFIX_stats.csv, PREFIX_stats_history.csv,
// PREFIX_failures.csv and PREFIX_exceptions.csv in Locust 2.12's format.
// lambdatune has no user-code exceptions, so the exceptions file carries only
// the note of requests in flight at stop, when there were any (see
// WriteExceptionsCSV). started is the run's start on
// the wall clock, for the history's timestamps; windows is the full series.
func WriteLocustCSV(prefix string, snap Snapshot, windows []Window, started time.Time) error {
	files := []struct {
		suffix string
		write  func(io.Writer) error
	}{
		{"_stats.csv", func(w io.Writer) error { return WriteStatsCSV(w, snap) }},
		{"_stats_history.csv", func(w io.Writer) error { return WriteHistoryCSV(w, windows, started) }},
		{"_failures.csv", func(w io.Writer) error { return WriteFailuresCSV(w, snap) }},
		{"_exceptions.csv", func(w io.Writer) error { return WriteExceptionsCSV(w, snap) }},
	}
	for _, f := range files {
		if err := writeFile(prefix+f.suffix, f.write); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	err = write(f)
	return errors.Join(err, f.Close())
}

func writeRows(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // Python's csv module ends rows with \r\n
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// WriteStatsCSV writes Locust's _stats.csv: one row per endpoint, then Aggregated.
func WriteStatsCSV(w io.Writer, snap Snapshot) error {
	rows := [][]string{statsColumns}
	for _, e := range append(append([]EndpointStats(nil), snap.Endpoints...), snap.Total) {
		rows = append(rows, append([]string{
			e.Method, e.Name, uintText(e.Requests), uintText(e.Failures),
			msInt(e.Median()), msFloat(e.Average), msFloat(e.Min), msFloat(e.Max),
			pyFloat(e.AverageSize), pyFloat(e.TotalRPS), pyFloat(e.TotalFailuresPerSec),
		}, percentileFields(e.Requests, e.Percentile)...))
	}
	return writeRows(w, rows)
}

// WriteHistoryCSV writes Locust's _stats_history.csv: one Aggregated row per
// second, with the current rates and the cumulative totals.
func WriteHistoryCSV(w io.Writer, windows []Window, started time.Time) error {
	rows := [][]string{historyColumns}
	for i, win := range windows {
		rps, fps := recentRates(windows[:i+1])
		c := win.Cumulative
		at := func(p float64) time.Duration { return c.Percentiles[indexOf(ReportedPercentiles, p/100)] }
		row := append([]string{
			strconv.FormatInt(started.Add(win.Start+win.Length).Unix(), 10), strconv.Itoa(win.Users),
			"", "Aggregated", fmt.Sprintf("%f", rps), fmt.Sprintf("%f", fps),
		}, percentileFields(c.Requests, at)...)
		rows = append(rows, append(row,
			uintText(c.Requests), uintText(c.Failures), msInt(c.Median), msFloat(c.Average),
			msFloat(c.Min), msFloat(c.Max), pyFloat(c.AverageSize)))
	}
	return writeRows(w, rows)
}

// WriteFailuresCSV writes Locust's _failures.csv, one row per endpoint and error.
func WriteFailuresCSV(w io.Writer, snap Snapshot) error {
	rows := [][]string{failuresColumns}
	for _, e := range snap.Endpoints {
		texts := make([]string, 0, len(e.Errors))
		for text := range e.Errors {
			texts = append(texts, text)
		}
		sort.Strings(texts)
		for _, text := range texts {
			rows = append(rows, []string{e.Method, e.Name, text, uintText(e.Errors[text])})
		}
	}
	return writeRows(w, rows)
}

// WriteExceptionsCSV writes Locust's _exceptions.csv. Its one possible row
// reports the requests in flight when the run stopped: Count is their number,
// Message the sentence the table prints, Traceback empty, Nodes "local".
// They go here rather than in _stats.csv or _failures.csv because those two
// are what tools add up: a new column breaks readers that match Locust's
// header, and a failures row would make every run stopped by its run time
// look failed, while these requests neither failed nor succeeded — they were
// cut off, as Locust itself cuts off (and silently drops) its own.
func WriteExceptionsCSV(w io.Writer, snap Snapshot) error {
	rows := [][]string{exceptionsColumns}
	if line := InFlightAtStopLine(snap); line != "" {
		rows = append(rows, []string{uintText(snap.Total.InFlightAtStop), line, "", "local"})
	}
	return writeRows(w, rows)
}

func percentileFields(requests uint64, at func(float64) time.Duration) []string {
	fields := make([]string, len(ReportedPercentiles))
	for i, p := range ReportedPercentiles {
		if requests == 0 {
			fields[i] = "N/A"
			continue
		}
		fields[i] = msInt(at(p * 100))
	}
	return fields
}

// recentRates averages the last few windows, as Locust's current rates do.
func recentRates(windows []Window) (rps, failuresPerSec float64) {
	recent := windows[max(len(windows)-currentWindows, 0):]
	var length time.Duration
	var requests, failures uint64
	for _, w := range recent {
		length += w.Length
		requests += w.Requests
		failures += w.Failures
	}
	if secs := length.Seconds(); secs > 0 {
		return float64(requests) / secs, float64(failures) / secs
	}
	return 0, 0
}

func indexOf(values []float64, v float64) int {
	for i, x := range values {
		if math.Abs(x-v) < 1e-9 {
			return i
		}
	}
	return len(values) - 1
}

func uintText(n uint64) string { return strconv.FormatUint(n, 10) }

// msInt is a whole number of milliseconds, as Locust writes medians and percentiles.
func msInt(d time.Duration) string { return strconv.FormatInt(int64(math.Round(ms(d))), 10) }

// msFloat is milliseconds as Python prints a float.
func msFloat(d time.Duration) string { return pyFloat(ms(d)) }

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// pyFloat prints f the way Python's repr does for ordinary values: "507.0", "3.5".
func pyFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".eEnN") {
		s += ".0"
	}
	return s
}
