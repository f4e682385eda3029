package tune

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// TuningSession is one function's session in a scope: its runs and changes
// in time order, and the snapshots pairing them.
type TuningSession struct {
	Scope     Scope           `json:"scope"`
	Function  string          `json:"function"`
	Runs      []RunSummary    `json:"runs"`
	Changes   []ChangeSummary `json:"changes"`
	Snapshots []Snapshot      `json:"snapshots"`
}

// Session reads one function's session: every run and change (their list
// columns, not the full records) and the snapshots pairing them.
func (j *Journal) Session(ctx context.Context, scope Scope, function string) (TuningSession, error) {
	sessions, err := j.sessions(ctx, scope, function)
	if err != nil {
		return TuningSession{}, err
	}
	if len(sessions) == 0 {
		return TuningSession{Scope: scope, Function: function}, nil
	}
	return sessions[0], nil
}

// Sessions reads every function's session in scope, by function name.
func (j *Journal) Sessions(ctx context.Context, scope Scope) ([]TuningSession, error) {
	return j.sessions(ctx, scope, "")
}

func (j *Journal) sessions(ctx context.Context, scope Scope, function string) ([]TuningSession, error) {
	runs, err := j.runSummaries(ctx, scope.Key(), function)
	if err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	changes, err := j.changeSummaries(ctx, scope.Key(), function)
	if err != nil {
		return nil, fmt.Errorf("read changes: %w", err)
	}
	return assemble(scope, runs, changes), nil
}

// assemble merges runs and changes (each sorted by function, time and ID)
// into one timeline per function and pairs it.
func assemble(scope Scope, runs []RunSummary, changes []ChangeSummary) []TuningSession {
	var out []TuningSession
	for len(runs) > 0 || len(changes) > 0 {
		fn := nextFunction(runs, changes)
		s := TuningSession{Scope: scope, Function: fn}
		for len(runs) > 0 && runs[0].Function == fn {
			s.Runs, runs = append(s.Runs, runs[0]), runs[1:]
		}
		for len(changes) > 0 && changes[0].Function == fn {
			s.Changes, changes = append(s.Changes, changes[0]), changes[1:]
		}
		s.Snapshots = Pair(s.timeline())
		out = append(out, s)
	}
	return out
}

func nextFunction(runs []RunSummary, changes []ChangeSummary) string {
	switch {
	case len(runs) == 0:
		return changes[0].Function
	case len(changes) == 0 || runs[0].Function < changes[0].Function:
		return runs[0].Function
	}
	return changes[0].Function
}

// timeline merges the session's runs and changes in time order (by ID when
// two share a moment: the journal's order of arrival).
func (s TuningSession) timeline() []Event {
	out := make([]Event, 0, len(s.Runs)+len(s.Changes))
	r, c := 0, 0
	for r < len(s.Runs) || c < len(s.Changes) {
		if c == len(s.Changes) || (r < len(s.Runs) && runFirst(&s.Runs[r], &s.Changes[c])) {
			out = append(out, Event{Run: &s.Runs[r]})
			r++
		} else {
			out = append(out, Event{Change: &s.Changes[c]})
			c++
		}
	}
	return out
}

func runFirst(run *RunSummary, change *ChangeSummary) bool {
	if !run.Started.Equal(change.Requested) {
		return run.Started.Before(change.Requested)
	}
	return run.ID < change.ID
}

const runColumns = `e.id, e.function, r.qualifier, r.path, r.target, r.scenario, r.model, r.users, r.spawn_rate,
	r.wait, r.rate, r.run_time, r.max_requests, r.seed, r.started, r.ended, r.elapsed, r.stop_reason,
	r.requests, r.failures, r.throttles, r.average, r.p50, r.p95, r.p99, r.max, r.rps,
	r.cold_starts, r.cold_start_source, r.billed_average, r.billed_source, r.config_known, r.memory_mb,
	r.architecture, r.config_summary, r.provisioned, r.provisioned_total, r.provisioned_share, r.share_source`

func (j *Journal) runSummaries(ctx context.Context, scope, function string) ([]RunSummary, error) {
	rows, err := j.timelineQuery(ctx, runColumns+` FROM events e JOIN runs r ON r.id = e.id`, "run", scope, function)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RunSummary
	for rows.Next() {
		s, err := scanRunSummary(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// timelineQuery selects one kind of event of a scope (and of one function,
// unless function is ""), in the timeline index's order.
func (j *Journal) timelineQuery(ctx context.Context, selectFrom, kind, scope, function string) (*sql.Rows, error) {
	query := `SELECT ` + selectFrom + ` WHERE e.scope = ? AND e.kind = ?`
	args := []any{scope, kind}
	if function != "" {
		query += ` AND e.function = ?`
		args = append(args, function)
	}
	return j.db.QueryContext(ctx, query+` ORDER BY e.function, e.at, e.id`, args...)
}

func scanRunSummary(rows *sql.Rows) (RunSummary, error) {
	var s RunSummary
	var runTime, maxRequests, seed, started, ended, elapsed, average, p50, p95, p99, maxLatency, billed int64
	var requests, failures, throttles int64
	var coldStarts sql.NullInt64
	st, c := &s.Settings, &s.Config
	err := rows.Scan(&s.ID, &s.Function, &s.Qualifier, &s.Path, &st.Target, &st.Scenario, &st.Model, &st.Users,
		&st.SpawnRate, &st.Wait, &st.Rate, &runTime, &maxRequests, &seed, &started, &ended, &elapsed, &s.StopReason,
		&requests, &failures, &throttles, &average, &p50, &p95, &p99, &maxLatency, &s.RPS,
		&coldStarts, &s.ColdStarts.Source, &billed, &s.Billed.Source, &c.Known, &c.MemoryMB,
		&c.Architecture, &c.Summary, &c.Provisioned, &c.ProvisionedTotal, &c.ProvisionedShare, &c.ShareSource)
	st.RunTime, st.MaxRequests, st.Seed = time.Duration(runTime), uint64(maxRequests), uint64(seed)
	s.Started, s.Ended, s.Elapsed = fromNanos(started), fromNanos(ended), time.Duration(elapsed)
	s.Requests, s.Failures, s.Throttles = uint64(requests), uint64(failures), uint64(throttles)
	s.Average, s.P50, s.P95, s.P99, s.Max = time.Duration(average), time.Duration(p50), time.Duration(p95), time.Duration(p99), time.Duration(maxLatency)
	s.ColdStarts.Value, s.ColdStarts.Known = uint64(coldStarts.Int64), coldStarts.Valid
	s.Billed.Average = time.Duration(billed)
	return s, err
}

func fromNanos(ns int64) time.Time { return time.Unix(0, ns).UTC() }

func (j *Journal) changeSummaries(ctx context.Context, scope, function string) ([]ChangeSummary, error) {
	rows, err := j.timelineQuery(ctx, `e.id, e.function, c.kind, c.path, c.title, c.status, c.error,
		c.requested, c.finished, c.before_summary, c.after_summary FROM events e JOIN changes c ON c.id = e.id`,
		"change", scope, function)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ChangeSummary
	for rows.Next() {
		var c ChangeSummary
		var requested, finished int64
		if err := rows.Scan(&c.ID, &c.Function, &c.Kind, &c.Path, &c.Title, &c.Status, &c.Error,
			&requested, &finished, &c.BeforeSummary, &c.AfterSummary); err != nil {
			return nil, err
		}
		c.Requested, c.Finished = fromNanos(requested), fromNanos(finished)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Run reads one run's whole record.
func (j *Journal) Run(ctx context.Context, id int64) (RunRecord, error) {
	var rec RunRecord
	err := j.readRecord(ctx, `SELECT record FROM runs WHERE id = ?`, id, &rec)
	return rec, err
}

// Change reads one change's whole record.
func (j *Journal) Change(ctx context.Context, id int64) (ChangeRecord, error) {
	var rec ChangeRecord
	err := j.readRecord(ctx, `SELECT record FROM changes WHERE id = ?`, id, &rec)
	return rec, err
}

func (j *Journal) readRecord(ctx context.Context, query string, id int64, into any) error {
	var body string
	err := j.db.QueryRowContext(ctx, query, id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("record %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("read record %d: %w", id, err)
	}
	if err := json.Unmarshal([]byte(body), into); err != nil {
		return fmt.Errorf("record %d is damaged: %w", id, err)
	}
	return nil
}

// FindSnapshot finds the snapshot an ID belongs to in scope: the ID of any of
// its changes, or of a baseline's run.
func (j *Journal) FindSnapshot(ctx context.Context, scope Scope, id int64) (TuningSession, Snapshot, error) {
	var function string
	err := j.db.QueryRowContext(ctx, `SELECT function FROM events WHERE id = ? AND scope = ?`, id, scope.Key()).Scan(&function)
	if errors.Is(err, sql.ErrNoRows) {
		return TuningSession{}, Snapshot{}, fmt.Errorf("snapshot %d in %s: %w", id, scope, ErrNotFound)
	}
	if err != nil {
		return TuningSession{}, Snapshot{}, err
	}
	session, err := j.Session(ctx, scope, function)
	if err != nil {
		return TuningSession{}, Snapshot{}, err
	}
	for _, s := range session.Snapshots {
		if s.contains(id) {
			return session, s, nil
		}
	}
	return session, Snapshot{}, fmt.Errorf("%d is a run of %s, not a change or a baseline: %w", id, function, ErrNotFound)
}

func (s Snapshot) contains(id int64) bool {
	if s.ID == id {
		return true
	}
	for _, c := range s.Changes {
		if c.ID == id {
			return true
		}
	}
	return false
}

// Scopes lists the scopes the journal has sessions in.
func (j *Journal) Scopes(ctx context.Context) ([]Scope, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT DISTINCT scope FROM events ORDER BY scope`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Scope
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			return nil, err
		}
		if s, err := ParseScope(key); err == nil {
			out = append(out, s)
		}
	}
	return out, rows.Err()
}
