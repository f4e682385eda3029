package tune

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// AddRun records a finished run under its scope and returns its ID. The
// record is on disk when AddRun returns.
func (j *Journal) AddRun(ctx context.Context, rec RunRecord) (int64, error) {
	if _, err := ParseScope(rec.Scope); err != nil {
		return 0, fmt.Errorf("record run: %w", err)
	}
	if rec.Function == "" {
		return 0, fmt.Errorf("record run: no function")
	}
	rec = rec.inUTC()
	var id int64
	err := j.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = j.addEvent(ctx, tx, rec.Scope, rec.Function, "run", rec.Started); err != nil {
			return err
		}
		rec.ID = id
		return insertRun(ctx, tx, rec)
	})
	if err != nil {
		return 0, fmt.Errorf("record run of %s: %w", rec.Function, err)
	}
	return id, nil
}

// AddChange records a change under scope and returns its ID.
func (j *Journal) AddChange(ctx context.Context, scope Scope, rec ChangeRecord) (int64, error) {
	if err := scope.Validate(); err != nil {
		return 0, fmt.Errorf("record change: %w", err)
	}
	if rec.Function == "" {
		return 0, fmt.Errorf("record change: no function")
	}
	rec.Scope, rec.Requested, rec.Finished = scope.Key(), rec.Requested.UTC(), rec.Finished.UTC()
	var id int64
	err := j.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = j.addEvent(ctx, tx, rec.Scope, rec.Function, "change", rec.Requested); err != nil {
			return err
		}
		rec.ID = id
		return insertChange(ctx, tx, rec)
	})
	if err != nil {
		return 0, fmt.Errorf("record change of %s: %w", rec.Function, err)
	}
	return id, nil
}

func (j *Journal) addEvent(ctx context.Context, tx *sql.Tx, scope, function, kind string, at time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO events (scope, function, kind, at, recorded) VALUES (?, ?, ?, ?, ?)`,
		scope, function, kind, at.UnixNano(), j.clock.Now().UnixNano())
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func insertRun(ctx context.Context, tx *sql.Tx, rec RunRecord) error {
	body, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	s, st := rec.Summary(), rec.Settings
	var coldStarts any
	if s.ColdStarts.Known {
		coldStarts = int64(s.ColdStarts.Value)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO runs (id, qualifier, path,
		target, scenario, model, users, spawn_rate, wait, rate, run_time, max_requests, seed,
		started, ended, elapsed, stop_reason, requests, failures, throttles,
		average, p50, p95, p99, max, rps, cold_starts, cold_start_source, billed_average, billed_source,
		config_known, memory_mb, architecture, config_summary, provisioned, provisioned_total,
		provisioned_share, share_source, packed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		rec.ID, rec.Qualifier, rec.Path,
		st.Target, st.Scenario, st.Model, st.Users, st.SpawnRate, st.Wait, st.Rate, int64(st.RunTime), int64(st.MaxRequests), int64(st.Seed),
		rec.Started.UnixNano(), rec.Ended.UnixNano(), int64(rec.Elapsed), rec.StopReason,
		int64(s.Requests), int64(s.Failures), int64(s.Throttles),
		int64(s.Average), int64(s.P50), int64(s.P95), int64(s.P99), int64(s.Max), s.RPS,
		coldStarts, s.ColdStarts.Source, int64(s.Billed.Average), s.Billed.Source,
		s.Config.Known, s.Config.MemoryMB, s.Config.Architecture, s.Config.Summary, s.Config.Provisioned,
		s.Config.ProvisionedTotal, s.Config.ProvisionedShare, s.Config.ShareSource, packRun(s))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO run_records (id, record) VALUES (?, ?)`, rec.ID, string(body))
	return err
}

func insertChange(ctx context.Context, tx *sql.Tx, rec ChangeRecord) error {
	body, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO changes (id, kind, path, title, status, error,
		requested, finished, before_summary, after_summary, packed, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		rec.ID, string(rec.Kind), rec.Path, rec.Title, rec.Status, rec.Error,
		rec.Requested.UnixNano(), rec.Finished.UnixNano(), rec.Before.Summary(), rec.After.Summary(), packChange(rec), string(body))
	return err
}

// inUTC returns the record with its times in UTC, as the journal keeps them.
func (r RunRecord) inUTC() RunRecord {
	r.Started, r.Ended = r.Started.UTC(), r.Ended.UTC()
	if r.CloudWatch != nil {
		cw := *r.CloudWatch
		cw.Start = cw.Start.UTC()
		r.CloudWatch = &cw
	}
	return r
}

// Recorder returns a Recorder that files changes under scope; a change that
// cannot be written is logged, never undone (AWS has made it).
func (j *Journal) Recorder(scope Scope) Recorder {
	return scopedRecorder{j: j, scope: func(context.Context, string) (Scope, error) { return scope, nil }}
}

// RecorderFor returns the Recorder for a console or CLI session: changes go
// under the session's scope, its account learned from the function when the
// session does not know it yet. One line wires a session:
//
//	session.SetRecorder(journal.RecorderFor(session))
func (j *Journal) RecorderFor(s *Session) Recorder { return scopedRecorder{j: j, scope: s.Scope} }

type scopedRecorder struct {
	j     *Journal
	scope func(ctx context.Context, function string) (Scope, error)
}

// RecordChange implements Recorder.
func (r scopedRecorder) RecordChange(ctx context.Context, rec ChangeRecord) error {
	scope, err := r.scope(ctx, rec.Function)
	if err == nil {
		_, err = r.j.AddChange(ctx, scope, rec)
	}
	if err != nil {
		r.j.log.Error("journal: change not recorded", "function", rec.Function, "change", rec.Title, "err", err)
	}
	return err
}
