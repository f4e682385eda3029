package tune_test

// A sandbox, the real aws client pointed at it over loopback, a session that
// journals its changes, and real load-engine runs recorded as the console
// and `lambdatune load` record them.

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/load"
	"github.com/lambdatune/lambdatune/sandbox"
	"github.com/lambdatune/lambdatune/tune"
)

type journalFixture struct {
	sb      *sandbox.Sandbox
	client  *aws.Client
	session *tune.Session
	journal *tune.Journal
	fn      string
}

func openTestJournal(t *testing.T, dir string) *tune.Journal {
	t.Helper()
	j, err := tune.OpenJournal(t.Context(), filepath.Join(dir, tune.JournalFile), tune.JournalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = j.Close() })
	return j
}

func newJournalFixture(t *testing.T) journalFixture {
	t.Helper()
	cfg := sandbox.Fast()
	cfg.ZeroLatency = true // the execution model runs in full; nobody waits out its latencies
	cfg.UpdateDelay, cfg.ProvisionedAllocationDelay = 20*time.Millisecond, 100*time.Millisecond
	cfg.ControlPlaneRate, cfg.GetFunctionRate = -1, -1
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(func() { sb.Close(); srv.Close() })
	client, err := aws.New(t.Context(), aws.Options{EndpointURL: srv.URL, StaticCredentials: true,
		ControlPlaneRate: -1, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	session := tune.NewSession(client, tune.Where{Sandbox: true})
	j := openTestJournal(t, t.TempDir())
	session.SetRecorder(j.RecorderFor(session))
	return journalFixture{sb: sb, client: client, session: session, journal: j, fn: sb.ProductFunctionName()}
}

// run drives a short Invoke load at the function and records it.
func (f journalFixture) run(t *testing.T, users int, requests uint64) tune.RunRecord {
	t.Helper()
	detail, err := f.session.Detail(t.Context(), f.fn)
	if err != nil {
		t.Fatal(err)
	}
	run, err := load.Start(context.Background(), load.Config{
		Target: load.NewInvokeTarget(f.client, f.fn, ""), Scenario: load.NewProductsScenario(load.DefaultProductWeights),
		Users: users, RunTime: 30 * time.Second, MaxRequests: requests, Seed: 7,
	})
	if err != nil {
		t.Fatal(err)
	}
	run.Wait()
	rec, err := tune.NewRunRecord(run, tune.RunMeta{Scope: tune.SandboxScope, Function: f.fn, Path: tune.PathCLI,
		Config: tune.ConfigOf(detail), ConfigKnown: true})
	if err != nil {
		t.Fatal(err)
	}
	if rec.ID, err = f.journal.AddRun(t.Context(), rec); err != nil {
		t.Fatal(err)
	}
	return rec
}

// change plans and applies a change through the session, which journals it.
func (f journalFixture) change(t *testing.T, req tune.ChangeRequest, path string) tune.Outcome {
	t.Helper()
	req.Function = f.fn
	facts, err := f.session.Facts(t.Context(), f.fn)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := tune.PlanChange(req, facts)
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.session.Apply(t.Context(), plan, tune.ApplyOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
