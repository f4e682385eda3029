package tune_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/load"
	"github.com/lambdatune/lambdatune/tune"
)

// invokeSettings is a short Invoke load at the fixture's function, capped
// at requests.
func (f journalFixture) invokeSettings(requests uint64) tune.LoadSettings {
	ls := tune.DefaultLoadSettings(tune.LoadTarget{Kind: tune.TargetInvoke, Function: f.fn})
	ls.Users, ls.SpawnRate, ls.Wait, ls.Seed = 4, 100, "constant(0s)", 7
	ls.RunTime, ls.MaxRequests = 30*time.Second, requests
	return ls
}

func (f journalFixture) measureMeta() tune.RunMeta {
	return tune.RunMeta{Function: f.fn, Path: tune.PathCLI}
}

func TestMeasureRecordsTheRunInTheJournal(t *testing.T) {
	t.Parallel()
	f := newJournalFixture(t)
	f.session.SetJournal(f.journal)
	var live *load.Run
	id, rec, err := f.session.Measure(t.Context(), tune.Measure{Settings: f.invokeSettings(40), Meta: f.measureMeta(),
		Started: func(r *load.Run) { live = r }})
	if err != nil {
		t.Fatal(err)
	}
	if live == nil {
		t.Fatal("Started never heard the run")
	}
	if id <= 0 || rec.ID != id || rec.Requests() != 40 {
		t.Fatalf("id %d, record id %d with %d requests; want a journalled run of 40", id, rec.ID, rec.Requests())
	}
	kept, err := f.journal.Run(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if kept.Requests() != 40 || kept.Function != f.fn || kept.Scope != tune.SandboxScope.Key() {
		t.Fatalf("journal has %d requests of %q in %q", kept.Requests(), kept.Function, kept.Scope)
	}
	if rec.Invocations() != 40 {
		t.Fatalf("REPORT lines counted %d invocations, want 40", rec.Invocations())
	}
}

func TestMeasureWithoutAJournalStillReturnsTheRecord(t *testing.T) {
	t.Parallel()
	f := newJournalFixture(t)
	id, rec, err := f.session.Measure(t.Context(), tune.Measure{Settings: f.invokeSettings(12), Meta: f.measureMeta()})
	if err != nil {
		t.Fatal(err)
	}
	if id != 0 || rec.Requests() != 12 {
		t.Fatalf("id %d with %d requests; want no id and 12 requests", id, rec.Requests())
	}
}

// A cancelled measurement keeps what ran: the partial run is journalled and
// returned with the context's error.
func TestMeasureCancelledKeepsThePartialRun(t *testing.T) {
	t.Parallel()
	f := newJournalFixture(t)
	f.session.SetJournal(f.journal)
	ctx, cancel := context.WithCancel(t.Context())
	ls := f.invokeSettings(1_000_000)
	ls.Wait = "constant(5ms)"
	started := func(r *load.Run) {
		go func() {
			for i := 0; i < 2000 && r.Snapshot().Total.Requests < 5; i++ {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
	}
	id, rec, err := f.session.Measure(ctx, tune.Measure{Settings: ls, Meta: f.measureMeta(), Started: started})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if id <= 0 || rec.Requests() == 0 || rec.Requests() >= 1_000_000 {
		t.Fatalf("id %d with %d requests; want a journalled partial run", id, rec.Requests())
	}
}

func TestMeasureRefusesBadSettingsBeforeStarting(t *testing.T) {
	t.Parallel()
	f := newJournalFixture(t)
	ls := f.invokeSettings(10)
	ls.Users = 0
	if _, _, err := f.session.Measure(t.Context(), tune.Measure{Settings: ls, Meta: f.measureMeta()}); !errors.Is(err, tune.ErrBadSettings) {
		t.Fatalf("err = %v, want ErrBadSettings", err)
	}
}
