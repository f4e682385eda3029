package tune

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"
)

// csvHeader names the CSV export's columns: one row per run.
var csvHeader = []string{
	"run_id", "function", "qualifier", "path", "started", "ended", "elapsed_s", "stop_reason",
	"target", "scenario", "model", "users", "spawn_rate", "wait", "rate", "run_time_s", "max_requests",
	"memory_mb", "architecture", "configuration",
	"requests", "failures", "throttles", "failure_pct", "rps",
	"avg_ms", "p50_ms", "p95_ms", "p99_ms", "max_ms",
	"cold_starts", "cold_starts_from", "billed_avg_ms", "billed_from",
	"cost_per_1m_usd", "cost_per_month_usd",
}

// WriteCSV writes one row per run of the report, with a header.
func (r Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, run := range r.Runs {
		if err := cw.Write(csvRow(run, r.Costs[run.ID])); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvRow(s RunSummary, c RunCost) []string {
	st := s.Settings
	cold := ""
	if s.ColdStarts.Known {
		cold = strconv.FormatUint(s.ColdStarts.Value, 10)
	}
	billed := ""
	if s.Billed.Source != "" {
		billed = csvMs(s.Billed.Average)
	}
	perMillion, perMonth := "", ""
	if c.Known {
		perMillion, perMonth = csvFloat(c.PerMillion), csvFloat(c.PerMonth)
	}
	return []string{
		strconv.FormatInt(s.ID, 10), s.Function, s.Qualifier, s.Path, s.Started.Format(time.RFC3339), s.Ended.Format(time.RFC3339),
		csvFloat(s.Elapsed.Seconds()), s.StopReason,
		st.Target, st.Scenario, st.Model, strconv.Itoa(st.Users), csvFloat(st.SpawnRate), st.Wait, st.Rate,
		csvFloat(st.RunTime.Seconds()), strconv.FormatUint(st.MaxRequests, 10),
		strconv.Itoa(int(s.Config.MemoryMB)), s.Config.Architecture, s.Config.Summary,
		strconv.FormatUint(s.Requests, 10), strconv.FormatUint(s.Failures, 10), strconv.FormatUint(s.Throttles, 10),
		csvFloat(s.failurePercent()), csvFloat(s.RPS),
		csvMs(s.Average), csvMs(s.P50), csvMs(s.P95), csvMs(s.P99), csvMs(s.Max),
		cold, s.ColdStarts.Source, billed, s.Billed.Source, perMillion, perMonth,
	}
}

func csvFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func csvMs(d time.Duration) string { return strconv.FormatFloat(msOf(d), 'f', 3, 64) }
