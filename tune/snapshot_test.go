package tune

import (
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func labSettings() RunSettings {
	return RunSettings{Target: "sandbox/Prod", Scenario: "products", Model: "closed", Users: 100, SpawnRate: 3,
		Wait: "between(250ms, 550ms)", RunTime: 3 * time.Minute, MaxRequests: 10_000_000}
}

func runAt(id int64, minute int, settings RunSettings, config string) Event {
	start := t0.Add(time.Duration(minute) * time.Minute)
	return Event{Run: &RunSummary{ID: id, Function: "fn", Settings: settings, Started: start, Ended: start.Add(3 * time.Minute),
		Config: ConfigCost{Known: true, Summary: config}}}
}

func changeAt(id int64, minute int, before, after string) Event {
	at := t0.Add(time.Duration(minute) * time.Minute)
	return Event{Change: &ChangeSummary{ID: id, Function: "fn", Kind: ChangeMemory, Title: before + " → " + after,
		Status: "done", Requested: at, Finished: at.Add(time.Second), BeforeSummary: before, AfterSummary: after}}
}

func runID(r *RunSummary) int64 {
	if r == nil {
		return 0
	}
	return r.ID
}

func TestPairBaselineThenChange(t *testing.T) {
	snaps := Pair([]Event{
		runAt(1, 0, labSettings(), "128"),
		changeAt(2, 4, "128", "3008"),
		runAt(3, 5, labSettings(), "3008"),
	})
	if len(snaps) != 2 {
		t.Fatalf("got %d snapshots, want a baseline and a change: %+v", len(snaps), snaps)
	}
	if b := snaps[0]; b.Kind != KindBaseline || b.ID != 1 || runID(b.After) != 1 {
		t.Errorf("baseline = %+v", b)
	}
	c := snaps[1]
	if c.Kind != KindChange || c.ID != 2 || runID(c.Before) != 1 || runID(c.After) != 3 || !c.Comparable || len(c.Notes) != 0 {
		t.Errorf("change snapshot = %+v", c)
	}
}

func TestPairSeveralChangesInARowFormOneSnapshot(t *testing.T) {
	snaps := Pair([]Event{
		runAt(1, 0, labSettings(), "a"),
		changeAt(2, 4, "a", "b"),
		changeAt(3, 5, "b", "c"),
		changeAt(4, 6, "c", "d"),
		runAt(5, 7, labSettings(), "d"),
	})
	if len(snaps) != 2 {
		t.Fatalf("got %d snapshots: %+v", len(snaps), snaps)
	}
	c := snaps[1]
	if len(c.Changes) != 3 || c.ID != 2 || runID(c.Before) != 1 || runID(c.After) != 5 || !c.Comparable {
		t.Errorf("snapshot = %+v", c)
	}
	if got := c.Title(); got != "a → b; b → c; c → d" {
		t.Errorf("title = %q", got)
	}
}

func TestPairPrefersComparableRuns(t *testing.T) {
	half := labSettings()
	half.Users = 50
	snaps := Pair([]Event{
		runAt(1, 0, labSettings(), "a"),
		runAt(2, 4, half, "a"),
		changeAt(3, 8, "a", "b"),
		runAt(4, 9, half, "b"),
		runAt(5, 13, labSettings(), "b"),
	})
	c := snaps[len(snaps)-1]
	// The first run after (4, 50 users) has a comparable run before (2).
	if runID(c.Before) != 2 || runID(c.After) != 4 || !c.Comparable {
		t.Errorf("snapshot = before %d after %d comparable %v", runID(c.Before), runID(c.After), c.Comparable)
	}
	if len(snaps) != 3 || snaps[0].Kind != KindBaseline || snaps[1].Kind != KindBaseline {
		t.Errorf("want two baselines before the change, got %+v", snaps)
	}
}

func TestPairDifferentSettingsStillPairsMarked(t *testing.T) {
	half := labSettings()
	half.Users = 50
	snaps := Pair([]Event{
		runAt(1, 0, labSettings(), "a"),
		changeAt(2, 4, "a", "b"),
		runAt(3, 5, half, "b"),
	})
	c := snaps[1]
	if runID(c.Before) != 1 || runID(c.After) != 3 || c.Comparable {
		t.Fatalf("snapshot = %+v", c)
	}
	if len(c.Notes) != 1 || c.Notes[0] != "not comparable: users 100 → 50" {
		t.Errorf("notes = %q", c.Notes)
	}
}

func TestPairChangeWithNoRunAfterAwaits(t *testing.T) {
	snaps := Pair([]Event{
		runAt(1, 0, labSettings(), "a"),
		changeAt(2, 4, "a", "b"),
	})
	c := snaps[1]
	if !c.Awaiting() || runID(c.Before) != 1 || c.Deltas(DefaultPrices()) != nil {
		t.Fatalf("snapshot = %+v", c)
	}
	if len(c.Notes) != 1 || c.Notes[0] != "awaiting a run after the change" {
		t.Errorf("notes = %q", c.Notes)
	}
}

func TestPairChangeWithNoRunBefore(t *testing.T) {
	snaps := Pair([]Event{changeAt(1, 0, "a", "b"), runAt(2, 1, labSettings(), "b")})
	if len(snaps) != 1 || snaps[0].Before != nil || runID(snaps[0].After) != 2 || snaps[0].Comparable {
		t.Fatalf("snapshots = %+v", snaps)
	}
}

func TestPairRunsNeverReachAcrossAnotherChange(t *testing.T) {
	snaps := Pair([]Event{
		runAt(1, 0, labSettings(), "a"),
		changeAt(2, 4, "a", "b"),
		runAt(3, 5, labSettings(), "b"),
		changeAt(4, 9, "b", "c"),
		runAt(5, 10, labSettings(), "c"),
	})
	if len(snaps) != 3 {
		t.Fatalf("got %d snapshots", len(snaps))
	}
	if s := snaps[2]; runID(s.Before) != 3 || runID(s.After) != 5 {
		t.Errorf("second change paired %d → %d, want 3 → 5", runID(s.Before), runID(s.After))
	}
}

func TestPairNotesAConfigurationChangedOutsideLambdatune(t *testing.T) {
	snaps := Pair([]Event{
		runAt(1, 0, labSettings(), "256"),
		changeAt(2, 4, "128", "3008"),
		runAt(3, 5, labSettings(), "3008"),
	})
	notes := strings.Join(snaps[1].Notes, "\n")
	if !strings.Contains(notes, "changed outside lambdatune before the change") {
		t.Errorf("notes = %q", notes)
	}
}

func TestSettingsDifferencesNameEveryComparedField(t *testing.T) {
	a, b := labSettings(), labSettings()
	b.Model, b.Rate, b.Users, b.RunTime, b.Seed = "open", "200/s", 100, time.Minute, 42
	got := a.Differences(b)
	want := []string{"model closed → open", "rate none → 200/s", "run time 3m0s → 1m0s"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("differences = %q, want %q (the seed is not compared)", got, want)
	}
}

func TestPairNotesARunStartedBeforeTheChangeWasDone(t *testing.T) {
	change := changeAt(2, 4, "a", "b")
	change.Change.Finished = t0.Add(6 * time.Minute) // provisioned concurrency took two minutes
	snaps := Pair([]Event{runAt(1, 0, labSettings(), "a"), change, runAt(3, 5, labSettings(), "b")})
	if notes := strings.Join(snaps[1].Notes, "\n"); !strings.Contains(notes, "started before the change was done") {
		t.Errorf("notes = %q", notes)
	}
}
