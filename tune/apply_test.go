package tune_test

// These tests apply plans with the real aws client against the sandbox over
// loopback, and read the function back as AWS reports it.

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lambdatune/lambdatune/aws"
	"github.com/lambdatune/lambdatune/sandbox"
	"github.com/lambdatune/lambdatune/tune"
)

type memoryRecorder struct {
	mu      sync.Mutex
	records []tune.ChangeRecord
}

func (m *memoryRecorder) RecordChange(_ context.Context, rec tune.ChangeRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.records = append(m.records, rec)
	return nil
}

type fixture struct {
	sb      *sandbox.Sandbox
	session *tune.Session
	rec     *memoryRecorder
	fn      string
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	cfg := sandbox.Fast()
	cfg.UpdateDelay, cfg.ProvisionedAllocationDelay = 50*time.Millisecond, 300*time.Millisecond
	cfg.ControlPlaneRate, cfg.GetFunctionRate = -1, -1
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	client, err := aws.New(t.Context(), aws.Options{EndpointURL: srv.URL, StaticCredentials: true,
		ControlPlaneRate: -1, PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	session := tune.NewSession(client, tune.Where{Sandbox: true})
	rec := &memoryRecorder{}
	session.SetRecorder(rec)
	return fixture{sb: sb, session: session, rec: rec, fn: sb.ProductFunctionName()}
}

func (f fixture) plan(t *testing.T, req tune.ChangeRequest) tune.Plan {
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
	return plan
}

func (f fixture) apply(t *testing.T, req tune.ChangeRequest) tune.Outcome {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	out, err := f.session.Apply(t.Context(), f.plan(t, req), tune.ApplyOptions{Path: tune.PathCLI, Progress: func(p tune.Progress) {
		mu.Lock()
		seen = append(seen, p.Status)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatalf("apply %+v: %v", req, err)
	}
	if len(seen) == 0 {
		t.Fatalf("apply %+v reported no progress", req)
	}
	return out
}

// The lab's changes, one after another, each read back from the sandbox.
func TestApplyLabChanges(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	out := f.apply(t, tune.ChangeRequest{Kind: tune.ChangeMemory, MemoryMB: 3008})
	if out.After.MemoryMB != 3008 || out.Done != 1 {
		t.Fatalf("after memory: %+v", out)
	}
	out = f.apply(t, tune.ChangeRequest{Kind: tune.ChangeProvisioned, Qualifier: "live", Provisioned: 40, PublishAlias: true})
	if v, ok := out.After.AliasVersion("live"); !ok || v != "1" {
		t.Fatalf("alias live after publish-and-alias: %q %v", v, ok)
	}
	if got := out.After.ProvisionedOn("live"); got != 40 || out.After.Provisioned[0].Status != "READY" {
		t.Fatalf("provisioned on live = %d (%+v), want 40 READY", got, out.After.Provisioned)
	}
	out = f.apply(t, tune.ChangeRequest{Kind: tune.ChangeReserved, Reserved: ptr(int64(50))})
	if out.After.Reserved == nil || *out.After.Reserved != 50 {
		t.Fatalf("reserved after = %v", out.After.Reserved)
	}
	if len(f.rec.records) != 3 {
		t.Fatalf("recorded %d changes, want 3", len(f.rec.records))
	}
	last := f.rec.records[2]
	if last.Path != tune.PathCLI || last.Status != "done" || last.Before.ReservedText() != "none" || last.After.ReservedText() != "50" {
		t.Fatalf("last record = %+v", last)
	}
}

// Undo everything at once: the restore plan brings the lab's start back.
func TestApplyRestoreBringsEverySettingBack(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	start, err := f.session.Facts(t.Context(), f.fn)
	if err != nil {
		t.Fatal(err)
	}
	original := tune.ConfigOf(start.Detail)
	f.apply(t, tune.ChangeRequest{Kind: tune.ChangeMemory, MemoryMB: 1024})
	f.apply(t, tune.ChangeRequest{Kind: tune.ChangeProvisioned, Qualifier: "live", Provisioned: 5, PublishAlias: true})
	f.apply(t, tune.ChangeRequest{Kind: tune.ChangeReserved, Reserved: ptr(int64(30))})
	out := f.apply(t, tune.ChangeRequest{Kind: tune.ChangeRestore, Target: &original})
	if d := out.After.Diff(original); len(d) != 0 {
		t.Fatalf("after restore the function differs from its start: %v", d)
	}
}

// A step AWS refuses after the alias was created puts the alias back, so the
// function is as it was (the published version stays).
func TestApplyFailureRollsBackTheAlias(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	plan := f.plan(t, tune.ChangeRequest{Kind: tune.ChangeProvisioned, Qualifier: "live", Provisioned: 40, PublishAlias: true})
	// Meanwhile another function takes the account's room: it leaves 139
	// unreserved, and 40 more would break the floor of 100.
	other := otherFunction(t, f)
	acct, err := f.session.Account(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := f.session.Client().SetReserved(t.Context(), other, int64(acct.Unreserved-139)); err != nil {
		t.Fatal(err)
	}
	out, err := f.session.Apply(t.Context(), plan, tune.ApplyOptions{Path: tune.PathConsole})
	if err == nil || out.Done != 2 {
		t.Fatalf("apply: done %d, err %v; want step 3 refused", out.Done, err)
	}
	if _, ok := out.After.AliasVersion("live"); ok || len(out.RolledBack) != 1 {
		t.Fatalf("alias live still there after the rollback (rolled back %v)", out.RolledBack)
	}
	if !strings.Contains(out.Summary(), "step 3 of 3 failed") || !strings.Contains(out.Summary(), "minimum value of [100]") {
		t.Fatalf("summary = %q", out.Summary())
	}
	if rec := f.rec.records[0]; rec.Status != "failed" || rec.Error == "" {
		t.Fatalf("record = %+v", rec)
	}
}

func otherFunction(t *testing.T, f fixture) string {
	t.Helper()
	page, err := f.session.FunctionPage(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range page.Functions {
		if fn.Name == f.fn {
			continue
		}
		conc, err := f.session.Client().FunctionConcurrency(t.Context(), fn.Name)
		if err == nil && conc.Reserved == nil && conc.ProvisionedTotal() == 0 {
			return fn.Name
		}
	}
	t.Fatal("no other function without concurrency settings")
	return ""
}

func ptr[T any](v T) *T { return &v }
