package tune

import (
	"context"
	"fmt"
	"time"
)

// Report is what an export holds: one snapshot or a whole session (every
// snapshot of a function, in order), with the full records of the runs and
// changes in it, their cost and deltas priced with one price list.
type Report struct {
	Generated time.Time `json:"generated"`
	Scope     string    `json:"scope"`
	Function  string    `json:"function"`
	// Region is the region of the price list the costs are computed with.
	Region string            `json:"price_region"`
	Items  []ReportItem      `json:"snapshots"`
	Runs   []RunSummary      `json:"runs"`
	Costs  map[int64]RunCost `json:"run_costs"`
	// Sweeps are the sweeps among the runs (sweep_report.go).
	Sweeps []SweepSeries `json:"sweeps,omitempty"`
}

// ReportItem is one snapshot with everything a reader needs to judge it.
type ReportItem struct {
	Snapshot Snapshot       `json:"snapshot"`
	Changes  []ChangeRecord `json:"changes,omitempty"`
	Before   *RunRecord     `json:"before_run,omitempty"`
	After    *RunRecord     `json:"after_run,omitempty"`
	Deltas   []Delta        `json:"deltas,omitempty"`
}

// SessionReport reports every snapshot of a function's session.
func (j *Journal) SessionReport(ctx context.Context, scope Scope, function string, p Prices) (Report, error) {
	s, err := j.Session(ctx, scope, function)
	if err != nil {
		return Report{}, err
	}
	if len(s.Runs)+len(s.Changes) == 0 {
		return Report{}, fmt.Errorf("%s in %s: %w", function, scope, ErrNotFound)
	}
	return j.report(ctx, s, s.Snapshots, s.Runs, p)
}

// SnapshotReport reports the snapshot an ID belongs to (see FindSnapshot).
func (j *Journal) SnapshotReport(ctx context.Context, scope Scope, id int64, p Prices) (Report, error) {
	s, snap, err := j.FindSnapshot(ctx, scope, id)
	if err != nil {
		return Report{}, err
	}
	var runs []RunSummary
	for _, r := range []*RunSummary{snap.Before, snap.After} {
		if r != nil {
			runs = append(runs, *r)
		}
	}
	return j.report(ctx, s, []Snapshot{snap}, runs, p)
}

func (j *Journal) report(ctx context.Context, s TuningSession, snaps []Snapshot, runs []RunSummary, p Prices) (Report, error) {
	r := Report{Generated: j.clock.Now().UTC(), Scope: s.Scope.Key(), Function: s.Function, Region: p.Region,
		Runs: runs, Costs: map[int64]RunCost{}}
	for _, run := range runs {
		r.Costs[run.ID] = run.Cost(p)
	}
	r.Sweeps = SweepsOf(runs, p)
	loaded := map[int64]*RunRecord{}
	for _, snap := range snaps {
		item, err := j.reportItem(ctx, snap, p, loaded)
		if err != nil {
			return Report{}, err
		}
		r.Items = append(r.Items, item)
	}
	return r, nil
}

func (j *Journal) reportItem(ctx context.Context, snap Snapshot, p Prices, loaded map[int64]*RunRecord) (ReportItem, error) {
	item := ReportItem{Snapshot: snap, Deltas: snap.Deltas(p)}
	for _, c := range snap.Changes {
		rec, err := j.Change(ctx, c.ID)
		if err != nil {
			return item, err
		}
		item.Changes = append(item.Changes, rec)
	}
	var err error
	if item.Before, err = j.loadRun(ctx, snap.Before, loaded); err != nil {
		return item, err
	}
	item.After, err = j.loadRun(ctx, snap.After, loaded)
	return item, err
}

func (j *Journal) loadRun(ctx context.Context, s *RunSummary, loaded map[int64]*RunRecord) (*RunRecord, error) {
	if s == nil {
		return nil, nil
	}
	if rec, ok := loaded[s.ID]; ok {
		return rec, nil
	}
	rec, err := j.Run(ctx, s.ID)
	if err != nil {
		return nil, err
	}
	loaded[s.ID] = &rec
	return &rec, nil
}

// Title is the report's heading.
func (r Report) Title() string {
	scope := r.Scope
	if s, err := ParseScope(r.Scope); err == nil {
		scope = s.String()
	}
	if len(r.Items) == 1 {
		return fmt.Sprintf("%s: %s (%s)", r.Function, r.Items[0].Snapshot.Title(), scope)
	}
	return fmt.Sprintf("%s: tuning session (%s)", r.Function, scope)
}
