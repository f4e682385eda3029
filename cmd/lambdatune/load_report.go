package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lambdatune/lambdatune/load"
)

// progressEvery is how often the one-line progress refreshes on a terminal.
const progressEvery = 250 * time.Millisecond

// showProgress redraws one status line on a terminal until the returned stop
// is called; on anything else it shows nothing.
func showProgress(run *load.Run, w io.Writer) (stop func()) {
	if !isTerminal(w) {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		ticker := time.NewTicker(progressEvery)
		defer ticker.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(w, "\r\033[K")
				return
			case <-ticker.C:
				fmt.Fprint(w, "\r\033[K"+progressLine(run.Snapshot()))
			}
		}
	}()
	return func() { close(done); <-finished }
}

func progressLine(s load.Snapshot) string {
	line := fmt.Sprintf("%5.1fs  users %d  reqs %d  fails %d  rps %.0f  in-flight %d",
		s.Elapsed.Seconds(), s.Users, s.Total.Requests, s.Total.Failures, s.Total.CurrentRPS, s.InFlight)
	if n := len(s.Windows); n > 0 {
		w := s.Windows[n-1]
		line += fmt.Sprintf("  p50 %s p95 %s max %s", msShort(w.P50), msShort(w.P95), msShort(w.Max))
	}
	return line
}

func msShort(d time.Duration) string {
	return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
}

// report prints the table (and JSON), writes the CSV files and turns
// thresholds and interruption into the exit code.
func report(run *load.Run, snap load.Snapshot, o *loadOptions, stdout, stderr io.Writer) error {
	results := make([]load.ThresholdResult, len(o.thresholds))
	for i, t := range o.thresholds {
		results[i] = t.Check(snap)
	}
	tableOut := stdout
	if o.jsonOut {
		tableOut = stderr
	}
	load.WriteTable(tableOut, snap)
	fmt.Fprintf(tableOut, "\nRun ended after %.1fs: %s.\n", snap.Elapsed.Seconds(), snap.Reason)
	for _, r := range results {
		fmt.Fprintln(tableOut, r)
	}
	if err := writeOutputs(run, snap, o, results, stdout); err != nil {
		return err
	}
	return exitFor(results, snap, o, run.Info().Target)
}

// parseThresholds reads every --fail-if before the run starts, so a typo
// costs nothing.
func (o *loadOptions) parseThresholds() error {
	for _, spec := range o.failIf {
		t, err := load.ParseThreshold(spec)
		if err != nil {
			return fmt.Errorf("%w: --fail-if %w", errBadFlags, err)
		}
		o.thresholds = append(o.thresholds, t)
	}
	return nil
}

func writeOutputs(run *load.Run, snap load.Snapshot, o *loadOptions, results []load.ThresholdResult, stdout io.Writer) error {
	windows := run.Windows(0)
	if o.csvPrefix != "" {
		if err := load.WriteLocustCSV(o.csvPrefix, snap, windows, run.Info().Started); err != nil {
			return err
		}
	}
	if o.jsonOut {
		return load.WriteJSON(stdout, load.NewJSONReport(run.Info(), snap, windows, results))
	}
	return nil
}

// exitFor turns the results into the exit code, the first that applies:
// nothing listening (1), a crossed threshold (2), an interruption (130),
// failed requests (--exit-code-on-error). docs/load.md lists them.
func exitFor(results []load.ThresholdResult, snap load.Snapshot, o *loadOptions, target string) error {
	if snap.Unreachable {
		return exitError{code: exitCannotRun, msg: unreachableMessage(snap, o, target)}
	}
	var breached []string
	for _, r := range results {
		if r.Breached {
			breached = append(breached, r.String())
		}
	}
	if len(breached) > 0 {
		return exitError{code: exitThresholds, msg: fmt.Sprintf("%d of %d thresholds crossed: %s", len(breached), len(results), strings.Join(breached, "; "))}
	}
	if snap.Reason == load.StopCancelled {
		return exitError{code: exitInterrupted, msg: "interrupted: the results so far are above"}
	}
	if failed := snap.Total.Failures; failed > 0 && o.exitCodeOnError != 0 {
		return exitError{code: o.exitCodeOnError, msg: fmt.Sprintf("%d of %d requests failed (the error report is above; --exit-code-on-error 0 exits 0 despite failures)", failed, snap.Total.Requests)}
	}
	return nil
}

// unreachableMessage names where nothing listened and the commonest reason.
func unreachableMessage(snap load.Snapshot, o *loadOptions, target string) string {
	if o.function != "" {
		target = "the Lambda endpoint"
		if o.endpointURL != "" {
			target = o.endpointURL
		}
	}
	reason, most := "", uint64(0)
	for text, n := range snap.Total.Errors {
		if n > most || (n == most && text < reason) {
			reason, most = text, n
		}
	}
	return fmt.Sprintf("nothing is listening at %s: all %d connection attempts failed (%s); is the server running, and is the URL right?",
		target, snap.Total.Requests, reason)
}
