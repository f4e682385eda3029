package tune

import (
	"fmt"
	"strings"
	"time"
)

// ChangeSummary is what lists and pairing need of a change record.
type ChangeSummary struct {
	ID        int64      `json:"id"`
	Function  string     `json:"function"`
	Kind      ChangeKind `json:"kind"`
	Path      string     `json:"path"`
	Title     string     `json:"title"`
	Status    string     `json:"status"`
	Error     string     `json:"error,omitempty"`
	Requested time.Time  `json:"requested"`
	Finished  time.Time  `json:"finished"`
	// BeforeSummary and AfterSummary are FunctionConfig.Summary of each side.
	BeforeSummary string `json:"before_summary"`
	AfterSummary  string `json:"after_summary"`
}

// SnapshotKind tells a baseline from a change.
type SnapshotKind string

// The kinds of snapshot.
const (
	// KindBaseline is a run with no change before it in the session.
	KindBaseline SnapshotKind = "baseline"
	// KindChange pairs one or more changes with runs before and after.
	KindChange SnapshotKind = "change"
)

// Snapshot pairs the changes made between two runs with the last comparable
// run before them and the first comparable run after them. When no pair of
// runs drove the same load it still pairs the nearest runs and says how they
// differ. A baseline is a run with no change before it.
type Snapshot struct {
	// ID is the first change's ID, or a baseline's run ID.
	ID       int64           `json:"id"`
	Function string          `json:"function"`
	Kind     SnapshotKind    `json:"kind"`
	Changes  []ChangeSummary `json:"changes,omitempty"`
	Before   *RunSummary     `json:"before,omitempty"`
	After    *RunSummary     `json:"after,omitempty"`
	// Comparable is true when both runs exist and drove the same load.
	Comparable bool `json:"comparable"`
	// Notes say what a reader must know: not comparable and why, no run
	// yet after the change, the configuration changed outside lambdatune.
	Notes []string `json:"notes,omitempty"`
}

// Awaiting reports a change snapshot that has no run after it yet.
func (s Snapshot) Awaiting() bool { return s.Kind == KindChange && s.After == nil }

// Title says what the snapshot is about, in a few words.
func (s Snapshot) Title() string {
	if s.Kind == KindBaseline {
		return "baseline"
	}
	titles := make([]string, len(s.Changes))
	for i, c := range s.Changes {
		titles[i] = c.Title
		if c.Status != "done" {
			titles[i] += " (" + c.Status + ")"
		}
	}
	return strings.Join(titles, "; ")
}

// At is when the snapshot begins: its first change, or its baseline run.
func (s Snapshot) At() time.Time {
	if s.Kind == KindChange {
		return s.Changes[0].Requested
	}
	return s.After.Started
}

// Deltas compares the before and after runs; nil unless both exist.
func (s Snapshot) Deltas(p Prices) []Delta {
	if s.Before == nil || s.After == nil {
		return nil
	}
	return Deltas(*s.Before, *s.After, p)
}

// Event is one entry of a session's timeline: a run or a change.
type Event struct {
	Run    *RunSummary
	Change *ChangeSummary
}

// at orders the timeline: a run by its start, a change by its request.
func (e Event) at() time.Time {
	if e.Run != nil {
		return e.Run.Started
	}
	return e.Change.Requested
}

// Pair turns one function's timeline, in time order, into its snapshots.
// The timeline alternates stretches of runs and stretches of changes; each
// stretch of changes becomes one snapshot paired from the runs on either
// side, and each run before the first change is a baseline.
func Pair(timeline []Event) []Snapshot {
	var out []Snapshot
	before, i := runStretch(timeline, 0)
	for _, run := range before {
		out = append(out, baseline(run))
	}
	for i < len(timeline) {
		changes, next := changeStretch(timeline, i)
		after, end := runStretch(timeline, next)
		out = append(out, pairChanges(changes, before, after))
		before, i = after, end
	}
	return out
}

func baseline(run *RunSummary) Snapshot {
	return Snapshot{ID: run.ID, Function: run.Function, Kind: KindBaseline, After: run}
}

func changeStretch(timeline []Event, from int) ([]ChangeSummary, int) {
	var changes []ChangeSummary
	i := from
	for ; i < len(timeline) && timeline[i].Change != nil; i++ {
		changes = append(changes, *timeline[i].Change)
	}
	return changes, i
}

func runStretch(timeline []Event, from int) ([]*RunSummary, int) {
	var runs []*RunSummary
	i := from
	for ; i < len(timeline) && timeline[i].Run != nil; i++ {
		runs = append(runs, timeline[i].Run)
	}
	return runs, i
}

// pairChanges picks the runs: the first run after the changes that has a
// comparable run before them, with the last such run before; failing that the
// nearest run on each side, marked.
func pairChanges(changes []ChangeSummary, before, after []*RunSummary) Snapshot {
	s := Snapshot{ID: changes[0].ID, Function: changes[0].Function, Kind: KindChange, Changes: changes}
	s.Before, s.After, s.Comparable = choosePair(before, after)
	switch {
	case s.Before == nil && s.After == nil:
		s.Notes = append(s.Notes, "no run before or after the change yet")
	case s.After == nil:
		s.Notes = append(s.Notes, "awaiting a run after the change")
	case s.Before == nil:
		s.Notes = append(s.Notes, "no run before the change: nothing to compare with")
	case !s.Comparable:
		s.Notes = append(s.Notes, "not comparable: "+strings.Join(s.Before.Settings.Differences(s.After.Settings), ", "))
	}
	s.Notes = append(s.Notes, outsideChanges(s)...)
	return s
}

func choosePair(before, after []*RunSummary) (b, a *RunSummary, comparable bool) {
	for _, candidate := range after {
		for i := len(before) - 1; i >= 0; i-- {
			if before[i].Settings.Comparable(candidate.Settings) {
				return before[i], candidate, true
			}
		}
	}
	if len(before) > 0 {
		b = before[len(before)-1]
	}
	if len(after) > 0 {
		a = after[0]
	}
	return b, a, false
}

// outsideChanges notes a configuration that moved without a change record:
// the before run did not run under what the first change started from, or
// the after run not under what the last change left.
func outsideChanges(s Snapshot) []string {
	var notes []string
	first, last := s.Changes[0], s.Changes[len(s.Changes)-1]
	if r := s.Before; r != nil && r.Config.Known && r.Config.Summary != first.BeforeSummary {
		notes = append(notes, fmt.Sprintf("the configuration changed outside lambdatune before the change: the run before ran under %s, the change started from %s", r.Config.Summary, first.BeforeSummary))
	}
	if r := s.After; r != nil && r.Config.Known && r.Config.Summary != last.AfterSummary {
		notes = append(notes, fmt.Sprintf("the configuration changed outside lambdatune after the change: the change left %s, the run after ran under %s", last.AfterSummary, r.Config.Summary))
	}
	if r := s.Before; r != nil && r.Ended.After(first.Requested) {
		notes = append(notes, "the change was made while the run before was still going")
	}
	if r := s.After; r != nil && r.Started.Before(last.Finished) {
		notes = append(notes, "the run after started before the change was done")
	}
	return notes
}
