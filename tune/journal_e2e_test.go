package tune_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/internal/clock"
	"github.com/lambdatune/lambdatune/tune"
)

// TestJournalSessionEndToEnd walks the lab's first two steps against the
// sandbox: a baseline run at 128 MB, memory to 3008 MB through the session
// (journalled by its recorder), a run after; then the journal's session
// pairs them, and an undo (a restore to the change's before configuration)
// is journalled as a change of its own.
func TestJournalSessionEndToEnd(t *testing.T) {
	f := newJournalFixture(t)
	before := f.run(t, 4, 200)
	f.change(t, tune.ChangeRequest{Kind: tune.ChangeMemory, MemoryMB: 3008}, tune.PathCLI)
	after := f.run(t, 4, 200)

	session, err := f.journal.Session(t.Context(), tune.SandboxScope, f.fn)
	if err != nil {
		t.Fatal(err)
	}
	if len(session.Runs) != 2 || len(session.Changes) != 1 || len(session.Snapshots) != 2 {
		t.Fatalf("session has %d runs, %d changes, %d snapshots", len(session.Runs), len(session.Changes), len(session.Snapshots))
	}
	snap := session.Snapshots[1]
	if snap.Before.ID != before.ID || snap.After.ID != after.ID || !snap.Comparable {
		t.Fatalf("snapshot pairs %d → %d (comparable %v), want %d → %d", snap.Before.ID, snap.After.ID, snap.Comparable, before.ID, after.ID)
	}
	if got := snap.Title(); got != "memory 128 MB → 3008 MB" {
		t.Errorf("title = %q", got)
	}
	if snap.Before.Config.MemoryMB != 128 || snap.After.Config.MemoryMB != 3008 {
		t.Errorf("runs ran under %d MB and %d MB", snap.Before.Config.MemoryMB, snap.After.Config.MemoryMB)
	}
	checkDeltasKnown(t, snap.Deltas(tune.DefaultPrices()))

	change, err := f.journal.Change(t.Context(), snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.change(t, tune.ChangeRequest{Kind: tune.ChangeRestore, Target: &change.Before}, tune.PathUndo)
	session, err = f.journal.Session(t.Context(), tune.SandboxScope, f.fn)
	if err != nil {
		t.Fatal(err)
	}
	undo := session.Snapshots[len(session.Snapshots)-1]
	if undo.Changes[0].Path != tune.PathUndo || undo.Changes[0].AfterSummary != change.Before.Summary() || !undo.Awaiting() {
		t.Errorf("undo snapshot = %+v", undo)
	}
}

func checkDeltasKnown(t *testing.T, deltas []tune.Delta) {
	t.Helper()
	if len(deltas) != 9 {
		t.Fatalf("%d deltas", len(deltas))
	}
	for _, d := range deltas {
		if !d.Known {
			t.Errorf("%s unknown for an Invoke run (REPORT lines give cold starts and billed duration)", d.Metric)
		}
	}
}

// TestJournalRunRoundTrips: the whole record comes back as it went in, the
// HDR histograms included, and their percentiles are the engine's.
func TestJournalRunRoundTrips(t *testing.T) {
	f := newJournalFixture(t)
	rec := f.run(t, 3, 150)
	got, err := f.journal.Run(t.Context(), rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(rec)
	have, _ := json.Marshal(got)
	if string(want) != string(have) {
		t.Fatalf("record changed in the journal:\nwant %s\ngot  %s", want, have)
	}
	if len(got.Windows) == 0 || got.Total.Latency == nil || len(got.Endpoints) == 0 {
		t.Fatalf("record lacks windows or histograms: %+v", got.Total)
	}
	if p99 := got.Total.Latency.Quantile(99, got.Total.Min, got.Total.Max); p99 != rec.Total.P99 {
		t.Errorf("p99 from the stored histogram %v, the engine said %v", p99, rec.Total.P99)
	}
	if got.Total.Server == nil || got.Total.Server.Invocations != 150 || !got.ColdStarts().Known {
		t.Errorf("server stats %+v", got.Total.Server)
	}
}

// TestRunCloudWatchViewFromTheSandbox reads CloudWatch's view of a run's
// window back from the sandbox: it counted every invocation the run made.
func TestRunCloudWatchViewFromTheSandbox(t *testing.T) {
	f := newJournalFixture(t)
	rec := f.run(t, 3, 120)
	view := tune.AwaitCloudWatchView(t.Context(), f.client, rec, 0, 5*time.Second, clock.Real{})
	if view.Error != "" {
		t.Fatal(view.Error)
	}
	if view.Invocations == nil || *view.Invocations != 120 {
		t.Fatalf("CloudWatch counted %v invocations, the run made 120", view.Invocations)
	}
	if view.DurationAverageMs == nil || *view.DurationAverageMs <= 0 || view.ConcurrentMax == nil {
		t.Errorf("view = %+v", view)
	}
	// Lambda Insights' cold starts: unknown until the sandbox publishes
	// init_duration, then the REPORT lines' count.
	if view.ColdStarts != nil && *view.ColdStarts != float64(rec.Total.Server.ColdStarts) {
		t.Errorf("Insights counted %v cold starts, the REPORT lines %d", *view.ColdStarts, rec.Total.Server.ColdStarts)
	}
	rec.CloudWatch, rec.Total.Server = view, nil // as an HTTP run would have it
	if b := rec.BilledDuration(); b.Source != tune.SourceCloudWatch || b.Average <= 0 {
		t.Errorf("billed duration of an HTTP run = %+v", b)
	}
}
