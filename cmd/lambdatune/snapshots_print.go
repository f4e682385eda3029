package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lambdatune/lambdatune/tune"
)

// What `lambdatune snapshots list` and `show` print for a terminal or a script.

// list prints every snapshot, oldest first, with the numbers that matter.
func (o *snapshotsOptions) list(ctx context.Context, out io.Writer, j *tune.Journal, scope tune.Scope, p tune.Prices, function string) error {
	var sessions []tune.TuningSession
	var err error
	if function != "" {
		var s tune.TuningSession
		s, err = j.Session(ctx, scope, function)
		sessions = []tune.TuningSession{s}
	} else {
		sessions, err = j.Sessions(ctx, scope)
	}
	if err != nil {
		return err
	}
	if o.jsonOut {
		return writeListJSON(out, sessions, p)
	}
	return writeListText(out, scope, sessions, p)
}

// listedSnapshot is one line of `snapshots list --json`.
type listedSnapshot struct {
	tune.Snapshot
	Title  string       `json:"title"`
	Deltas []tune.Delta `json:"deltas,omitempty"`
}

func writeListJSON(out io.Writer, sessions []tune.TuningSession, p tune.Prices) error {
	list := []listedSnapshot{}
	for _, s := range sessions {
		for _, snap := range s.Snapshots {
			list = append(list, listedSnapshot{Snapshot: snap, Title: snap.Title(), Deltas: snap.Deltas(p)})
		}
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(list)
}

var listColumns = []string{"average", "p95", "p99", "max", "failure %", "requests/s", "cold starts", "cost per 1M"}

func writeListText(out io.Writer, scope tune.Scope, sessions []tune.TuningSession, p tune.Prices) error {
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\tFUNCTION\tWHEN\tSNAPSHOT\t%s\tNOTES\n", strings.ToUpper(strings.Join(listColumns, "\t")))
	n := 0
	for _, s := range sessions {
		for _, snap := range s.Snapshots {
			n++
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", snap.ID, snap.Function, snap.At().Format("2006-01-02 15:04"),
				snap.Title(), strings.Join(listCells(snap, p), "\t"), strings.Join(snap.Notes, "; "))
		}
	}
	if n == 0 {
		fmt.Fprintf(tw, "(no snapshots in %s)\n", scope)
	}
	return tw.Flush()
}

// listCells are a snapshot's numbers: before → after for a change, the run's
// own for a baseline.
func listCells(snap tune.Snapshot, p tune.Prices) []string {
	cells := make([]string, len(listColumns))
	deltas := snap.Deltas(p)
	for i, name := range listColumns {
		cells[i] = "–"
		for _, d := range deltas {
			if d.Metric == name {
				cells[i] = d.Text()
			}
		}
	}
	if deltas == nil && snap.After != nil {
		return runCells(*snap.After, p)
	}
	return cells
}

func runCells(s tune.RunSummary, p tune.Prices) []string {
	self := tune.Deltas(s, s, p)
	cells := make([]string, 0, len(listColumns))
	for _, name := range listColumns {
		for _, d := range self {
			if d.Metric == name {
				cells = append(cells, strings.SplitN(d.Text(), " → ", 2)[0])
			}
		}
	}
	return cells
}

// writeShow prints one snapshot for a terminal.
func writeShow(out io.Writer, r tune.Report, p tune.Prices) error {
	item := r.Items[0]
	s := item.Snapshot
	fmt.Fprintf(out, "snapshot %d of %s: %s\n", s.ID, r.Function, s.Title())
	for _, c := range item.Changes {
		fmt.Fprintf(out, "  change %d  %s  %s through %s: %s\n", c.ID, c.Requested.Format("2006-01-02 15:04:05"), c.Status, c.Path, c.Title)
	}
	for _, run := range []*tune.RunRecord{item.Before, item.After} {
		if run != nil {
			fmt.Fprintf(out, "  run %d     %s  %s under %s\n", run.ID, run.Started.Format("2006-01-02 15:04:05"), run.Elapsed.Round(100*time.Millisecond), run.Config.Summary())
			fmt.Fprintf(out, "            %s\n", run.Settings.Describe())
		}
	}
	for _, note := range s.Notes {
		fmt.Fprintf(out, "  note: %s\n", note)
	}
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	if len(item.Deltas) == 0 && item.After != nil {
		fmt.Fprintln(tw, "\n  "+strings.ToUpper(strings.Join(listColumns, "\t")))
		fmt.Fprintln(tw, "  "+strings.Join(runCells(*s.After, p), "\t"))
		return tw.Flush()
	}
	if len(item.Deltas) == 0 {
		return nil
	}
	fmt.Fprintln(tw, "\n  METRIC\tBEFORE → AFTER\tVERDICT")
	for _, d := range item.Deltas {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", d.Metric, d.Text(), d.Verdict)
	}
	return tw.Flush()
}
