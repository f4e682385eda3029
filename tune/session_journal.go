package tune

import (
	"context"
	"errors"
	"time"

	"github.com/lambdatune/lambdatune/load"
)

// ErrNoJournal is returned when the session keeps no journal.
var ErrNoJournal = errors.New("no journal: runs and changes are not kept")

// sandboxSettle is how long a sandbox run's record waits for the sandbox's
// CloudWatch to publish the run's last second.
const sandboxSettle = 3 * time.Second

// SetJournal keeps every change applied through the session and every run
// recorded with RecordRun in j.
func (s *Session) SetJournal(j *Journal) {
	s.journal = j
	s.recorder = j.RecorderFor(s)
}

// Journal is the session's journal, nil when none.
func (s *Session) Journal() *Journal { return s.journal }

// RecordRun journals a finished run of meta.Function: the engine's own account
// of it, the CloudWatch view of its window (waited for in the sandbox, read
// once on AWS where publishing takes minutes) and its cost. The scope is the
// session's unless meta names one.
func (s *Session) RecordRun(ctx context.Context, run *load.Run, meta RunMeta) (int64, RunRecord, error) {
	if s.journal == nil {
		return 0, RunRecord{}, ErrNoJournal
	}
	rec, err := s.runRecord(ctx, run, meta)
	if err != nil {
		return 0, rec, err
	}
	id, err := s.journal.AddRun(ctx, rec)
	rec.ID = id
	return id, rec, err
}

// runRecord is a finished run's record with the CloudWatch view of its window.
func (s *Session) runRecord(ctx context.Context, run *load.Run, meta RunMeta) (RunRecord, error) {
	if meta.Scope == (Scope{}) {
		scope, err := s.Scope(ctx, meta.Function)
		if err != nil {
			return RunRecord{}, err
		}
		meta.Scope = scope
	}
	rec, err := NewRunRecord(run, meta)
	if err != nil {
		return rec, err
	}
	view, settle := s.MetricsView(), time.Duration(0)
	if meta.Scope.Sandbox {
		settle = sandboxSettle
	}
	rec.CloudWatch = AwaitCloudWatchView(ctx, s.client, rec, view.Pending, settle, s.clock)
	return rec, nil
}

// TuningSession reads a function's session from the journal: its runs,
// changes and snapshots.
func (s *Session) TuningSession(ctx context.Context, function string) (TuningSession, error) {
	if s.journal == nil {
		return TuningSession{}, ErrNoJournal
	}
	scope, err := s.Scope(ctx, function)
	if err != nil {
		return TuningSession{}, err
	}
	return s.journal.Session(ctx, scope, function)
}

// Sessions reads every function's session kept for this session's account
// (or the sandbox): the Snapshots screen's global view.
func (s *Session) Sessions(ctx context.Context) ([]TuningSession, error) {
	if s.journal == nil {
		return nil, ErrNoJournal
	}
	scope := ScopeOf(s.where)
	if s.client.IsSandbox() {
		scope = SandboxScope
	}
	if err := scope.Validate(); err != nil {
		return nil, err
	}
	return s.journal.Sessions(ctx, scope)
}

// SnapshotRuns reads the full records of a snapshot's runs (nil where a
// side has none), for the side-by-side comparison.
func (s *Session) SnapshotRuns(ctx context.Context, snap Snapshot) (before, after *RunRecord, err error) {
	if s.journal == nil {
		return nil, nil, ErrNoJournal
	}
	read := func(sum *RunSummary) (*RunRecord, error) {
		if sum == nil {
			return nil, nil
		}
		rec, err := s.journal.Run(ctx, sum.ID)
		return &rec, err
	}
	if before, err = read(snap.Before); err != nil {
		return nil, nil, err
	}
	after, err = read(snap.After)
	return before, after, err
}

// UndoTarget is the configuration a change's undo brings back: the
// configuration before it, as AWS reported it then.
func (s *Session) UndoTarget(ctx context.Context, changeID int64) (ChangeRecord, error) {
	if s.journal == nil {
		return ChangeRecord{}, ErrNoJournal
	}
	return s.journal.Change(ctx, changeID)
}
