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
		r := 0
		for r < len(runs) && runs[r].Function == fn {
			r++
		}
		c := 0
		for c < len(changes) && changes[c].Function == fn {
			c++
		}
		s.Runs, runs = runs[:r:r], runs[r:]
		s.Changes, changes = changes[:c:c], changes[c:]
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

func (j *Journal) runSummaries(ctx context.Context, scope, function string) ([]RunSummary, error) {
	rows, err := j.timelineQuery(ctx, `e.id, e.function, r.packed FROM events e JOIN runs r ON r.id = e.id`, "run", scope, function)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]RunSummary, 0, j.count(ctx, "run", scope, function))
	u := unpacker{intern: map[string]string{}}
	for rows.Next() {
		var s RunSummary
		var packed sql.RawBytes // valid until the next row: unpacked before it
		if err := rows.Scan(&s.ID, &s.Function, &packed); err != nil {
			return nil, err
		}
		u.b = packed
		if err := u.run(&s); err != nil {
			return nil, fmt.Errorf("run %d: %w", s.ID, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// count is how many events of a kind the scope (and function) has, to size
// a list once; 0 if it cannot tell (the list then grows as it is read).
func (j *Journal) count(ctx context.Context, kind, scope, function string) int {
	query, args := `SELECT count(*) FROM events e WHERE e.scope = ? AND e.kind = ?`, []any{scope, kind}
	if function != "" {
		query += ` AND e.function = ?`
		args = append(args, function)
	}
	var n int
	if err := j.db.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0
	}
	return n
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

func fromNanos(ns int64) time.Time { return time.Unix(0, ns).UTC() }

func (j *Journal) changeSummaries(ctx context.Context, scope, function string) ([]ChangeSummary, error) {
	rows, err := j.timelineQuery(ctx, `e.id, e.function, c.packed FROM events e JOIN changes c ON c.id = e.id`, "change", scope, function)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]ChangeSummary, 0, j.count(ctx, "change", scope, function))
	u := unpacker{intern: map[string]string{}}
	for rows.Next() {
		var c ChangeSummary
		var packed sql.RawBytes
		if err := rows.Scan(&c.ID, &c.Function, &packed); err != nil {
			return nil, err
		}
		u.b = packed
		if err := u.change(&c); err != nil {
			return nil, fmt.Errorf("change %d: %w", c.ID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Run reads one run's whole record.
func (j *Journal) Run(ctx context.Context, id int64) (RunRecord, error) {
	var rec RunRecord
	err := j.readRecord(ctx, `SELECT record FROM run_records WHERE id = ?`, id, &rec)
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
